package cn.onenet.gateway.service;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import cn.onenet.gateway.support.RecordingSpanExporter;
import cn.onenet.gateway.support.UpstreamsResource;
import cn.onenet.testsupport.TestOidcResource;
import cn.onenet.testsupport.TestTokens;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** With tracing on, no ID number from a path and no token from a query string reaches a span exporter. */
@QuarkusTest
@QuarkusTestResource(UpstreamsResource.class)
@QuarkusTestResource(TestOidcResource.class)
class SpanPrivacyTest {

    // 公民身份号码 in a path segment, a one-time token in the query string
    private static final String ID_NUMBER = "11010519491231002X";
    private static final String ONE_TIME_TOKEN = "reset-7f3c9a1e5b2d4c6f";

    @Test
    void spansCarryTheMaskedPathAndNoQueryString() throws InterruptedException {
        String token = TestTokens.departmentClient("span-client", "11330000002482170X", "onenet-catalog",
                "operator");
        given().auth().oauth2(token).queryParam("token", ONE_TIME_TOKEN)
                .get("/api/catalog/v1/persons/" + ID_NUMBER + "/records").then().statusCode(200);

        // The server span ends once the answer has been written: wait for it (at most 10 s).
        SpanData server = null;
        for (int i = 0; i < 200 && server == null; i++) {
            server = serverSpan(RecordingSpanExporter.SPANS.exported());
            if (server == null) {
                Thread.sleep(50);
            }
        }
        assertTrue(server != null, "the gateway's server span was exported");
        assertEquals("/api/catalog/v1/persons/{id}/records", server.getAttributes().get(SpanPrivacy.URL_PATH));
        assertEquals(SpanPrivacy.REDACTED, server.getAttributes().get(SpanPrivacy.URL_QUERY));

        for (SpanData span : RecordingSpanExporter.SPANS.exported()) {
            String everything = span.getName() + " " + span.getAttributes() + " " + span.getEvents();
            assertFalse(everything.contains(ID_NUMBER), "ID number in an exported span: " + everything);
            assertFalse(everything.contains(ONE_TIME_TOKEN), "token in an exported span: " + everything);
        }
    }

    private static SpanData serverSpan(List<SpanData> spans) {
        for (SpanData span : spans) {
            String path = span.getAttributes().get(SpanPrivacy.URL_PATH);
            if (span.getKind() == SpanKind.SERVER && path != null && path.startsWith("/api/catalog/v1/persons/")) {
                return span;
            }
        }
        return null;
    }

    @Test
    void upstreamUrlsLoseTheirQueryAndIdentifiers() {
        assertEquals("http://127.0.0.1:8082/api/catalog/v1/persons/{id}/records",
                SpanPrivacy.maskedUrl("http://127.0.0.1:8082/api/catalog/v1/persons/" + ID_NUMBER
                        + "/records?token=" + ONE_TIME_TOKEN));
        assertEquals("http://127.0.0.1:8082", SpanPrivacy.maskedUrl("http://127.0.0.1:8082?token=x"));
    }
}
