package cn.onenet.identity.oidc;

import static cn.onenet.identity.service.DelegationLimits.BEIJING;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.Map;

import org.junit.jupiter.api.Test;

import cn.onenet.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * The settings a client form reads before it sends an authorisation: the longest period and the last day it may
 * cover, as the service's own rule applies it when the authorisation is created.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class SettingsTest extends WithTestClients {

    private static final String SETTINGS = "/api/identity/v1/settings";
    private static final String DELEGATIONS = "/api/identity/v1/delegations";

    @Test
    void aSignedInUserReadsTheLongestPeriodAndTheLastDayTheServiceAccepts() {
        String rep = OidcFlow.accessToken("test-web", CodeFlowConformanceTest.CITIZEN);
        LocalDate before = LocalDate.now(BEIJING);
        JsonPath settings = given().auth().oauth2(rep).get(SETTINGS).then().statusCode(200)
                .body("delegationMaxPeriod", equalTo("P1Y")).extract().jsonPath();
        // the server's today in Beijing: the day the request was sent, or the next one when it crossed midnight
        LocalDate today = LocalDate.parse(settings.getString("delegationValidFrom"));
        assertTrue(today.equals(before) || today.equals(before.plusDays(1)), "today in Beijing: " + today);
        assertEquals(today.plusYears(1).toString(), settings.getString("delegationLastDay"));
        assertEquals(today.plusYears(1) + "T23:59:59+08:00", settings.getString("delegationLatestValidTo"));
        assertEquals(today.plusYears(1).plusDays(1) + "T00:00:00+08:00", settings.getString("delegationValidToBefore"));

        // from another first day; the service accepts the last day it names and refuses the one after it
        LocalDate start = today.plusDays(40);
        String lastDay = given().auth().oauth2(rep).queryParam("delegationValidFrom", start.toString()).get(SETTINGS)
                .then().statusCode(200).body("delegationValidFrom", equalTo(start.toString()))
                .extract().path("delegationLastDay");
        assertEquals(start.plusYears(1).toString(), lastDay);
        String from = start + "T00:00:00+08:00";
        given().auth().oauth2(rep).contentType("application/json").body(Map.of("enterpriseUscc", DelegationTest.USCC,
                "agentIdNumber", DelegationTest.AGENT, "agentName", "赵六", "validFrom", from,
                "validTo", LocalDate.parse(lastDay).plusDays(1) + "T00:00:00+08:00"))
                .post(DELEGATIONS).then().statusCode(400).body("field", equalTo("validTo"));
        String id = given().auth().oauth2(rep).contentType("application/json").body(Map.of("enterpriseUscc",
                DelegationTest.USCC, "agentIdNumber", DelegationTest.AGENT, "agentName", "赵六", "validFrom", from,
                "validTo", lastDay + "T23:59:59+08:00"))
                .post(DELEGATIONS).then().statusCode(201).extract().path("id");
        given().auth().oauth2(rep).post(DELEGATIONS + "/" + id + "/revoke").then().statusCode(200);
    }

    @Test
    void aFirstDayThatIsNotADateIsNamed() {
        String rep = OidcFlow.accessToken("test-web", CodeFlowConformanceTest.CITIZEN);
        for (String bad : new String[] { "2026-13-01", "tomorrow", "0999-01-01", "2026-12-08T00:00:00+08:00" }) {
            given().auth().oauth2(rep).header("X-Request-Id", "bad-from").queryParam("delegationValidFrom", bad)
                    .get(SETTINGS).then().statusCode(400).contentType("application/problem+json")
                    .body("field", equalTo("delegationValidFrom"))
                    .body("errors[0].field", equalTo("delegationValidFrom"))
                    .body("requestId", equalTo("bad-from"));
        }
    }

    @Test
    void withoutAValidTokenItIs401() {
        given().get(SETTINGS).then().statusCode(401).contentType("application/problem+json")
                .body("requestId", notNullValue());
        String rep = OidcFlow.accessToken("test-web", CodeFlowConformanceTest.CITIZEN);
        String forged = rep.substring(0, rep.length() - 4) + (rep.endsWith("AAAA") ? "BBBB" : "AAAA");
        given().auth().oauth2(forged).get(SETTINGS).then().statusCode(401);
    }
}
