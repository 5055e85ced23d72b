package cn.onenet.catalog.rest;

import static cn.onenet.catalog.support.Fixtures.REVIEWER_NAME;
import static cn.onenet.catalog.support.Fixtures.action;
import static cn.onenet.catalog.support.Fixtures.admin;
import static cn.onenet.catalog.support.Fixtures.as;
import static cn.onenet.catalog.support.Fixtures.create;
import static cn.onenet.catalog.support.Fixtures.editor;
import static cn.onenet.catalog.support.Fixtures.editorOf;
import static cn.onenet.catalog.support.Fixtures.entry;
import static cn.onenet.catalog.support.Fixtures.head;
import static cn.onenet.catalog.support.Fixtures.headApproval;
import static cn.onenet.catalog.support.Fixtures.operator;
import static cn.onenet.catalog.support.Fixtures.prepare;
import static cn.onenet.catalog.support.Fixtures.published;
import static cn.onenet.catalog.support.Fixtures.registeredOn;
import static cn.onenet.catalog.support.Fixtures.reviewer;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import cn.onenet.catalog.support.FakeExchange;
import cn.onenet.catalog.support.Fixtures;
import cn.onenet.testsupport.PostgresTestResource;
import cn.onenet.testsupport.TestOidcResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestOidcResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FakeExchange.class, restrictToAnnotatedClass = false)
class LifecycleTest {

    private static final String E = "/api/catalog/v1/entries/";

    @Inject
    DataSource dataSource;

    @Test
    void createIsForEditorsOfTheirOwnDepartment() {
        as(reviewer()).body(entry("生命周期-角色")).post(E).then().statusCode(403);
        as(editorOf(Fixtures.MARKET)).body(entry("生命周期-他部门")).post(E).then().statusCode(403)
                .contentType("application/problem+json");
        given().contentType("application/json").body(entry("生命周期-匿名")).post(E).then().statusCode(401);
        long id = create(editor(), entry("生命周期-创建"));
        as(editor()).get(E + id).then().statusCode(200).body("state", equalTo("DRAFT"))
                .body("draft.name", equalTo("生命周期-创建")).body("resourceCode", nullValue());
        // a draft is not visible to other departments or anonymous callers
        as(editorOf(Fixtures.MARKET)).get(E + id).then().statusCode(404);
        given().get(E + id).then().statusCode(404);
    }

    @Test
    void submitNeedsAssessmentsAndHeadApproval() {
        long id = create(editor(), entry("生命周期-报送门槛"));
        action(editor(), id, "submit", Map.of()).statusCode(409)
                .body("errors.field", hasItems("secrecyAssessment", "personalInformationAssessment", "headApproval"));
        // head approval before the assessments is refused
        headApproval(head(), id).statusCode(409);
        prepare(editor(), id);
        action(reviewer(), id, "submit", Map.of()).statusCode(403);
        // another department's editor is answered as for a draft it may not see
        action(editorOf(Fixtures.MARKET), id, "submit", Map.of()).statusCode(404);
        action(editor(), id, "submit", Map.of()).statusCode(200).body("state", equalTo("SUBMITTED"))
                .body("reviewDue", notNullValue());
        // a submitted entry cannot be edited or resubmitted
        Fixtures.put(editor(), id, entry("生命周期-报送门槛")).statusCode(409);
        action(editor(), id, "submit", Map.of()).statusCode(409);
    }

    @Test
    void reviewerReturnsWithOpinionAndEditorResubmits() {
        long id = create(editor(), entry("生命周期-退回"));
        prepare(editor(), id);
        action(editor(), id, "submit", Map.of()).statusCode(200);
        action(editor(), id, "return", Map.of("opinion", "x")).statusCode(403);
        action(reviewer(), id, "return", Map.of()).statusCode(400).body("errors[0].field", equalTo("opinion"));
        action(reviewer(), id, "return", Map.of("opinion", "共享范围过窄，请补充")).statusCode(200)
                .body("state", equalTo("RETURNED")).body("headApproval", nullValue());
        action(reviewer(), id, "approve", Map.of()).statusCode(409);
        // edit, re-approve by head, resubmit
        Map<String, Object> body = entry("生命周期-退回");
        body.put("shareScope", "省市县三级政务部门");
        Fixtures.put(editor(), id, body).statusCode(200);
        action(editor(), id, "submit", Map.of()).statusCode(409);
        prepare(editor(), id);
        action(editor(), id, "submit", Map.of()).statusCode(200);
        List<Map<String, Object>> history = as(reviewer()).get(E + id + "/history").then().statusCode(200)
                .extract().jsonPath().getList("$");
        // the revised draft is assessed again: the edit withdrew the assessments the return had left in place
        assertEquals(List.of("CREATE", "ASSESSMENT_SECRECY", "ASSESSMENT_PERSONAL_INFORMATION", "HEAD_APPROVAL",
                "SUBMIT", "RETURN", "EDIT", "WITHDRAW_APPROVAL", "ASSESSMENT_SECRECY",
                "ASSESSMENT_PERSONAL_INFORMATION", "HEAD_APPROVAL", "SUBMIT"),
                history.stream().map(h -> h.get("action")).toList());
        assertEquals("共享范围过窄，请补充", history.get(5).get("opinion"));
        assertEquals("reviewer-1", history.get(5).get("actor"));
        // The person's name as the token gave it, beside the account id; none where the token has no name.
        assertEquals(REVIEWER_NAME, history.get(5).get("actorName"));
        assertNull(history.get(0).get("actorName"), "the editor's token carries no name: " + history.get(0));
    }

    @Test
    void approvalAssignsAnImmutableCodeAndPublicationMakesItLive() {
        long id = create(editor(), entry("生命周期-发布"));
        prepare(editor(), id);
        action(editor(), id, "submit", Map.of()).statusCode(200);
        action(editor(), id, "approve", Map.of()).statusCode(403);
        action(admin(), id, "approve", Map.of()).statusCode(403);
        String code = action(reviewer(), id, "approve", Map.of("opinion", "同意")).statusCode(200)
                .body("state", equalTo("APPROVED")).body("resourceCode", matchesPattern("101001/\\d{6}"))
                .extract().path("resourceCode");
        action(editor(), id, "publish", Map.of()).statusCode(403);
        action(reviewer(), id, "publish", Map.of("opinion", "统一通告")).statusCode(200)
                .body("state", equalTo("PUBLISHED")).body("publishedVersion", equalTo(1))
                .body("versionLabel", equalTo("1.0")).body("resourceCode", equalTo(code));
        action(reviewer(), id, "publish", Map.of()).statusCode(409);
        // any authenticated caller reads it; the draft stays hidden from other departments
        as(operator()).get(E + id).then().statusCode(200).body("published.name", equalTo("生命周期-发布"))
                .body("draft", nullValue());
        as(operator()).queryParam("code", code).get(E + "by-code").then().statusCode(200).body("id", equalTo((int) id));
        // not open: anonymous callers do not see it
        given().get(E + id).then().statusCode(404);
        // the code survives a change and cannot be changed by editing the classification
        action(editor(), id, "change", Map.of("cause", "《户口登记条例》修订")).statusCode(200)
                .body("state", equalTo("CHANGE_PENDING")).body("changeDue", notNullValue());
        Map<String, Object> moved = entry("生命周期-发布");
        moved.put("classification", Map.of("resourceClass", "BASE", "category", "人口", "itemCode", "01",
                "catalogCode", "002"));
        Fixtures.put(editor(), id, moved).statusCode(400).body("errors[0].field", equalTo("classification"));
        // the published version stays live and requestable while the change is under way
        as(operator()).get(E + id).then().statusCode(200).body("live", equalTo(true))
                .body("state", equalTo("PUBLISHED"));
    }

    @Test
    void changeCreatesNumberedVersionsAndMajorOnItemRemoval() {
        long id = published(editor(), entry("生命周期-版本"));
        action(editor(), id, "change", Map.of("cause", "职责调整")).statusCode(200);
        Map<String, Object> v2 = entry("生命周期-版本");
        v2.put("abstract", "全省户籍人口登记信息（含迁移记录）");
        Fixtures.put(editor(), id, v2).statusCode(200);
        prepare(editor(), id);
        action(editor(), id, "submit", Map.of()).statusCode(200);
        action(reviewer(), id, "approve", Map.of()).statusCode(200);
        action(reviewer(), id, "publish", Map.of()).statusCode(200).body("publishedVersion", equalTo(2))
                .body("versionLabel", equalTo("1.1"));
        action(editor(), id, "change", Map.of("cause", "删除户籍地址")).statusCode(200);
        Map<String, Object> v3 = entry("生命周期-版本");
        @SuppressWarnings("unchecked")
        List<Object> items = (List<Object>) v3.get("items");
        items.remove(2);
        Fixtures.put(editor(), id, v3).statusCode(200);
        prepare(editor(), id);
        action(editor(), id, "submit", Map.of()).statusCode(200);
        action(reviewer(), id, "approve", Map.of()).statusCode(200);
        action(reviewer(), id, "publish", Map.of()).statusCode(200).body("publishedVersion", equalTo(3))
                .body("versionLabel", equalTo("2.0"));
        as(operator()).get(E + id + "/versions").then().statusCode(200).body("version", equalTo(List.of(1, 2, 3)))
                .body("major", equalTo(List.of(true, false, true)));
        as(operator()).queryParam("from", 1).queryParam("to", 2).get(E + id + "/diff").then().statusCode(200)
                .body("find { it.field == 'abstract' }.kind", equalTo("CHANGED"))
                .body("find { it.field == 'abstract' }.after", equalTo("全省户籍人口登记信息（含迁移记录）"))
                .body("size()", equalTo(1));
        as(operator()).queryParam("from", 1).queryParam("to", 3).get(E + id + "/diff").then().statusCode(200)
                .body("find { it.field == 'items[HJDZ].name' }.kind", equalTo("REMOVED"))
                .body("find { it.field == 'items[GMSFHM].name' }", nullValue());
        as(operator()).queryParam("from", 1).queryParam("to", 9).get(E + id + "/diff").then().statusCode(404);
    }

    @Test
    void staleLockVersionIsRefused() {
        long id = create(editor(), entry("生命周期-并发"));
        int lock = as(editor()).get(E + id).then().extract().path("lockVersion");
        as(editor()).header("If-Match", String.valueOf(lock)).body(entry("生命周期-并发")).put(E + id).then()
                .statusCode(200);
        as(editor()).header("If-Match", String.valueOf(lock)).body(entry("生命周期-并发")).put(E + id).then()
                .statusCode(409).body("type", equalTo("urn:onenet:problem:stale-version"));
    }

    @Test
    void changeExtensionOnlyOnceWhileThePeriodRunsAndOverdueIsFlagged() {
        long id = published(editor(), entry("生命周期-超期"));
        registeredOn(id, "2026-01-05"); // in the catalogue since then
        // a legal change from long ago: its 10-working-day period is over
        action(editor(), id, "change", Map.of("cause", "法规修订", "triggeredOn", "2026-01-05")).statusCode(200)
                .body("changeDue", equalTo("2026-01-19")).body("overdue", equalTo(true));
        as(reviewer()).get(E + "overdue").then().statusCode(200).body("id", hasItems((int) id));
        as(editor()).get(E + "overdue").then().statusCode(403);
        action(editor(), id, "change-extension", Map.of("opinion", "x")).statusCode(403);
        // the period is over: extending it now would erase the lateness (R6), so it is refused, naming the deadline
        action(reviewer(), id, "change-extension", Map.of("opinion", "同意延长")).statusCode(409)
                .contentType("application/problem+json").body("changeDue", equalTo("2026-01-19"))
                .body("detail", org.hamcrest.Matchers.containsString("2026-01-19"));
        as(reviewer()).get(E + id).then().statusCode(200).body("changeDue", equalTo("2026-01-19"))
                .body("changeExtended", equalTo(false)).body("overdue", equalTo(true));
        action(editor(), id, "change", Map.of("cause", "again")).statusCode(409);

        // while the period runs: extended once by 5 working days
        long running = published(editor(), entry("生命周期-按期延长"));
        String due = action(editor(), running, "change", Map.of("cause", "职责调整")).statusCode(200)
                .body("overdue", equalTo(false)).extract().path("changeDue");
        String extended = action(reviewer(), running, "change-extension", Map.of("opinion", "同意延长"))
                .statusCode(200).body("changeExtended", equalTo(true)).extract().path("changeDue");
        org.junit.jupiter.api.Assertions.assertTrue(java.time.LocalDate.parse(extended)
                .isAfter(java.time.LocalDate.parse(due)), due + " → " + extended);
        action(reviewer(), running, "change-extension", Map.of("opinion", "再延长")).statusCode(409);
    }

    @Test
    void theReviewDeadlineRunsUntilPublicationAndForDeregistrationRequests() throws Exception {
        long submitted = create(editor(), entry("生命周期-审核超期"));
        prepare(editor(), submitted);
        action(editor(), submitted, "submit", Map.of()).statusCode(200).body("overdue", equalTo(false));
        long approved = create(editor(), entry("生命周期-发布超期"));
        prepare(editor(), approved);
        action(editor(), approved, "submit", Map.of()).statusCode(200);
        action(reviewer(), approved, "approve", Map.of("opinion", "同意")).statusCode(200);
        long deregistering = published(editor(), entry("生命周期-注销超期"));
        action(editor(), deregistering, "deregistration", Map.of("reason", "系统整合")).statusCode(200);
        // two working days have passed for all three (R6: reviewed and published within 2 WD)
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE catalog_entry SET review_due = DATE '2026-01-05' WHERE id = ANY (?)")) {
            ps.setArray(1, c.createArrayOf("bigint", new Object[] {submitted, approved, deregistering}));
            assertEquals(3, ps.executeUpdate());
        }
        as(reviewer()).get(E + "overdue").then().statusCode(200)
                .body("id", hasItems((int) submitted, (int) approved, (int) deregistering));
        for (long id : List.of(submitted, approved, deregistering)) {
            as(reviewer()).get(E + id).then().statusCode(200).body("overdue", equalTo(true));
        }
        // published: the deadline is met and no longer shown
        action(reviewer(), approved, "publish", Map.of("opinion", "同意发布")).statusCode(200)
                .body("overdue", equalTo(false));
    }

    @Test
    void reclassificationIsTheOnlyWayToANewCode() {
        long id = published(editor(), entry("生命周期-重新分类"));
        String code = as(editor()).get(E + id).then().extract().path("resourceCode");
        Map<String, Object> body = Map.of("classification", Map.of("resourceClass", "THEMATIC", "category", "社会保障",
                "itemCode", "03", "catalogCode", "009"), "opinion", "归入社会保障主题");
        action(reviewer(), id, "reclassification", body).statusCode(403);
        action(editor(), id, "reclassification", body).statusCode(403);
        action(admin(), id, "reclassification", Map.of("classification", Map.of("resourceClass", "THEMATIC",
                "category", "社会保障", "itemCode", "01", "catalogCode", "009"), "opinion", "x")).statusCode(400);
        String newCode = action(admin(), id, "reclassification", body).statusCode(200)
                .body("resourceCode", matchesPattern("203009/\\d{6}")).body("publishedVersion", equalTo(2))
                .extract().path("resourceCode");
        org.junit.jupiter.api.Assertions.assertNotEquals(code, newCode);
        as(operator()).queryParam("code", code).get(E + "by-code").then().statusCode(404);
        as(operator()).queryParam("code", newCode).get(E + "by-code").then().statusCode(200);
        Map<String, Object> last = as(Fixtures.system()).queryParam("after", 0).queryParam("limit", 1000)
                .get("/api/catalog/v1/feed").then().extract().jsonPath().getMap("items.find { it.entry.resourceCode == '"
                        + newCode + "' }");
        assertEquals("CHANGED", last.get("type"));
        assertEquals(code, ((Map<?, ?>) last.get("entry")).get("previousResourceCode"));
        as(reviewer()).get(E + id + "/history").then().body("action", hasItems("RECLASSIFY"));
    }
}
