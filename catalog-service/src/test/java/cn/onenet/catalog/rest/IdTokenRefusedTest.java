package cn.onenet.catalog.rest;

import static cn.onenet.catalog.support.Fixtures.AUD;
import static cn.onenet.catalog.support.Fixtures.POLICE;
import static cn.onenet.catalog.support.Fixtures.PROVINCE;
import static cn.onenet.catalog.support.Fixtures.entry;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import cn.onenet.catalog.model.CatalogEntry;
import cn.onenet.catalog.support.FakeExchange;
import cn.onenet.testsupport.PostgresTestResource;
import cn.onenet.testsupport.TestOidcResource;
import cn.onenet.testsupport.TestTokens;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Only access tokens (JWS {@code typ} {@code at+jwt}) are bearer tokens here: an ID token of a client registered as
 * {@code onenet-catalog} (this audience, the user's roles, identity's signature) creates no entry.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestOidcResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FakeExchange.class, restrictToAnnotatedClass = false)
class IdTokenRefusedTest {

    private static final String E = "/api/catalog/v1/entries";

    private static Map<String, Object> editor() {
        return Map.of("sub", "u-idtoken", "aud", AUD, "azp", AUD, "roles", List.of("catalog-editor"),
                "dept", POLICE, "region", PROVINCE, "account_type", "civil_servant", "name", "赵敏");
    }

    @Test
    void anIdTokenOrAnUntypedTokenIsRefusedWhereTheSameClaimsAsAnAccessTokenPass() {
        String access = TestTokens.typed(editor(), Duration.ofMinutes(5), TestTokens.ACCESS_TOKEN);
        given().auth().oauth2(access).contentType(ContentType.JSON).body(entry("令牌类型-访问令牌")).post(E).then()
                .statusCode(201);
        for (String type : new String[] { TestTokens.ID_TOKEN, null }) {
            String idToken = TestTokens.typed(editor(), Duration.ofMinutes(5), type);
            for (int i = 0; i < 2; i++) { // the second time too (no verified-token cache entry was made)
                given().auth().oauth2(idToken).get(E).then().statusCode(401)
                        .contentType("application/problem+json")
                        .body("status", equalTo(401))
                        .body("requestId", notNullValue());
            }
            given().auth().oauth2(idToken).contentType(ContentType.JSON).body(entry("令牌类型-身份令牌")).post(E)
                    .then().statusCode(401).contentType("application/problem+json");
        }
        assertEquals(0, entriesNamed("令牌类型-身份令牌"), "a refused request stores nothing");
    }

    private static long entriesNamed(String name) {
        return QuarkusTransaction.requiringNew().call(() -> CatalogEntry.count("name", name));
    }
}
