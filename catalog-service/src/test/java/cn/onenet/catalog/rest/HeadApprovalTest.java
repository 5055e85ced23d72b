package cn.onenet.catalog.rest;

import static cn.onenet.catalog.support.Fixtures.AUD;
import static cn.onenet.catalog.support.Fixtures.HEAD_NAME;
import static cn.onenet.catalog.support.Fixtures.MARKET;
import static cn.onenet.catalog.support.Fixtures.POLICE;
import static cn.onenet.catalog.support.Fixtures.action;
import static cn.onenet.catalog.support.Fixtures.admin;
import static cn.onenet.catalog.support.Fixtures.as;
import static cn.onenet.catalog.support.Fixtures.assess;
import static cn.onenet.catalog.support.Fixtures.auditor;
import static cn.onenet.catalog.support.Fixtures.create;
import static cn.onenet.catalog.support.Fixtures.editor;
import static cn.onenet.catalog.support.Fixtures.editorOf;
import static cn.onenet.catalog.support.Fixtures.entry;
import static cn.onenet.catalog.support.Fixtures.entryOf;
import static cn.onenet.catalog.support.Fixtures.head;
import static cn.onenet.catalog.support.Fixtures.headApproval;
import static cn.onenet.catalog.support.Fixtures.headOf;
import static cn.onenet.catalog.support.Fixtures.named;
import static cn.onenet.catalog.support.Fixtures.operator;
import static cn.onenet.catalog.support.Fixtures.prepare;
import static cn.onenet.catalog.support.Fixtures.published;
import static cn.onenet.catalog.support.Fixtures.reviewer;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import cn.onenet.catalog.support.FakeExchange;
import cn.onenet.testsupport.PostgresTestResource;
import cn.onenet.testsupport.TestOidcResource;
import cn.onenet.testsupport.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * R4 (条例 Art. 13 ¶1): the department head approves the department's catalogue entry with the head's own account
 * (role {@code head}, the entry's provider department), and the approval names the head as the token does. Nobody
 * else records it, a head does not approve a draft they prepared, and the head finds what waits for them.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestOidcResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FakeExchange.class, restrictToAnnotatedClass = false)
class HeadApprovalTest {

    private static final String E = "/api/catalog/v1/entries";

    /** A draft of 浙江省公安厅 with both assessments recorded by its editor, waiting for the head. */
    private static long assessed(String name) {
        long id = create(editor(), entry(name));
        assess(editor(), id);
        return id;
    }

    @Test
    void theProviderDepartmentsHeadApprovesAndIsRecordedAsTheTokenNamesThem() {
        long id = assessed("负责人本人审核-通过");
        String head = headOf("head-police-1", POLICE);
        action(head, id, "head-approval", Map.of("opinion", "同意报送", "approvedOn", "2026-11-03")).statusCode(200)
                .body("headApproval.approver", equalTo(HEAD_NAME))
                .body("headApproval.recordedBy", equalTo("head-police-1"))
                .body("headApproval.opinion", equalTo("同意报送"))
                .body("headApproval.approvedOn", equalTo("2026-11-03"))
                // the head reads the department's draft to approve it
                .body("draft.name", equalTo("负责人本人审核-通过"));
        as(editor()).get(E + "/" + id + "/history").then().statusCode(200)
                .body("action[-1]", equalTo("HEAD_APPROVAL"))
                .body("actor[-1]", equalTo("head-police-1"))
                .body("actorName[-1]", equalTo(HEAD_NAME))
                .body("actorRole[-1]", equalTo("head"))
                .body("opinion[-1]", equalTo("同意报送"));
        // without a date the approval is dated today
        long other = assessed("负责人本人审核-当日");
        headApproval(head(), other).statusCode(200).body("headApproval.approvedOn", notNullValue());

        action(editor(), id, "submit", Map.of()).statusCode(200).body("state", equalTo("SUBMITTED"))
                .body("headApproval.approver", equalTo(HEAD_NAME));
    }

    @Test
    void nobodyButTheProviderDepartmentsHeadApproves() {
        long id = assessed("负责人本人审核-他人");
        Map<String, Object> body = Map.of("opinion", "同意报送");
        for (String other : List.of(editor(), headOf(MARKET), reviewer(), admin(), auditor(),
                named("editor-both-roles-of-market", MARKET, "钱局长", "catalog-editor", "head"))) {
            action(other, id, "head-approval", body).statusCode(403).contentType("application/problem+json");
        }
        given().contentType("application/json").body(body).post(E + "/" + id + "/head-approval").then()
                .statusCode(401);
        // a token that names no person cannot sign the approval
        action(TestTokens.civilServant("head-nameless", POLICE, AUD, "head"), id, "head-approval", body)
                .statusCode(403).contentType("application/problem+json");
        as(editor()).get(E + "/" + id).then().statusCode(200).body("headApproval", nullValue());
        as(editor()).get(E + "/" + id + "/history").then().statusCode(200)
                .body("action", not(hasItem("HEAD_APPROVAL")));
        action(editor(), id, "submit", Map.of()).statusCode(409);

        // another department's head does not even see the draft
        as(headOf(MARKET)).get(E + "/" + id).then().statusCode(404);
        as(headOf(MARKET)).get(E + "/" + id + "/history").then().statusCode(404);
        as(head()).get(E + "/" + id + "/history").then().statusCode(200).body("action", hasItem("CREATE"));
    }

    @Test
    void theApproverIsTheHeadSignedInNotANameInTheBody() {
        long id = assessed("负责人本人审核-请求体");
        action(head(), id, "head-approval", Map.of("approver", "王建华", "opinion", "同意报送")).statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("approver"));
        action(head(), id, "head-approval", Map.of()).statusCode(400).body("errors[0].field", equalTo("opinion"));
        action(head(), id, "head-approval", Map.of("opinion", " ")).statusCode(400)
                .body("errors[0].field", equalTo("opinion"));
        action(head(), id, "head-approval", Map.of("opinion", "同".repeat(501))).statusCode(400)
                .body("errors[0].field", equalTo("opinion"));
        action(head(), id, "head-approval", Map.of("opinion", "同意报送", "approvedOn",
                LocalDate.now().plusDays(30).toString())).statusCode(400).body("errors[0].field", equalTo("approvedOn"));
        as(editor()).get(E + "/" + id).then().statusCode(200).body("headApproval", nullValue());
    }

    @Test
    void theHeadApprovesOnlyDraftsUnderWorkWithBothAssessments() {
        long id = create(editor(), entry("负责人本人审核-评估前"));
        headApproval(head(), id).statusCode(409).contentType("application/problem+json");
        long submitted = create(editor(), entry("负责人本人审核-已报送"));
        prepare(editor(), submitted);
        action(editor(), submitted, "submit", Map.of()).statusCode(200);
        headApproval(head(), submitted).statusCode(409).body("state", equalTo("SUBMITTED"));
    }

    @Test
    void aHeadWhoAlsoEditsDoesNotApproveADraftTheyPrepared() {
        // the same person holds both roles
        String both = named("editor-and-head", POLICE, "李处长", "catalog-editor", "head");
        long own = create(both, entry("负责人本人审核-本人编制"));
        assess(editor(), own);
        headApproval(both, own).statusCode(403).contentType("application/problem+json");

        long assessedByThem = create(editor(), entry("负责人本人审核-本人评估"));
        assess(both, assessedByThem);
        headApproval(both, assessedByThem).statusCode(403);

        // someone else's draft and assessments: they approve it, recorded under the head's role
        long others = assessed("负责人本人审核-他人编制");
        headApproval(both, others).statusCode(200).body("headApproval.approver", equalTo("李处长"));
        as(editor()).get(E + "/" + others + "/history").then().body("actorRole[-1]", equalTo("head"));
        // once they edit it themselves, the withdrawn approval is no longer theirs to give
        Map<String, Object> changed = entry("负责人本人审核-他人编制");
        changed.put("shareScope", "省市县三级政务部门");
        as(both).body(changed).put(E + "/" + others).then().statusCode(200).body("headApproval", nullValue());
        assess(editor(), others);
        headApproval(both, others).statusCode(403);
        headApproval(head(), others).statusCode(200);

        // a change of a published entry is a new round: what they wrote for the published version does not count
        long live = published(both, entry("负责人本人审核-变更"));
        action(editor(), live, "change", Map.of("cause", "职责调整")).statusCode(200);
        Map<String, Object> update = entry("负责人本人审核-变更");
        update.put("shareScope", "省市两级政务部门");
        as(editor()).body(update).put(E + "/" + live).then().statusCode(200);
        assess(editor(), live);
        headApproval(both, live).statusCode(200);
    }

    @Test
    void theHeadFindsTheDraftsWaitingForTheirApproval() {
        long waiting = assessed("负责人待审-等待");
        long unassessed = create(editor(), entry("负责人待审-未评估"));
        long approved = assessed("负责人待审-已审核");
        headApproval(head(), approved).statusCode(200);
        long submitted = create(editor(), entry("负责人待审-已报送"));
        prepare(editor(), submitted);
        action(editor(), submitted, "submit", Map.of()).statusCode(200);
        long returned = create(editor(), entry("负责人待审-退回"));
        prepare(editor(), returned);
        action(editor(), returned, "submit", Map.of()).statusCode(200);
        action(reviewer(), returned, "return", Map.of("opinion", "请补充共享范围")).statusCode(200);
        long market = create(editorOf(MARKET), entryOf(MARKET, "负责人待审-他部门"));
        assess(editorOf(MARKET), market);

        List<Long> awaiting = awaiting(head());
        assertTrue(awaiting.contains(waiting), awaiting.toString());
        // a returned draft keeps its assessments and goes back to the head
        assertTrue(awaiting.contains(returned), awaiting.toString());
        for (long not : List.of(unassessed, approved, submitted, market)) {
            assertFalse(awaiting.contains(not), not + " in " + awaiting);
        }
        assertTrue(awaiting(headOf(MARKET)).contains(market));
        assertFalse(awaiting(headOf(MARKET)).contains(waiting));
        // the editors see the same list of their department
        assertEquals(awaiting, awaiting(editor()));
        // the head's work list is their department's
        List<Long> all = ids(head(), Map.of());
        assertTrue(all.contains(unassessed) && all.contains(submitted), all.toString());
        assertFalse(all.contains(market), all.toString());
        assertEquals(all, ids(editor(), Map.of()));

        // approved, it leaves the list
        headApproval(head(), waiting).statusCode(200);
        assertFalse(awaiting(head()).contains(waiting));

        as(head()).queryParam("awaiting", "submission").get(E).then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("awaiting"));
        given().queryParam("awaiting", "head-approval").get(E).then().statusCode(401);
        as(operator()).queryParam("awaiting", "head-approval").get(E).then().statusCode(403);
    }

    /** Every id of the caller's list of drafts awaiting the head's approval. */
    private static List<Long> awaiting(String token) {
        return ids(token, Map.of("awaiting", "head-approval"));
    }

    /** Every id of the caller's work list with the filter, page by page; checks X-Total-Count. */
    private static List<Long> ids(String token, Map<String, Object> filter) {
        List<Long> ids = new ArrayList<>();
        for (int page = 0;; page++) {
            Response r = as(token).queryParams(filter).queryParam("page", page).queryParam("size", 200).get(E);
            assertEquals(200, r.statusCode(), r.asString());
            long total = Long.parseLong(r.header("X-Total-Count"));
            List<Long> got = r.jsonPath().getList("id", Long.class);
            ids.addAll(got);
            if (got.size() < 200) {
                assertEquals(total, ids.size());
                return ids;
            }
        }
    }

}
