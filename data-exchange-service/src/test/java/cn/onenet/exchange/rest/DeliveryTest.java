package cn.onenet.exchange.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.dhatim.fastexcel.Workbook;
import org.dhatim.fastexcel.Worksheet;
import org.junit.jupiter.api.Test;

import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.crypto.Ed25519Verifier;

import cn.onenet.common.problem.FailureOrigin;
import cn.onenet.exchange.ExchangeTestBase;
import cn.onenet.exchange.FakeCatalog;
import cn.onenet.exchange.VerifierCli;
import cn.onenet.exchange.service.CatalogReplicaService;
import cn.onenet.exchange.service.DemoData;
import cn.onenet.exchange.service.GrantService;
import cn.onenet.exchange.service.TimeSource;
import cn.onenet.testsupport.TestTokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

@QuarkusTest
class DeliveryTest extends ExchangeTestBase {

    static final String HR = DemoData.HUMAN_RESOURCES; // holds the demo grant on 居民户籍信息 (GMSFHM, XM, HJDZ)
    static final String CITIZEN = "33010619850312001X";

    @Inject
    AgroalDataSource dataSource;

    @Inject
    GrantService grantService;

    @TestHTTPResource("/test-provider/slow")
    URL slowProvider;

    static String path(String resourceCode, String key) {
        return "/api/exchange/v1/data/" + FakeCatalog.encoded(resourceCode) + "/records/" + key;
    }

    static Response lookup(String token, String resourceCode, String key) {
        return given().urlEncodingEnabled(false).auth().oauth2(token).get(path(resourceCode, key));
    }

    /** A lookup of the first test record naming the grant it is made under. */
    static Response lookupUnder(String token, String resourceCode, long grant) {
        return given().urlEncodingEnabled(false).auth().oauth2(token).header("X-Grant-Id", grant)
                .get(path(resourceCode, "330110200102150052"));
    }

    @Test
    void onlyGrantedItemsLeaveMaskedByGradeAndSealed() throws Exception {
        Response r = lookup(operator(HR), FakeCatalog.POPULATION, CITIZEN);
        r.then().statusCode(200).body("grantId", notNullValue()).body("purpose", equalTo("社会保障待遇资格认证"))
                .body("record.GMSFHM", equalTo("330***********001X")).body("record.XM", equalTo("张*"))
                .body("record", not(hasKey("XB"))).body("record", not(hasKey("CSRQ")))
                .body("maskedItems", hasItem("GMSFHM"));
        assertFalse(r.asString().contains("张伟"));
        assertFalse(r.asString().contains("1985-03-12"));

        // the consumer checks the seal with nothing but the published JWKS
        String seal = r.header(DataResource.SEAL_HEADER);
        assertNotNull(seal);
        byte[] body = r.asByteArray();
        String jwksJson = given().get("/api/exchange/v1/seals/jwks").then().statusCode(200).extract().asString();
        JWKSet jwks = JWKSet.parse(jwksJson);
        assertTrue(verify(seal, body, jwks));
        byte[] edited = r.asString().replace("张*", "李*").getBytes(StandardCharsets.UTF_8);
        assertFalse(verify(seal, edited, jwks));
        JWSObject parsed = JWSObject.parse(seal, new Payload(body));
        assertEquals("EdDSA", parsed.getHeader().getAlgorithm().getName());
        assertEquals("11330000002481020A", parsed.getHeader().getCustomParam("dept"));

        // offline, with the auditor's program: the answer saved as curl saves it, the JWKS pinned once
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("sealed-answer");
        java.nio.file.Path keys = java.nio.file.Files.writeString(dir.resolve("seals-jwks.json"), jwksJson);
        java.nio.file.Path saved = java.nio.file.Files.write(dir.resolve("record.json"), body);
        java.nio.file.Path headers = VerifierCli.savedHeaders(dir.resolve("headers.txt"), r);
        VerifierCli.Run run = VerifierCli.run("verify-seal", "--department", "11330000002481020A", keys, saved,
                headers);
        assertEquals(0, run.code(), run.said());
        assertTrue(run.said().startsWith("VALID: record.json is sealed by department 11330000002481020A with pinned "
                + "key " + parsed.getHeader().getKeyID() + " (EdDSA)"), run.said());
        run = VerifierCli.run("verify-seal", keys, java.nio.file.Files.write(dir.resolve("edited.json"), edited),
                headers);
        assertEquals(1, run.code(), run.said());
        assertTrue(run.said().startsWith("INVALID: the seal's signature does not verify with pinned key "), run.said());
    }

    static boolean verify(String detached, byte[] body, JWKSet jwks) throws Exception {
        JWSObject jws = JWSObject.parse(detached, new Payload(body));
        JWK key = jwks.getKeyByKeyId(jws.getHeader().getKeyID());
        JWSVerifier verifier = key instanceof OctetKeyPair okp ? new Ed25519Verifier(okp.toPublicJWK())
                : new DefaultJWSVerifierFactory().createJWSVerifier(jws.getHeader(),
                        key.toECKey() != null ? key.toECKey().toECPublicKey() : null);
        return jws.verify(verifier);
    }

    @Test
    void noGrantNoDataAndRolesAreChecked() {
        lookup(operator(DemoData.EMERGENCY), FakeCatalog.POPULATION, CITIZEN).then().statusCode(403)
                .contentType("application/problem+json");
        lookup(TestTokens.citizen("c1", CITIZEN, AUD), FakeCatalog.POPULATION, CITIZEN).then().statusCode(403);
        given().urlEncodingEnabled(false).get(path(FakeCatalog.POPULATION, CITIZEN)).then().statusCode(401);
        // a valid number the dataset holds no record of; one that is no valid number is 400 (FullWidthKeyTest)
        lookup(operator(HR), FakeCatalog.POPULATION, "330110197706050939").then().statusCode(404);
    }

    @Test
    void activeGrantsForTheCatalogue() {
        given().urlEncodingEnabled(false).auth().oauth2(system(DemoData.AUTHORITY))
                .get("/api/exchange/v1/catalog-entries/" + FakeCatalog.encoded(FakeCatalog.POPULATION) + "/active-grants")
                .then().statusCode(200).body("resourceCode", equalTo(FakeCatalog.POPULATION))
                .body("activeGrants", greaterThanOrEqualTo(1));
        given().urlEncodingEnabled(false).auth().oauth2(operator(HR))
                .get("/api/exchange/v1/catalog-entries/" + FakeCatalog.encoded(FakeCatalog.POPULATION) + "/active-grants")
                .then().statusCode(403);
    }

    /** Files a request for the test conditional entry and approves it with the given quota and clear items. */
    long conditionalGrant(String consumer, int perSecond, int perDay, List<String> clear) {
        return conditionalGrant(consumer, perSecond, perDay, clear, "API");
    }

    /** A grant on the conditional entry issued for a delivery method (共享方式). */
    long conditionalGrant(String consumer, int perSecond, int perDay, List<String> clear, String deliveryMethod) {
        long id = RequestWorkflowTest.file(operator(consumer), DeliveryMethodTest.body(FakeCatalog.CONDITIONAL,
                List.of("GMSFHM", "XM"), deliveryMethod)).jsonPath().getLong("id");
        return approve(RequestWorkflowTest.PROVIDER, id, perSecond, perDay, clear);
    }

    static long approve(String provider, long requestId, int perSecond, int perDay, List<String> clear) {
        return given().auth().oauth2(operator(provider)).contentType(ContentType.JSON)
                .body(Map.of("version", 0, "quotaPerSecond", perSecond, "quotaPerDay", perDay, "clearItems", clear))
                .post("/api/exchange/v1/requests/" + requestId + "/approve").then().statusCode(200).extract()
                .jsonPath().getLong("grantId");
    }

    void pushTestRecords() {
        given().urlEncodingEnabled(false).auth().oauth2(operator(RequestWorkflowTest.PROVIDER))
                .header("Idempotency-Key", "push-1").contentType(ContentType.JSON)
                .body(List.of(Map.of("GMSFHM", "330110200102150052", "XM", "刘洋", "ZY", "教师"),
                        Map.of("GMSFHM", "330282196509230044", "XM", "王芳", "ZY", "退休")))
                .post("/api/exchange/v1/datasets/" + FakeCatalog.encoded(FakeCatalog.CONDITIONAL) + "/records")
                .then().statusCode(201).body("records", equalTo(2));
    }

    private static long secondsUntilBeijingMidnight() {
        return java.time.Duration.between(java.time.ZonedDateTime.now(TimeSource.ZONE),
                LocalDate.now(TimeSource.ZONE).plusDays(1).atStartOfDay(TimeSource.ZONE)).toSeconds();
    }

    @Test
    void quotaExceededIs429WithRetryAfterAndClearItemsAreNotMasked() {
        pushTestRecords();
        String token = operator("11330000002481090H");
        // calls per day: the third call of a 2-per-day grant is refused until tomorrow
        long daily = conditionalGrant("11330000002481090H", 100, 2, List.of("XM"));
        for (int i = 0; i < 2; i++) {
            given().urlEncodingEnabled(false).auth().oauth2(token).header("X-Grant-Id", daily)
                    .get(path(FakeCatalog.CONDITIONAL, "330110200102150052")).then().statusCode(200)
                    .body("record.XM", equalTo("刘洋")).body("record.GMSFHM", equalTo("330***********0052"))
                    .body("record", not(hasKey("ZY")));
        }
        // until 00:00 Beijing time, when the next day's quota begins: between the seconds left before and after
        long leftBefore = secondsUntilBeijingMidnight();
        Response refused = given().urlEncodingEnabled(false).auth().oauth2(token).header("X-Grant-Id", daily)
                .get(path(FakeCatalog.CONDITIONAL, "330110200102150052"));
        long leftAfter = secondsUntilBeijingMidnight();
        refused.then().statusCode(429).contentType("application/problem+json")
                .body("type", equalTo("urn:onenet:problem:rate-limited"));
        long retryAfter = Long.parseLong(refused.header("Retry-After"));
        assertTrue(retryAfter >= leftAfter - 1 && retryAfter <= leftBefore + 1, retryAfter + " s, expected between "
                + (leftAfter - 1) + " and " + (leftBefore + 1));
        refused.then().body("grantId", equalTo((int) daily)).body("quotaPerSecond", equalTo(100))
                .body("quotaPerDay", equalTo(2));
        assertFalse(refused.asString().contains("刘洋"));
        // calls per second: a burst beyond 1/s is refused with a short Retry-After
        long perSecond = conditionalGrant("11330000002481090H", 1, 1000, List.of());
        int limited = 0;
        for (int i = 0; i < 6; i++) {
            Response r = given().urlEncodingEnabled(false).auth().oauth2(token).header("X-Grant-Id", perSecond)
                    .get(path(FakeCatalog.CONDITIONAL, "330110200102150052"));
            if (r.statusCode() == 429) {
                limited++;
                assertEquals("1", r.header("Retry-After"));
            } else {
                assertEquals(200, r.statusCode());
            }
        }
        assertTrue(limited >= 1, "a burst of 6 calls within the 1/s quota must be limited");
    }

    @Test
    void aQuotaChangeKeepsTheDaysCallsCounted() {
        pushTestRecords();
        String consumer = "11330000002481090H";
        long grant = conditionalGrant(consumer, 100, 3, List.of());
        Runnable ok = () -> given().urlEncodingEnabled(false).auth().oauth2(operator(consumer)).header("X-Grant-Id", grant)
                .get(path(FakeCatalog.CONDITIONAL, "330110200102150052")).then().statusCode(200);
        ok.run();
        ok.run();
        // the provider lowers the quota to 2 a day: the two calls made today use it up
        changeQuota(grant, 2);
        given().urlEncodingEnabled(false).auth().oauth2(operator(consumer)).header("X-Grant-Id", grant)
                .get(path(FakeCatalog.CONDITIONAL, "330110200102150052")).then().statusCode(429)
                .contentType("application/problem+json").body("quotaPerDay", equalTo(2))
                .header("Retry-After", notNullValue());
        // raised to 5: three more today, not five
        changeQuota(grant, 5);
        ok.run();
        ok.run();
        ok.run();
        given().urlEncodingEnabled(false).auth().oauth2(operator(consumer)).header("X-Grant-Id", grant)
                .get(path(FakeCatalog.CONDITIONAL, "330110200102150052")).then().statusCode(429);
    }

    void changeQuota(long grant, int perDay) {
        int version = given().auth().oauth2(operator(RequestWorkflowTest.PROVIDER))
                .get("/api/exchange/v1/grants/" + grant).then().statusCode(200).extract().jsonPath().getInt("version");
        given().auth().oauth2(operator(RequestWorkflowTest.PROVIDER)).contentType(ContentType.JSON)
                .body(Map.of("version", version, "reason", "调整日调用上限", "quotaPerDay", perDay))
                .post("/api/exchange/v1/grants/" + grant + "/change").then().statusCode(200)
                .body("quotaPerDay", equalTo(perDay));
    }

    @Test
    void subscriptionFeedIsResumableAndMinimised() {
        pushTestRecords();
        long grant = conditionalGrant("123300004701410402", 100, 10000, List.of(), "SUBSCRIPTION");
        String token = operator("123300004701410402");
        Response first = given().auth().oauth2(token)
                .get("/api/exchange/v1/data/subscriptions/" + grant + "/changes?after=0&limit=1000");
        first.then().statusCode(200).header(DataResource.SEAL_HEADER, notNullValue())
                .body("changes.record.GMSFHM", hasItem("330***********0052"))
                .body("changes[0].record", not(hasKey("ZY")));
        long next = first.jsonPath().getLong("next");
        given().auth().oauth2(token).get("/api/exchange/v1/data/subscriptions/" + grant + "/changes?after=" + next)
                .then().statusCode(200).body("changes.size()", equalTo(0)).body("next", equalTo((int) next));
        given().urlEncodingEnabled(false).auth().oauth2(operator(RequestWorkflowTest.PROVIDER))
                .contentType(ContentType.JSON).body(List.of(Map.of("GMSFHM", "330110200102150052", "XM", "刘洋洋")))
                .post("/api/exchange/v1/datasets/" + FakeCatalog.encoded(FakeCatalog.CONDITIONAL) + "/records")
                .then().statusCode(201);
        given().auth().oauth2(token).get("/api/exchange/v1/data/subscriptions/" + grant + "/changes?after=" + next)
                .then().statusCode(200).body("changes.size()", equalTo(1)).body("changes[0].record.XM", equalTo("刘**"));
        // someone else's grant
        given().auth().oauth2(operator(HR)).get("/api/exchange/v1/data/subscriptions/" + grant + "/changes")
                .then().statusCode(404);
    }

    @Test
    void bulkExportWithASealedManifest() throws Exception {
        String token = operator(HR);
        // the demo grant is for API lookups: a file of the dataset needs a grant issued for bulk export
        long request = RequestWorkflowTest.file(token,
                DeliveryMethodTest.body(FakeCatalog.POPULATION, List.of("GMSFHM", "XM", "HJDZ"), "BULK")).then()
                .statusCode(201).extract().jsonPath().getLong("id");
        long grant = approve("11330000002481020A", request, 100, 10000, List.of());
        long id = given().auth().oauth2(token).contentType(ContentType.JSON).header("Idempotency-Key", "exp-1")
                .body(Map.of("grantId", grant, "format", "JSONL")).post("/api/exchange/v1/exports").then()
                .statusCode(202).extract().jsonPath().getLong("id");
        given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("grantId", grant, "format", "XML"))
                .post("/api/exchange/v1/exports").then().statusCode(400);
        String status = "PENDING";
        for (int i = 0; i < 100 && !"READY".equals(status); i++) {
            Thread.sleep(100);
            status = given().auth().oauth2(token).get("/api/exchange/v1/exports/" + id).jsonPath().getString("status");
        }
        assertEquals("READY", status);
        given().auth().oauth2(operator(DemoData.EMERGENCY)).get("/api/exchange/v1/exports/" + id).then().statusCode(404);
        Response job = given().auth().oauth2(token).get("/api/exchange/v1/exports/" + id);
        Response file = given().auth().oauth2(token).get("/api/exchange/v1/exports/" + id + "/content");
        file.then().statusCode(200).header("X-Usage-Log-Seq", notNullValue());
        byte[] bytes = file.asByteArray();
        String text = new String(bytes, StandardCharsets.UTF_8);
        assertEquals(4, text.lines().count());
        assertTrue(text.contains("330***********001X"));
        assertFalse(text.contains("张伟"));
        assertFalse(text.contains("CSRQ"));
        assertEquals(job.jsonPath().getString("manifest.sha256"), UsageLogTest.sha256Bytes(bytes));
        // the manifest is sealed by the provider: checked with the JWKS alone
        String manifestJson = new com.fasterxml.jackson.databind.ObjectMapper()
                .writeValueAsString(job.jsonPath().getMap("manifest"));
        String jwksJson = given().get("/api/exchange/v1/seals/jwks").asString();
        JWKSet jwks = JWKSet.parse(jwksJson);
        assertTrue(verify(job.jsonPath().getString("manifestSeal"), manifestJson.getBytes(StandardCharsets.UTF_8), jwks));

        // offline, with the auditor's program: the job as GET /exports/{id} answers it, and the file
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("export-manifest");
        java.nio.file.Path keys = java.nio.file.Files.writeString(dir.resolve("seals-jwks.json"), jwksJson);
        java.nio.file.Path jobFile = java.nio.file.Files.writeString(dir.resolve("export.json"), job.asString());
        VerifierCli.Run run = VerifierCli.run("verify-manifest", keys, jobFile,
                java.nio.file.Files.write(dir.resolve("export.jsonl"), bytes));
        assertEquals(0, run.code(), run.said());
        assertTrue(run.said().startsWith("VALID: the manifest of export " + id + " is sealed by department "
                + "11330000002481020A"), run.said());
        assertTrue(run.said().contains("export.jsonl (" + bytes.length + " bytes) is that file"), run.said());
        // the file without its last record
        byte[] cut = text.substring(0, text.stripTrailing().lastIndexOf('\n') + 1).getBytes(StandardCharsets.UTF_8);
        run = VerifierCli.run("verify-manifest", keys, jobFile, java.nio.file.Files.write(dir.resolve("cut.jsonl"), cut));
        assertEquals(1, run.code(), run.said());
        assertTrue(run.said().startsWith("INVALID: cut.jsonl's SHA-256 "), run.said());
    }

    @Test
    void suspendedGrantIsRefusedUntilResumed() {
        pushTestRecords();
        long grant = conditionalGrant("11330000002481070F", 100, 10000, List.of());
        String consumer = operator("11330000002481070F");
        Response ok = given().urlEncodingEnabled(false).auth().oauth2(consumer).header("X-Grant-Id", grant)
                .get(path(FakeCatalog.CONDITIONAL, "330282196509230044"));
        ok.then().statusCode(200);
        // the consumer cannot suspend; the provider must give a reason
        given().auth().oauth2(consumer).contentType(ContentType.JSON).body(Map.of("version", 0, "reason", "x"))
                .post("/api/exchange/v1/grants/" + grant + "/suspend").then().statusCode(403);
        given().auth().oauth2(operator(RequestWorkflowTest.PROVIDER)).contentType(ContentType.JSON)
                .body(Map.of("version", 0)).post("/api/exchange/v1/grants/" + grant + "/suspend").then().statusCode(400);
        given().auth().oauth2(operator(RequestWorkflowTest.PROVIDER)).contentType(ContentType.JSON)
                .body(Map.of("version", 0, "reason", "超范围使用，暂停核查"))
                .post("/api/exchange/v1/grants/" + grant + "/suspend").then().statusCode(200)
                .body("status", equalTo("SUSPENDED"));
        Response refused = given().urlEncodingEnabled(false).auth().oauth2(consumer).header("X-Grant-Id", grant)
                .get(path(FakeCatalog.CONDITIONAL, "330282196509230044"));
        refused.then().statusCode(403).contentType("application/problem+json");
        assertFalse(refused.asString().contains("王"));
        given().auth().oauth2(consumer).get("/api/exchange/v1/notices").then().body("kind", hasItem("GRANT_SUSPENDED"));
        given().auth().oauth2(reviewer()).contentType(ContentType.JSON).body(Map.of("version", 1, "reason", "核查完毕"))
                .post("/api/exchange/v1/grants/" + grant + "/resume").then().statusCode(200);
        given().urlEncodingEnabled(false).auth().oauth2(consumer).header("X-Grant-Id", grant)
                .get(path(FakeCatalog.CONDITIONAL, "330282196509230044")).then().statusCode(200);
        // termination, then disposal confirmed by the consumer
        given().auth().oauth2(operator(RequestWorkflowTest.PROVIDER)).contentType(ContentType.JSON)
                .body(Map.of("version", 2, "reason", "业务办结")).post("/api/exchange/v1/grants/" + grant + "/terminate")
                .then().statusCode(200).body("status", equalTo("TERMINATED"));
        given().auth().oauth2(consumer).contentType(ContentType.JSON).body(Map.of("version", 3, "reason", "已删除本地副本"))
                .post("/api/exchange/v1/grants/" + grant + "/disposal").then().statusCode(200)
                .body("disposalConfirmedAt", notNullValue());
    }

    /** A fresh entry of the test provider (GMSFHM, XM, ZY) with two records, so no other test shares its grants. */
    static void freshEntry(CatalogReplicaService replica, String code, String share) {
        FakeCatalog.add("PUBLISHED", code, "测试授权目录 " + code, RequestWorkflowTest.PROVIDER, share, "LEVEL_3", "GMSFHM",
                List.of(Map.of("code", "GMSFHM", "name", "公民身份号码", "sensitive", true),
                        Map.of("code", "XM", "name", "姓名", "sensitive", true),
                        Map.of("code", "ZY", "name", "职业", "sensitive", false)));
        replica.pollOnce();
        given().urlEncodingEnabled(false).auth().oauth2(operator(RequestWorkflowTest.PROVIDER))
                .contentType(ContentType.JSON)
                .body(List.of(Map.of("GMSFHM", "330110200102150052", "XM", "刘洋", "ZY", "教师"),
                        Map.of("GMSFHM", "330282196509230044", "XM", "王芳", "ZY", "退休")))
                .post("/api/exchange/v1/datasets/" + FakeCatalog.encoded(code) + "/records").then().statusCode(201);
    }

    static Response governGrant(String token, long grant, String action, int version, String reason) {
        return given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("version", version, "reason", reason)).post("/api/exchange/v1/grants/" + grant + "/" + action);
    }

    static Response approve(long request) {
        return given().auth().oauth2(operator(RequestWorkflowTest.PROVIDER)).contentType(ContentType.JSON)
                .body(Map.of("version", 0)).post("/api/exchange/v1/requests/" + request + "/approve");
    }

    @Test
    void filingAgainDoesNotGetRoundASuspensionAndATerminationSendsItToReview() {
        String code = "330000-01-02/900401";
        freshEntry(replica, code, "UNCONDITIONAL");
        String dept = "11330000MB00000070";
        String consumer = operator(dept);
        String provider = operator(RequestWorkflowTest.PROVIDER);
        Map<String, Object> request = RequestWorkflowTest.body(code, List.of("GMSFHM", "XM"));
        long grant = fileGranted(consumer, request);
        lookup(consumer, code, "330282196509230044").then().statusCode(200).body("grantId", equalTo((int) grant));
        governGrant(provider, grant, "suspend", 0, "超范围批量调用，暂停核查").then().statusCode(200);

        // while suspended: filing again is refused, naming the suspended grant; no new grant, still no data
        Response refused = RequestWorkflowTest.file(consumer, request);
        refused.then().statusCode(409).contentType("application/problem+json")
                .body("type", equalTo("urn:onenet:problem:conflict")).body("field", equalTo("resourceCode"))
                .body("grantId", equalTo((int) grant)).body("grantStatus", equalTo("SUSPENDED"))
                .body("requestId", notNullValue());
        assertTrue(refused.jsonPath().getString("detail").contains("#" + grant));
        given().auth().oauth2(consumer).get("/api/exchange/v1/grants?resourceCode=" + code).then().statusCode(200)
                .body("id", equalTo(List.of((int) grant)));
        Response blocked = lookup(consumer, code, "330282196509230044");
        blocked.then().statusCode(403).contentType("application/problem+json");
        assertFalse(blocked.asString().contains("王"));

        // lifted: the same grant serves again
        governGrant(reviewer(), grant, "resume", 1, "核查完毕，已整改").then().statusCode(200);
        lookup(consumer, code, "330282196509230044").then().statusCode(200).body("grantId", equalTo((int) grant));

        // the provider does not end a 无条件共享 grant (R15); terminated by the 主管部门, a new filing is no longer
        // granted at once but waits for the provider's review
        governGrant(provider, grant, "terminate", 2, "违规使用，终止授权").then().statusCode(403);
        governGrant(reviewer(), grant, "terminate", 2, "违规使用，终止授权").then().statusCode(200);
        String note = reviewedBeforeGrantedAgain(consumer, provider, code, request);
        assertTrue(note.contains("#" + grant), note);
    }

    static long fileGranted(String consumer, Map<String, Object> request) {
        return RequestWorkflowTest.file(consumer, request).then().statusCode(201).body("status", equalTo("GRANTED"))
                .extract().jsonPath().getLong("grantId");
    }

    /**
     * Files the request again: it waits for the provider's review (no grant, no data) until approved, then serves.
     * Returns the provider's notice of the new request.
     */
    static String reviewedBeforeGrantedAgain(String consumer, String provider, String code,
            Map<String, Object> request) {
        Response again = RequestWorkflowTest.file(consumer, request);
        again.then().statusCode(201).body("status", equalTo("PENDING")).body("grantId", nullValue())
                .body("dueOn", notNullValue());
        long id = again.jsonPath().getLong("id");
        String note = given().auth().oauth2(provider).get("/api/exchange/v1/notices").then().statusCode(200).extract()
                .jsonPath().getString("find { it.subjectType == 'REQUEST' && it.subjectId == " + id + " }.message");
        lookup(consumer, code, "330282196509230044").then().statusCode(403);
        long renewed = approve(id).then().statusCode(200).extract().jsonPath().getLong("grantId");
        lookup(consumer, code, "330282196509230044").then().statusCode(200).body("grantId", equalTo((int) renewed));
        return note;
    }

    @Test
    void aGrantThatExpiredWhileSuspendedSendsANewFilingToReview() throws Exception {
        String code = "330000-01-02/900403";
        freshEntry(replica, code, "UNCONDITIONAL");
        String dept = "11330000MB00000090";
        String consumer = operator(dept);
        String provider = operator(RequestWorkflowTest.PROVIDER);
        Map<String, Object> request = RequestWorkflowTest.body(code, List.of("GMSFHM", "XM"));
        long grant = fileGranted(consumer, request);
        governGrant(provider, grant, "suspend", 0, "超范围批量调用，暂停核查").then().statusCode(200);

        // the suspended grant reaches its end date and the daily expiry runs
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            assertEquals(1, s.executeUpdate("UPDATE share_grant SET valid_to = valid_from WHERE id = " + grant));
        }
        grantService.expireEnded();
        given().auth().oauth2(consumer).get("/api/exchange/v1/grants/" + grant).then().statusCode(200)
                .body("status", equalTo("EXPIRED"));

        // waiting out a suspension does not get round it: the new filing goes to the provider's review
        String note = reviewedBeforeGrantedAgain(consumer, provider, code, request);
        assertTrue(note.contains("#" + grant) && note.contains("suspended"), note);
    }

    @Test
    void aLookupWithoutGrantIdNeverFallsToANewerGrantWhileOneIsSuspended() {
        String code = "330000-01-02/900402";
        freshEntry(replica, code, "CONDITIONAL");
        String dept = "11330000MB00000080";
        String consumer = operator(dept);
        String provider = operator(RequestWorkflowTest.PROVIDER);
        // two grants for two purposes on the same entry: an active grant does not stop another request
        Map<String, Object> first = RequestWorkflowTest.body(code, List.of("GMSFHM", "XM"));
        Map<String, Object> second = new java.util.HashMap<>(first);
        second.put("purpose", "最低生活保障家庭经济状况核对");
        long older = approve(RequestWorkflowTest.file(consumer, first).jsonPath().getLong("id")).then().statusCode(200)
                .extract().jsonPath().getLong("grantId");
        long newer = approve(RequestWorkflowTest.file(consumer, second).jsonPath().getLong("id")).then()
                .statusCode(200).extract().jsonPath().getLong("grantId");
        long waiting = RequestWorkflowTest.file(consumer, second).then().statusCode(201)
                .body("status", equalTo("PENDING")).extract().jsonPath().getLong("id");
        // two grants in force: the call names the one (the purpose) it is made for (R12)
        lookup(consumer, code, "330110200102150052").then().statusCode(409).contentType("application/problem+json")
                .body("errors.field", equalTo(List.of("X-Grant-Id")))
                .body("grants.grantId", equalTo(List.of((int) older, (int) newer)));
        lookupUnder(consumer, code, newer).then().statusCode(200).body("grantId", equalTo((int) newer));

        governGrant(provider, older, "suspend", 0, "超范围使用，暂停核查").then().statusCode(200);
        // a suspended grant in force is one of the choices: the call without the header is not given the other one
        lookup(consumer, code, "330110200102150052").then().statusCode(409).contentType("application/problem+json")
                .body("grants.status", equalTo(List.of("SUSPENDED", "ACTIVE")));
        lookupUnder(consumer, code, older).then().statusCode(403).contentType("application/problem+json");
        // nor is a request that was waiting approved while the suspension stands
        approve(waiting).then().statusCode(409).contentType("application/problem+json")
                .body("grantId", equalTo((int) older));

        governGrant(provider, older, "resume", 1, "核查完毕").then().statusCode(200);
        lookupUnder(consumer, code, older).then().statusCode(200).body("grantId", equalTo((int) older));
        approve(waiting).then().statusCode(200).body("status", equalTo("APPROVED"));
    }

    @Test
    void noDataLeavesWhenTheLogWriteFails() throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE FUNCTION fail_log() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'log write killed'; END $$ "
                    + "LANGUAGE plpgsql");
            s.execute("CREATE TRIGGER kill_log BEFORE INSERT ON usage_log FOR EACH ROW EXECUTE FUNCTION fail_log()");
        }
        try {
            Response r = lookup(operator(HR), FakeCatalog.POPULATION, "33010619920708002X");
            r.then().statusCode(503).contentType("application/problem+json");
            assertFalse(r.asString().contains("李"));
            assertFalse(r.asString().contains("HJDZ"));
            assertEquals(null, r.header(DataResource.SEAL_HEADER));
        } finally {
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                s.execute("DROP TRIGGER kill_log ON usage_log");
                s.execute("DROP FUNCTION fail_log()");
            }
        }
        lookup(operator(HR), FakeCatalog.POPULATION, "33010619920708002X").then().statusCode(200);
    }

    @Test
    void proxiedProviderIsCalledAndATimeoutIs504() {
        // the demo 电子证照 provider runs inside the suite as a proxied service
        long grant = RequestWorkflowTest.file(operator(DemoData.CIVIL_AFFAIRS),
                RequestWorkflowTest.body(FakeCatalog.LICENCES, List.of("ZZBH", "ZZMC", "CZZTDM"))).then()
                .statusCode(201).extract().jsonPath().getLong("grantId");
        given().urlEncodingEnabled(false).auth().oauth2(operator(DemoData.CIVIL_AFFAIRS)).header("X-Grant-Id", grant)
                .get(path(FakeCatalog.LICENCES, "DZZZ-330106-0001")).then().statusCode(200)
                .body("record.ZZMC", equalTo("营业执照")).body("record.CZZTDM", equalTo("913***********001E"))
                .body("record", not(hasKey("CZZT")));

        String code = "330000-01-09/900009";
        FakeCatalog.add("PUBLISHED", code, "测试代理服务目录", DemoData.EMERGENCY, "UNCONDITIONAL", "LEVEL_2", "GMSFHM",
                List.of(Map.of("code", "GMSFHM", "name", "公民身份号码", "sensitive", true)));
        replica.pollOnce();
        given().urlEncodingEnabled(false).auth().oauth2(operator(DemoData.EMERGENCY)).contentType(ContentType.JSON)
                .body(Map.of("endpointUrl", slowProvider.toString(), "timeoutMs", 300))
                .put("/api/exchange/v1/datasets/" + FakeCatalog.encoded(code) + "/proxy").then().statusCode(200);
        RequestWorkflowTest.file(operator(DemoData.CIVIL_AFFAIRS), RequestWorkflowTest.body(code, List.of("GMSFHM")))
                .then().statusCode(201).body("status", equalTo("GRANTED"));
        lookup(operator(DemoData.CIVIL_AFFAIRS), code, CITIZEN).then().statusCode(504)
                .contentType("application/problem+json").body("type", equalTo("urn:onenet:problem:gateway-timeout"))
                // the provider failed, not the exchange: the gateway must not retry it or count it against us
                .header(FailureOrigin.HEADER, FailureOrigin.DOWNSTREAM);
        for (int i = 0; i < 4; i++) {
            lookup(operator(DemoData.CIVIL_AFFAIRS), code, CITIZEN).then().statusCode(504);
        }
        // five failures in a row open the circuit: the provider is no longer called
        lookup(operator(DemoData.CIVIL_AFFAIRS), code, CITIZEN).then().statusCode(503)
                .header("Retry-After", notNullValue()).header(FailureOrigin.HEADER, FailureOrigin.DOWNSTREAM);
    }

    @Test
    void anEndpointRepointedThroughAnotherReplicaIsCalledWithinSeconds() throws Exception {
        String code = "330000-01-09/900010";
        FakeCatalog.add("PUBLISHED", code, "测试代理服务改址目录", DemoData.EMERGENCY, "UNCONDITIONAL", "LEVEL_2", "GMSFHM",
                List.of(Map.of("code", "GMSFHM", "name", "公民身份号码", "sensitive", true)));
        replica.pollOnce();
        // the demo provider answers 404 (no such licence) at once
        given().urlEncodingEnabled(false).auth().oauth2(operator(DemoData.EMERGENCY)).contentType(ContentType.JSON)
                .body(Map.of("endpointUrl", "http://127.0.0.1:" + io.restassured.RestAssured.port
                        + "/api/exchange/v1/demo-provider/licences", "timeoutMs", 2000))
                .put("/api/exchange/v1/datasets/" + FakeCatalog.encoded(code) + "/proxy").then().statusCode(200);
        RequestWorkflowTest.file(operator(DemoData.CIVIL_AFFAIRS), RequestWorkflowTest.body(code, List.of("GMSFHM")))
                .then().statusCode(201).body("status", equalTo("GRANTED"));
        lookup(operator(DemoData.CIVIL_AFFAIRS), code, CITIZEN).then().statusCode(404);
        // another replica re-points it (the same row): to a port where nothing listens
        try (java.sql.Connection c = dataSource.getConnection(); java.sql.PreparedStatement ps = c.prepareStatement(
                "UPDATE proxied_service SET endpoint_url = 'http://127.0.0.1:9/licences' WHERE resource_code = ?")) {
            ps.setString(1, code);
            assertEquals(1, ps.executeUpdate());
        }
        int status = 404;
        for (int i = 0; i < 80 && status == 404; i++) {
            Thread.sleep(100);
            status = lookup(operator(DemoData.CIVIL_AFFAIRS), code, CITIZEN).statusCode();
        }
        assertEquals(502, status, "the new endpoint is called within seconds");
    }

    @Test
    void catalogueDownExchangeStillServesAndResumesFromItsCursor() {
        FakeCatalog.down();
        try {
            assertEquals(-1, replica.pollOnce());
            lookup(operator(HR), FakeCatalog.POPULATION, CITIZEN).then().statusCode(200);
            RequestWorkflowTest.file(operator(DemoData.CIVIL_AFFAIRS),
                    RequestWorkflowTest.body(FakeCatalog.UNCONDITIONAL, List.of("XM"))).then().statusCode(201)
                    .body("status", equalTo("GRANTED"));
            FakeCatalog.add("PUBLISHED", "330000-01-02/900077", "停机期间发布的目录", DemoData.EMERGENCY, "UNCONDITIONAL",
                    "LEVEL_1", "GMSFHM", List.of(Map.of("code", "GMSFHM", "name", "公民身份号码", "sensitive", true)));
        } finally {
            FakeCatalog.up();
        }
        assertEquals(1, replica.pollOnce());
        RequestWorkflowTest.file(operator(DemoData.CIVIL_AFFAIRS),
                RequestWorkflowTest.body("330000-01-02/900077", List.of("GMSFHM"))).then().statusCode(201);
    }

    @Test
    void uploadsInCsvJsonLinesAndExcelAndFilteredQuery() throws Exception {
        String url = "/api/exchange/v1/datasets/" + FakeCatalog.encoded(FakeCatalog.UNCONDITIONAL) + "/uploads";
        String provider = operator(RequestWorkflowTest.PROVIDER);
        given().urlEncodingEnabled(false).auth().oauth2(provider).contentType("text/csv")
                .body("GMSFHM,XM,ZY\n330110200102150052,刘洋,教师\n330282196509230044,王芳,退休\n".getBytes(StandardCharsets.UTF_8))
                .post(url).then().statusCode(201).body("records", equalTo(2));
        given().urlEncodingEnabled(false).auth().oauth2(provider).contentType("application/x-ndjson")
                .body("{\"GMSFHM\":\"33010619920708002X\",\"XM\":\"李娜\",\"ZY\":\"医生\"}\n".getBytes(StandardCharsets.UTF_8))
                .post(url).then().statusCode(201).body("records", equalTo(1));
        ByteArrayOutputStream xlsx = new ByteArrayOutputStream();
        try (Workbook wb = new Workbook(xlsx, "test", "1.0")) {
            Worksheet ws = wb.newWorksheet("data");
            ws.value(0, 0, "GMSFHM");
            ws.value(0, 1, "XM");
            ws.value(0, 2, "ZY");
            ws.value(1, 0, "33010619850312001X");
            ws.value(1, 1, "张伟");
            ws.value(1, 2, "教师");
        }
        given().urlEncodingEnabled(false).auth().oauth2(provider).contentType(DatasetResource.XLSX)
                .body(xlsx.toByteArray()).post(url).then().statusCode(201).body("records", equalTo(1));
        // unknown item and missing key are refused, nothing stored
        given().urlEncodingEnabled(false).auth().oauth2(provider).contentType("text/csv")
                .body("XM,FOO\n某人,x\n".getBytes(StandardCharsets.UTF_8)).post(url).then().statusCode(400)
                .contentType("application/problem+json");
        // a NUL character in a cell is named and refused, nothing stored (PostgreSQL refuses it in jsonb)
        given().urlEncodingEnabled(false).auth().oauth2(provider).contentType("text/csv")
                .body("GMSFHM,XM\n330110200102150052,刘\u0000洋\n".getBytes(StandardCharsets.UTF_8)).post(url).then()
                .statusCode(400).contentType("application/problem+json").body("field", equalTo("records[0].XM"));
        // only the provider uploads
        given().urlEncodingEnabled(false).auth().oauth2(operator(HR)).contentType("text/csv")
                .body("GMSFHM,XM\n330110200102150052,x\n".getBytes(StandardCharsets.UTF_8)).post(url).then()
                .statusCode(403);

        String consumer = operator("11330000002481060E");
        RequestWorkflowTest.file(consumer, RequestWorkflowTest.body(FakeCatalog.UNCONDITIONAL, List.of("GMSFHM", "ZY")))
                .then().statusCode(201);
        given().urlEncodingEnabled(false).auth().oauth2(consumer)
                .get("/api/exchange/v1/data/" + FakeCatalog.encoded(FakeCatalog.UNCONDITIONAL) + "/records?ZY=教师")
                .then().statusCode(200).body("records.size()", equalTo(2)).body("records[0]", not(hasKey("XM")))
                .header(DataResource.SEAL_HEADER, notNullValue());
        given().urlEncodingEnabled(false).auth().oauth2(consumer)
                .get("/api/exchange/v1/data/" + FakeCatalog.encoded(FakeCatalog.UNCONDITIONAL) + "/records?XM=刘洋")
                .then().statusCode(400);
    }

    long storedRecords(String resourceCode) throws Exception {
        try (Connection c = dataSource.getConnection();
                java.sql.PreparedStatement ps = c.prepareStatement(
                        "SELECT count(*), coalesce(max(change_seq), 0) FROM dataset_record WHERE resource_code = ?")) {
            ps.setString(1, resourceCode);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1) * 1_000_000_000L + rs.getLong(2);
            }
        }
    }

    @Test
    void aNullRecordOrAKeyLongerThanTheColumnIsNamedAndNothingIsStored() throws Exception {
        String base = "/api/exchange/v1/datasets/" + FakeCatalog.encoded(FakeCatalog.UNCONDITIONAL);
        String provider = operator(RequestWorkflowTest.PROVIDER);
        long before = storedRecords(FakeCatalog.UNCONDITIONAL);
        // a JSON null in the array, alone or after a good record
        given().urlEncodingEnabled(false).auth().oauth2(provider).contentType(ContentType.JSON).body("[null]")
                .post(base + "/records").then().statusCode(400).contentType("application/problem+json")
                .body("field", equalTo("records[0]")).body("requestId", notNullValue());
        given().urlEncodingEnabled(false).auth().oauth2(provider).contentType(ContentType.JSON)
                .body("[{\"GMSFHM\": \"330110200102150052\", \"XM\": \"刘洋\"}, null]")
                .post(base + "/records").then().statusCode(400).contentType("application/problem+json")
                .body("field", equalTo("records[1]")).body("requestId", notNullValue());
        // a line "null" of a JSON Lines upload
        given().urlEncodingEnabled(false).auth().oauth2(provider).contentType("application/x-ndjson")
                .body("{\"GMSFHM\":\"330110200102150052\",\"XM\":\"刘洋\"}\nnull\n".getBytes(StandardCharsets.UTF_8))
                .post(base + "/uploads").then().statusCode(400).contentType("application/problem+json")
                .body("field", equalTo("records[1]")).body("requestId", notNullValue());
        // a key longer than dataset_record.record_key (100 characters after trimming), by each way in
        String longKey = "3".repeat(101);
        given().urlEncodingEnabled(false).auth().oauth2(provider).contentType(ContentType.JSON)
                .body(List.of(Map.of("GMSFHM", "  " + longKey + "  ", "XM", "刘洋"))).post(base + "/records").then()
                .statusCode(400).contentType("application/problem+json").body("field", equalTo("records[0].GMSFHM"))
                .body("requestId", notNullValue());
        given().urlEncodingEnabled(false).auth().oauth2(provider).contentType(ContentType.JSON)
                .body(List.of(Map.of("GMSFHM", "键".repeat(101)))).post(base + "/records").then()
                .statusCode(400).body("field", equalTo("records[0].GMSFHM"));
        given().urlEncodingEnabled(false).auth().oauth2(provider).contentType("text/csv")
                .body(("GMSFHM,XM\n330110200102150052,刘洋\n" + longKey + ",王芳\n").getBytes(StandardCharsets.UTF_8))
                .post(base + "/uploads").then().statusCode(400).contentType("application/problem+json")
                .body("field", equalTo("records[1].GMSFHM")).body("requestId", notNullValue());
        given().urlEncodingEnabled(false).auth().oauth2(provider).contentType("application/x-ndjson")
                .body(("{\"GMSFHM\":\"" + longKey + "\"}\n").getBytes(StandardCharsets.UTF_8))
                .post(base + "/uploads").then().statusCode(400).body("field", equalTo("records[0].GMSFHM"));
        assertEquals(before, storedRecords(FakeCatalog.UNCONDITIONAL), "nothing stored");
    }
}
