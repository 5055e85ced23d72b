package cn.onenet.exchange.outage;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import cn.onenet.exchange.ExchangeTestBase;
import cn.onenet.testsupport.DatabaseOutage;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/** While PostgreSQL is down, the exchange's API answers 503 with Retry-After, not 500, and names no SQL. */
@QuarkusTest
@TestProfile(DatabaseOutageTest.OwnDatabase.class)
class DatabaseOutageTest extends ExchangeTestBase {

    static final String RST = "11330000002481060E";

    public static class OwnDatabase implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(DatabaseOutage.class));
        }
    }

    @Test
    void listsAndChangesAnswer503WithRetryAfter() {
        String operator = operator(RST);
        given().auth().oauth2(operator).get("/api/exchange/v1/grants").then().statusCode(200);

        DatabaseOutage.stopServer();

        Response list = given().auth().oauth2(operator).header("X-Request-Id", "outage-grants-1")
                .get("/api/exchange/v1/grants");
        assertEquals(503, list.statusCode(), list.asString());
        assertTrue(list.contentType().startsWith("application/problem+json"), list.contentType());
        assertEquals("urn:onenet:problem:unavailable", list.jsonPath().getString("type"));
        assertEquals("outage-grants-1", list.jsonPath().getString("requestId"));
        String retryAfter = list.header("Retry-After");
        assertNotNull(retryAfter, "Retry-After");
        assertTrue(Integer.parseInt(retryAfter) >= 1, retryAfter);
        for (String word : List.of("SQL", "jdbc", "JDBC", "postgres", "Connection to")) {
            assertFalse(list.asString().contains(word), word + " in " + list.asString());
        }

        Response terminate = given().auth().oauth2(operator).contentType("application/json")
                .body("{\"version\": 1, \"reason\": \"业务职能调整，共享用途已不存在\"}")
                .post("/api/exchange/v1/grants/1/terminate");
        assertEquals(503, terminate.statusCode(), terminate.asString());
        // The connection may have dropped during COMMIT: no promise that nothing changed, no invitation to repeat.
        assertNull(terminate.header("Retry-After"), "Retry-After after a POST");
        assertTrue(terminate.jsonPath().getString("detail").contains("check the outcome before repeating"),
                terminate.asString());

        given().get("/q/health/ready").then().statusCode(503);
    }
}
