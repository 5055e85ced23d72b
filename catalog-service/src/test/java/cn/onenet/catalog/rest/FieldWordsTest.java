package cn.onenet.catalog.rest;

import static cn.onenet.catalog.support.Fixtures.admin;
import static cn.onenet.catalog.support.Fixtures.as;
import static cn.onenet.catalog.support.Fixtures.editor;
import static cn.onenet.catalog.support.Fixtures.entry;
import static cn.onenet.catalog.support.Fixtures.reviewer;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import cn.onenet.catalog.support.FakeExchange;
import cn.onenet.catalog.support.Fixtures;
import cn.onenet.testsupport.PostgresTestResource;
import cn.onenet.testsupport.TestOidcResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;

/**
 * A refusal names the field by its API name in {@code field} and says it in words in its message: the Chinese part
 * in Chinese (每页条数, not {@code size}), the English part in English words (include subregions, not
 * {@code includeSubregions}).
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestOidcResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FakeExchange.class, restrictToAnnotatedClass = false)
class FieldWordsTest {

    private static final String API = "/api/catalog/v1";

    /** A 400 naming {@code field} whose message says {@code chinese} and {@code english} and not the raw name. */
    private static void inWords(ValidatableResponse answer, String field, String raw, String chinese, String english) {
        String message = answer.statusCode(400).contentType("application/problem+json").extract().path("errors[0].message");
        assertEquals(field, answer.extract().path("errors[0].field"));
        String[] parts = message.split(" / ", 2);
        assertTrue(parts.length == 2, message);
        assertFalse(parts[0].contains(raw), "Chinese part names the API field: " + message);
        assertTrue(parts[0].contains(chinese), message);
        assertTrue(parts[1].contains(english), message);
        if (!raw.equals(raw.toLowerCase())) {
            assertFalse(parts[1].contains(raw), "English part names the API field: " + message);
        }
    }

    @Test
    void queryParametersAreNamedInWords() {
        inWords(given().queryParam("size", 0).get(API + "/dcat/catalog").then(), "size", "size", "每页条数", "page size");
        inWords(as(reviewer()).queryParam("q", "户籍").queryParam("size", 0).get(API + "/search").then(), "size", "size",
                "每页条数", "page size");
        inWords(as(reviewer()).queryParam("size", 0).get(API + "/entries").then(), "size", "size", "每页条数",
                "page size");
        inWords(as(reviewer()).queryParam("start", "2026-12-01").queryParam("days", -1)
                .get(API + "/calendar/working-days").then(), "days", "days", "工作日数", "working days");
        inWords(as(admin()).queryParam("limit", 0).get(API + "/feed").then(), "limit", "limit", "条数", "events");
        String report = API + "/compliance-report";
        inWords(as(admin()).queryParam("region", "33").get(report).then(), "region", "region", "行政区划", "region");
        inWords(as(admin()).queryParam("includeSubregions", "yes").get(report).then(), "includeSubregions",
                "includeSubregions", "下级行政区划", "include subregions");
        inWords(as(admin()).queryParam("from", "2026-13-01").get(report).then(), "from", "from", "起始日期",
                "start date");
        inWords(as(admin()).queryParam("to", "1999-12-31").get(report).then(), "to", "to", "截止日期", "end date");
        inWords(as(admin()).queryParam("from", "2026-12-02").queryParam("to", "2026-12-01").get(report).then(),
                "from", "from", "起始日期", "start date");
    }

    @Test
    void headersBodiesAndCalendarFieldsAreNamedInWords() {
        long id = Fixtures.create(editor(), entry("字段用语-草稿"));
        inWords(as(editor()).header("If-Match", "abc").body(entry("字段用语-草稿")).put(API + "/entries/" + id).then(),
                "If-Match", "lockVersion", "版本号", "version");
        inWords(as(admin()).body(Map.of("kind", "sometimes", "name", "测试", "reason", "测试"))
                .put(API + "/calendar/2031-03-04").then(), "kind", "kind", "类型", "kind");
        Map<String, Object> body = new HashMap<>(entry("字段用语-无摘要"));
        body.put("abstract", " ");
        body.put("dataCategory", "");
        inWords(as(editor()).body(body).post(API + "/entries").then(), "abstract", "abstract", "信息资源摘要", "abstract");
        as(editor()).body(body).post(API + "/entries").then().statusCode(400)
                .body("errors.find { it.field == 'dataCategory' }.message",
                        org.hamcrest.Matchers.containsString("data category"));
    }

    @Test
    void everyPageSizeIsRefusedInOneWording() {
        String dcat = given().queryParam("size", 1001).get(API + "/dcat/catalog").then().statusCode(400).extract()
                .path("errors[0].message");
        assertEquals("每页条数须为1到1000之间的整数 / the page size must be a whole number from 1 to 1000", dcat);
        String search = as(reviewer()).queryParam("q", "户籍").queryParam("size", 0).get(API + "/search").then()
                .statusCode(400).extract().path("errors[0].message");
        String entries = as(reviewer()).queryParam("size", 0).get(API + "/entries").then().statusCode(400).extract()
                .path("errors[0].message");
        assertEquals(entries, search);
        assertTrue(search.startsWith("每页条数须为1到"), search);
    }
}
