package cn.onenet.gateway.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
    void theCallersTraceContextPassesThroughOnce() {
        JsonObject lines = RoutingTest.tracedCallLines();
        assertEquals(RoutingTest.CALLER_TRACEPARENT, RoutingTest.onlyLine(lines, "traceparent"));
        assertEquals(RoutingTest.CALLER_TRACESTATE, RoutingTest.onlyLine(lines, "tracestate"));
        assertEquals(RoutingTest.CALLER_BAGGAGE, RoutingTest.onlyLine(lines, "baggage"));
    }
}
