package cn.onenet.gateway.rest;

import static cn.onenet.testsupport.RawTarget.refusedEscape;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.net.URL;

import org.junit.jupiter.api.Test;

import cn.onenet.gateway.support.UpstreamsResource;
import cn.onenet.testsupport.RawTarget;
import cn.onenet.testsupport.TestOidcResource;
import cn.onenet.testsupport.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A percent-escape that does not decode ({@code %}, {@code %ZZ}, {@code %E4%B8}: not UTF-8) in the path or query
 * is refused at the edge with the services' problem+json 400 naming the parameter, before any upstream sees it, under
 * {@code /oidc} too.
 */
@QuarkusTest
@QuarkusTestResource(UpstreamsResource.class)
@QuarkusTestResource(TestOidcResource.class)
class MalformedEscapeTest {

    @TestHTTPResource("/")
    URL gateway;

    @Test
    void anApiCallIsRefusedAtTheEdgeNamingTheParameter() {
        String catalog = TestTokens.departmentClient("escape-client", "11330000002482170X", "onenet-catalog",
                "operator");
        // twice: the second time the token is known and takes the fast path
        for (int i = 0; i < 2; i++) {
            for (String value : new String[] { "%", "%ZZ", "%E4%B8" }) {
                neverUpstream("/api/catalog/v1/search?q=" + value, null, "q");
                neverUpstream("/api/catalog/v1/entries?provider=" + value, catalog, "provider");
                neverUpstream("/api/catalog/v1/entries/" + value, catalog, "path");
            }
        }
        // well formed, the same call is proxied
        assertEquals(200, RawTarget.send(gateway, "GET", "/api/catalog/v1/entries?provider=%E6%88%B7", null,
                "Authorization: Bearer " + catalog).status());
    }

    @Test
    void anOidcRequestIsRefusedTheSameWay() {
        neverUpstream("/oidc/authorize?response_type=code&state=%ZZ", null, "state");
        neverUpstream("/oidc/authorize?response_type=code&nonce=%E4%B8", null, "nonce");
    }

    private void neverUpstream(String target, String token, String field) {
        String key = "bad-escape-" + Integer.toHexString(target.hashCode()) + "-" + (token == null ? "anon" : "token");
        RawTarget.Answer answer = token == null
                ? RawTarget.send(gateway, "GET", target, null, "X-Test-Key: " + key)
                : RawTarget.send(gateway, "GET", target, null, "X-Test-Key: " + key, "Authorization: Bearer " + token);
        assertEquals(400, answer.status(), target + ": " + answer);
        // the edge's security headers, as on every other answer
        assertEquals("nosniff", answer.header("X-Content-Type-Options"), target + ": " + answer);
        refusedEscape(gateway, "GET", target, token, field);
        assertFalse(UpstreamsResource.main.received(key).complete(), target + " reached the upstream");
    }
}
