package cn.onenet.catalog.rest;

import static cn.onenet.catalog.support.Fixtures.MARKET;
import static cn.onenet.catalog.support.Fixtures.POLICE;
import static cn.onenet.catalog.support.Fixtures.admin;
import static cn.onenet.catalog.support.Fixtures.as;
import static cn.onenet.catalog.support.Fixtures.create;
import static cn.onenet.catalog.support.Fixtures.editor;
import static cn.onenet.catalog.support.Fixtures.entry;
import static cn.onenet.catalog.support.Fixtures.head;
import static cn.onenet.catalog.support.Fixtures.published;
import static cn.onenet.catalog.support.Fixtures.reviewer;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import cn.onenet.catalog.support.FakeExchange;
import cn.onenet.catalog.support.Fixtures;
import cn.onenet.testsupport.PostgresTestResource;
import cn.onenet.testsupport.TestOidcResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Parameters and bodies that were answered 500, or read as something else than was sent: each is refused naming its
 * field, and the refused request changes nothing.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestOidcResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FakeExchange.class, restrictToAnnotatedClass = false)
class InputGapsTest {

    private static final String C = "/api/catalog/v1/calendar";
    private static final String E = "/api/catalog/v1/entries";

    private static int calendarChanges() {
        return Integer.parseInt(as(admin()).get(C + "/changes?size=1").then().statusCode(200).extract()
                .header("X-Total-Count"));
    }

    @Test
    void aCalendarDayOutsideFourDigitYearsIsA400NamingTheDayNotA500() {
        int before = calendarChanges();
        for (String day : List.of("+999999999-12-31", "-4800-01-01", "+10000-01-01", "0000-01-01", "2026-1-05")) {
            as(admin()).body(Map.of("kind", "holiday", "name", "测试", "reason", "测试")).put(C + "/" + day).then()
                    .statusCode(400).contentType("application/problem+json").body("field", equalTo("day"))
                    .body("requestId", notNullValue());
            as(admin()).queryParam("reason", "测试").delete(C + "/" + day).then().statusCode(400)
                    .contentType("application/problem+json").body("field", equalTo("day"));
            as(admin()).queryParam("day", day).get(C + "/changes").then().statusCode(400)
                    .body("field", equalTo("day"));
            as(reviewer()).queryParam("start", day).queryParam("days", 10).get(C + "/working-days").then()
                    .statusCode(400).body("field", equalTo("start"));
        }
        org.junit.jupiter.api.Assertions.assertEquals(before, calendarChanges(), "nothing recorded");
        as(reviewer()).get(C + "?year=10000").then().statusCode(200).body("$", hasSize(0));
    }

    @Test
    void aPageSizeOutsideOneTo200OrANegativePageIsA400NamingIt() {
        for (String list : List.of(E, C + "/changes")) {
            String token = list.equals(E) ? editor() : admin();
            for (String size : List.of("0", "-5")) {
                as(token).queryParam("size", size).get(list).then().statusCode(400)
                        .contentType("application/problem+json").body("field", equalTo("size"));
            }
            as(token).queryParam("page", -1).get(list).then().statusCode(400)
                    .contentType("application/problem+json").body("field", equalTo("page"));
            // a size above the largest page is refused as well, as identity and the exchange refuse it
            for (String size : List.of("201", "100000")) {
                as(token).queryParam("size", size).get(list).then().statusCode(400)
                        .contentType("application/problem+json").body("field", equalTo("size"))
                        .body("detail", org.hamcrest.Matchers.containsString("from 1 to 200"))
                        .body("requestId", org.hamcrest.Matchers.notNullValue());
            }
            as(token).queryParam("size", 200).get(list).then().statusCode(200);
        }
    }

    @Test
    void anEditorsProviderFilterIsAppliedNotIgnored() {
        long own = create(editor(), entry("缺口-提供方筛选"));
        as(editor()).queryParam("provider", MARKET).queryParam("size", 200).get(E).then().statusCode(200)
                .body("$", hasSize(0)).header("X-Total-Count", "0");
        as(head()).queryParam("provider", MARKET).get(E).then().statusCode(200).body("$", hasSize(0));
        as(editor()).queryParam("provider", POLICE).queryParam("size", 200).get(E).then().statusCode(200)
                .body("id", hasItem((int) own)).body("draft.providerDepartmentCode", everyItem(equalTo(POLICE)));
    }

    @Test
    void anAssessmentReferenceLongerThanAReportNumberIsRefusedAndNothingIsRecorded() {
        long id = create(editor(), entry("缺口-评估编号"));
        as(editor()).body(Map.of("reference", "BM-" + "1".repeat(98), "conclusion", "不涉及国家秘密", "assessedOn",
                Fixtures.registrationDay(id))).post(E + "/" + id + "/assessments/secrecy").then().statusCode(400)
                .contentType("application/problem+json").body("field", equalTo("reference"));
        as(editor()).get(E + "/" + id).then().statusCode(200).body("secrecyAssessment", nullValue());
        as(editor()).body(Map.of("reference", "BM-" + "1".repeat(97), "conclusion", "不涉及国家秘密", "assessedOn",
                Fixtures.registrationDay(id))).post(E + "/" + id + "/assessments/secrecy").then().statusCode(200)
                .body("secrecyAssessment.reference", equalTo("BM-" + "1".repeat(97)));
    }
    @Test
    void aStepTextWithAControlCharacterOrAnUnpairedSurrogateIsRefusedNamingItAndChangesNothing() {
        long live = published(editor(), entry("缺口-变更原因字符"));
        for (String cause : List.of("法规\\u0001修订", "法规\\u0085修订", "法规\\ud800修订")) {
            as(editor()).body("{\"cause\":\"" + cause + "\"}").post(E + "/" + live + "/change").then()
                    .statusCode(400).contentType("application/problem+json").body("field", equalTo("cause"));
        }
        as(editor()).get(E + "/" + live).then().statusCode(200).body("state", equalTo("PUBLISHED"));
        long draft = create(editor(), entry("缺口-评估结论字符"));
        as(editor()).body("{\"reference\":\"BM-1\",\"conclusion\":\"不涉及\\u000b秘密\",\"assessedOn\":\""
                + Fixtures.registrationDay(draft) + "\"}")
                .post(E + "/" + draft + "/assessments/secrecy").then().statusCode(400)
                .body("field", equalTo("conclusion"));
        as(editor()).get(E + "/" + draft).then().statusCode(200).body("secrecyAssessment", nullValue());
    }

    @Test
    void aCalendarDayNameOrASynonymWithAControlCharacterIsRefused() {
        int before = calendarChanges();
        as(admin()).body("{\"kind\":\"holiday\",\"name\":\"测试\\u0001假日\",\"reason\":\"测试\"}")
                .put(C + "/2031-05-06").then().statusCode(400).body("field", equalTo("name"));
        as(admin()).body("{\"kind\":\"holiday\",\"name\":\"测试假日\",\"reason\":\"国办\\u0007通知\"}")
                .put(C + "/2031-05-06").then().statusCode(400).body("field", equalTo("reason"));
        org.junit.jupiter.api.Assertions.assertEquals(before, calendarChanges(), "nothing recorded");
        as(admin()).body("{\"expansion\":\"社会\\u0001保险\"}").put("/api/catalog/v1/synonyms/缺口社保").then()
                .statusCode(400).body("field", equalTo("expansion"));
        as(admin()).body("{\"expansion\":\"社会\\u009f保险\"}").put("/api/catalog/v1/synonyms/缺口社保").then()
                .statusCode(400).contentType("application/problem+json").body("field", equalTo("expansion"));
        as(admin()).get("/api/catalog/v1/synonyms").then().statusCode(200)
                .body("term", org.hamcrest.Matchers.not(hasItem("缺口社保")));
    }
}
