package cn.onenet.exchange.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import cn.onenet.common.identifiers.ResidentIdNumber;
import cn.onenet.exchange.ExchangeTestBase;
import cn.onenet.exchange.FakeCatalog;
import cn.onenet.exchange.WebhookReceiver;
import cn.onenet.exchange.WebhookReceiver.Reply;
import cn.onenet.exchange.service.Caller;
import cn.onenet.exchange.service.DeliveryService;
import cn.onenet.exchange.service.DemoData;
import cn.onenet.exchange.service.ExportService;
import cn.onenet.testsupport.TestTokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * Delivery at its edges: an outbound URL whose port no socket can have, a grant suspended while an export is being
 * downloaded, people a record names only in items the grant does not deliver, and the order of records whose key
 * goes out masked.
 */
@QuarkusTest
class DeliveryBoundariesTest extends ExchangeTestBase {

    static final String PROVIDER = RequestWorkflowTest.PROVIDER;
    static final String CONSUMER = DemoData.CIVIL_AFFAIRS;
    /** A consumer department of this test's own (exports, minimised subjects). */
    static final String OWN_CONSUMER = "11330000MB00005905";

    @Inject
    AgroalDataSource dataSource;
    @Inject
    ExportService exports;

    @Test
    void aReceiverWhosePortNoSocketCanHaveIsRefusedAtRegistration() {
        long grant = WebhookTest.freshGrant(replica, "330000-01-02/905901");
        WebhookTest.register(operator(CONSUMER), grant, "http://127.0.0.1:99999/hook").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("url"));
        given().auth().oauth2(operator(CONSUMER)).get("/api/exchange/v1/subscriptions/" + grant + "/webhook").then()
                .statusCode(404);
    }

    @Test
    void aStoredReceiverWhosePortNoSocketCanHaveSendsNothingAndLogsNoDelivery() throws Exception {
        String code = "330000-01-02/905902";
        long grant = WebhookTest.freshGrant(replica, code);
        try (WebhookReceiver rx = new WebhookReceiver(n -> Reply.of(200))) {
            WebhookTest.register(operator(CONSUMER), grant, rx.url()).then().statusCode(201);
            // as stored before registration checked the port
            sql("UPDATE webhook_subscription SET url = 'http://127.0.0.1:99999/hook' WHERE grant_id = " + grant);
            WebhookTest.push(code, CitizenSeesLookupsThatFoundNothingTest.idIn("330106"), "孙丽");
            String status = null;
            for (int i = 0; i < 150 && !"FAILING".equals(status); i++) {
                Thread.sleep(50);
                status = (String) WebhookTest.webhook(grant).get("status");
            }
            assertEquals("FAILING", status, "a URL no connection can be made to is refused, not tried forever");
            Map<?, ?> event = (Map<?, ?>) ((List<?>) WebhookTest.webhook(grant).get("recent")).get(0);
            assertEquals("REJECTED", event.get("status"), event.toString());
            assertEquals("INVALID_URL", event.get("lastError"), event.toString());
            assertEquals(0L, count("SELECT count(*) FROM usage_log WHERE resource_code = '" + code
                    + "' AND operation = 'WEBHOOK'"), "nothing was sent: no usage-log entry claims a delivery");
            assertEquals(0, rx.hits().size());
        } finally {
            given().auth().oauth2(operator(CONSUMER)).delete("/api/exchange/v1/subscriptions/" + grant + "/webhook");
        }
    }

    @Test
    void aProxiedEndpointWhosePortNoSocketCanHaveIsRefusedAtRegistration() {
        String code = "330000-01-09/905903";
        proxiedEntry(code);
        given().urlEncodingEnabled(false).auth().oauth2(operator(DemoData.EMERGENCY)).contentType(ContentType.JSON)
                .body(Map.of("endpointUrl", "http://127.0.0.1:99999/records"))
                .put("/api/exchange/v1/datasets/" + FakeCatalog.encoded(code) + "/proxy").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("endpointUrl"));
    }

    @Test
    void aStoredProxiedEndpointWhosePortNoSocketCanHaveIsABadGatewayNotA500() throws Exception {
        String code = "330000-01-09/905907";
        proxiedEntry(code);
        // as stored before registration checked the port
        sql("INSERT INTO proxied_service (resource_code, endpoint_url, timeout_ms, registered_by) VALUES ('" + code
                + "', 'http://127.0.0.1:99999/records', 500, 'test')");
        RequestWorkflowTest.file(operator(CONSUMER), RequestWorkflowTest.body(code, List.of("GMSFHM"))).then()
                .statusCode(201).body("status", equalTo("GRANTED"));
        DeliveryTest.lookup(operator(CONSUMER), code, CitizenSeesLookupsThatFoundNothingTest.idIn("330106")).then()
                .statusCode(502).contentType("application/problem+json");
    }

    /** An entry of the emergency department, served through a proxied endpoint. */
    private void proxiedEntry(String code) {
        FakeCatalog.add("PUBLISHED", code, "测试代理端口目录", DemoData.EMERGENCY, "UNCONDITIONAL", "LEVEL_2", "GMSFHM",
                List.of(Map.of("code", "GMSFHM", "name", "公民身份号码", "sensitive", true)));
        replica.pollOnce();
    }

    @Test
    void aQueryUnderAGrantThatMasksTheKeyDoesNotListTheRecordsInTheOrderOfTheHiddenDigits() {
        String code = "330000-01-02/905906";
        numberAndProfession(code, "测试脱敏排序目录");
        // the younger person's record first, the older one's after: key order would put the older first
        String older = withCheck("33010619500101123");
        String younger = withCheck("33010619900101456");
        for (String id : List.of(younger, older)) {
            given().urlEncodingEnabled(false).auth().oauth2(operator(PROVIDER)).contentType(ContentType.JSON)
                    .body(List.of(Map.of("GMSFHM", id, "ZY", "教师")))
                    .post("/api/exchange/v1/datasets/" + FakeCatalog.encoded(code) + "/records").then()
                    .statusCode(201);
        }
        RequestWorkflowTest.file(operator(OWN_CONSUMER), RequestWorkflowTest.body(code, List.of("GMSFHM", "ZY")))
                .then().statusCode(201).body("status", equalTo("GRANTED"));
        Response r = given().urlEncodingEnabled(false).auth().oauth2(operator(OWN_CONSUMER))
                .get("/api/exchange/v1/data/" + FakeCatalog.encoded(code) + "/records?ZY=%E6%95%99%E5%B8%88");
        r.then().statusCode(200).body("maskedItems", equalTo(List.of("GMSFHM")));
        // the masked numbers differ only in what is shown; their order must not tell which hidden digits are smaller
        assertEquals(List.of(DeliveryService.mask(younger, true), DeliveryService.mask(older, true)),
                r.jsonPath().getList("records.GMSFHM"));
    }

    private static String withCheck(String first17) {
        return first17 + ResidentIdNumber.checkCharacter(first17);
    }

    @Test
    void anExportDownloadStopsAtThePartAfterItsGrantWasSuspended() throws Exception {
        String code = "330000-01-02/905904";
        numberAndProfession(code, "测试导出中途暂停目录");
        // three parts of at most 1000 records (exchange.export.part-records in the test profile)
        sql("INSERT INTO dataset_record (resource_code, record_key, data, record_version, change_seq) "
                + "SELECT '" + code + "', '33010620' || lpad(i::text, 10, '0'), json_build_object('GMSFHM', "
                + "'33010620' || lpad(i::text, 10, '0'), 'ZY', '职业' || i)::text, 1, nextval('record_change_seq') "
                + "FROM generate_series(0, 2499) i");
        long grant = bulkGrant(code);
        long id = readyExport(grant).jsonPath().getLong("id");

        String requestId = "suspended-mid-export-" + UUID.randomUUID();
        Caller consumer = new Caller("op-" + OWN_CONSUMER, null, OWN_CONSUMER, Set.of("operator"), null, null);
        ExportService.Download download = exports.download(consumer, id, requestId);
        assertEquals(3, download.parts());
        // the provider suspends the grant once the download has started (its first part logged)
        DeliveryTest.governGrant(operator(PROVIDER), grant, "suspend", 0, "发现超范围使用，暂停核查").then()
                .statusCode(200);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThrows(Exception.class, () -> download.body().writeTo(out));
        long lines = new String(out.toByteArray(), StandardCharsets.UTF_8).lines().count();
        assertTrue(lines <= 1000, lines + " records left after the grant was suspended");
        assertEquals(1L, count("SELECT count(*) FROM usage_log WHERE request_id = '" + requestId + "'"),
                "only the part logged before the suspension");
    }

    @Test
    void someoneNamedOnlyInAnItemNotGrantedIsNotShownTheAccess() throws Exception {
        String code = "330000-01-02/905905";
        FakeCatalog.add("PUBLISHED", code, "测试婚姻登记信息", PROVIDER, "UNCONDITIONAL", "LEVEL_3", "GMSFHM",
                List.of(Map.of("code", "GMSFHM", "name", "公民身份号码", "sensitive", true),
                        Map.of("code", "XM", "name", "姓名", "sensitive", true),
                        Map.of("code", "POSFHM", "name", "配偶公民身份号码", "sensitive", true)));
        replica.pollOnce();
        String holder = CitizenSeesLookupsThatFoundNothingTest.idIn("330106");
        String spouse = CitizenSeesLookupsThatFoundNothingTest.idIn("330106");
        given().urlEncodingEnabled(false).auth().oauth2(operator(PROVIDER)).contentType(ContentType.JSON)
                .body(List.of(Map.of("GMSFHM", holder, "XM", "周杰", "POSFHM", spouse)))
                .post("/api/exchange/v1/datasets/" + FakeCatalog.encoded(code) + "/records").then().statusCode(201);
        // the grant does not cover the spouse's number: nothing about the spouse leaves
        RequestWorkflowTest.file(operator(OWN_CONSUMER), RequestWorkflowTest.body(code, List.of("GMSFHM", "XM")))
                .then().statusCode(201).body("status", equalTo("GRANTED"));
        Response r = DeliveryTest.lookup(operator(OWN_CONSUMER), code, holder);
        r.then().statusCode(200);
        assertTrue(!r.asString().contains(spouse) && !r.asString().contains("POSFHM"), r.asString());
        given().urlEncodingEnabled(false).auth().oauth2(operator(OWN_CONSUMER))
                .get("/api/exchange/v1/data/" + FakeCatalog.encoded(code) + "/records?GMSFHM=" + holder).then()
                .statusCode(200).body("records.size()", equalTo(1));

        assertEquals(2, shown(holder, code), "the holder sees the lookup and the query");
        assertEquals(0, shown(spouse, code), "the spouse's number never left: the spouse is not told it did");
    }

    @Test
    void aKeyWithAnIdeographicSpaceAroundItFindsTheRecordAndItsSubjectIsShownTheLookup() {
        String code = "330000-01-02/905908";
        numberAndProfession(code, "测试全角空格主键目录");
        String holder = CitizenSeesLookupsThatFoundNothingTest.idIn("330106");
        given().urlEncodingEnabled(false).auth().oauth2(operator(PROVIDER)).contentType(ContentType.JSON)
                .body(List.of(Map.of("GMSFHM", holder, "ZY", "护士")))
                .post("/api/exchange/v1/datasets/" + FakeCatalog.encoded(code) + "/records").then().statusCode(201);
        RequestWorkflowTest.file(operator(OWN_CONSUMER), RequestWorkflowTest.body(code, List.of("GMSFHM", "ZY")))
                .then().statusCode(201).body("status", equalTo("GRANTED"));
        // the number as pasted from a form: followed by U+3000 (ideographic space)
        DeliveryTest.lookup(operator(OWN_CONSUMER), code, holder + "%E3%80%80").then().statusCode(200)
                .body("record.ZY", equalTo("护士")).body("key", equalTo(DeliveryService.mask(holder, true)));
        assertEquals(1, shown(holder, code), "the lookup processed the holder's number: the holder is shown it");
        // nothing but white space is no key
        DeliveryTest.lookup(operator(OWN_CONSUMER), code, "%E3%80%80").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("key"));
    }

    @Test
    void anExportsSealIsCheckedOverTheManifestTextDeliveredWithIt() throws Exception {
        String code = "330000-01-02/905909";
        numberAndProfession(code, "测试导出清单签章目录");
        given().urlEncodingEnabled(false).auth().oauth2(operator(PROVIDER)).contentType(ContentType.JSON)
                .body(List.of(Map.of("GMSFHM", CitizenSeesLookupsThatFoundNothingTest.idIn("330106"),
                        "ZY", "“工程师”/技师")))
                .post("/api/exchange/v1/datasets/" + FakeCatalog.encoded(code) + "/records").then().statusCode(201);
        Response job = readyExport(bulkGrant(code));
        // a verifier in any language takes the sealed text as it is, without re-serialising the parsed manifest
        String text = job.jsonPath().getString("manifestJson");
        assertTrue(text != null && !text.isBlank(), job.asString());
        com.nimbusds.jose.jwk.JWKSet jwks = com.nimbusds.jose.jwk.JWKSet.parse(
                given().get("/api/exchange/v1/seals/jwks").then().statusCode(200).extract().asString());
        assertTrue(DeliveryTest.verify(job.jsonPath().getString("manifestSeal"), text.getBytes(StandardCharsets.UTF_8),
                jwks));
        assertEquals(job.jsonPath().getMap("manifest"), new com.fasterxml.jackson.databind.ObjectMapper()
                .readValue(text, Map.class), "the parsed manifest is the sealed one");
    }

    /** A 批量导出 grant of this test's consumer on the entry (granted by rule: 无条件共享). */
    private static long bulkGrant(String code) {
        return RequestWorkflowTest.file(operator(OWN_CONSUMER),
                DeliveryMethodTest.body(code, List.of("GMSFHM", "ZY"), "BULK")).then().statusCode(201)
                .body("status", equalTo("GRANTED")).extract().jsonPath().getLong("grantId");
    }

    /** A JSON Lines export under the grant, once READY. */
    private static Response readyExport(long grant) throws InterruptedException {
        return ExportStreamingTest.ready(operator(OWN_CONSUMER), grant, "JSONL");
    }

    @Test
    void aQueryOrFeedWhosePagingIsNotAWholeNumberOrOutOfRangeIsA400NamingTheParameter() {
        String records = "/api/exchange/v1/data/" + FakeCatalog.encoded(FakeCatalog.POPULATION) + "/records?";
        // out of range is refused as the lists refuse it, never brought silently into range
        for (String[] bad : new String[][] { { records + "page=abc", "page" }, { records + "size=1e3", "size" },
                { records + "page=99999999999999999999", "page" }, { records + "page=99999999999", "page" },
                { records + "page=-1", "page" }, { records + "size=0", "size" }, { records + "size=100000", "size" },
                { "/api/exchange/v1/data/subscriptions/1/changes?after=next", "after" },
                { "/api/exchange/v1/data/subscriptions/1/changes?limit=%E4%B8%80", "limit" } }) {
            given().urlEncodingEnabled(false).auth().oauth2(operator(DeliveryTest.HR)).get(bad[0]).then()
                    .statusCode(400).contentType("application/problem+json")
                    .body("errors[0].field", equalTo(bad[1]));
        }
    }

    @Test
    void aMaskedItemHoldingAnObjectHidesTheNameAtItsEnd() {
        String code = "330000-01-02/905910";
        FakeCatalog.add("PUBLISHED", code, "测试不动产共有信息", PROVIDER, "UNCONDITIONAL", "LEVEL_3", "BDCDYH",
                List.of(Map.of("code", "BDCDYH", "name", "不动产单元号", "sensitive", false),
                        // 通用型 (G): the item holds an object
                        Map.of("code", "GYQK", "name", "共有情况", "dataType", "G", "sensitive", true)));
        replica.pollOnce();
        String coOwner = CitizenSeesLookupsThatFoundNothingTest.idIn("330110");
        // the co-owner last, the name last in it: as text the value ends in …XM=王强}}
        Map<String, Object> owner = new LinkedHashMap<>();
        owner.put("ZJHM", coOwner);
        owner.put("XM", "王强");
        Map<String, Object> shares = new LinkedHashMap<>();
        shares.put("GYFS", "共同共有");
        shares.put("GYR", owner);
        given().urlEncodingEnabled(false).auth().oauth2(operator(PROVIDER)).contentType(ContentType.JSON)
                .body(List.of(Map.of("BDCDYH", "330106001001GB00001F0001", "GYQK", shares)))
                .post("/api/exchange/v1/datasets/" + FakeCatalog.encoded(code) + "/records").then().statusCode(201);
        RequestWorkflowTest.file(operator(OWN_CONSUMER), RequestWorkflowTest.body(code, List.of("BDCDYH", "GYQK")))
                .then().statusCode(201).body("status", equalTo("GRANTED"));
        Response r = DeliveryTest.lookup(operator(OWN_CONSUMER), code, "330106001001GB00001F0001");
        r.then().statusCode(200).body("maskedItems", equalTo(List.of("GYQK")));
        // the co-owner's name and number are masked as they would be as items of their own: 王*, 330***********xxxx
        assertFalse(r.asString().contains("王强") || r.asString().contains(coOwner), r.asString());
        assertEquals("王*", r.jsonPath().getString("record.GYQK.GYR.XM"), r.asString());
        assertEquals(DeliveryService.mask(coOwner, true), r.jsonPath().getString("record.GYQK.GYR.ZJHM"));
    }

    /** An entry of the test provider keyed by 公民身份号码 (sensitive, grade 2: masked) with 职业 (in clear). */
    private void numberAndProfession(String code, String name) {
        FakeCatalog.add("PUBLISHED", code, name, PROVIDER, "UNCONDITIONAL", "LEVEL_2", "GMSFHM",
                List.of(Map.of("code", "GMSFHM", "name", "公民身份号码", "sensitive", true),
                        Map.of("code", "ZY", "name", "职业", "sensitive", false)));
        replica.pollOnce();
    }

    /** How many accesses on the resource the citizens' view shows the subject. */
    private static int shown(String subject, String code) {
        return given().auth().oauth2(TestTokens.citizen("c-" + subject, subject, AUD))
                .get("/api/exchange/v1/me/data-accesses").then().statusCode(200).extract().jsonPath()
                .getInt("findAll { it.resourceCode == '" + code + "' }.size()");
    }

    private void sql(String statement) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(statement)) {
            ps.execute();
        }
    }

    private long count(String query) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(query);
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
