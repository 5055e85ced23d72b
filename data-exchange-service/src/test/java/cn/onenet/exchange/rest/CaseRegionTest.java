package cn.onenet.exchange.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import cn.onenet.exchange.ExchangeTestBase;
import cn.onenet.exchange.model.Objection;
import cn.onenet.exchange.model.SecurityIncident;
import cn.onenet.exchange.service.IncidentService;
import cn.onenet.exchange.service.ObjectionService;
import cn.onenet.exchange.service.TimeSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/**
 * Objections (校核) and security incidents belong to the 主管部门 of the lowest region containing their parties (R17),
 * as requests, grants and disputes do: between two departments of 杭州市, 杭州市's reviewers read, handle and are told
 * of them; 宁波市's reviewers and the province's do not see them (404, not in their lists); a case with a party in
 * 宁波市 goes to the province.
 */
@QuarkusTest
class CaseRegionTest extends ExchangeTestBase {

    static final String HZ_CODE = "330100-01-02/900871";
    static final String HZ_PROVIDER = "11330100MB00000481"; // departments of 杭州市
    static final String HZ_CONSUMER = "11330100MB00000482";
    static final String HZ_CONSUMER_2 = "11330100MB00000484";
    static final String NB_CONSUMER = "11330200MB00000483"; // a department of 宁波市

    static final String HZ_REVIEWER = reviewerIn("reviewer-hz-case", "11330100MB00000491", "330100");
    static final String NB_REVIEWER = reviewerIn("reviewer-nb-case", "11330200MB00000492", "330200");

    @Inject
    TimeSource time;
    @Inject
    ObjectionService objections;
    @Inject
    IncidentService incidents;

    @AfterEach
    void realClock() {
        time.set(null);
    }

    static ValidatableResponse noticesAbout(String token, String subjectType, long id) {
        return given().auth().oauth2(token).get("/api/exchange/v1/notices").then().statusCode(200).rootPath(
                "findAll { it.subjectType == '" + subjectType + "' && it.subjectId == " + id + " }");
    }

    static List<Long> ids(String token, String path) {
        return given().auth().oauth2(token).get("/api/exchange/v1/" + path + "?size=200").then().statusCode(200)
                .extract().jsonPath().getList("id", Long.class);
    }

    /** An incident on 杭州市's entry reported by a consumer holding a grant on it, routed to {@code region}. */
    long reportedByGrantHolder(String consumer, String region) {
        RegionScopedListTest.publish(HZ_CODE, HZ_PROVIDER, "330100");
        replica.pollOnce();
        long grant = RegionScopedListTest.granted(consumer, HZ_CODE)[1];
        Map<String, Object> report = IncidentTest.with(IncidentTest.report("MISUSE", List.of(grant)), "resourceCode",
                HZ_CODE);
        return IncidentTest.post(consumer, "", report).then().statusCode(201).body("regionCode", equalTo(region))
                .extract().jsonPath().getLong("id");
    }

    @Test
    void anObjectionBetweenTwoDepartmentsOfACityIsThatCitysReviewers() {
        RegionScopedListTest.publish(HZ_CODE, HZ_PROVIDER, "330100");
        replica.pollOnce();
        String consumer = RegionScopedListTest.operatorIn(HZ_CONSUMER, "330100");
        RegionScopedListTest.granted(consumer, HZ_CODE);
        long id = given().auth().oauth2(consumer).contentType(ContentType.JSON)
                .body(Map.of("resourceCode", HZ_CODE, "recordKey", "330106198805120058", "description", "姓名有误"))
                .post("/api/exchange/v1/objections").then().statusCode(201).body("regionCode", equalTo("330100"))
                .extract().jsonPath().getLong("id");

        for (String reads : List.of(HZ_REVIEWER, admin(), auditor(), consumer,
                RegionScopedListTest.operatorIn(HZ_PROVIDER, "330100"))) {
            given().auth().oauth2(reads).get("/api/exchange/v1/objections/" + id).then().statusCode(200);
            given().auth().oauth2(reads).get("/api/exchange/v1/objections/" + id + "/history").then().statusCode(200);
            assertThat(ids(reads, "objections"), hasItem(id));
        }
        for (String other : List.of(NB_REVIEWER, reviewer())) {
            given().auth().oauth2(other).get("/api/exchange/v1/objections/" + id).then().statusCode(404)
                    .contentType("application/problem+json");
            given().auth().oauth2(other).get("/api/exchange/v1/objections/" + id + "/history").then().statusCode(404);
            assertThat(ids(other, "objections"), not(hasItem(id)));
        }
        given().auth().oauth2(reviewerIn("reviewer-no-region", "11330100MB00000493", null))
                .get("/api/exchange/v1/objections").then().statusCode(403);

        // unanswered when due: escalated to 杭州市's 主管部门, not the province's (the configured one) nor 宁波市's
        time.set(Clock.fixed(LocalDate.now(TimeSource.ZONE).plusDays(40).atStartOfDay(TimeSource.ZONE).toInstant(),
                TimeSource.ZONE));
        objections.escalateOverdue();
        noticesAbout(HZ_REVIEWER, "OBJECTION", id).body("kind", hasItem("OBJECTION_OVERDUE"));
        noticesAbout(reviewer(), "OBJECTION", id).body("kind", not(hasItem("OBJECTION_OVERDUE")));
        noticesAbout(NB_REVIEWER, "OBJECTION", id).body("kind", not(hasItem("OBJECTION_OVERDUE")));
    }

    @Test
    void anIncidentIsHandledByTheReviewersOfTheRegionOfItsParties() {
        String consumer = RegionScopedListTest.operatorIn(HZ_CONSUMER_2, "330100");
        long id = reportedByGrantHolder(consumer, "330100");

        noticesAbout(HZ_REVIEWER, "INCIDENT", id).body("kind", hasItem("INCIDENT_REPORTED"));
        noticesAbout(reviewer(), "INCIDENT", id).body("kind", not(hasItem("INCIDENT_REPORTED")));
        noticesAbout(NB_REVIEWER, "INCIDENT", id).body("kind", not(hasItem("INCIDENT_REPORTED")));
        assertThat(ids(HZ_REVIEWER, "incidents"), hasItem(id));
        assertThat(ids(admin(), "incidents"), hasItem(id));
        assertThat(ids(NB_REVIEWER, "incidents"), not(hasItem(id)));
        assertThat(ids(reviewer(), "incidents"), not(hasItem(id)));
        given().auth().oauth2(NB_REVIEWER).get(IncidentTest.API + "/" + id).then().statusCode(404);

        // another region's reviewer cannot handle it, and nothing changes
        Map<String, Object> rectify = Map.of("version", 0, "requirement", "停止超范围使用并报送整改报告");
        IncidentTest.post(NB_REVIEWER, "/" + id + "/require-rectification", rectify).then().statusCode(404)
                .contentType("application/problem+json");
        IncidentTest.post(reviewer(), "/" + id + "/close", Map.of("version", 0, "conclusion", "x")).then()
                .statusCode(404);
        given().auth().oauth2(admin()).get(IncidentTest.API + "/" + id).then().body("status", equalTo("REPORTED"))
                .body("version", equalTo(0));

        IncidentTest.post(HZ_REVIEWER, "/" + id + "/require-rectification", rectify).then().statusCode(200)
                .body("status", equalTo("RECTIFYING"));
        IncidentTest.post(consumer, "/" + id + "/rectification-report", Map.of("version", 1, "report", "已整改"))
                .then().statusCode(200);
        noticesAbout(HZ_REVIEWER, "INCIDENT", id).body("kind", hasItem("INCIDENT_RECTIFIED"));
        noticesAbout(reviewer(), "INCIDENT", id).body("kind", not(hasItem("INCIDENT_RECTIFIED")));
        IncidentTest.post(HZ_REVIEWER, "/" + id + "/close", Map.of("version", 2, "conclusion", "整改到位")).then()
                .statusCode(200).body("status", equalTo("CLOSED"));
    }

    @Test
    void casesFiledBeforeTheyHadARegionGetTheOneTheyWouldHaveHad() {
        RegionScopedListTest.publish(HZ_CODE, HZ_PROVIDER, "330100");
        replica.pollOnce();
        long objection = QuarkusTransaction.requiringNew().call(() -> {
            Objection o = CaseListPagingTest.objection(HZ_CONSUMER, HZ_PROVIDER);
            o.resourceCode = HZ_CODE;
            o.regionCode = null;
            return o.id;
        });
        long incident = QuarkusTransaction.requiringNew().call(() -> {
            SecurityIncident i = CaseListPagingTest.incident(NB_CONSUMER, HZ_PROVIDER, NB_CONSUMER);
            i.resourceCode = HZ_CODE;
            i.regionCode = null;
            return i.id;
        });
        objections.assignMissingRegions();
        incidents.assignMissingRegions();
        assertEquals("330100", QuarkusTransaction.requiringNew().call(
                () -> Objection.<Objection>findById(objection).regionCode));
        assertEquals("330000", QuarkusTransaction.requiringNew().call(
                () -> SecurityIncident.<SecurityIncident>findById(incident).regionCode));
        given().auth().oauth2(HZ_REVIEWER).get("/api/exchange/v1/objections/" + objection).then().statusCode(200);
        given().auth().oauth2(NB_REVIEWER).get("/api/exchange/v1/objections/" + objection).then().statusCode(404);
    }

    @Test
    void anIncidentWithAPartyInAnotherCityGoesToTheProvince() {
        long id = reportedByGrantHolder(RegionScopedListTest.operatorIn(NB_CONSUMER, "330200"), "330000");
        noticesAbout(reviewer(), "INCIDENT", id).body("kind", hasItem("INCIDENT_REPORTED"));
        noticesAbout(HZ_REVIEWER, "INCIDENT", id).body("kind", not(hasItem("INCIDENT_REPORTED")));
        given().auth().oauth2(reviewer()).get(IncidentTest.API + "/" + id).then().statusCode(200);
        given().auth().oauth2(HZ_REVIEWER).get(IncidentTest.API + "/" + id).then().statusCode(404);
    }
}
