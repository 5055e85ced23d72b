package cn.onenet.catalog.rest;

import static cn.onenet.catalog.support.Fixtures.action;
import static cn.onenet.catalog.support.Fixtures.as;
import static cn.onenet.catalog.support.Fixtures.editor;
import static cn.onenet.catalog.support.Fixtures.entry;
import static cn.onenet.catalog.support.Fixtures.entryOf;
import static cn.onenet.catalog.support.Fixtures.reviewer;
import static cn.onenet.catalog.support.Fixtures.reviewerOf;
import static cn.onenet.catalog.support.Fixtures.staff;
import static cn.onenet.catalog.support.Fixtures.submitted;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.util.Map;

import org.junit.jupiter.api.Test;

import cn.onenet.catalog.support.FakeExchange;
import cn.onenet.catalog.support.Fixtures;
import cn.onenet.testsupport.PostgresTestResource;
import cn.onenet.testsupport.TestOidcResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The review is independent of the submission (four-eyes principle, R5): the account that submitted an entry never
 * approves, publishes or returns it, and a department's own reviewers do not review its entries — except the
 * 主管部门's, whose entries its reviewers review (other than the submitter).
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestOidcResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FakeExchange.class, restrictToAnnotatedClass = false)
class IndependentReviewTest {

    private static final String E = "/api/catalog/v1/entries/";
    private static final Map<String, Object> AGREED = Map.of("opinion", "同意");

    /** A bureau official who both catalogues the 主管部门's own data and reviews. */
    private static String bureauEditorAndReviewer() {
        return staff("bureau-dual", Fixtures.BUREAU, Fixtures.PROVINCE, "catalog-editor", "reviewer");
    }

    private static void refused(String token, long id, String action, String state, String why) {
        int lockVersion = as(reviewer()).get(E + id).then().extract().path("lockVersion");
        action(token, id, action, AGREED).statusCode(403).contentType("application/problem+json")
                .body("detail", containsString(why));
        as(reviewer()).get(E + id).then().statusCode(200).body("state", equalTo(state))
                .body("lockVersion", equalTo(lockVersion));
    }

    @Test
    void theSubmitterOfTheAuthoritysOwnEntryNeitherReturnsNorApprovesNorPublishesIt() {
        String dual = bureauEditorAndReviewer();
        long id = submitted(dual, entryOf(Fixtures.BUREAU, "四眼-主管部门自有"));
        refused(dual, id, "approve", "SUBMITTED", "submitted");
        refused(dual, id, "return", "SUBMITTED", "submitted");
        as(reviewer()).get(E + id).then().body("resourceCode", equalTo(null));

        // another reviewer of the 主管部门 reviews the 主管部门's own entry
        action(reviewer(), id, "approve", AGREED).statusCode(200).body("state", equalTo("APPROVED"));
        refused(dual, id, "publish", "APPROVED", "submitted");
        action(reviewer(), id, "publish", AGREED).statusCode(200).body("state", equalTo("PUBLISHED"));
    }

    @Test
    void whoRequestedADeregistrationDoesNotDecideOnIt() {
        String dual = bureauEditorAndReviewer();
        long id = submitted(dual, entryOf(Fixtures.BUREAU, "四眼-注销申请"));
        action(reviewer(), id, "approve", AGREED).statusCode(200);
        action(reviewer(), id, "publish", AGREED).statusCode(200);
        action(dual, id, "deregistration", Map.of("reason", "系统整合")).statusCode(200);
        refused(dual, id, "deregistration/approval", "DEREGISTER_PENDING", "submitted");
        refused(dual, id, "deregistration/rejection", "DEREGISTER_PENDING", "submitted");
        action(reviewer(), id, "deregistration/rejection", Map.of("opinion", "仍有部门使用")).statusCode(200)
                .body("state", equalTo("PUBLISHED"));
    }

    @Test
    void aDepartmentsOwnReviewerDoesNotReviewItsEntries() {
        long id = submitted(editor(), entry("四眼-本部门审核"));
        String policeReviewer = reviewerOf("reviewer-police", Fixtures.POLICE, Fixtures.PROVINCE);
        refused(policeReviewer, id, "approve", "SUBMITTED", "own entries");
        refused(policeReviewer, id, "return", "SUBMITTED", "own entries");
        action(reviewer(), id, "approve", AGREED).statusCode(200).body("state", equalTo("APPROVED"));
        refused(policeReviewer, id, "publish", "APPROVED", "own entries");
        action(reviewer(), id, "publish", AGREED).statusCode(200).body("state", equalTo("PUBLISHED"));
    }

    @Test
    void aCitysOwnAuthorityReviewsItsOwnEntries() {
        // 杭州市数据资源管理局 is 杭州's 主管部门 in identity-service's register: its token says so, and its reviewers
        // review its own entries, as the province's bureau's do for the province
        String hzEditor = Fixtures.editorOf(Fixtures.HANGZHOU_BUREAU);
        long id = submitted(hzEditor, entryOf(Fixtures.HANGZHOU_BUREAU, "四眼-市主管部门自有"));
        String hzReviewer = reviewerOf("reviewer-hz-own", Fixtures.HANGZHOU_BUREAU, Fixtures.HANGZHOU);
        action(hzReviewer, id, "approve", AGREED).statusCode(200).body("state", equalTo("APPROVED"));
        action(hzReviewer, id, "publish", AGREED).statusCode(200).body("state", equalTo("PUBLISHED"));

        // the claim, not the department code, makes the difference: the city's police bureau is no 主管部门
        long police = submitted(Fixtures.editorOf(Fixtures.HANGZHOU_POLICE),
                entryOf(Fixtures.HANGZHOU_POLICE, "四眼-市公安自有"));
        action(reviewerOf("reviewer-hz-police", Fixtures.HANGZHOU_POLICE, Fixtures.HANGZHOU), police, "approve",
                AGREED).statusCode(403).body("detail", containsString("own entries"));
        as(hzReviewer).get(E + police).then().body("state", equalTo("SUBMITTED"));
        action(hzReviewer, police, "approve", AGREED).statusCode(200).body("state", equalTo("APPROVED"));
    }

    @Test
    void anEditorWhoAlsoReviewsCannotApproveWhatTheySubmitted() {
        String dual = staff("police-dual", Fixtures.POLICE, Fixtures.PROVINCE, "catalog-editor", "reviewer");
        long id = submitted(dual, entry("四眼-编目兼审核"));
        refused(dual, id, "approve", "SUBMITTED", "submitted");
    }
}
