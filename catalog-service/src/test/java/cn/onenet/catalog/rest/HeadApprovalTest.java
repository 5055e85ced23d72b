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
import cn.onenet.catalog.support.Fixtures;
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
        Fixtures.registeredOn(id, "2026-11-02"); // in the catalogue since then: approvals may be dated from then on
        assess(editor(), id);
        return id;
    }

    @Test
    void theProviderDepartmentsHeadApprovesAndIsRecordedAsTheTokenNamesThem() {
        long id = assessed("负责人本人审核-通过");
        String head = headOf("head-police-1", POLICE);
        headApproval(head, id, Map.of("opinion", "同意报送", "approvedOn", "2026-11-03")).statusCode(200)
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
        // those who read the draft and may not approve it are refused
        for (String other : List.of(editor(), reviewer(), admin(), auditor())) {
            headApproval(other, id, body).statusCode(403).contentType("application/problem+json");
        }
        // those who may not even see the draft learn nothing of it: 404, as GET answers them
        for (String other : List.of(headOf(MARKET), named("editor-both-roles-of-market", MARKET, "钱局长",
                "catalog-editor", "head"), editorOf(MARKET), operator())) {
            as(other).get(E + "/" + id).then().statusCode(404);
            headApproval(other, id, body).statusCode(404).contentType("application/problem+json");
            action(other, id, "head-approval", body).statusCode(404);
        }
        action(headOf(MARKET), 987_654_321L, "head-approval", body).statusCode(404);
        given().contentType("application/json").body(body).post(E + "/" + id + "/head-approval").then()
                .statusCode(401);
        // a token that names no person cannot sign the approval
        headApproval(TestTokens.civilServant("head-nameless", POLICE, AUD, "head"), id, body)
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
    void anotherDepartmentsHeadSeesAPublishedEntryUnderChangeAndIsRefused() {
        long live = published(editor(), entry("负责人本人审核-他部门已发布"));
        action(editor(), live, "change", Map.of("cause", "职责调整")).statusCode(200);
        assess(editor(), live);
        // the published copy is everyone's to read: its existence is no secret, the approval is not theirs
        as(headOf(MARKET)).get(E + "/" + live).then().statusCode(200);
        headApproval(headOf(MARKET), live).statusCode(403).contentType("application/problem+json");
        headApproval(head(), live).statusCode(200);
    }

    @Test
    void theApproverIsTheHeadSignedInNotANameInTheBody() {
        long id = assessed("负责人本人审核-请求体");
        headApproval(head(), id, Map.of("approver", "王建华", "opinion", "同意报送")).statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("approver"));
        headApproval(head(), id, Map.of()).statusCode(400).body("errors[0].field", equalTo("opinion"));
        headApproval(head(), id, Map.of("opinion", " ")).statusCode(400)
                .body("errors[0].field", equalTo("opinion"));
        headApproval(head(), id, Map.of("opinion", "同".repeat(501))).statusCode(400)
                .body("errors[0].field", equalTo("opinion"));
        headApproval(head(), id, Map.of("opinion", "同意报送", "approvedOn",
                LocalDate.now().plusDays(30).toString())).statusCode(400).body("errors[0].field", equalTo("approvedOn"));
        as(editor()).get(E + "/" + id).then().statusCode(200).body("headApproval", nullValue());
    }

    @Test
    void theApprovalIsNotDatedBeforeTheLaterAssessment() {
        long id = create(editor(), entry("负责人本人审核-倒签"));
        Fixtures.registeredOn(id, "2026-10-01");
        as(editor()).body(Map.of("reference", "BM-2026-201", "conclusion", "不涉及国家秘密和工作秘密", "assessedOn",
                "2026-11-02")).post(E + "/" + id + "/assessments/secrecy").then().statusCode(200);
        as(editor()).body(Map.of("reference", "PIA-2026-201", "conclusion", "风险可控", "assessedOn", "2026-11-05"))
                .post(E + "/" + id + "/assessments/personal-information").then().statusCode(200);
        // after the secrecy assessment but before the impact assessment: backdated
        headApproval(head(), id, Map.of("opinion", "同意报送", "approvedOn", "2026-11-04")).statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("approvedOn"))
                .body("errors[0].message", org.hamcrest.Matchers.containsString("2026-11-05"));
        headApproval(head(), id, Map.of("opinion", "同意报送", "approvedOn", "2026-10-01")).statusCode(400)
                .body("errors[0].field", equalTo("approvedOn"));
        as(editor()).get(E + "/" + id).then().statusCode(200).body("headApproval", nullValue());
        // the day of the later assessment itself is fine
        headApproval(head(), id, Map.of("opinion", "同意报送", "approvedOn", "2026-11-05")).statusCode(200)
                .body("headApproval.approvedOn", equalTo("2026-11-05"));
    }

    @Test
    void theHeadApprovesTheDraftTheyReadAndOnlyOnce() {
        long id = assessed("负责人本人审核-版本");
        int read = as(head()).get(E + "/" + id).then().statusCode(200).extract().path("lockVersion");
        // without the version read the approval is refused, naming the header
        action(head(), id, "head-approval", Map.of("opinion", "同意报送")).statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("If-Match"));
        as(head()).header("If-Match", "v7").body(Map.of("opinion", "同意报送")).post(E + "/" + id + "/head-approval")
                .then().statusCode(400).body("errors[0].field", equalTo("If-Match"));
        // the editor changes the content and has it assessed again after the head opened it
        Map<String, Object> changed = entry("负责人本人审核-版本");
        changed.put("shareScope", "省市县三级政务部门");
        Fixtures.put(editor(), id, changed).statusCode(200);
        assess(editor(), id);
        as(head()).header("If-Match", String.valueOf(read)).body(Map.of("opinion", "同意报送"))
                .post(E + "/" + id + "/head-approval").then().statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:onenet:problem:stale-version"))
                .body("currentVersion", equalTo(Fixtures.lockVersion(id)));
        as(editor()).get(E + "/" + id).then().body("headApproval", nullValue());

        // the draft as it is now: approved; a second approval does not replace the first
        int current = as(head()).get(E + "/" + id).then().extract().path("lockVersion");
        as(head()).header("If-Match", "\"" + current + "\"").body(Map.of("opinion", "同意报送", "approvedOn", "2026-11-03"))
                .post(E + "/" + id + "/head-approval").then().statusCode(200);
        headApproval(headOf("head-police-2", POLICE), id, Map.of("opinion", "同意，另请补充说明")).statusCode(409)
                .contentType("application/problem+json").body("errors[0].field", equalTo("headApproval"));
        headApproval(head(), id).statusCode(409).body("errors[0].field", equalTo("headApproval"));
        as(editor()).get(E + "/" + id).then().body("headApproval.opinion", equalTo("同意报送"))
                .body("headApproval.approvedOn", equalTo("2026-11-03"))
                .body("headApproval.recordedBy", equalTo("head-" + POLICE));
        List<String> actions = as(editor()).get(E + "/" + id + "/history").then().extract().path("action");
        assertEquals(1, actions.stream().filter("HEAD_APPROVAL"::equals).count(), actions.toString());
    }

    @Test
    void theHeadApprovesOnlyDraftsUnderWorkWithBothAssessments() {
        long id = create(editor(), entry("负责人本人审核-评估前"));
        // each missing assessment is named with its own field, in Chinese and English, as submission names them
        headApproval(head(), id).statusCode(409).contentType("application/problem+json")
                .body("errors.field", equalTo(List.of("secrecyAssessment", "personalInformationAssessment")))
                .body("errors[0].message", equalTo("缺少保密风险评估 / secrecy assessment missing"))
                .body("errors[1].message", equalTo("缺少个人信息保护影响评估 / PI impact assessment missing"));
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
        Fixtures.put(both, others, changed).statusCode(200).body("headApproval", nullValue());
        assess(editor(), others);
        headApproval(both, others).statusCode(403);
        headApproval(head(), others).statusCode(200);

        // a change of a published entry is a new round: what they wrote for the published version does not count
        long live = published(both, entry("负责人本人审核-变更"));
        action(editor(), live, "change", Map.of("cause", "职责调整")).statusCode(200);
        Map<String, Object> update = entry("负责人本人审核-变更");
        update.put("shareScope", "省市两级政务部门");
        Fixtures.put(editor(), live, update).statusCode(200);
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
