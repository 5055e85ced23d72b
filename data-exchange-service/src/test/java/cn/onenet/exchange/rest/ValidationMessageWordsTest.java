package cn.onenet.exchange.rest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import cn.onenet.exchange.ExchangeTestBase;
import cn.onenet.exchange.FakeCatalog;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A refused field is named for people in words, in Chinese and in English ("使用场景必填 / the scenario is required"),
 * and a value not among those allowed is answered with their meaning, each code in brackets after its words; the API
 * name stays in errors[].field.
 */
@QuarkusTest
class ValidationMessageWordsTest extends ExchangeTestBase {

    /** The message of the error naming {@code field}. */
    private static String message(JsonPath body, String field) {
        List<Map<String, String>> errors = body.getList("errors");
        return errors.stream().filter(e -> field.equals(e.get("field"))).map(e -> e.get("message")).findFirst()
                .orElseThrow(() -> new AssertionError("no error naming " + field + " in " + body.prettify()));
    }

    /** Both halves, and the Chinese one free of codes but those in brackets after their words. */
    private static void inWords(String message) {
        int slash = message.indexOf(" / ");
        assertTrue(slash > 0, "no English half: " + message);
        String zh = message.substring(0, slash).replaceAll("（[A-Z_]+）", "");
        assertTrue(zh.chars().noneMatch(c -> c < 128 && Character.isLetter(c)), "a code in the Chinese half: " + message);
    }

    @Test
    void aRequestLeavingFieldsOutIsToldWhichInWords() {
        Map<String, Object> body = RequestWorkflowTest.body(FakeCatalog.UNCONDITIONAL, List.of("XM"));
        body.remove("scenario");
        body.put("legalBasis", " ");
        body.remove("periodFrom");
        body.put("deliveryMethod", "EMAIL");
        JsonPath refused = RequestWorkflowTest.file(operator(RequestWorkflowTest.CONSUMER), body).then()
                .statusCode(400).contentType("application/problem+json").extract().jsonPath();
        assertEquals("使用场景必填 / the scenario is required", message(refused, "scenario"));
        assertEquals("申请依据必填 / the legal basis is required", message(refused, "legalBasis"));
        assertEquals("使用期限起始日必填 / the first day of the period is required", message(refused, "periodFrom"));
        assertEquals("共享方式须为接口调用（API）、批量交付（BULK）、文件交付（FILE）或订阅变更（SUBSCRIPTION） / the delivery "
                + "method must be one of calls to an interface (API), a bulk copy (BULK), a file (FILE) or a "
                + "subscription to changes (SUBSCRIPTION)", message(refused, "deliveryMethod"));
        List<Map<String, String>> errors = refused.getList("errors");
        errors.forEach(e -> inWords(e.get("message")));
    }

    @Test
    void aStatusFilterOutsideTheStatusesNamesThemInWords() {
        for (String list : List.of("requests", "grants", "disputes", "objections", "complaints", "incidents",
                "corrections")) {
            Response r = given().auth().oauth2(admin()).queryParam("status", "NOPE").get("/api/exchange/v1/" + list);
            r.then().statusCode(400).contentType("application/problem+json");
            String m = message(r.jsonPath(), "status");
            assertTrue(m.startsWith("状态须为") && m.contains(" / the status must be one of "), list + ": " + m);
            inWords(m);
        }
        String grants = message(given().auth().oauth2(admin()).queryParam("status", "NOPE").get("/api/exchange/v1/grants")
                .jsonPath(), "status");
        assertEquals("状态须为有效（ACTIVE）、已暂停（SUSPENDED）、已终止（TERMINATED）或已到期（EXPIRED） / the status must be "
                + "one of active (ACTIVE), suspended (SUSPENDED), terminated (TERMINATED) or expired (EXPIRED)", grants);
        // a page size out of range, as every paged list answers it
        assertEquals("每页条数须为 1 到 200 之间的整数 / the page size must be a whole number from 1 to 200",
                message(given().auth().oauth2(admin()).queryParam("size", 0).get("/api/exchange/v1/disputes")
                        .jsonPath(), "size"));
    }

    @Test
    void otherChoicesAndRequiredFieldsAreNamedInWordsToo() {
        String consumer = operator(RequestWorkflowTest.CONSUMER);
        // an export's format
        Response export = given().auth().oauth2(consumer).contentType(ContentType.JSON)
                .body(Map.of("grantId", 1, "format", "XLS")).post("/api/exchange/v1/exports");
        export.then().statusCode(400);
        String format = message(export.jsonPath(), "format");
        assertEquals("导出格式须为逗号分隔表格（CSV）或逐行 JSON 文本（JSONL） / the format must be one of a CSV table (CSV) "
                + "or JSON Lines (JSONL)", format);
        // a dispute's subject
        Response dispute = given().auth().oauth2(consumer).contentType(ContentType.JSON)
                .body(Map.of("subject", "OTHER", "requestId", 1)).post("/api/exchange/v1/disputes");
        dispute.then().statusCode(400);
        inWords(message(dispute.jsonPath(), "subject"));
    }
}
