package cn.onenet.exchange.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import cn.onenet.exchange.ExchangeTestBase;
import cn.onenet.exchange.FakeCatalog;
import cn.onenet.exchange.model.Complaint;
import cn.onenet.exchange.service.DemoData;
import cn.onenet.exchange.service.RealNameLevel;
import cn.onenet.testsupport.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;

/**
 * Who used my data and my complaints are keyed on the token's cn_id (or uscc): a self-registered L2 account proves only
 * a phone and a typed ID number, so these views need real-name level L3 (exchange.citizens-view.min-acr); for an agent
 * acting for an enterprise, the agent's own level.
 */
@QuarkusTest
class CitizenViewRealNameLevelTest extends ExchangeTestBase {

    static final String MINE = "/api/exchange/v1/me/data-accesses";
    static final String MY_COMPLAINTS = "/api/exchange/v1/me/complaints";
    static final String L2 = "urn:onenet:loa:2";
    static final String L3 = "urn:onenet:loa:3";

    /** A citizen's token with the given acr (null: none), shaped like identity-service's. */
    static String citizenAt(String sub, String idNumber, String acr) {
        Map<String, Object> claims = new HashMap<>(Map.of("sub", sub, "aud", AUD, "roles", List.of("citizen"),
                "cn_id", idNumber, "account_type", "natural_person", "scope", "openid id_number"));
        if (acr != null) {
            claims.put("acr", acr);
        }
        return TestTokens.custom(claims);
    }

    /** An agent acting for the demo enterprise (act), at the given level; act carries an acr when actAcr is given. */
    static String agentAt(String acr, String actAcr) {
        Map<String, Object> act = new HashMap<>(Map.of("sub", "agent-zhao", "name", "赵六"));
        if (actAcr != null) {
            act.put("acr", actAcr);
        }
        return TestTokens.custom(Map.of("sub", "ent-acting", "aud", AUD, "roles", List.of("enterprise"),
                "uscc", DemoData.ENTERPRISE, "account_type", "legal_person", "acr", acr, "act", act));
    }

    static ValidatableResponse refused(ValidatableResponse r, String requestId) {
        return r.statusCode(403).contentType("application/problem+json")
                .body("type", equalTo("urn:onenet:problem:forbidden")).body("requiredAcr", equalTo(L3))
                .body("requestId", equalTo(requestId));
    }

    @Test
    void aCitizenSeesWhoUsedTheirDataAtL3AndIsRefusedAtL2WithTheLevelNeeded() {
        String id = CitizenAccessPagingTest.idNumber();
        String rid = "lvl-" + UUID.randomUUID();
        UsageLogTest.lookup(FakeCatalog.POPULATION, ComplaintTest.WANG_ID, rid).then().statusCode(200);

        given().auth().oauth2(citizenAt("wang-l3", ComplaintTest.WANG_ID, L3)).get(MINE).then().statusCode(200)
                .body("requestId", hasItem(rid));
        given().auth().oauth2(citizenAt("wang-l4", ComplaintTest.WANG_ID, "urn:onenet:loa:4")).get(MINE).then()
                .statusCode(200).body("requestId", hasItem(rid));

        // the same cn_id from a self-registered (L2) account: refused, with the level needed and the request id
        String wangL2 = citizenAt("squatter", ComplaintTest.WANG_ID, L2);
        String call = "req-" + UUID.randomUUID();
        String body = refused(given().auth().oauth2(wangL2).header("X-Request-Id", call).get(MINE).then(), call)
                .body("acr", equalTo(L2)).body("detail", org.hamcrest.Matchers.containsString("L3"))
                .extract().asString();
        org.junit.jupiter.api.Assertions.assertFalse(body.contains(rid), body);
        // no acr at all, or one that is not a level: refused the same way
        String none = "req-" + UUID.randomUUID();
        refused(given().auth().oauth2(citizenAt("no-acr", id, null)).header("X-Request-Id", none).get(MINE).then(),
                none);
        String odd = "req-" + UUID.randomUUID();
        refused(given().auth().oauth2(citizenAt("odd-acr", id, "urn:onenet:loa:9")).header("X-Request-Id", odd)
                .get(MINE).then(), odd);
        // refused before the page is read: a bad page from an L2 token is the same 403
        given().auth().oauth2(wangL2).queryParam("size", "0").get(MINE).then().statusCode(403)
                .body("requiredAcr", equalTo(L3));
    }

    @Test
    void complaintsInTheCitizensNameNeedL3Too() {
        String rid2 = "lvl-c2-" + UUID.randomUUID();
        UsageLogTest.lookup(FakeCatalog.POPULATION, ComplaintTest.LIU_ID, rid2).then().statusCode(200);
        String liuL3 = citizenAt("liu-l3", ComplaintTest.LIU_ID, L3);
        String liuL2 = citizenAt("liu-l2", ComplaintTest.LIU_ID, L2);
        long before = Complaint.count();

        String call = "req-" + UUID.randomUUID();
        refused(given().auth().oauth2(liuL2).header("X-Request-Id", call).contentType("application/json")
                .body(Map.of("requestId", rid2, "description", "以他人身份投诉")).post(MY_COMPLAINTS).then(), call);
        assertEquals(before, Complaint.count());
        String list = "req-" + UUID.randomUUID();
        refused(given().auth().oauth2(liuL2).header("X-Request-Id", list).get(MY_COMPLAINTS).then(), list);

        long complaint = ComplaintTest.fileComplaint(liuL3, Map.of("requestId", rid2, "description", "不清楚为何查询"))
                .then().statusCode(201).extract().jsonPath().getLong("id");
        given().auth().oauth2(liuL3).get(MY_COMPLAINTS).then().statusCode(200).body("id", hasItem((int) complaint));
        given().auth().oauth2(liuL3).get("/api/exchange/v1/complaints/" + complaint).then().statusCode(200);
        given().auth().oauth2(liuL3).get("/api/exchange/v1/complaints/" + complaint + "/history").then()
                .statusCode(200);
        // the complaint and its history are the complainant's too: not at L2
        String one = "req-" + UUID.randomUUID();
        refused(given().auth().oauth2(liuL2).header("X-Request-Id", one).get("/api/exchange/v1/complaints/"
                + complaint).then(), one);
        String history = "req-" + UUID.randomUUID();
        refused(given().auth().oauth2(liuL2).header("X-Request-Id", history).get("/api/exchange/v1/complaints/"
                + complaint + "/history").then(), history);
        // staff read complaints with no real-name level in their tokens
        given().auth().oauth2(operator(ComplaintTest.HR)).get("/api/exchange/v1/complaints/" + complaint).then()
                .statusCode(200);
        given().auth().oauth2(reviewer()).get("/api/exchange/v1/complaints/" + complaint).then().statusCode(200);
    }

    @Test
    void anAgentActingForAnEnterpriseNeedsL3OfTheirOwn() {
        String rid = "lvl-e-" + UUID.randomUUID();
        UsageLogTest.lookup(FakeCatalog.POPULATION, ComplaintTest.WANG_ID, rid).then().statusCode(200);
        given().auth().oauth2(agentAt(L3, null)).get(MINE).then().statusCode(200);
        given().auth().oauth2(agentAt(L3, null)).get(MY_COMPLAINTS).then().statusCode(200);
        // identity-service gives an agent's token the level of the agent's own sign-in
        String call = "req-" + UUID.randomUUID();
        refused(given().auth().oauth2(agentAt(L2, null)).header("X-Request-Id", call).get(MINE).then(), call)
                .body("detail", org.hamcrest.Matchers.containsString("经办人"));
        // an act naming the agent's own, lower level: the lower one counts
        String lower = "req-" + UUID.randomUUID();
        refused(given().auth().oauth2(agentAt(L3, L2)).header("X-Request-Id", lower).get(MY_COMPLAINTS).then(),
                lower);
        given().auth().oauth2(agentAt(L3, "urn:onenet:loa:4")).get(MINE).then().statusCode(200);
        // the enterprise's own login at L3 reads it; below, not
        given().auth().oauth2(ComplaintTest.enterprise()).get(MINE).then().statusCode(200);
        given().auth().oauth2(TestTokens.custom(Map.of("sub", "ent-l2", "aud", AUD, "roles", List.of("enterprise"),
                "uscc", DemoData.ENTERPRISE, "account_type", "legal_person", "acr", L2))).get(MINE).then()
                .statusCode(403).body("requiredAcr", equalTo(L3)).body("requiredAcr", not(equalTo(L2)));
    }

    @Test
    void levelsAreReadFromTheAcrValuesOnly() {
        assertEquals(3, RealNameLevel.level("urn:onenet:loa:3"));
        assertEquals(1, RealNameLevel.level("urn:onenet:loa:1"));
        assertEquals(4, RealNameLevel.level("urn:onenet:loa:4"));
        for (String other : new String[] { null, "", "urn:onenet:loa:0", "urn:onenet:loa:5", "urn:onenet:loa:33",
                "urn:cn:gov:loa:3", "3" }) {
            assertEquals(0, RealNameLevel.level(other), other);
        }
    }
}
