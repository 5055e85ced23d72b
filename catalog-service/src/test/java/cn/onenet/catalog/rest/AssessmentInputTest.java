package cn.onenet.catalog.rest;

import static cn.onenet.catalog.support.Fixtures.as;
import static cn.onenet.catalog.support.Fixtures.create;
import static cn.onenet.catalog.support.Fixtures.editor;
import static cn.onenet.catalog.support.Fixtures.entry;
import static cn.onenet.catalog.support.Fixtures.registeredOn;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.restassured.path.json.JsonPath;

import cn.onenet.catalog.support.FakeExchange;
import cn.onenet.testsupport.PostgresTestResource;
import cn.onenet.testsupport.TestOidcResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * An assessment (条例 Art. 13, R4) is dated within the entry's life so far — not after today, not before the day the
 * entry was registered, as a change's trigger is — and is recorded as the caller's: a body naming the recorder (or any
 * other field the request does not have) is refused naming the field, not silently ignored.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestOidcResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FakeExchange.class, restrictToAnnotatedClass = false)
class AssessmentInputTest {

    private static final String E = "/api/catalog/v1/entries/";

    private static void refusedAndNothingRecorded(long id, Map<String, Object> body, String field, String detail) {
        as(editor()).body(body).post(E + id + "/assessments/secrecy").then().statusCode(400)
                .contentType("application/problem+json").body("errors.field", hasItem(field))
                .body("detail", containsString(detail));
        as(editor()).get(E + id).then().statusCode(200).body("secrecyAssessment", nullValue());
        as(editor()).get(E + id + "/history").then().statusCode(200)
                .body("action", not(hasItem("ASSESSMENT_SECRECY")));
    }

    private static Map<String, Object> assessment(String assessedOn) {
        return Map.of("reference", "BM-2026-301", "conclusion", "不涉及国家秘密和工作秘密", "assessedOn", assessedOn);
    }

    @Test
    void anAssessmentIsNotDatedBeforeTheEntryWasRegisteredNorInTheFuture() {
        long id = create(editor(), entry("评估日期-登记之前"));
        registeredOn(id, "2026-03-02");
        refusedAndNothingRecorded(id, assessment("1900-01-01"), "assessedOn", "2026-03-02");
        refusedAndNothingRecorded(id, assessment("2026-03-01"), "assessedOn", "2026-03-02");
        String tomorrow = LocalDate.now(ZoneId.of("Asia/Shanghai")).plusDays(1).toString();
        refusedAndNothingRecorded(id, assessment(tomorrow), "assessedOn", "future");
        // the registration day itself is a valid date
        as(editor()).body(assessment("2026-03-02")).post(E + id + "/assessments/secrecy").then().statusCode(200)
                .body("secrecyAssessment.assessedOn", equalTo("2026-03-02"));
    }

    @Test
    void theRecorderIsTheCallerAndABodyNamingOneIsRefused() {
        long id = create(editor(), entry("评估记录人-不可填写"));
        String today = LocalDate.now(ZoneId.of("Asia/Shanghai")).toString();
        Map<String, Object> withRecorder = new java.util.HashMap<>(assessment(today));
        withRecorder.put("recordedBy", "someone-else");
        refusedAndNothingRecorded(id, withRecorder, "recordedBy", "recordedBy");
        Map<String, Object> withTime = new java.util.HashMap<>(assessment(today));
        withTime.put("recordedAt", "2026-01-01T00:00:00Z");
        refusedAndNothingRecorded(id, withTime, "recordedAt", "recordedAt");
        Map<String, Object> unknown = new java.util.HashMap<>(assessment(today));
        unknown.put("assessor", "李四");
        refusedAndNothingRecorded(id, unknown, "assessor", "unknown field");

        as(editor()).body(assessment(today)).post(E + id + "/assessments/secrecy").then().statusCode(200)
                .body("secrecyAssessment.recordedBy", equalTo("editor-police"));
    }

    @Test
    void theDocumentedRequestHasNoRecorder() {
        JsonPath doc = given().queryParam("format", "json").get("/q/openapi").then().statusCode(200).extract()
                .jsonPath();
        String ref = doc.getString("paths.'/api/catalog/v1/entries/{id}/assessments/{kind}'.post.requestBody.content"
                + ".'application/json'.schema.'$ref'");
        Map<String, Object> properties = doc.getMap("components.schemas." + ref.substring(ref.lastIndexOf('/') + 1)
                + ".properties");
        assertEquals(java.util.Set.of("reference", "conclusion", "assessedOn"), properties.keySet());
        assertFalse(properties.containsKey("recordedBy"));
        String summary = doc.getString("paths.'/api/catalog/v1/entries/{id}/assessments/{kind}'.post.summary");
        assertTrue(summary.contains("recordedBy"), summary);
    }
}
