package cn.onenet.catalog.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import cn.onenet.catalog.client.ExchangeClient;
import cn.onenet.catalog.rest.Requests;
import cn.onenet.common.problem.StrictJsonReading;

/**
 * Request bodies refuse a field their type does not have; what the service reads back from its own database and what
 * the exchange answers are read tolerantly, so a field dropped here or added there breaks nothing.
 */
class TolerantReadingTest {

    /** The mapper as the service has it: Quarkus's (unknown fields ignored), then the suite's strict reading. */
    private static ObjectMapper mapper() {
        ObjectMapper m = new ObjectMapper().findAndRegisterModules()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        new StrictJsonReading().customize(m);
        return m;
    }

    @Test
    void aStoredDocumentWithAFieldNoLongerKeptIsStillRead() throws Exception {
        String stored = "{\"reason\":\"职责调整\",\"requestedBy\":\"editor-1\"}";
        assertThrows(UnrecognizedPropertyException.class,
                () -> mapper().readValue(stored, Requests.DeregistrationRequest.class));
        assertEquals(new Requests.DeregistrationRequest("职责调整"),
                new Json(mapper()).read(stored, Requests.DeregistrationRequest.class));
    }

    @Test
    void theExchangesAnswerWithAFieldAddedIsStillRead() throws Exception {
        assertEquals(new ExchangeClient.ActiveGrants("330000-01-02/000123", 2), mapper().readValue(
                "{\"resourceCode\":\"330000-01-02/000123\",\"activeGrants\":2,\"suspendedGrants\":1}",
                ExchangeClient.ActiveGrants.class));
    }
}
