package cn.onenet.exchange.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import cn.onenet.exchange.ExchangeTestBase;
import cn.onenet.exchange.FakeCatalog;
import cn.onenet.testsupport.TestTokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Only access tokens (JWS {@code typ} {@code at+jwt}) are bearer tokens here. identity-service signs ID tokens with
 * the same keys, and the ID token of a client registered as {@code onenet-exchange} has this audience and the user's
 * roles: it must not read grants or upload records.
 */
@QuarkusTest
class IdTokenRefusedTest extends ExchangeTestBase {

    private static final String POLICE = "11330000002481020A";

    @Inject
    AgroalDataSource dataSource;

    private static Map<String, Object> staff() {
        return Map.of("sub", "u-idtoken", "aud", AUD, "azp", AUD, "roles", List.of("operator", "head"),
                "dept", POLICE, "account_type", "civil_servant", "acr", "urn:onenet:loa:3");
    }

    @Test
    void anIdTokenOrAnUntypedTokenIsRefusedWhereTheSameClaimsAsAnAccessTokenPass() throws Exception {
        String access = TestTokens.typed(staff(), Duration.ofMinutes(5), TestTokens.ACCESS_TOKEN);
        given().auth().oauth2(access).get("/api/exchange/v1/grants").then().statusCode(200);
        long uploads = uploads();
        for (String type : new String[] { TestTokens.ID_TOKEN, null }) {
            String idToken = TestTokens.typed(staff(), Duration.ofMinutes(5), type);
            for (int i = 0; i < 2; i++) { // the second time too (no verified-token cache entry was made)
                given().auth().oauth2(idToken).get("/api/exchange/v1/grants").then().statusCode(401)
                        .contentType("application/problem+json")
                        .body("status", equalTo(401))
                        .body("requestId", notNullValue());
            }
            given().urlEncodingEnabled(false).auth().oauth2(idToken).contentType(ContentType.JSON)
                    .body(List.of(Map.of("GMSFHM", "33010619850312001X", "XM", "张三", "HJDZ", "改写")))
                    .post("/api/exchange/v1/datasets/" + FakeCatalog.encoded(FakeCatalog.POPULATION) + "/records")
                    .then().statusCode(401).contentType("application/problem+json");
        }
        assertEquals(uploads, uploads(), "a refused upload stores nothing");
    }

    private long uploads() throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM dataset_upload")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
