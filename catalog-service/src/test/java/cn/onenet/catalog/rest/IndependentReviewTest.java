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
import static org.hamcrest.Matchers.notNullValue;

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
 * approves, publishes or returns it. Only the region's 主管部门 (the token's {@code competent_authority} claim) reviews:
 * a reviewer of another department reviews neither its own department's entries nor anyone else's, and the 主管部门's
 * own entries are reviewed by its reviewers other than the submitter.
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
    void aReviewerOfADepartmentThatIsNotTheAuthorityDoesNotReviewOthersEntries() {
        // 浙江省公安厅 is no 主管部门: its reviewers (role reviewer, region 330000, no competent_authority claim) decide
        // on none of 浙江省市场监督管理局's entries, in any step; the province's 主管部门 does (条例 Art. 16)
        String policeReviewer = reviewerOf("reviewer-police-others", Fixtures.POLICE, Fixtures.PROVINCE);
        long id = submitted(Fixtures.editorOf(Fixtures.MARKET), entryOf(Fixtures.MARKET, "主管部门-他部门审核"));
        refused(policeReviewer, id, "approve", "SUBMITTED", "competent authority");
        refused(policeReviewer, id, "return", "SUBMITTED", "competent authority");
        action(policeReviewer, id, "approve", AGREED).statusCode(403).body("status", equalTo(403))
                .body("requestId", notNullValue());
        action(reviewer(), id, "approve", AGREED).statusCode(200).body("state", equalTo("APPROVED"));
        refused(policeReviewer, id, "publish", "APPROVED", "competent authority");
        action(reviewer(), id, "publish", AGREED).statusCode(200).body("state", equalTo("PUBLISHED"));

        action(Fixtures.editorOf(Fixtures.MARKET), id, "deregistration", Map.of("reason", "系统整合")).statusCode(200);
        refused(policeReviewer, id, "deregistration/approval", "DEREGISTER_PENDING", "competent authority");
        refused(policeReviewer, id, "deregistration/rejection", "DEREGISTER_PENDING", "competent authority");
        action(reviewer(), id, "deregistration/rejection", Map.of("opinion", "仍有部门使用")).statusCode(200)
                .body("state", equalTo("PUBLISHED"));
    }

    @Test
    void anAdminIsNoReviewer() {
        // admin is the platform's technical administrator, not the 主管部门: even the bureau's admin decides on no entry
        long id = submitted(Fixtures.editorOf(Fixtures.MARKET), entryOf(Fixtures.MARKET, "主管部门-管理员不审核"));
        String bureauAdmin = staff("admin-bureau", Fixtures.BUREAU, Fixtures.PROVINCE, "admin");
        for (String step : new String[] {"approve", "return", "publish"}) {
            action(bureauAdmin, id, step, AGREED).statusCode(403).contentType("application/problem+json");
        }
        as(reviewer()).get(E + id).then().body("state", equalTo("SUBMITTED"));
    }

    @Test
    void anEditorWhoAlsoReviewsCannotApproveWhatTheySubmitted() {
        String dual = staff("police-dual", Fixtures.POLICE, Fixtures.PROVINCE, "catalog-editor", "reviewer");
        long id = submitted(dual, entry("四眼-编目兼审核"));
        refused(dual, id, "approve", "SUBMITTED", "submitted");
    }
}
