package cn.onenet.catalog.rest;

import static cn.onenet.catalog.support.Fixtures.action;
import static cn.onenet.catalog.support.Fixtures.as;
import static cn.onenet.catalog.support.Fixtures.editor;
import static cn.onenet.catalog.support.Fixtures.editorOf;
import static cn.onenet.catalog.support.Fixtures.entry;
import static cn.onenet.catalog.support.Fixtures.lockVersion;
import static cn.onenet.catalog.support.Fixtures.published;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.function.BiFunction;

import org.junit.jupiter.api.Test;

import cn.onenet.catalog.support.FakeExchange;
import cn.onenet.catalog.support.Fixtures;
import cn.onenet.testsupport.PostgresTestResource;
import cn.onenet.testsupport.TestOidcResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Another department's editor learns nothing of a draft it may not read: every provider step on it (edit, assessment,
 * submission, 备案, change, deregistration) is answered 404 as for an id that does not exist, as {@code GET} and the
 * head's approval answer it, and nothing changes. On a published entry, which it reads, the refusal is 403.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestOidcResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FakeExchange.class, restrictToAnnotatedClass = false)
class ForeignDraftTest {

    private static final String E = "/api/catalog/v1/entries/";
    private static final long MISSING = 987_654_321L;

    /** The provider's steps an editor takes on an entry, each as the given editor on the given id. */
    private static final Map<String, BiFunction<String, Long, Response>> STEPS = Map.of(
            "edit", (token, id) -> as(token).header("If-Match", "0").body(entry("他部门草稿-编辑")).put(E + id),
            "assessment", (token, id) -> as(token).body(Map.of("reference", "BM-1", "conclusion", "不涉密",
                    "assessedOn", "2026-11-02")).post(E + id + "/assessments/secrecy"),
            "submit", (token, id) -> as(token).body(Map.of()).post(E + id + "/submit"),
            "change", (token, id) -> as(token).body(Map.of("cause", "职责调整")).post(E + id + "/change"),
            "change filing", (token, id) -> as(token).body(Map.of("filing", "已协商")).post(E + id + "/change/filing"),
            "deregistration", (token, id) -> as(token).body(Map.of("reason", "不再维护")).post(E + id + "/deregistration"),
            "deregistration filing", (token, id) -> as(token).body(Map.of("filing", "已协商"))
                    .post(E + id + "/deregistration/filing"));

    @Test
    void anotherDepartmentsEditorCannotTellAnUnpublishedDraftFromAMissingOne() {
        long draft = Fixtures.create(editor(), entry("他部门草稿-探测"));
        int lock = lockVersion(draft);
        String market = editorOf(Fixtures.MARKET);
        STEPS.forEach((step, call) -> {
            Response missing = call.apply(market, MISSING);
            Response foreign = call.apply(market, draft);
            assertEquals(404, missing.statusCode(), step + " on a missing id");
            assertEquals(404, foreign.statusCode(), step + " on another department's draft: " + foreign.asString());
            assertEquals(missing.jsonPath().getString("detail"), foreign.jsonPath().getString("detail"), step);
        });
        as(editor()).get(E + draft).then().statusCode(200).body("lockVersion", equalTo(lock))
                .body("state", equalTo("DRAFT")).body("secrecyAssessment", equalTo(null));
        as(editor()).get(E + draft + "/history").then().body("actor", not(hasItem("editor-" + Fixtures.MARKET)));

        // a published entry it reads: the refusal says why
        long live = published(editor(), entry("他部门已发布-探测"));
        action(market, live, "change", Map.of("cause", "职责调整")).statusCode(403)
                .contentType("application/problem+json");
        as(editor()).get(E + live).then().body("state", equalTo("PUBLISHED"));
    }
}
