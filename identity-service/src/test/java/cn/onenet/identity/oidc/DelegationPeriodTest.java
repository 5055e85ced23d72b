package cn.onenet.identity.oidc;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import cn.onenet.identity.model.Delegation;
import cn.onenet.identity.model.DelegationStatus;
import cn.onenet.identity.model.OutboxMessage;
import cn.onenet.testsupport.PostgresTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * An authorisation (经办授权) is for a period still to come or running: one already over is refused, an invitation
 * whose period ended is not accepted.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class DelegationPeriodTest {

    private static final String DELEGATIONS = "/api/identity/v1/delegations";

    @Inject
    TestClients clients;

    @BeforeEach
    void clients() {
        clients.ensure(null);
    }

    private static String representative() {
        return OidcFlow.accessToken("test-web", CodeFlowConformanceTest.CITIZEN);
    }

    private static long count(String entity) {
        return QuarkusTransaction.requiringNew().call(() -> "delegation".equals(entity) ? Delegation.count()
                : OutboxMessage.count());
    }

    @Test
    void anAuthorisationAlreadyOverIsRefused() {
        String rep = representative();
        long delegations = count("delegation");
        long messages = count("outbox");
        given().auth().oauth2(rep).contentType("application/json").body(Map.of("enterpriseUscc",
                DelegationTest.USCC, "agentIdNumber", DelegationTest.AGENT, "agentName", "赵六",
                "validFrom", "2001-01-01T00:00:00+08:00", "validTo", "2001-02-01T00:00:00+08:00"))
                .post(DELEGATIONS).then().statusCode(400).contentType("application/problem+json")
                .body("field", equalTo("validTo")).body("errors[0].message", containsString("当前时间"))
                .body("requestId", org.hamcrest.Matchers.notNullValue());
        // without validFrom (from now) the same
        given().auth().oauth2(rep).contentType("application/json").body(Map.of("enterpriseUscc",
                DelegationTest.USCC, "agentIdNumber", DelegationTest.AGENT, "agentName", "赵六",
                "validTo", OffsetDateTime.now().minusMinutes(1).toString()))
                .post(DELEGATIONS).then().statusCode(400).body("field", equalTo("validTo"));
        assertEquals(delegations, count("delegation"), "nothing stored");
        assertEquals(messages, count("outbox"), "nobody invited or told");
    }

    /**
     * An authorisation is for at most identity.delegation.max-period (P1Y in the tests, the default): up to the end of
     * the Beijing day a year after it starts, never until 9999.
     */
    @Test
    void anAuthorisationLongerThanTheMaximumPeriodIsRefused() {
        String rep = representative();
        long delegations = count("delegation");
        long messages = count("outbox");
        java.time.LocalDate start = java.time.LocalDate.now(cn.onenet.identity.service.DelegationLimits.BEIJING).plusDays(1);
        String from = start + "T00:00:00+08:00";
        for (String[] period : new String[][] { { null, "9999-12-31T00:00:00+08:00" },
                { from, start.plusYears(1).plusDays(1) + "T00:00:00+08:00" },
                { from, start.plusYears(5) + "T12:00:00+08:00" } }) {
            Map<String, Object> body = new java.util.HashMap<>(Map.of("enterpriseUscc", DelegationTest.USCC,
                    "agentIdNumber", DelegationTest.AGENT, "agentName", "赵六", "validTo", period[1]));
            if (period[0] != null) {
                body.put("validFrom", period[0]);
            }
            given().auth().oauth2(rep).contentType("application/json").header("X-Request-Id", "too-long")
                    .body(body).post(DELEGATIONS).then().statusCode(400).contentType("application/problem+json")
                    .body("field", equalTo("validTo")).body("errors[0].message", containsString("P1Y"))
                    .body("requestId", equalTo("too-long"));
        }
        assertEquals(delegations, count("delegation"), "nothing stored");
        assertEquals(messages, count("outbox"), "nobody invited or told");
        // to the same date a year later, inclusive (as the console sends it): accepted
        String id = given().auth().oauth2(rep).contentType("application/json").body(Map.of("enterpriseUscc",
                DelegationTest.USCC, "agentIdNumber", DelegationTest.AGENT, "agentName", "赵六", "validFrom", from,
                "validTo", start.plusYears(1) + "T23:59:59+08:00"))
                .post(DELEGATIONS).then().statusCode(201).body("status", equalTo("PENDING")).extract().path("id");
        assertEquals(delegations + 1, count("delegation"));
        given().auth().oauth2(rep).post(DELEGATIONS + "/" + id + "/revoke").then().statusCode(200);
    }

    @Test
    void anExpiredInvitationCannotBeAccepted() {
        String rep = representative();
        String id = given().auth().oauth2(rep).contentType("application/json").body(Map.of("enterpriseUscc",
                DelegationTest.USCC, "agentIdNumber", DelegationTest.OTHER_AGENT, "agentName", "王秀英",
                "validTo", OffsetDateTime.now().plusDays(3).toString()))
                .post(DELEGATIONS).then().statusCode(201).extract().path("id");
        // the period ends before the person named answers (as if time had passed)
        QuarkusTransaction.requiringNew().run(() -> Delegation.update("validFrom = ?1, validTo = ?2 where id = ?3",
                OffsetDateTime.now().minusDays(3), OffsetDateTime.now().minusDays(1), UUID.fromString(id)));
        String agent = OidcFlow.accessToken("test-web", DelegationTest.OTHER_AGENT);
        given().auth().oauth2(agent).post(DELEGATIONS + "/" + id + "/accept").then().statusCode(409)
                .contentType("application/problem+json").body("detail", containsString("validTo"));
        assertEquals(DelegationStatus.PENDING, QuarkusTransaction.requiringNew().call(
                () -> Delegation.<Delegation>findById(UUID.fromString(id)).status));
        // declining it still works, and it is over
        given().auth().oauth2(agent).post(DELEGATIONS + "/" + id + "/decline").then().statusCode(200)
                .body("status", equalTo("DECLINED"));
    }

    /** A value of the wrong JSON type is named in words, never by a Java class. */
    @Test
    void aValueOfTheWrongTypeIsNamedInWords() {
        given().auth().oauth2(representative()).contentType("application/json").body(Map.of("enterpriseUscc",
                DelegationTest.USCC, "agentIdNumber", DelegationTest.AGENT, "agentName", "赵六",
                "validTo", "2027-02-30"))
                .post(DELEGATIONS).then().statusCode(400).body("errors[0].field", equalTo("validTo"))
                .body("errors[0].message", containsString("应为日期时间"))
                .body("errors[0].message", containsString("expected a date-time"))
                .body("errors[0].message", not(containsString("OffsetDateTime")));
        given().auth().oauth2(representative()).contentType("application/json").body(Map.of("enterpriseUscc",
                DelegationTest.USCC, "agentIdNumber", DelegationTest.AGENT, "agentName", "赵六", "clientIds",
                "gateway", "validTo", OffsetDateTime.now().plusDays(30).toString()))
                .post(DELEGATIONS).then().statusCode(400).body("errors[0].field", equalTo("clientIds"))
                .body("errors[0].message", containsString("应为数组 / wrong type, expected an array"))
                .body("errors[0].message", not(containsString("List")));
        given().auth().oauth2(representative()).contentType("application/json").body("[]")
                .post(DELEGATIONS).then().statusCode(400)
                .body("detail", containsString("应为 JSON 对象 / wrong type, expected a JSON object"))
                .body("detail", not(containsString("NewDelegation")));
    }
}
