package cn.onenet.exchange.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import cn.onenet.exchange.ExchangeTestBase;
import cn.onenet.exchange.FakeCatalog;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * R1, R12, R15, R20: a new version of a catalogue entry reaches the grants on it. An item the catalogue removed is
 * delivered no more (never unmasked) and leaves the grants' item lists; an item once masked stays masked; a version
 * that makes the entry 不予共享 ends the grants as a deregistration does.
 */
@QuarkusTest
class CatalogueChangeTest extends ExchangeTestBase {

    static final String CODE = "330000-01-02/900861";
    static final String PROVIDER = RequestWorkflowTest.PROVIDER;
    static final String ID = "330106198503030014";
    static final String GRANTS = "/api/exchange/v1/grants/";

    @Test
    void removedItemsLeaveTheGrantsAndNotSharedEndsThem() {
        Map<String, Object> v1 = FakeCatalog.add("PUBLISHED", CODE, "目录变更测试目录", PROVIDER, "CONDITIONAL",
                "LEVEL_3", "GMSFHM", List.of(Map.of("code", "GMSFHM", "name", "公民身份号码", "sensitive", true),
                        Map.of("code", "XM", "name", "姓名", "sensitive", true),
                        Map.of("code", "ZY", "name", "职业", "sensitive", false)));
        replica.pollOnce();
        given().urlEncodingEnabled(false).auth().oauth2(operator(PROVIDER)).contentType(ContentType.JSON)
                .body(List.of(Map.of("GMSFHM", ID, "XM", "王芳", "ZY", "教师")))
                .post("/api/exchange/v1/datasets/" + FakeCatalog.encoded(CODE) + "/records").then().statusCode(201);
        String consumer = NoticeReadTest.freshDepartment();
        long request = DeregisteredEntryTest.filedOn(CODE, consumer);
        DeregisteredEntryTest.provider(request, "approve", Map.of("version", 0));
        long grant = DeregisteredEntryTest.get(operator(consumer), "/api/exchange/v1/requests/" + request)
                .getLong("grantId");
        given().auth().oauth2(operator(consumer)).get(GRANTS + grant).then().statusCode(200)
                .body("maskedItems", equalTo(List.of("GMSFHM", "XM")));
        DeliveryTest.lookup(operator(consumer), CODE, ID).then().statusCode(200)
                .body("record.XM", equalTo("王*")).body("record.GMSFHM", equalTo("330***********0014"));

        // v2 drops XM and no longer marks GMSFHM sensitive
        Map<String, Object> v2 = new LinkedHashMap<>(v1);
        v2.put("version", 2);
        v2.put("items", List.of(Map.of("code", "GMSFHM", "name", "公民身份号码", "sensitive", false),
                Map.of("code", "ZY", "name", "职业", "sensitive", false)));
        FakeCatalog.addItem("PUBLISHED", v2);
        replica.pollOnce();

        Response after = DeliveryTest.lookup(operator(consumer), CODE, ID);
        after.then().statusCode(200).body("record", not(hasKey("XM")))
                // masked when the grant was issued: never clear afterwards
                .body("record.GMSFHM", equalTo("330***********0014")).body("key", equalTo("330***********0014"))
                .body("maskedItems", equalTo(List.of("GMSFHM")));
        assertFalse(after.asString().contains("王芳"));
        assertFalse(after.asString().contains(ID));
        // nor can the removed item be a filter
        given().urlEncodingEnabled(false).auth().oauth2(operator(consumer))
                .get("/api/exchange/v1/data/" + FakeCatalog.encoded(CODE) + "/records?XM="
                        + FakeCatalog.encoded("王芳"))
                .then().statusCode(400).contentType("application/problem+json").body("field", equalTo("XM"));
        // the grant follows the catalogue: fewer items, recorded as an automatic decision, the consumer told
        given().auth().oauth2(operator(consumer)).get(GRANTS + grant).then().statusCode(200)
                .body("status", equalTo("ACTIVE")).body("items", equalTo(List.of("GMSFHM")))
                .body("maskedItems", equalTo(List.of("GMSFHM")))
                .body("lastDecision.action", equalTo("CHANGE")).body("lastDecision.automatic", equalTo(true))
                .body("lastDecision.actor.role", equalTo("scheduler"))
                .body("lastDecision.reason", containsString("XM"));
        assertEquals(List.of("GRANT_CHANGED"),
                kinds(DeregisteredEntryTest.noticesAbout(consumer, "GRANT", grant)));
        // the same version again changes nothing
        int version = DeregisteredEntryTest.get(operator(consumer), GRANTS + grant).getInt("version");
        FakeCatalog.addItem("PUBLISHED", v2);
        replica.pollOnce();
        given().auth().oauth2(operator(consumer)).get(GRANTS + grant).then().body("version", equalTo(version));

        // another department's request waits for the provider when v3 makes the entry 不予共享
        String waiting = NoticeReadTest.freshDepartment();
        long pending = RequestWorkflowTest.file(operator(waiting), RequestWorkflowTest.body(CODE, List.of("GMSFHM")))
                .then().statusCode(201).body("status", equalTo("PENDING")).extract().jsonPath().getLong("id");
        Map<String, Object> v3 = new LinkedHashMap<>(v2);
        v3.put("version", 3);
        v3.put("shareAttribute", "NOT_SHARED");
        v3.put("notSharedReason", "涉及案件侦查");
        v3.put("notSharedLegalBasis", Map.of("type", "LAW", "title", "中华人民共和国刑事诉讼法", "article", "第一百五十二条"));
        FakeCatalog.addItem("PUBLISHED", v3);
        replica.pollOnce();

        given().auth().oauth2(operator(consumer)).get(GRANTS + grant).then().statusCode(200)
                .body("status", equalTo("TERMINATED")).body("statusReason", containsString("不予共享"))
                .body("statusReason", containsString("中华人民共和国刑事诉讼法"))
                .body("lastDecision.action", equalTo("TERMINATE")).body("lastDecision.automatic", equalTo(true));
        DeliveryTest.lookup(operator(consumer), CODE, ID).then().statusCode(403)
                .contentType("application/problem+json").body("resourceCode", equalTo(CODE))
                .body("shareAttribute", equalTo("NOT_SHARED"));
        given().urlEncodingEnabled(false).auth().oauth2(operator(consumer)).header("X-Grant-Id", grant)
                .get(DeliveryTest.path(CODE, ID)).then().statusCode(403);
        assertEquals(List.of("GRANT_TERMINATED", "GRANT_CHANGED"),
                kinds(DeregisteredEntryTest.noticesAbout(consumer, "GRANT", grant)));
        assertEquals(1, DeregisteredEntryTest.noticesAbout(PROVIDER, "GRANT", grant).size());
        // the waiting request gets no grant: the provider can only refuse it
        DeregisteredEntryTest.provider(pending, "refuse", Map.of("version", 0, "reason", "目录已调整为不予共享"));
        given().auth().oauth2(operator(waiting)).queryParam("resourceCode", CODE).get("/api/exchange/v1/grants")
                .then().statusCode(200).body("size()", equalTo(0));
    }

    @Test
    void aGrantLeftWithNoItemEnds() {
        String code = "330000-01-02/900862";
        Map<String, Object> v1 = FakeCatalog.add("PUBLISHED", code, "目录变更测试目录二", PROVIDER, "UNCONDITIONAL",
                "LEVEL_2", "GMSFHM", List.of(Map.of("code", "GMSFHM", "name", "公民身份号码", "sensitive", true),
                        Map.of("code", "XM", "name", "姓名", "sensitive", true)));
        replica.pollOnce();
        String consumer = NoticeReadTest.freshDepartment();
        long grant = RequestWorkflowTest.file(operator(consumer), RequestWorkflowTest.body(code, List.of("XM")))
                .then().statusCode(201).body("status", equalTo("GRANTED")).extract().jsonPath().getLong("grantId");
        Map<String, Object> v2 = new LinkedHashMap<>(v1);
        v2.put("version", 2);
        v2.put("items", List.of(Map.of("code", "GMSFHM", "name", "公民身份号码", "sensitive", true)));
        FakeCatalog.addItem("PUBLISHED", v2);
        replica.pollOnce();
        given().auth().oauth2(operator(consumer)).get(GRANTS + grant).then().statusCode(200)
                .body("status", equalTo("TERMINATED")).body("statusReason", containsString("XM"));
    }

    @Test
    void anExportWrittenBeforeAnItemWasMaskedIsNotDownloaded() throws Exception {
        String code = "330000-01-02/900863";
        Map<String, Object> v1 = FakeCatalog.add("PUBLISHED", code, "目录变更测试目录三", PROVIDER, "CONDITIONAL",
                "LEVEL_2", "GMSFHM", List.of(Map.of("code", "GMSFHM", "name", "公民身份号码", "sensitive", true),
                        Map.of("code", "ZY", "name", "职业", "sensitive", false)));
        replica.pollOnce();
        given().urlEncodingEnabled(false).auth().oauth2(operator(PROVIDER)).contentType(ContentType.JSON)
                .body(List.of(Map.of("GMSFHM", ID, "ZY", "教师")))
                .post("/api/exchange/v1/datasets/" + FakeCatalog.encoded(code) + "/records").then().statusCode(201);
        Map<String, Object> body = new java.util.HashMap<>(RequestWorkflowTest.body(code, List.of("GMSFHM", "ZY")));
        body.put("deliveryMethod", "BULK");
        long request = RequestWorkflowTest.file(operator(RequestWorkflowTest.CONSUMER), body).then().statusCode(201)
                .extract().jsonPath().getLong("id");
        DeregisteredEntryTest.provider(request, "approve", Map.of("version", 0));
        long grant = DeregisteredEntryTest.get(operator(PROVIDER), "/api/exchange/v1/requests/" + request)
                .getLong("grantId");
        long export = ExportNarrowingTest.readyExport(grant);

        // v2 marks ZY sensitive: the file holds it in clear, the grant now masks it
        Map<String, Object> v2 = new LinkedHashMap<>(v1);
        v2.put("version", 2);
        v2.put("items", List.of(Map.of("code", "GMSFHM", "name", "公民身份号码", "sensitive", true),
                Map.of("code", "ZY", "name", "职业", "sensitive", true)));
        FakeCatalog.addItem("PUBLISHED", v2);
        replica.pollOnce();
        given().auth().oauth2(operator(PROVIDER)).get(GRANTS + grant).then()
                .body("maskedItems", equalTo(List.of("GMSFHM", "ZY")));
        given().auth().oauth2(operator(RequestWorkflowTest.CONSUMER))
                .get("/api/exchange/v1/exports/" + export + "/content").then().statusCode(409)
                .contentType("application/problem+json").body("grantMaskedItems", equalTo(List.of("GMSFHM", "ZY")));
        // a new export masks it
        String file = new String(given().auth().oauth2(operator(RequestWorkflowTest.CONSUMER))
                .get("/api/exchange/v1/exports/" + ExportNarrowingTest.readyExport(grant) + "/content").then()
                .statusCode(200).extract().asByteArray(), java.nio.charset.StandardCharsets.UTF_8);
        assertFalse(file.contains("教师"), file);
    }

    private static List<Object> kinds(List<Map<String, Object>> notices) {
        return notices.stream().map(n -> n.get("kind")).toList();
    }
}
