package cn.onenet.gateway.rest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;

import org.junit.jupiter.api.Test;

import cn.onenet.gateway.support.UpstreamsResource;
import cn.onenet.testsupport.TestOidcResource;
import cn.onenet.testsupport.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Paths written so that the edge and an upstream might read them differently: encoded slashes and dots, dot and
 * empty segments, public prefixes with something appended. None of them reaches an upstream past a check the plain
 * path would not pass.
 */
@QuarkusTest
@QuarkusTestResource(UpstreamsResource.class)
@QuarkusTestResource(TestOidcResource.class)
class PathConfusionTest {

    private static int keys;

    /** Sends the request as written (no client-side encoding or normalising); the key tells what reached upstream. */
    private static Response send(String method, String path, String token, String key) {
        var request = given().urlEncodingEnabled(false).header("X-Test-Key", key);
        if (token != null) {
            request.auth().oauth2(token);
        }
        return request.request(method, path);
    }

    private static void neverUpstream(String method, String path, String token, Set<Integer> statuses) {
        String key = "path-confusion-" + (++keys);
        Response response = send(method, path, token, key);
        assertTrue(statuses.contains(response.statusCode()), method + " " + path + ": " + response.statusCode() + " "
                + response.asString());
        assertTrue(response.contentType().startsWith("application/problem+json"), path + ": " + response.contentType());
        assertFalse(UpstreamsResource.main.received(key).complete(), method + " " + path + " reached the upstream");
    }

    @Test
    void publicPrefixesDoNotOpenWhatMerelyStartsLikeThem() {
        // Anonymous: each is the public path with something appended, which is not public.
        for (String path : new String[] { "/api/catalog/v1/open", "/api/catalog/v1/open/entries",
                "/api/catalog/v1/searchx", "/api/catalog/v1/search/x", "/api/catalog/v1/search/../entries",
                "/api/exchange/v1/seals/jwksx", "/api/exchange/v1/seals/jwks/x",
                "/api/exchange/v1/usage-log/checkpoint-keys/x", "/api/identity/v1/regionsx",
                "/api/identity/v1/departmentsx/1", "/api/catalog/openapix", "/api/catalog/openapi/x",
                "/api/catalog/openapi/../v1/entries", "/api/catalog/openapi/%2e%2e/v1/entries",
                "/api/catalog/v1/dcat/entries%2F..%2F..%2Ffeed", "/api/catalog/v1/dcat/entries/%2e%2e/%2e%2e/feed",
                "/api/catalog/v1/entries/12/%2E%2E/%2E%2E/feed", "/api/catalog/v1/dcat/catalog/.%2e/feed",
                "/api/catalog/v1/entries/12/./../overdue", "/api/catalog/v1/classification/x/y",
                "/api/catalog/v1/dcat/catalogx", "/api/catalog/v1x", "/oidc/../api/catalog/v1/entries",
                "/oidc/%2e%2e/api/catalog/v1/entries", "/api/catalog/v1/public-evil" }) {
            neverUpstream("GET", path, null, Set.of(400, 401, 404));
        }
        for (String path : new String[] { "/api/identity/v1/registrationsx", "/api/identity/v1/registrations/x",
                "/api/identity/v1/recovery/../accounts", "/api/identity/v1/recovery%2F..%2Faccounts" }) {
            neverUpstream("POST", path, null, Set.of(400, 401, 404));
        }
        // the public paths themselves stay public
        given().header("X-Test-Key", "path-confusion-open").get("/api/catalog/v1/dcat/catalog").then()
                .statusCode(200);
        given().get("/api/exchange/v1/seals/jwks").then().statusCode(200);
    }

    @Test
    void anotherUpstreamOrAnAdminPathIsNotReachedThroughEncodedOrEmptySegments() {
        String staff = TestTokens.civilServant("u-paths", "11330000002482170X", "onenet-identity", "operator");
        String catalog = TestTokens.departmentClient("path-client", "11330000002482170X", "onenet-catalog",
                "operator");
        given().auth().oauth2(staff).get("/api/identity/v1/me").then().statusCode(200);
        given().auth().oauth2(catalog).get("/api/catalog/v1/entries").then().statusCode(200);
        // identity's administration with a token of no admin, the second time on the fast path
        for (int i = 0; i < 2; i++) {
            for (String path : new String[] { "/api/identity/v1//accounts", "/api/identity//v1/accounts",
                    "/api/identity/v1/accounts//u-1", "/api//identity/v1/accounts", "/api/identity/v1/%61ccounts",
                    "/api/identity/v1/me/../accounts", "/api/identity/v1/me/%2e%2e/accounts",
                    "/api/identity/v1/me/%2E./accounts", "/api/identity/v1/./accounts" }) {
                neverUpstream("GET", path, staff, Set.of(400, 403));
            }
        }
        // a catalogue token steered to identity, however the way there is spelt
        for (int i = 0; i < 2; i++) {
            for (String path : new String[] { "/api/catalog/../identity/v1/me", "/api/catalog/%2e%2e/identity/v1/me",
                    "/api/catalog/%2E%2E/identity/v1/me", "/api/catalog%2F..%2Fidentity/v1/me",
                    "/api/catalog%2f%2e%2e%2fidentity/v1/me", "//api/identity/v1/me" }) {
                neverUpstream("GET", path, catalog, Set.of(400, 403, 404));
            }
        }
    }
}
