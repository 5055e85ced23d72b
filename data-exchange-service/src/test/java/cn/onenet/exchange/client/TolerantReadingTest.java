package cn.onenet.exchange.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import cn.onenet.common.problem.StrictJsonReading;

/**
 * Request bodies refuse a field their type does not have; the catalogue's answers are read tolerantly, so a field the
 * catalogue adds to its feed or calendar breaks nothing here.
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
    void theCataloguesFeedWithFieldsAddedIsStillRead() throws Exception {
        CatalogClient.FeedPage page = mapper().readValue("{\"items\":[{\"cursor\":7,\"type\":\"PUBLISHED\","
                + "\"occurredAt\":\"2026-12-01T02:00:00Z\",\"entry\":{\"name\":\"居民户籍信息\"},\"shard\":3}],"
                + "\"next\":8,\"hasMore\":false}", CatalogClient.FeedPage.class);
        assertEquals(new CatalogClient.FeedPage(List.of(new CatalogClient.FeedItem(7, "PUBLISHED",
                "2026-12-01T02:00:00Z", Map.of("name", "居民户籍信息"))), 8L), page);
    }

    @Test
    void theCataloguesCalendarWithFieldsAddedIsStillRead() throws Exception {
        CatalogClient.CalendarSnapshot snapshot = mapper().readValue("{\"generation\":4,\"coveredUntil\":"
                + "\"2027-12-31\",\"days\":[{\"day\":\"2027-02-11\",\"kind\":\"holiday\",\"name\":\"春节\","
                + "\"reason\":\"国办发明电\"}]}", CatalogClient.CalendarSnapshot.class);
        assertEquals(new CatalogClient.CalendarSnapshot(4L, List.of(new CatalogClient.CalendarDay(
                LocalDate.of(2027, 2, 11), "holiday", "春节"))), snapshot);
    }
}
