package cn.onenet.catalog.rest;

import static cn.onenet.catalog.support.Fixtures.action;
import static cn.onenet.catalog.support.Fixtures.admin;
import static cn.onenet.catalog.support.Fixtures.as;
import static cn.onenet.catalog.support.Fixtures.auditor;
import static cn.onenet.catalog.support.Fixtures.create;
import static cn.onenet.catalog.support.Fixtures.editor;
import static cn.onenet.catalog.support.Fixtures.editorOf;
import static cn.onenet.catalog.support.Fixtures.entry;
import static cn.onenet.catalog.support.Fixtures.head;
import static cn.onenet.catalog.support.Fixtures.lockVersion;
import static cn.onenet.catalog.support.Fixtures.prepare;
import static cn.onenet.catalog.support.Fixtures.published;
import static cn.onenet.catalog.support.Fixtures.reviewer;
import static cn.onenet.catalog.support.Fixtures.submitted;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import cn.onenet.catalog.support.FakeExchange;
import cn.onenet.catalog.support.Fixtures;
import cn.onenet.testsupport.PostgresTestResource;
import cn.onenet.testsupport.TestOidcResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;

/** 撤回报送 (POST /entries/{id}/recall) and 删除草稿 (DELETE /entries/{id}) by the department's editor. */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestOidcResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FakeExchange.class, restrictToAnnotatedClass = false)
class RecallAndDiscardTest {

    private static final String E = "/api/catalog/v1/entries/";

    private static ValidatableResponse recall(String token, long id, Integer version) {
        var spec = as(token).body(Map.of("opinion", "报送有误，撤回修改"));
        if (version != null) {
            spec = spec.header("If-Match", String.valueOf(version));
        }
        return spec.post(E + id + "/recall").then();
    }

    private static ValidatableResponse discard(String token, long id, Integer version) {
        var spec = as(token);
        if (version != null) {
            spec = spec.header("If-Match", String.valueOf(version));
        }
        return spec.delete(E + id).then();
    }

    private static List<Long> reviewerQueue() {
        return listed(reviewer(), "SUBMITTED");
    }

    /** The ids of every page of the caller's work list (in the state, or all states with null). */
    private static List<Long> listed(String token, String state) {
        List<Long> ids = new java.util.ArrayList<>();
        for (int page = 0;; page++) {
            var spec = as(token).queryParam("size", 100).queryParam("page", page);
            if (state != null) {
                spec = spec.queryParam("state", state);
            }
            List<Long> found = spec.get(E).then().statusCode(200).extract().jsonPath().getList("id", Long.class);
            if (found.isEmpty()) {
                return ids;
            }
            ids.addAll(found);
        }
    }

    private static List<Map<String, Object>> history(String token, long id) {
        return as(token).get(E + id + "/history").then().statusCode(200).extract().jsonPath().getList("$");
    }

    @Test
    void theEditorRecallsANewSubmissionToDraftAndTheReviewerNoLongerSeesIt() {
        long id = submitted(editor(), entry("撤回-草稿报送"));
        assertTrue(reviewerQueue().contains(id));
        // other callers may not recall it
        recall(editorOf(Fixtures.MARKET), id, null).statusCode(404);
        recall(reviewer(), id, null).statusCode(403);
        recall(head(), id, null).statusCode(403);
        given().contentType("application/json").body(Map.of()).post(E + id + "/recall").then().statusCode(401);
        // a stale version is refused and changes nothing
        int version = lockVersion(id);
        recall(editor(), id, version - 1).statusCode(409).contentType("application/problem+json")
                .body("currentVersion", equalTo(version));
        as(editor()).get(E + id).then().body("state", equalTo("SUBMITTED"));

        recall(editor(), id, version).statusCode(200).body("state", equalTo("DRAFT"))
                .body("reviewDue", nullValue()).body("headApproval", notNullValue());
        assertFalse(reviewerQueue().contains(id));
        Map<String, Object> last = history(editor(), id).get(history(editor(), id).size() - 1);
        assertEquals("RECALL", last.get("action"));
        assertEquals("SUBMITTED", last.get("fromState"));
        assertEquals("DRAFT", last.get("toState"));
        assertEquals("editor-police", last.get("actor"));
        assertEquals("报送有误，撤回修改", last.get("opinion"));
        assertTrue(last.get("at") != null);
        // the reviewer cannot act on it any more; the unchanged draft is submitted again without a new approval
        action(reviewer(), id, "approve", Map.of("opinion", "同意")).statusCode(409);
        action(editor(), id, "submit", Map.of()).statusCode(200).body("state", equalTo("SUBMITTED"));
    }

    @Test
    void aRecallNeedsNoBodyNorVersionAndOnlyWhileTheReviewerHasNotActed() {
        long id = submitted(editor(), entry("撤回-已审核"));
        action(reviewer(), id, "approve", Map.of("opinion", "同意")).statusCode(200);
        recall(editor(), id, null).statusCode(409).contentType("application/problem+json")
                .body("detail", containsString("审核通过")).body("state", equalTo("APPROVED"));
        long draft = create(editor(), entry("撤回-未报送"));
        recall(editor(), draft, null).statusCode(409).body("detail", containsString("草稿"));
        long plain = submitted(editor(), entry("撤回-无正文"));
        as(editor()).post(E + plain + "/recall").then().statusCode(200).body("state", equalTo("DRAFT"));
    }

    @Test
    void aResubmissionAfterAReturnGoesBackToReturned() {
        long id = submitted(editor(), entry("撤回-退回后"));
        action(reviewer(), id, "return", Map.of("opinion", "请补充共享条件")).statusCode(200);
        prepare(editor(), id);
        action(editor(), id, "submit", Map.of()).statusCode(200);
        recall(editor(), id, null).statusCode(200).body("state", equalTo("RETURNED"));
    }

    @Test
    void aChangeOfAPublishedEntryGoesBackToChangePendingAndStaysPublished() {
        long id = published(editor(), entry("撤回-变更"));
        action(editor(), id, "change", Map.of("cause", "职责调整")).statusCode(200);
        prepare(editor(), id);
        action(editor(), id, "submit", Map.of()).statusCode(200);
        recall(editor(), id, null).statusCode(200).body("state", equalTo("CHANGE_PENDING"))
                .body("changeDue", notNullValue()).body("versionLabel", equalTo("1.0"));
        as(editorOf(Fixtures.MARKET)).get(E + id).then().statusCode(200).body("versionLabel", equalTo("1.0"));
    }

    @Test
    void theEditorDeletesADraftItIsGoneAndItsHistoryStaysForAuditors() {
        long id = create(editor(), entry("删除-草稿"));
        int version = lockVersion(id);
        discard(editorOf(Fixtures.MARKET), id, version).statusCode(404);
        discard(reviewer(), id, version).statusCode(403);
        discard(head(), id, version).statusCode(403);
        given().header("If-Match", String.valueOf(version)).delete(E + id).then().statusCode(401);
        discard(editor(), id, null).statusCode(428).body("field", equalTo("If-Match"));
        discard(editor(), id, version + 1).statusCode(409).body("currentVersion", equalTo(version));
        as(editor()).get(E + id).then().statusCode(200);

        discard(editor(), id, version).statusCode(204);
        as(editor()).get(E + id).then().statusCode(404);
        as(auditor()).get(E + id).then().statusCode(404);
        assertFalse(listed(editor(), null).contains(id));
        discard(editor(), id, version).statusCode(404);
        // the history is kept, closed by the deletion: who, when, the entry's identifier and name
        as(editor()).get(E + id + "/history").then().statusCode(404);
        List<Map<String, Object>> h = history(auditor(), id);
        assertEquals(List.of("CREATE", "DISCARD"), h.stream().map(r -> r.get("action")).toList());
        Map<String, Object> d = h.get(1);
        assertEquals("editor-police", d.get("actor"));
        assertEquals("DRAFT", d.get("fromState"));
        assertTrue(d.get("at") != null);
        assertTrue(String.valueOf(d.get("changes")).contains("删除-草稿"), d.toString());
        assertEquals(2, history(admin(), id).size());
        // the name is free again
        create(editor(), entry("删除-草稿"));
    }

    @Test
    void onlyADraftNeverPublishedIsDeleted() {
        long submitted = submitted(editor(), entry("删除-已报送"));
        discard(editor(), submitted, lockVersion(submitted)).statusCode(409)
                .contentType("application/problem+json").body("detail", containsString("待审核"))
                .body("state", equalTo("SUBMITTED"));
        action(reviewer(), submitted, "return", Map.of("opinion", "请补充")).statusCode(200);
        discard(editor(), submitted, lockVersion(submitted)).statusCode(409).body("state", equalTo("RETURNED"));
        long live = published(editor(), entry("删除-已发布"));
        discard(editor(), live, lockVersion(live)).statusCode(409).body("state", equalTo("PUBLISHED"));
        action(editor(), live, "change", Map.of("cause", "职责调整")).statusCode(200);
        discard(editor(), live, lockVersion(live)).statusCode(409).body("state", equalTo("CHANGE_PENDING"));
        as(editor()).get(E + live).then().statusCode(200);
    }
}
