package cn.onenet.gateway.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.net.URL;

import org.junit.jupiter.api.Test;

import cn.onenet.gateway.support.RawHttp;
import cn.onenet.gateway.support.UpstreamsResource;
import cn.onenet.testsupport.TestOidcResource;
import cn.onenet.testsupport.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

/** Requests asking for a protocol upgrade, and hop-by-hop fields spread over several Connection lines. */
@QuarkusTest
@QuarkusTestResource(UpstreamsResource.class)
@QuarkusTestResource(TestOidcResource.class)
class UpgradeRequestTest {

    @TestHTTPResource("/")
    URL gateway;

    @Test
    void aWebSocketUpgradeIsProxiedAsAPlainRequestWithoutItsHopByHopFields() throws Exception {
        String token = TestTokens.departmentClient("upgrade-client", "11330000002482170X", "onenet-catalog",
                "operator");
        try (RawHttp http = new RawHttp(gateway, 10_000)) {
            http.head("GET /api/catalog/v1/entries HTTP/1.1", "Host: localhost", "Authorization: Bearer " + token,
                    "Connection: keep-alive, x-upgrade", "Connection: x-second-line", "Upgrade: websocket",
                    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version: 13", "TE: trailers",
                    "Trailer: X-Checksum", "Keep-Alive: timeout=5", "Proxy-Authorization: Basic dXNlcjpwYXNz",
                    "X-Upgrade: named-on-the-first-line", "X-Second-Line: named-on-the-second-line",
                    "X-Kept: kept");
            RawHttp.Answer answer = http.read();
            assertEquals(200, answer.status(), answer.body());
            assertNotEquals("websocket", answer.header("Upgrade"));
            JsonObject headers = new JsonObject(answer.body()).getJsonObject("headers");
            for (String dropped : new String[] { "upgrade", "te", "trailer", "keep-alive", "proxy-authorization",
                    "x-upgrade", "x-second-line" }) {
                assertFalse(headers.containsKey(dropped), dropped + " reached the upstream: " + headers);
            }
            assertEquals("kept", headers.getString("x-kept"));
            assertEquals("Bearer " + token, headers.getString("authorization"));
            // the gateway's own request id, not a client's
            assertEquals(answer.header("X-Request-Id"), headers.getString("x-request-id"));
        }
    }
}
