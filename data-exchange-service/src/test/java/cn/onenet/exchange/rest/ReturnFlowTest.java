package cn.onenet.exchange.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import cn.onenet.exchange.ExchangeTestBase;
import cn.onenet.exchange.FakeCatalog;
import cn.onenet.exchange.WebhookReceiver;
import cn.onenet.exchange.WebhookReceiver.Hit;
import cn.onenet.exchange.WebhookReceiver.Reply;
import cn.onenet.exchange.service.Regions;
import cn.onenet.testsupport.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** 回流 (R18): a provincial provider's conditional data flows down to lower governments in its region. */
@QuarkusTest
class ReturnFlowTest extends ExchangeTestBase {

    static final String PROVINCIAL = "330000-01-02/900301"; // provincial entry (region 330000), conditional
    static final String PROVIDER = RequestWorkflowTest.PROVIDER;
    static final String XIHU = "11330106MB00000010"; // 西湖区 (county, 330106)
    static final String HANGZHOU = "11330100MB00000020"; // 杭州市 (city, 330100)
    static final String NANJING = "11320100MB00000030"; // 南京市 (another province)
    static final String PROVINCE = "11330000MB00000040"; // a provincial department (same level)
    static final String IN_XIHU = "33010619850312001X";
    static final String IN_YUHANG = "330110200102150052"; // 余杭区: inside 杭州市, outside 西湖区
    static final String IN_CIXI = "330282196509230044"; // 慈溪市 (宁波): outside 杭州市

    static String operatorIn(String dept, String region) {
        return TestTokens.custom(Map.of("sub", "op-" + dept, "aud", AUD, "roles", List.of("operator", "head"), "dept",
                dept, "region", region, "account_type", "civil_servant"));
    }

    void provincialEntryWithRecords() {
        FakeCatalog.add("PUBLISHED", PROVINCIAL, "全省测试人员信息", PROVIDER, "CONDITIONAL", "LEVEL_3", "GMSFHM",
                List.of(Map.of("code", "GMSFHM", "name", "公民身份号码", "sensitive", true),
                        Map.of("code", "XM", "name", "姓名", "sensitive", true),
                        Map.of("code", "ZY", "name", "职业", "sensitive", false)));
        replica.pollOnce();
        push(IN_XIHU, "张伟", IN_YUHANG, "刘洋", IN_CIXI, "王芳");
    }

    static void push(String... idAndName) {
        List<Map<String, Object>> records = new java.util.ArrayList<>();
        for (int i = 0; i < idAndName.length; i += 2) {
            records.add(Map.of("GMSFHM", idAndName[i], "XM", idAndName[i + 1], "ZY", "教师"));
        }
        given().urlEncodingEnabled(false).auth().oauth2(operator(PROVIDER)).contentType(ContentType.JSON).body(records)
                .post("/api/exchange/v1/datasets/" + FakeCatalog.encoded(PROVINCIAL) + "/records").then().statusCode(201);
    }

    static Response lookup(String token, String key) {
        return given().urlEncodingEnabled(false).auth().oauth2(token).get(DeliveryTest.path(PROVINCIAL, key));
    }

    @Test
    void aCountyInsideTheProvinceIsGrantedAtOnceAndSeesOnlyItsOwnSubjects() throws Exception {
        provincialEntryWithRecords();
        String county = operatorIn(XIHU, "330106");
        Response filed = RequestWorkflowTest.file(county, RequestWorkflowTest.body(PROVINCIAL, List.of("GMSFHM", "XM")));
        filed.then().statusCode(201).body("status", equalTo("GRANTED")).body("shareAttribute", equalTo("CONDITIONAL"))
                .body("decisionReason", equalTo(Regions.RETURN_FLOW_BASIS)).body("consumerRegionCode", equalTo("330106"));
        long grant = filed.jsonPath().getLong("grantId");
        given().auth().oauth2(county).get("/api/exchange/v1/grants/" + grant).then().statusCode(200)
                .body("basis", equalTo("回流 (条例第二十四条)")).body("regionScope", equalTo("330106"))
                .body("status", equalTo("ACTIVE"));
        // the provider is told, and did not have to decide
        given().auth().oauth2(operator(PROVIDER)).get("/api/exchange/v1/notices").then().statusCode(200)
                .body("find { it.subjectType == 'REQUEST' && it.subjectId == " + filed.jsonPath().getLong("id") + " }.kind",
                        equalTo("RETURN_FLOW_GRANTED"));

        // keyed lookup: its own subjects only; others' look like missing records
        lookup(county, IN_XIHU).then().statusCode(200).body("record.XM", equalTo("张*"));
        Response outside = lookup(county, IN_YUHANG);
        outside.then().statusCode(404).contentType("application/problem+json");
        assertFalse(outside.asString().contains("刘"));
        lookup(county, IN_CIXI).then().statusCode(404);
        // filtered query and pull feed: the same limit
        given().urlEncodingEnabled(false).auth().oauth2(county)
                .get("/api/exchange/v1/data/" + FakeCatalog.encoded(PROVINCIAL) + "/records").then().statusCode(200)
                .body("records.GMSFHM", equalTo(List.of("330***********001X")));
        // the pull feed and webhooks go under a grant for subscription (共享方式), limited the same way
        long subscription = RequestWorkflowTest.file(county,
                DeliveryMethodTest.body(PROVINCIAL, List.of("GMSFHM", "XM"), "SUBSCRIPTION")).then().statusCode(201)
                .body("status", equalTo("GRANTED")).extract().jsonPath().getLong("grantId");
        Response feed = given().auth().oauth2(county)
                .get("/api/exchange/v1/data/subscriptions/" + subscription + "/changes?after=0");
        feed.then().statusCode(200).body("changes.record.GMSFHM", equalTo(List.of("330***********001X")));
        assertFalse(feed.asString().contains("刘"));
        assertFalse(feed.asString().contains("王"));

        // a city-level government gets every county of the city, and nothing from outside it
        String city = operatorIn(HANGZHOU, "330100");
        RequestWorkflowTest.file(city, RequestWorkflowTest.body(PROVINCIAL, List.of("GMSFHM"))).then().statusCode(201)
                .body("status", equalTo("GRANTED"));
        given().urlEncodingEnabled(false).auth().oauth2(city)
                .get("/api/exchange/v1/data/" + FakeCatalog.encoded(PROVINCIAL) + "/records").then().statusCode(200)
                .body("records.GMSFHM", containsInAnyOrder("330***********001X", "330***********0052"));

        // the region-filtered subscription: a webhook receives its region's changes only
        try (WebhookReceiver rx = new WebhookReceiver(n -> Reply.of(200))) {
            given().auth().oauth2(county).contentType(ContentType.JSON).body(Map.of("url", rx.url()))
                    .put("/api/exchange/v1/subscriptions/" + subscription + "/webhook").then().statusCode(201);
            push(IN_CIXI, "王芳芳", IN_YUHANG, "刘洋洋", IN_XIHU, "张伟伟");
            List<Hit> hits = rx.await(1);
            Thread.sleep(800);
            assertEquals(1, rx.hits().size(), "only the in-region change is delivered");
            String body = new String(hits.get(0).body(), StandardCharsets.UTF_8);
            assertEquals("张**", ((Map<?, ?>) new ObjectMapper().readValue(body, Map.class).get("record")).get("XM"));
            given().auth().oauth2(county).get("/api/exchange/v1/subscriptions/" + subscription + "/webhook").then()
                    .statusCode(200).body("events.SKIPPED", equalTo(2)).body("events.DELIVERED", equalTo(1));
            given().auth().oauth2(county).delete("/api/exchange/v1/subscriptions/" + subscription + "/webhook").then()
                    .statusCode(204);
        }
    }

    @Test
    void aSuspendedReturnFlowGrantIsNotRenewedByFilingAgainAndATerminatedOneIsReviewed() {
        String code = "330000-01-02/900302";
        DeliveryTest.freshEntry(replica, code, "CONDITIONAL");
        String county = operatorIn("11330106MB00000060", "330106");
        Map<String, Object> request = RequestWorkflowTest.body(code, List.of("GMSFHM", "XM"));
        long grant = RequestWorkflowTest.file(county, request).then().statusCode(201).body("status", equalTo("GRANTED"))
                .extract().jsonPath().getLong("grantId");
        DeliveryTest.governGrant(reviewer(), grant, "suspend", 0, "回流数据超范围使用").then().statusCode(200);
        RequestWorkflowTest.file(county, request).then().statusCode(409).contentType("application/problem+json")
                .body("grantId", equalTo((int) grant));

        DeliveryTest.governGrant(reviewer(), grant, "terminate", 1, "未整改，终止授权").then().statusCode(200);
        Response again = RequestWorkflowTest.file(county, request);
        again.then().statusCode(201).body("status", equalTo("PENDING")).body("grantId", nullValue());
        // approved after review, the grant is what 回流 gives: the county's own records only
        long renewed = DeliveryTest.approve(again.jsonPath().getLong("id")).then().statusCode(200).extract().jsonPath()
                .getLong("grantId");
        given().auth().oauth2(county).get("/api/exchange/v1/grants/" + renewed).then().statusCode(200)
                .body("basis", equalTo(Regions.RETURN_FLOW_BASIS)).body("regionScope", equalTo("330106"));
        given().urlEncodingEnabled(false).auth().oauth2(county).get(DeliveryTest.path(code, IN_YUHANG)).then()
                .statusCode(404);
    }

    /**
     * A version of the entry that stops listing a purpose ends the grants issued for it, but not 回流 grants: their
     * basis is the regulation's Art. 24, not the purpose the entry listed.
     */
    @Test
    void aReturnFlowGrantOutlivesAVersionThatDropsItsPurpose() {
        String code = "330000-01-02/900981";
        Map<String, Object> v1 = FakeCatalog.add("PUBLISHED", code, "回流用途测试目录", PROVIDER, "CONDITIONAL", "LEVEL_3",
                "GMSFHM", List.of(Map.of("code", "GMSFHM", "name", "公民身份号码", "sensitive", true)));
        v1.put("permittedPurposes", List.of("社会保障待遇资格认证", "最低生活保障家庭经济状况核对"));
        replica.pollOnce();
        String county = operatorIn("11330106MB00000070", "330106");
        long grant = RequestWorkflowTest.file(county, RequestWorkflowTest.body(code, List.of("GMSFHM"))).then()
                .statusCode(201).body("status", equalTo("GRANTED"))
                .body("decisionReason", equalTo(Regions.RETURN_FLOW_BASIS)).extract().jsonPath().getLong("grantId");
        Map<String, Object> v2 = new java.util.LinkedHashMap<>(v1);
        v2.put("version", 2);
        v2.put("permittedPurposes", List.of("最低生活保障家庭经济状况核对"));
        FakeCatalog.addItem("PUBLISHED", v2);
        replica.pollOnce();
        given().auth().oauth2(county).get("/api/exchange/v1/grants/" + grant).then().statusCode(200)
                .body("purpose", equalTo("社会保障待遇资格认证")).body("status", equalTo("ACTIVE"));
    }

    @Test
    void outsideTheRegionOrAtTheSameLevelTheNormalConditionalPathApplies() {
        provincialEntryWithRecords();
        RequestWorkflowTest.file(operatorIn(NANJING, "320100"), RequestWorkflowTest.body(PROVINCIAL, List.of("XM")))
                .then().statusCode(201).body("status", equalTo("PENDING")).body("grantId", nullValue());
        RequestWorkflowTest.file(operatorIn(PROVINCE, "330000"), RequestWorkflowTest.body(PROVINCIAL, List.of("XM")))
                .then().statusCode(201).body("status", equalTo("PENDING")).body("grantId", nullValue());
        // no region claim: the normal path
        RequestWorkflowTest.file(operator("11330106MB00000050"), RequestWorkflowTest.body(PROVINCIAL, List.of("XM")))
                .then().statusCode(201).body("status", equalTo("PENDING"));
        // never for 不予共享
        RequestWorkflowTest.file(operatorIn(XIHU, "330106"), RequestWorkflowTest.body(FakeCatalog.NOT_SHARED,
                List.of("GMSFHM"))).then().statusCode(201).body("status", equalTo("NOT_SHARED"))
                .body("grantId", nullValue());
        // and a request without a grant gets no data
        lookup(operatorIn(NANJING, "320100"), IN_XIHU).then().statusCode(403);
    }
}
