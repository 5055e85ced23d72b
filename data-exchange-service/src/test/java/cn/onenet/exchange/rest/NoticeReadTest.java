package cn.onenet.exchange.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import cn.onenet.exchange.ExchangeTestBase;
import cn.onenet.exchange.service.NoticeService;
import cn.onenet.testsupport.TestTokens;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/**
 * Notices read and unread: each account (token subject) marks the notices of its inbox read for itself, one or all up
 * to an id; the list says which, filters the unread ones and counts them. A notice the caller's list would not hold
 * (another department's, another region's) is not found.
 */
@QuarkusTest
class NoticeReadTest extends ExchangeTestBase {

    static final String NOTICES = "/api/exchange/v1/notices";

    @Inject
    NoticeService notices;

    /** A department of its own for each test (credit code of the province, 330000), so its notices are known. */
    static String freshDepartment() {
        return "11330000T" + String.format("%09d", ThreadLocalRandom.current().nextLong(1_000_000_000L));
    }

    static String operatorAccount(String subject, String dept) {
        return TestTokens.civilServant(subject, dept, AUD, "operator");
    }

    /** Notices to a department, as the workflows send them; returns their ids, oldest first. */
    List<Long> notify(String dept, int count) {
        for (int i = 0; i < count; i++) {
            int n = i;
            QuarkusTransaction.requiringNew().run(() -> notices.notify(dept, "REQUEST_RECEIVED", "REQUEST", 9000 + n,
                    "收到共享申请 " + n));
        }
        List<Long> ids = new ArrayList<>(given().auth().oauth2(operatorAccount("listing", dept)).get(NOTICES).then()
                .statusCode(200).extract().jsonPath().getList("id", Long.class));
        assertEquals(count, ids.size(), ids.toString());
        Collections.reverse(ids);
        return ids;
    }

    static ValidatableResponse list(String token, String query) {
        return given().auth().oauth2(token).get(NOTICES + query).then().statusCode(200);
    }

    static long unread(String token) {
        return given().auth().oauth2(token).get(NOTICES + "/unread-count").then().statusCode(200).extract().jsonPath()
                .getLong("unread");
    }

    static ValidatableResponse markRead(String token, long id) {
        return given().auth().oauth2(token).post(NOTICES + "/" + id + "/read").then();
    }

    static ValidatableResponse markReadUpTo(String token, Object body) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(body).post(NOTICES + "/read").then();
    }

    @Test
    void eachAccountMarksItsOwnNoticesReadOneAtATimeOrUpToAnId() {
        String dept = freshDepartment();
        List<Long> ids = notify(dept, 3);
        long n1 = ids.get(0);
        long n2 = ids.get(1);
        long n3 = ids.get(2);
        String wang = operatorAccount("wang-" + dept, dept);
        String li = operatorAccount("li-" + dept, dept);

        list(wang, "").body("id", equalTo(List.of((int) n3, (int) n2, (int) n1)))
                .body("read", equalTo(List.of(false, false, false)));
        assertEquals(3, unread(wang));

        // one notice, twice: the same answer, nothing more changes
        markRead(wang, n1).statusCode(204);
        markRead(wang, n1).statusCode(204);
        list(wang, "").body("find { it.id == " + n1 + " }.read", equalTo(true))
                .body("find { it.id == " + n2 + " }.read", equalTo(false));
        list(wang, "?unread=true").body("id", equalTo(List.of((int) n3, (int) n2)))
                .body("read", equalTo(List.of(false, false)));
        list(wang, "?unread=false").body("size()", equalTo(3));
        assertEquals(2, unread(wang));
        // read for this account only: a colleague of the same department still has all three unread
        assertEquals(3, unread(li));
        list(li, "").body("read", equalTo(List.of(false, false, false)));

        // up to an id: n2 and below (n1 already read), not the newer n3
        markReadUpTo(wang, Map.of("upTo", n2)).statusCode(200).body("marked", equalTo(1)).body("unread", equalTo(1));
        markReadUpTo(wang, Map.of("upTo", n2)).statusCode(200).body("marked", equalTo(0)).body("unread", equalTo(1));
        list(wang, "?unread=true").body("id", equalTo(List.of((int) n3)));
        markReadUpTo(wang, Map.of("upTo", n3)).statusCode(200).body("marked", equalTo(1)).body("unread", equalTo(0));
        list(wang, "?unread=true").body("size()", equalTo(0));
        list(wang, "").body("read", equalTo(List.of(true, true, true)));
        assertEquals(3, unread(li));
    }

    @Test
    void aNoticeOutsideTheCallersInboxIsNotFoundAndNotMarked() {
        String dept = freshDepartment();
        String other = freshDepartment();
        long mine = notify(dept, 1).get(0);
        long theirs = notify(other, 1).get(0);
        String me = operatorAccount("me-" + dept, dept);
        String them = operatorAccount("them-" + other, other);

        markRead(me, theirs).statusCode(404).contentType("application/problem+json");
        markRead(me, Long.MAX_VALUE).statusCode(404).contentType("application/problem+json");
        // up to a notice that is not the caller's: refused, nothing marked
        markReadUpTo(me, Map.of("upTo", theirs)).statusCode(400).contentType("application/problem+json")
                .body("field", equalTo("upTo"));
        markReadUpTo(me, Map.of("upTo", Long.MAX_VALUE)).statusCode(400).body("field", equalTo("upTo"));
        assertEquals(1, unread(me));
        assertEquals(1, unread(them));
        markReadUpTo(me, Map.of("upTo", mine)).statusCode(200).body("marked", equalTo(1)).body("unread", equalTo(0));
        list(them, "").body("read", equalTo(List.of(false)));
        // the same account name in another department's token reads that department's inbox, unread
        assertEquals(1, unread(operatorAccount("me-" + dept, other)));
        list(me, "").body("id", equalTo(List.of((int) mine))).body("read", equalTo(List.of(true)));
    }

    @Test
    void reviewersMarkTheirRegionsNoticesAndOthersDoNotFindThem() {
        String region = "330782"; // 义乌市: a city-level region no other test addresses
        String reviewerDept = freshDepartment();
        QuarkusTransaction.requiringNew().run(() -> notices.notifyAuthorityOf(region, "DISPUTE_OPENED", "DISPUTE",
                77, "共享争议待协调"));
        String reviewer = reviewerIn("reviewer-yw-" + reviewerDept, reviewerDept, region);
        long id = list(reviewer, "?unread=true").extract().jsonPath().getLong("find { it.regionCode == '" + region
                + "' }.id");
        // an operator of the reviewer's department, and a reviewer of another region, do not hold it
        markRead(operatorAccount("op-yw-" + reviewerDept, reviewerDept), id).statusCode(404);
        markRead(reviewerIn("reviewer-nb-" + reviewerDept, reviewerDept, "330200"), id).statusCode(404);
        long before = unread(reviewer);
        markRead(reviewer, id).statusCode(204);
        assertEquals(before - 1, unread(reviewer));
        list(reviewer, "").body("find { it.id == " + id + " }.read", equalTo(true));
        // another reviewer of the region still has it unread
        list(reviewerIn("reviewer-yw2-" + reviewerDept, freshDepartment(), region), "?unread=true")
                .body("find { it.id == " + id + " }.read", equalTo(false));
    }

    @Test
    void badInputIsAProblemNamingTheFieldAndOnlyStaffReadNotices() {
        String token = operatorAccount("bad-input", freshDepartment());
        for (Object body : List.<Object>of(Map.of(), Map.of("upTo", 0), Map.of("upTo", -4), Map.of("upTo", 987654321))) {
            markReadUpTo(token, body).statusCode(400).contentType("application/problem+json")
                    .body("field", equalTo("upTo"));
        }
        markReadUpTo(token, "{\"upTo\": \"newest\"}").statusCode(400).contentType("application/problem+json");
        given().auth().oauth2(token).get(NOTICES + "?unread=maybe").then().statusCode(400)
                .contentType("application/problem+json").body("field", equalTo("unread"))
                .body("detail", containsString("true"));

        String citizen = TestTokens.citizen("wang", "330282196509230044", AUD);
        given().auth().oauth2(citizen).get(NOTICES + "/unread-count").then().statusCode(403);
        markRead(citizen, 1).statusCode(403);
        markReadUpTo(citizen, Map.of("upTo", 1)).statusCode(403);
        given().get(NOTICES + "/unread-count").then().statusCode(401);
        given().post(NOTICES + "/1/read").then().statusCode(401);
        // a staff token without a department has no inbox
        String noDept = TestTokens.custom(Map.of("sub", "nodept", "aud", AUD, "roles", List.of("operator"),
                "account_type", "civil_servant"));
        given().auth().oauth2(noDept).get(NOTICES + "/unread-count").then().statusCode(403)
                .contentType("application/problem+json");
    }
}
