package cn.onenet.gateway.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;

import org.junit.jupiter.api.Test;

import cn.onenet.gateway.support.UpstreamsResource;
import cn.onenet.testsupport.TestOidcResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;

/** Tracing off, as in production without the profile {@code tracing}: the caller's trace context passes unchanged. */
@QuarkusTest
@TestProfile(TracingOffTest.TracingOff.class)
@QuarkusTestResource(UpstreamsResource.class)
@QuarkusTestResource(TestOidcResource.class)
class TracingOffTest {

    public static class TracingOff implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.otel.sdk.disabled", "true");
        }
    }

    @Test
    void aMalformedTraceContextIsNotPassedOn() {
        // W3C Trace Context: a traceparent that does not parse is ignored, and tracestate with it; the services would
        // otherwise log and join whatever a caller wrote there.
        String[] malformed = { "zz-not-a-trace", "00-" + "0".repeat(32) + "-00f067aa0ba902b7-01",
                "00-4bf92f3577b34da6a3ce929d0e0e4736-" + "0".repeat(16) + "-01",
                "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
                "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
                RoutingTest.CALLER_TRACEPARENT + "-extra", RoutingTest.CALLER_TRACEPARENT + "\t" + "x".repeat(400) };
        for (String traceparent : malformed) {
            JsonObject lines = new JsonObject(io.restassured.RestAssured.given()
                    .auth().oauth2(RoutingTest.catalogToken("trace-malformed"))
                    .header("traceparent", traceparent).header("tracestate", RoutingTest.CALLER_TRACESTATE)
                    .get("/api/catalog/v1/entries").then().statusCode(200).extract().asString())
                    .getJsonObject("headerLines");
            assertNull(lines.getValue("traceparent"), traceparent);
            assertNull(lines.getValue("tracestate"), traceparent);
        }
        // A later version keeps the version-00 fields in front (W3C: parse them, ignore the rest).
        String future = "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-more";
        JsonObject lines = new JsonObject(io.restassured.RestAssured.given()
                .auth().oauth2(RoutingTest.catalogToken("trace-future"))
                .header("traceparent", future).get("/api/catalog/v1/entries").then().statusCode(200).extract()
                .asString()).getJsonObject("headerLines");
        assertEquals(future, RoutingTest.onlyLine(lines, "traceparent"));
    }

    @Test
    void theCallersTraceContextPassesThroughOnce() {
        JsonObject lines = RoutingTest.tracedCallLines();
        assertEquals(RoutingTest.CALLER_TRACEPARENT, RoutingTest.onlyLine(lines, "traceparent"));
        assertEquals(RoutingTest.CALLER_TRACESTATE, RoutingTest.onlyLine(lines, "tracestate"));
        assertEquals(RoutingTest.CALLER_BAGGAGE, RoutingTest.onlyLine(lines, "baggage"));
    }
}
