package cn.onenet.exchange.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;

import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import cn.onenet.exchange.ExchangeTestBase;
import cn.onenet.exchange.FakeCatalog;
import cn.onenet.exchange.service.ComplaintService;
import cn.onenet.exchange.service.TimeSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/**
 * The 主管部门 told of a complaint (filed, answered, overdue) is that of the region of the grant the access used, the
 * 主管部门 that may suspend the grant when upholding: for a grant between two departments of 杭州市, 杭州市's reviewers,
 * not the province's (the configured 主管部门) nor 宁波市's.
 */
@QuarkusTest
class RegionRoutedNoticeTest extends ExchangeTestBase {

    static final String HZ_CODE = "330100-01-02/900851";
    static final String HZ_PROVIDER = "11330100MB00000381"; // departments of 杭州市
    static final String HZ_CONSUMER = "11330100MB00000382";
    static final String CITIZEN_ID = "330106198805120031";

    static final String HZ_REVIEWER = reviewerIn("reviewer-hz-notice", "11330100MB00000391", "330100");
    static final String NB_REVIEWER = reviewerIn("reviewer-nb-notice", "11330200MB00000392", "330200");

    @Inject
    TimeSource time;
    @Inject
    ComplaintService complaints;

    @AfterEach
    void realClock() {
        time.set(null);
    }

    /** The kinds of the reader's notices about complaint {@code id}. */
    static ValidatableResponse kindsAbout(String token, long id) {
        return given().auth().oauth2(token).get("/api/exchange/v1/notices").then().statusCode(200).rootPath(
                "findAll { it.subjectType == 'COMPLAINT' && it.subjectId == " + id + " }");
    }

    @Test
    void aComplaintAboutACitysGrantIsAnnouncedToThatCitysReviewers() {
        RegionScopedListTest.publish(HZ_CODE, HZ_PROVIDER, "330100");
        replica.pollOnce();
        String provider = RegionScopedListTest.operatorIn(HZ_PROVIDER, "330100");
        given().urlEncodingEnabled(false).auth().oauth2(provider).contentType(ContentType.JSON)
                .body(List.of(Map.of("GMSFHM", CITIZEN_ID, "XM", "陈静")))
                .post("/api/exchange/v1/datasets/" + FakeCatalog.encoded(HZ_CODE) + "/records").then().statusCode(201);
        String consumer = RegionScopedListTest.operatorIn(HZ_CONSUMER, "330100");
        long grant = RegionScopedListTest.granted(consumer, HZ_CODE)[1];
        String rid = "rgn-" + UUID.randomUUID();
        given().urlEncodingEnabled(false).auth().oauth2(consumer).header("X-Grant-Id", grant)
                .header("X-Request-Id", rid).get(DeliveryTest.path(HZ_CODE, CITIZEN_ID)).then().statusCode(200);
        String citizen = ComplaintTest.citizen("chen", CITIZEN_ID);
        long id = ComplaintTest.fileComplaint(citizen, Map.of("usageLogSeq", ComplaintTest.seqOf(citizen, rid),
                "description", "本人与该部门无业务往来")).then().statusCode(201).extract().jsonPath().getLong("id");

        // filed: 杭州市's 主管部门 is told, neither the province's nor 宁波市's
        kindsAbout(HZ_REVIEWER, id).body("kind", hasItem("COMPLAINT_FILED"));
        kindsAbout(reviewer(), id).body("kind", not(hasItem("COMPLAINT_FILED")));
        kindsAbout(NB_REVIEWER, id).body("kind", not(hasItem("COMPLAINT_FILED")));

        // unanswered after the deadline: escalated to 杭州市's 主管部门
        time.set(Clock.fixed(LocalDate.now(TimeSource.ZONE).plusDays(30).atStartOfDay(TimeSource.ZONE).toInstant(),
                TimeSource.ZONE));
        complaints.escalateOverdue();
        kindsAbout(HZ_REVIEWER, id).body("kind", hasItem("COMPLAINT_OVERDUE"));
        kindsAbout(reviewer(), id).body("kind", not(hasItem("COMPLAINT_OVERDUE")));
        kindsAbout(NB_REVIEWER, id).body("kind", not(hasItem("COMPLAINT_OVERDUE")));

        // the department's late explanation goes the same way
        given().auth().oauth2(consumer).contentType(ContentType.JSON).body(Map.of("version", 0, "reason", "核查后说明"))
                .post("/api/exchange/v1/complaints/" + id + "/answer").then().statusCode(200);
        kindsAbout(HZ_REVIEWER, id).body("kind", hasItems("COMPLAINT_FILED", "COMPLAINT_OVERDUE", "COMPLAINT_ANSWERED"));
        kindsAbout(reviewer(), id).body("kind", not(hasItem("COMPLAINT_ANSWERED")));
        kindsAbout(NB_REVIEWER, id).body("kind", not(hasItem("COMPLAINT_ANSWERED")));
    }
}
