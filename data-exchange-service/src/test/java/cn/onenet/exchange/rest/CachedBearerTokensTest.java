package cn.onenet.exchange.rest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import cn.onenet.common.security.VerifiedTokenCache;
import cn.onenet.testsupport.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** Bearer tokens verified once are answered from the cache, with their own roles and claims, and nothing else is. */
@QuarkusTest
class CachedBearerTokensTest extends cn.onenet.exchange.ExchangeTestBase {

    @Inject
    VerifiedTokenCache cache;

    @Test
    void aRepeatedTokenIsServedFromTheCacheWithItsOwnRoles() {
        String token = operator("113300000024810109");
        given().auth().oauth2(token).get("/api/exchange/v1/calendar").then().statusCode(200);
        long before = cache.hits();
        given().auth().oauth2(token).get("/api/exchange/v1/calendar").then().statusCode(200);
        assertTrue(cache.hits() > before, "the second request with the same token must come from the cache");

        // the cached identity keeps exactly the token's roles: an operator still may not edit the calendar
        given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("kind", "holiday", "name", "x"))
                .put("/api/exchange/v1/calendar/2026-12-24").then().statusCode(403);
    }

    @Test
    void anEditedCopyOfACachedTokenIsVerifiedAndRefused() {
        String token = operator("113300000024810109");
        given().auth().oauth2(token).get("/api/exchange/v1/calendar").then().statusCode(200);
        given().auth().oauth2(token).get("/api/exchange/v1/calendar").then().statusCode(200);
        String[] parts = token.split("\\.");
        char last = parts[2].charAt(10);
        String forged = parts[0] + "." + parts[1] + "." + parts[2].substring(0, 10) + (last == 'A' ? 'B' : 'A')
                + parts[2].substring(11);
        given().auth().oauth2(forged).get("/api/exchange/v1/calendar").then().statusCode(401);
        given().auth().oauth2(token + "x").get("/api/exchange/v1/calendar").then().statusCode(401);
    }

    @Test
    void eachCachedTokenCarriesItsOwnClaims() {
        String withId = TestTokens.citizen("citizen-a", "33010619850312001X", AUD);
        String withoutId = TestTokens.custom(Map.of("sub", "citizen-b", "aud", AUD, "roles", List.of("citizen"),
                "acr", "urn:onenet:loa:3"));
        for (int i = 0; i < 2; i++) {
            given().auth().oauth2(withId).get("/api/exchange/v1/me/data-accesses").then().statusCode(200);
            given().auth().oauth2(withoutId).get("/api/exchange/v1/me/data-accesses").then().statusCode(403);
        }
    }
}
