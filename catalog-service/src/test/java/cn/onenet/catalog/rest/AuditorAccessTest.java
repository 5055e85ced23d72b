package cn.onenet.catalog.rest;

import static cn.onenet.catalog.support.Fixtures.action;
import static cn.onenet.catalog.support.Fixtures.admin;
import static cn.onenet.catalog.support.Fixtures.as;
import static cn.onenet.catalog.support.Fixtures.auditor;
import static cn.onenet.catalog.support.Fixtures.create;
import static cn.onenet.catalog.support.Fixtures.editor;
import static cn.onenet.catalog.support.Fixtures.entry;
import static cn.onenet.catalog.support.Fixtures.operator;
import static cn.onenet.catalog.support.Fixtures.prepare;
import static cn.onenet.catalog.support.Fixtures.published;
import static cn.onenet.catalog.support.Fixtures.republished;
import static cn.onenet.catalog.support.Fixtures.reviewer;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
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
import io.restassured.response.ValidatableResponse;

/**
 * The auditor (审计, e.g. the provincial big-data bureau's): reads the whole catalogue — every region, every state,
 * drafts, workflow records, history, versions, diffs, overdue timers, the feed — and changes nothing.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestOidcResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FakeExchange.class, restrictToAnnotatedClass = false)
class AuditorAccessTest {

    private static final String E = "/api/catalog/v1/entries";

    @Inject
    DataSource dataSource;

    /** A draft of 杭州市公安局, a Hangzhou-region entry: outside the provincial reviewer's work list. */
    private static long hangzhouDraft(String name) {
        return create(hangzhouEditor(), Fixtures.entryOf(Fixtures.HANGZHOU_POLICE, name));
    }

    private static String hangzhouEditor() {
        return Fixtures.editorOf(Fixtures.HANGZHOU_POLICE);
    }

    /** Every id of the work list, page by page. */
    private static List<Long> workList(String token, String state) {
        List<Long> ids = new ArrayList<>();
        for (int page = 0;; page++) {
            List<Long> got = as(token).queryParam("state", state).queryParam("page", page).queryParam("size", 200)
                    .get(E).then().statusCode(200).extract().jsonPath().getList("id", Long.class);
            ids.addAll(got);
            if (got.size() < 200) {
                return ids;
            }
        }
    }

    private static Map<String, Object> view(String token, long id) {
        return as(token).get(E + "/" + id).then().statusCode(200).extract().jsonPath().getMap("$");
    }

    @Test
    void anAuditorReadsDraftsRecordsAndListsOfEveryRegion() throws Exception {
        long draft = hangzhouDraft("审计抽查-杭州草稿");
        prepare(hangzhouEditor(), draft);
        long submitted = hangzhouDraft("审计抽查-杭州待审");
        prepare(hangzhouEditor(), submitted);
        action(hangzhouEditor(), submitted, "submit", Map.of()).statusCode(200);
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE catalog_entry SET review_due = DATE '2020-01-02' WHERE id = " + submitted);
        }
        long live = published(editor(), entry("审计抽查-已发布"));
        republished(editor(), live, entry("审计抽查-已发布（第二版）"));
        action(editor(), live, "change", Map.of("cause", "职责调整")).statusCode(200);
        Map<String, Object> changed = entry("审计抽查-变更中");
        Fixtures.put(editor(), live, changed).statusCode(200);

        // work lists of every region and state
        assertTrue(workList(auditor(), "DRAFT").contains(draft));
        assertTrue(workList(auditor(), "SUBMITTED").contains(submitted));
        assertTrue(workList(auditor(), "CHANGE_PENDING").contains(live));
        assertFalse(workList(reviewer(), "SUBMITTED").contains(submitted), "the provincial reviewer's list is 330000");
        as(auditor()).get(E + "/overdue").then().statusCode(200).body("id", hasItem((int) submitted));

        // a draft reads as its region's reviewer reads it: draft, assessments, head approval, review timer
        String hangzhouReviewer = Fixtures.reviewerOf("reviewer-hz", Fixtures.HANGZHOU_BUREAU, Fixtures.HANGZHOU);
        for (long id : List.of(draft, submitted)) {
            assertEquals(view(hangzhouReviewer, id), view(auditor(), id));
        }
        assertEquals(view(reviewer(), live), view(auditor(), live));
        as(auditor()).get(E + "/" + draft).then().body("state", equalTo("DRAFT"))
                .body("draft.name", equalTo("审计抽查-杭州草稿")).body("secrecyAssessment.reference", equalTo("BM-2026-001"))
                .body("headApproval.approver", equalTo("张厅长"));
        as(auditor()).get(E + "/" + live).then().body("state", equalTo("CHANGE_PENDING"))
                .body("draft.name", equalTo("审计抽查-变更中")).body("published.name", equalTo("审计抽查-已发布（第二版）"));
        String code = as(auditor()).get(E + "/" + live).then().extract().path("resourceCode");
        as(auditor()).queryParam("code", code).get(E + "/by-code").then().statusCode(200)
                .body("draft.name", equalTo("审计抽查-变更中"));

        // who did what, versions and their differences
        as(auditor()).get(E + "/" + draft + "/history").then().statusCode(200).body("action", hasItem("CREATE"));
        as(auditor()).get(E + "/" + submitted + "/history").then().statusCode(200).body("action", hasItem("SUBMIT"));
        as(auditor()).get(E + "/" + live + "/versions").then().statusCode(200).body("$", hasSize(2));
        as(auditor()).get(E + "/" + live + "/versions/1").then().statusCode(200)
                .body("content.name", equalTo("审计抽查-已发布"));
        as(auditor()).queryParam("from", 1).queryParam("to", 2).get(E + "/" + live + "/diff").then().statusCode(200)
                .body("field", hasItem("name"));

        // the change feed and the bulk export with drafts
        int cursor = as(admin()).get("/api/catalog/v1/search-index").then().statusCode(200).extract().path("feedCursor");
        as(auditor()).queryParam("after", Math.max(0, cursor - 10)).get("/api/catalog/v1/feed").then()
                .statusCode(200).body("items.entry.catalogEntryId", hasItem((int) live));
        String csv = new String(as(auditor()).queryParam("format", "csv").queryParam("provider", Fixtures.HANGZHOU_POLICE)
                .get("/api/catalog/v1/spreadsheets/entries").then().statusCode(200).extract().asByteArray(),
                StandardCharsets.UTF_8);
        assertTrue(csv.contains("审计抽查-杭州草稿"), "drafts are exported to the auditor");

        // the rest of the curated data
        as(auditor()).get("/api/catalog/v1/calendar").then().statusCode(200);
        as(auditor()).get("/api/catalog/v1/synonyms").then().statusCode(200);
        as(auditor()).queryParam("q", "审计抽查").get("/api/catalog/v1/search").then().statusCode(200);

        // still closed to other read-only roles
        as(operator()).get(E).then().statusCode(403);
        as(operator()).get(E + "/overdue").then().statusCode(403);
        as(operator()).get("/api/catalog/v1/feed").then().statusCode(403);
        as(operator()).get(E + "/" + draft).then().statusCode(404);
        as(operator()).get(E + "/" + draft + "/history").then().statusCode(403);
    }

    private static ValidatableResponse refused(ValidatableResponse r) {
        return r.statusCode(403).contentType("application/problem+json");
    }

    @Test
    void anAuditorChangesNothing() {
        long draft = hangzhouDraft("审计只读-草稿");
        long submitted = create(editor(), entry("审计只读-待审"));
        prepare(editor(), submitted);
        action(editor(), submitted, "submit", Map.of()).statusCode(200);
        long live = published(editor(), entry("审计只读-已发布"));
        Map<Long, Object> before = Map.of(draft, view(admin(), draft), submitted, view(admin(), submitted), live,
                view(admin(), live));
        Map<String, Object> opinion = Map.of("opinion", "同意");

        refused(as(auditor()).body(entry("审计只读-新建")).post(E).then());
        refused(as(auditor()).header("If-Match", "0").body(entry("审计只读-改")).put(E + "/" + draft).then());
        refused(as(auditor()).body(Map.of("reference", "BM-1", "conclusion", "不涉密", "assessedOn", "2026-11-02"))
                .post(E + "/" + draft + "/assessments/secrecy").then());
        refused(action(auditor(), draft, "head-approval", opinion));
        refused(action(auditor(), draft, "submit", Map.of()));
        for (String step : List.of("return", "approve", "publish")) {
            refused(action(auditor(), submitted, step, opinion));
        }
        refused(action(auditor(), live, "change", Map.of("cause", "职责调整")));
        refused(action(auditor(), live, "change-extension", opinion));
        refused(action(auditor(), live, "deregistration", Map.of("reason", "不再采集")));
        refused(action(auditor(), live, "deregistration/approval", opinion));
        refused(action(auditor(), live, "reclassification", Map.of("classification",
                Map.of("resourceClass", "BASE", "category", "人口", "itemCode", "01", "catalogCode", "002"),
                "reason", "审计")));
        assertEquals(before, Map.of(draft, view(admin(), draft), submitted, view(admin(), submitted), live,
                view(admin(), live)), "no entry changed");

        refused(as(auditor()).body(Map.of("kind", "holiday", "name", "审计日")).put("/api/catalog/v1/calendar/2027-05-05")
                .then());
        refused(as(auditor()).delete("/api/catalog/v1/calendar/2026-10-01").then());
        refused(as(auditor()).body(Map.of("expansion", "审计")).put("/api/catalog/v1/synonyms/SJ").then());
        refused(as(auditor()).delete("/api/catalog/v1/synonyms/社保").then());
        refused(as(auditor()).post("/api/catalog/v1/search-index/rebuild").then());
        refused(given().auth().oauth2(auditor()).contentType("text/csv").body("序号\n1".getBytes(StandardCharsets.UTF_8))
                .post("/api/catalog/v1/spreadsheets/entries").then());
        as(auditor()).get("/api/catalog/v1/synonyms").then().body("find { it.term == '社保' }.expansion",
                equalTo("社会保险")).body("term", org.hamcrest.Matchers.not(hasItem("SJ")));
        as(auditor()).queryParam("year", 2026).get("/api/catalog/v1/calendar").then()
                .body("day", hasItem("2026-10-01"));
        as(auditor()).queryParam("year", 2027).get("/api/catalog/v1/calendar").then()
                .body("day", org.hamcrest.Matchers.not(hasItem("2027-05-05")));
    }
}
