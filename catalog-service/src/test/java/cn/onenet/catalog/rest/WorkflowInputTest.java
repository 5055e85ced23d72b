package cn.onenet.catalog.rest;

import static cn.onenet.catalog.support.Fixtures.action;
import static cn.onenet.catalog.support.Fixtures.admin;
import static cn.onenet.catalog.support.Fixtures.as;
import static cn.onenet.catalog.support.Fixtures.auditor;
import static cn.onenet.catalog.support.Fixtures.create;
import static cn.onenet.catalog.support.Fixtures.editor;
import static cn.onenet.catalog.support.Fixtures.entry;
import static cn.onenet.catalog.support.Fixtures.prepare;
import static cn.onenet.catalog.support.Fixtures.published;
import static cn.onenet.catalog.support.Fixtures.reviewer;
import static cn.onenet.catalog.support.Fixtures.submitted;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import cn.onenet.catalog.support.FakeExchange;
import cn.onenet.catalog.support.Fixtures;
import cn.onenet.testsupport.PostgresTestResource;
import cn.onenet.testsupport.TestOidcResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;

/**
 * The texts a workflow step records (opinions, causes, reasons, filings, assessment conclusions) fit the history; an
 * assessment is not dated in the future; an entry returned after approval can still have its classification
 * corrected.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestOidcResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FakeExchange.class, restrictToAnnotatedClass = false)
class WorkflowInputTest {

    private static final String E = "/api/catalog/v1/entries/";
    private static final String LONG = "意".repeat(2001);

    /** A step sending {@code text} as its field, on an entry in the state the step needs. */
    private interface Step {
        ValidatableResponse send(long id, String text);
    }

    private static long changing(String name) {
        long id = published(editor(), entry(name));
        action(editor(), id, "change", Map.of("cause", "职责调整")).statusCode(200);
        return id;
    }

    private static long deregistering(String name, boolean filed) {
        long id = published(editor(), entry(name));
        action(editor(), id, "deregistration", Map.of("reason", "停止采集")).statusCode(200);
        if (filed) {
            action(editor(), id, "deregistration/filing", Map.of("filing", "已与使用部门协商一致")).statusCode(200);
        }
        return id;
    }

    private static long approved(String name) {
        long id = submitted(editor(), entry(name));
        action(reviewer(), id, "approve", Map.of("opinion", "同意")).statusCode(200);
        return id;
    }

    private static Step post(String token, String path, String field) {
        return (id, text) -> action(token, id, path, Map.of(field, text));
    }

    static Stream<Arguments> steps() {
        return Stream.of(
                Arguments.of("edit reason", (LongSupplier) () -> create(editor(), entry("长文本-编辑")), "reason",
                        (Step) (id, text) -> as(editor()).queryParam("reason", text.replace('意', 'a'))
                                .header("If-Match", String.valueOf(Fixtures.lockVersion(id)))
                                .body(entry("长文本-编辑-改")).put(E + id).then()),
                Arguments.of("assessment conclusion", (LongSupplier) () -> create(editor(), entry("长文本-评估")),
                        "conclusion", (Step) (id, text) -> as(editor()).body(Map.of("reference", "BM-1",
                                "conclusion", text, "assessedOn", Fixtures.registrationDay(id)))
                                .post(E + id + "/assessments/secrecy").then()),
                Arguments.of("submission note", (LongSupplier) () -> {
                    long id = create(editor(), entry("长文本-报送"));
                    prepare(editor(), id);
                    return id;
                }, "opinion", post(editor(), "submit", "opinion")),
                Arguments.of("return opinion", (LongSupplier) () -> submitted(editor(), entry("长文本-退回")), "opinion",
                        post(reviewer(), "return", "opinion")),
                Arguments.of("approval opinion", (LongSupplier) () -> submitted(editor(), entry("长文本-通过")),
                        "opinion", post(reviewer(), "approve", "opinion")),
                Arguments.of("publication opinion", (LongSupplier) () -> approved("长文本-发布"), "opinion",
                        post(reviewer(), "publish", "opinion")),
                Arguments.of("change cause", (LongSupplier) () -> published(editor(), entry("长文本-变更")), "cause",
                        post(editor(), "change", "cause")),
                Arguments.of("extension opinion", (LongSupplier) () -> changing("长文本-延期"), "opinion",
                        post(reviewer(), "change-extension", "opinion")),
                Arguments.of("change filing", (LongSupplier) () -> changing("长文本-变更备案"), "filing",
                        post(editor(), "change/filing", "filing")),
                Arguments.of("change filing acceptance", (LongSupplier) () -> {
                    long id = changing("长文本-接受变更备案");
                    action(editor(), id, "change/filing", Map.of("filing", "已协商")).statusCode(200);
                    return id;
                }, "opinion", post(reviewer(), "change/filing-acceptance", "opinion")),
                Arguments.of("deregistration reason", (LongSupplier) () -> published(editor(), entry("长文本-注销")),
                        "reason", post(editor(), "deregistration", "reason")),
                Arguments.of("deregistration filing", (LongSupplier) () -> deregistering("长文本-注销备案", false),
                        "filing", post(editor(), "deregistration/filing", "filing")),
                Arguments.of("deregistration filing acceptance",
                        (LongSupplier) () -> deregistering("长文本-接受注销备案", true), "opinion",
                        post(reviewer(), "deregistration/filing-acceptance", "opinion")),
                Arguments.of("deregistration approval", (LongSupplier) () -> deregistering("长文本-同意注销", true),
                        "opinion", post(reviewer(), "deregistration/approval", "opinion")),
                Arguments.of("deregistration rejection", (LongSupplier) () -> deregistering("长文本-驳回注销", false),
                        "opinion", post(reviewer(), "deregistration/rejection", "opinion")),
                Arguments.of("reclassification opinion",
                        (LongSupplier) () -> published(editor(), entry("长文本-重新分类")), "opinion",
                        (Step) (id, text) -> action(admin(), id, "reclassification", Map.of("classification",
                                Map.of("resourceClass", "THEMATIC", "category", "社会保障", "itemCode", "03",
                                        "catalogCode", "009"), "opinion", text))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("steps")
    void aStepTextLongerThanTheHistoryKeepsIsRefusedNamingItsFieldAndNothingIsRecorded(String step,
            LongSupplier setUp, String field, Step send) {
        long id = setUp.getAsLong();
        Map<String, Object> before = as(auditor()).get(E + id).then().statusCode(200).extract().jsonPath().getMap("$");
        int steps = as(auditor()).get(E + id + "/history").then().statusCode(200).extract().jsonPath().getList("$")
                .size();
        send.send(id, LONG).statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem(field)).body("requestId", not(nullValue()));
        assertEquals(before, as(auditor()).get(E + id).then().statusCode(200).extract().jsonPath().getMap("$"),
                step + ": the entry is unchanged");
        assertEquals(steps, as(auditor()).get(E + id + "/history").then().extract().jsonPath().getList("$").size(),
                step + ": nothing recorded");
        // the longest text the history keeps is taken
        send.send(id, LONG.substring(1)).statusCode(200);
    }

    @Test
    void anEditWithoutIfMatchIsRefusedAndChangesNothing() {
        long id = create(editor(), entry("编辑-缺少版本"));
        Map<String, Object> before = as(auditor()).get(E + id).then().extract().jsonPath().getMap("$");
        as(editor()).body(entry("编辑-缺少版本-改")).put(E + id).then().statusCode(428)
                .contentType("application/problem+json").body("field", equalTo("If-Match"))
                .body("errors.field", hasItem("If-Match")).body("requestId", not(nullValue()));
        assertEquals(before, as(auditor()).get(E + id).then().extract().jsonPath().getMap("$"));
        Fixtures.put(editor(), id, entry("编辑-缺少版本-改")).statusCode(200).body("draft.name", equalTo("编辑-缺少版本-改"));
    }

    @Test
    void anAssessmentIsNotDatedInTheFuture() {
        long id = create(editor(), entry("评估日期-未来"));
        LocalDate today = LocalDate.now(ZoneId.of("Asia/Shanghai"));
        as(editor()).body(Map.of("reference", "BM-9", "conclusion", "不涉密", "assessedOn", today.plusDays(1).toString()))
                .post(E + id + "/assessments/secrecy").then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("assessedOn"));
        as(auditor()).get(E + id).then().body("secrecyAssessment", nullValue());
        as(editor()).body(Map.of("reference", "BM-9", "conclusion", "不涉密", "assessedOn", today.toString()))
                .post(E + id + "/assessments/secrecy").then().statusCode(200);
        as(editor()).body(Map.of("reference", "PIA-9", "conclusion", "可控", "assessedOn", today.toString()))
                .post(E + id + "/assessments/personal-information").then().statusCode(200);
        // the head approves on the day of the assessments
        Fixtures.headApproval(Fixtures.head(), id).statusCode(200);
    }

    @Test
    void anEntryReturnedAfterApprovalCanBeReclassifiedAndGetsACodeOfItsNewClass() {
        long id = approved("退回改分类");
        String oldCode = as(editor()).get(E + id).then().extract().path("resourceCode");
        action(reviewer(), id, "return", Map.of("opinion", "分类有误，应归入社会保障主题")).statusCode(200);
        Map<String, Object> moved = entry("退回改分类");
        moved.put("classification", Map.of("resourceClass", "THEMATIC", "category", "社会保障", "itemCode", "03",
                "catalogCode", "009"));
        Fixtures.put(editor(), id, moved).statusCode(200).body("resourceCode", nullValue());
        as(editor()).get(E + id + "/history").then().statusCode(200)
                .body("find { it.action == 'DROP_RESOURCE_CODE' }.changes", containsString(oldCode));
        prepare(editor(), id);
        action(editor(), id, "submit", Map.of()).statusCode(200);
        String newCode = action(reviewer(), id, "approve", Map.of("opinion", "同意")).statusCode(200)
                .body("resourceCode", matchesPattern("203009/\\d{6}")).extract().path("resourceCode");
        assertNotEquals(oldCode, newCode);
        action(reviewer(), id, "publish", Map.of("opinion", "发布")).statusCode(200);
        // the void code was never published: the feed announces the entry under its code only
        List<Map<String, Object>> events = new java.util.ArrayList<>();
        long after = 0;
        while (true) {
            var page = as(Fixtures.system()).queryParam("after", after).queryParam("limit", 1000)
                    .get("/api/catalog/v1/feed").then().statusCode(200).extract().jsonPath();
            events.addAll(page.getList("items.findAll { it.entry.catalogEntryId == " + id + " }.entry"));
            if (page.getList("items").isEmpty()) {
                break;
            }
            after = page.getLong("next");
        }
        assertEquals(1, events.size());
        assertEquals(newCode, events.get(0).get("resourceCode"));
        assertFalse(events.get(0).containsKey("previousResourceCode"));
        as(Fixtures.operator()).queryParam("code", oldCode).get(E + "by-code").then().statusCode(404);

        // once published, the classification changes only by reclassification
        action(editor(), id, "change", Map.of("cause", "职责调整")).statusCode(200);
        Fixtures.put(editor(), id, entry("退回改分类")).statusCode(400)
                .body("errors[0].field", equalTo("classification"));
    }
}
