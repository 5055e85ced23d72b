package cn.onenet.exchange.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;

import cn.onenet.exchange.ExchangeTestBase;
import cn.onenet.exchange.FakeCatalog;
import cn.onenet.exchange.service.DemoData;
import cn.onenet.exchange.service.Json;
import cn.onenet.exchange.service.TimeSource;
import cn.onenet.testsupport.TestTokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

@QuarkusTest
class UsageLogTest extends ExchangeTestBase {

    static final String HR = DemoData.HUMAN_RESOURCES;
    /** Covert queries are made by a department whose grant permits them (its request declared covert use). */
    static final String INVESTIGATOR = CovertUseGrantTest.INVESTIGATOR;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    cn.onenet.exchange.service.SealService seals;

    static Response lookup(String resourceCode, String key, String requestId) {
        return given().urlEncodingEnabled(false).auth().oauth2(operator(HR)).header("X-Request-Id", requestId)
                .get(DeliveryTest.path(resourceCode, key));
    }

    @Test
    void citizenSeesExactlyTheAccessesAboutThemAndCovertOnesOnlyLater() {
        String mine = "cit-" + UUID.randomUUID();
        String other = "cit-" + UUID.randomUUID();
        String covert = "cit-" + UUID.randomUUID();
        lookup(FakeCatalog.POPULATION, "330282196509230044", mine).then().statusCode(200);
        lookup(FakeCatalog.POPULATION, "330110200102150052", other).then().statusCode(200);
        long covertGrant = CovertUseGrantTest.covertGrant(INVESTIGATOR);
        given().urlEncodingEnabled(false).auth().oauth2(operator(INVESTIGATOR)).header("X-Grant-Id", covertGrant)
                .header("X-Request-Id", covert)
                .header("X-Covert-Until", LocalDate.now(TimeSource.ZONE).plusDays(30).toString())
                .header("X-Covert-Legal-Basis", URLEncoder.encode("《刑事诉讼法》第五十四条", StandardCharsets.UTF_8))
                .get(DeliveryTest.path(FakeCatalog.POPULATION, "330282196509230044")).then().statusCode(200);
        // a covert query needs its legal basis
        given().urlEncodingEnabled(false).auth().oauth2(operator(INVESTIGATOR)).header("X-Grant-Id", covertGrant)
                .header("X-Covert-Until", LocalDate.now(TimeSource.ZONE).plusDays(30).toString())
                .get(DeliveryTest.path(FakeCatalog.POPULATION, "330282196509230044")).then().statusCode(400);

        Response wang = given().auth().oauth2(TestTokens.citizen("wang", "330282196509230044", AUD))
                .get("/api/exchange/v1/me/data-accesses");
        wang.then().statusCode(200).body("requestId", hasItem(mine)).body("requestId", not(hasItem(other)))
                .body("requestId", not(hasItem(covert)));
        Map<String, Object> row = wang.jsonPath().getMap("find { it.requestId == '" + mine + "' }");
        assertEquals(HR, row.get("consumerDepartmentCode"));
        assertEquals("居民户籍信息", row.get("resourceName"));
        assertEquals("社会保障待遇资格认证", row.get("purpose"));
        assertEquals("《政务数据共享条例》第十二条", row.get("legalBasis"));
        assertEquals(List.of("GMSFHM", "HJDZ", "XM"), row.get("items"));
        // a citizen reads the items' names from the catalogue, not only their codes
        assertEquals(Map.of("GMSFHM", "公民身份号码", "HJDZ", "户籍地址", "XM", "姓名"), row.get("itemNames"));
        assertFalse(wang.asString().contains("330282196509230044"));

        Response liu = given().auth().oauth2(TestTokens.citizen("liu", "330110200102150052", AUD))
                .get("/api/exchange/v1/me/data-accesses");
        liu.then().statusCode(200).body("requestId", hasItem(other)).body("requestId", not(hasItem(mine)))
                .body("requestId", not(hasItem(covert)));
        // the hiding itself is on record for the 主管部门
        given().auth().oauth2(auditor()).get("/api/exchange/v1/usage-log?order=desc&limit=200").then().statusCode(200)
                .body("find { it.requestId == '" + covert + "' }.hiddenUntil",
                        equalTo(LocalDate.now(TimeSource.ZONE).plusDays(30).toString()));
        // civil servants cannot use the citizens' view; citizens cannot read the log
        given().auth().oauth2(operator(HR)).get("/api/exchange/v1/me/data-accesses").then().statusCode(403);
        given().auth().oauth2(TestTokens.citizen("liu", "330110200102150052", AUD)).get("/api/exchange/v1/usage-log")
                .then().statusCode(403);
    }

    @Test
    void auditorsListCovertHidingsAndNobodyElseDoes() {
        String rid = "cov-" + UUID.randomUUID();
        LocalDate today = LocalDate.now(TimeSource.ZONE);
        String token = TestTokens.custom(Map.of("sub", "investigator-7", "client_id", "case-handling-system", "aud", AUD,
                "roles", List.of("operator"), "dept", INVESTIGATOR, "account_type", "civil_servant"));
        long grant = CovertUseGrantTest.covertGrant(INVESTIGATOR);
        // headers carry ASCII: the legal basis comes percent-encoded (UTF-8)
        String basis = URLEncoder.encode("《刑事诉讼法》第一百五十条", StandardCharsets.UTF_8);
        long seq = Long.parseLong(given().urlEncodingEnabled(false).auth().oauth2(token).header("X-Request-Id", rid)
                .header("X-Grant-Id", grant).header("X-Covert-Until", today.plusDays(30).toString())
                .header("X-Covert-Legal-Basis", basis)
                .get(DeliveryTest.path(FakeCatalog.POPULATION, "330282196509230044")).then().statusCode(200).extract()
                .header("X-Usage-Log-Seq"));
        given().urlEncodingEnabled(false).auth().oauth2(token).header("X-Grant-Id", grant)
                .header("X-Covert-Until", today.plusDays(30).toString()).header("X-Covert-Legal-Basis", "%E3%80")
                .get(DeliveryTest.path(FakeCatalog.POPULATION, "330282196509230044"))
                .then().statusCode(400).body("field", equalTo("X-Covert-Legal-Basis"));
        for (String until : List.of("+10000-01-01", "-5000-01-01")) {
            given().urlEncodingEnabled(false).auth().oauth2(token).header("X-Grant-Id", grant)
                    .header("X-Covert-Until", until).header("X-Covert-Legal-Basis", basis)
                    .get(DeliveryTest.path(FakeCatalog.POPULATION, "330282196509230044")).then().statusCode(400)
                    .contentType("application/problem+json").body("field", equalTo("X-Covert-Until"))
                    .body("requestId", notNullValue());
        }
        String url = "/api/exchange/v1/usage-log/covert-hidings";

        Response listed = given().auth().oauth2(auditor()).queryParam("department", INVESTIGATOR)
                .queryParam("from", today.toString())
                .queryParam("to", today.toString()).queryParam("size", 200).get(url);
        listed.then().statusCode(200).body("page", equalTo(0)).body("size", equalTo(200));
        Map<String, Object> row = listed.jsonPath().getMap("hidings.find { it.usageLogSeq == " + seq + " }");
        assertEquals(INVESTIGATOR, row.get("departmentCode"));
        assertEquals("case-handling-system", row.get("clientId"));
        assertEquals("investigator-7", row.get("userSub"));
        assertEquals(today.plusDays(30).toString(), row.get("hiddenUntil"));
        assertEquals("《刑事诉讼法》第一百五十条", row.get("legalBasis"));
        assertEquals(rid, row.get("requestId"));
        assertEquals(FakeCatalog.POPULATION, row.get("resourceCode"));
        assertTrue(row.get("hiddenAt").toString().startsWith(today.getYear() + "-"), String.valueOf(row.get("hiddenAt")));
        assertTrue(listed.jsonPath().getList("hidings.departmentCode").stream().allMatch(INVESTIGATOR::equals));
        // filtered by department and date range, paged
        given().auth().oauth2(auditor()).queryParam("department", DemoData.EMERGENCY).queryParam("size", 200).get(url)
                .then().statusCode(200).body("hidings.usageLogSeq", not(hasItem((int) seq)));
        given().auth().oauth2(auditor()).queryParam("to", today.minusDays(10).toString()).get(url).then().statusCode(200)
                .body("total", equalTo(0)).body("hidings.size()", equalTo(0));
        Response first = given().auth().oauth2(auditor()).queryParam("size", 1).get(url);
        first.then().statusCode(200).body("hidings.size()", equalTo(1));
        assertTrue(first.jsonPath().getLong("total") >= 1);
        given().auth().oauth2(auditor()).queryParam("from", "2026-02-30").get(url).then().statusCode(400)
                .contentType("application/problem+json").body("field", equalTo("from")).body("requestId", notNullValue());
        given().auth().oauth2(auditor()).queryParam("from", "1899-12-31").get(url).then().statusCode(400)
                .contentType("application/problem+json").body("field", equalTo("from")).body("requestId", notNullValue());
        given().auth().oauth2(auditor()).queryParam("to", "+10000-01-01").get(url).then().statusCode(400)
                .contentType("application/problem+json").body("field", equalTo("to")).body("requestId", notNullValue());
        given().auth().oauth2(auditor()).queryParam("from", today.toString()).queryParam("to", today.minusDays(1).toString())
                .get(url).then().statusCode(400).body("field", equalTo("to"));

        // nobody else: not the department's operators, not the citizen concerned, not without a token
        given().auth().oauth2(operator(INVESTIGATOR)).get(url).then().statusCode(403)
                .contentType("application/problem+json");
        given().auth().oauth2(token).get(url).then().statusCode(403).contentType("application/problem+json");
        given().auth().oauth2(TestTokens.citizen("wang", "330282196509230044", AUD)).get(url).then().statusCode(403)
                .contentType("application/problem+json");
        given().get(url).then().statusCode(401).contentType("application/problem+json");
    }

    @Test
    void enterpriseSeesAccessesByItsCreditCode() {
        String rid = "ent-" + UUID.randomUUID();
        long grant = RequestWorkflowTest.file(operator(DemoData.EMERGENCY),
                RequestWorkflowTest.body(FakeCatalog.ENTERPRISES, List.of("TYSHXYDM", "QYMC", "FDDBR"))).jsonPath()
                .getLong("grantId");
        given().urlEncodingEnabled(false).auth().oauth2(operator(DemoData.EMERGENCY)).header("X-Grant-Id", grant)
                .header("X-Request-Id", rid).get(DeliveryTest.path(FakeCatalog.ENTERPRISES, DemoData.ENTERPRISE))
                .then().statusCode(200).body("record.QYMC", equalTo("杭州数智科技有限公司"))
                // grade 1: not masked
                .body("record.FDDBR", equalTo("张三"));
        String token = TestTokens.custom(Map.of("sub", "ent-1", "aud", AUD, "roles", List.of("enterprise"),
                "uscc", DemoData.ENTERPRISE, "account_type", "legal_person", "acr", "urn:onenet:loa:3"));
        given().auth().oauth2(token).get("/api/exchange/v1/me/data-accesses").then().statusCode(200)
                .body("requestId", hasItem(rid));
    }

    @Test
    void providersSeeOnlyTheirOwnEntries() {
        lookup(FakeCatalog.POPULATION, "33010619850312001X", "prov-" + UUID.randomUUID()).then().statusCode(200);
        List<String> providers = given().auth().oauth2(operator("11330000002481020A"))
                .get("/api/exchange/v1/usage-log?limit=200").then().statusCode(200).extract().jsonPath()
                .getList("providerDepartmentCode");
        assertFalse(providers.isEmpty());
        assertTrue(providers.stream().allMatch("11330000002481020A"::equals));
    }

    static final String LOG = "/api/exchange/v1/usage-log";

    /** Lookups of a population record, one after another; their usage-log sequence numbers. */
    static List<Long> lookups(int count, String requestIdPrefix) {
        List<Long> seqs = new java.util.ArrayList<>();
        for (int i = 0; i < count; i++) {
            seqs.add(Long.parseLong(lookup(FakeCatalog.POPULATION, "33010619850312001X", requestIdPrefix
                    + UUID.randomUUID()).then().statusCode(200).extract().header("X-Usage-Log-Seq")));
        }
        return seqs;
    }

    @Test
    void aReviewerOfAnotherRegionSeesNoneOfItsEntries() {
        // a province-level lookup: 人社厅 reads 公安厅's population data under a provincial grant
        long seq = lookups(1, "region-").get(0);
        String ningbo = reviewerOfDepartment("reviewer-nb-log", "11330200MB00000093", "330200");
        String ningboAuthority = reviewerIn("reviewer-nb-log-a", "11330200MB00000094", "330200");
        for (String other : List.of(ningbo, ningboAuthority)) {
            Response listed = entry(other, seq);
            listed.then().statusCode(200).body("seq", not(hasItem((int) seq)));
            assertFalse(listed.asString().contains("op-" + HR), listed.asString());
            given().auth().oauth2(other).queryParam("order", "desc").queryParam("limit", 200).get(LOG).then()
                    .statusCode(200).body("seq", not(hasItem((int) seq)));
            given().auth().oauth2(other).queryParam("resourceCode", FakeCatalog.POPULATION).get(LOG).then()
                    .statusCode(200).body("seq", not(hasItem((int) seq)));
            // the whole chain and evidence bundles, which carry every region's entries, are not for reviewers
            given().auth().oauth2(other).get(LOG + "/verify").then().statusCode(403)
                    .contentType("application/problem+json");
            given().auth().oauth2(other).get(LOG + "/" + seq + "/evidence").then().statusCode(403)
                    .contentType("application/problem+json");
        }
        // the province's reviewers (region 330000, whose 主管部门 governs the grant) see all of it, as do the parties'
        // reviewers; a reviewer token without region reads none (403)
        entry(reviewer(), seq).then().statusCode(200).body("[0].seq", equalTo((int) seq))
                .body("[0].userSub", equalTo("op-" + HR)).body("[0].grantId", notNullValue());
        entry(reviewerOfDepartment("reviewer-hr-log", HR, "330000"), seq).then().statusCode(200)
                .body("[0].seq", equalTo((int) seq));
        entry(reviewerIn("reviewer-no-region-log", DemoData.AUTHORITY, null), seq).then().statusCode(403)
                .contentType("application/problem+json");
        // admins and auditors read every region's
        entry(admin(), seq).then().statusCode(200).body("[0].seq", equalTo((int) seq));
        entry(auditor(), seq).then().statusCode(200).body("[0].seq", equalTo((int) seq));
    }

    /** One entry, asked for newest first just below {@code seq + 1}: exactly the entry, if the caller may see it. */
    static Response entry(String token, long seq) {
        return given().auth().oauth2(token).queryParam("order", "desc").queryParam("before", seq + 1)
                .queryParam("limit", 1).get(LOG);
    }

    @Test
    void operatorsSeeWhoUsedTheirDataForWhatButNotWhomNorWhoAskedNorTheHiding() {
        String rid = "min-" + UUID.randomUUID();
        String hiddenUntil = LocalDate.now(TimeSource.ZONE).plusDays(40).toString();
        String investigator = TestTokens.custom(Map.of("sub", "investigator-9", "client_id", "case-handling-system",
                "aud", AUD, "roles", List.of("operator"), "dept", INVESTIGATOR, "account_type", "civil_servant"));
        long grant = CovertUseGrantTest.covertGrant(INVESTIGATOR);
        long seq = Long.parseLong(given().urlEncodingEnabled(false).auth().oauth2(investigator)
                .header("X-Grant-Id", grant).header("X-Request-Id", rid).header("X-Covert-Until", hiddenUntil)
                .header("X-Covert-Legal-Basis", URLEncoder.encode("《刑事诉讼法》第一百五十条", StandardCharsets.UTF_8))
                .get(DeliveryTest.path(FakeCatalog.POPULATION, "330282196509230044")).then().statusCode(200)
                .extract().header("X-Usage-Log-Seq"));

        // the provider's operator: time, consumer, resource, items, purpose, basis, operation, outcome, seq, hash
        Response provider = entry(operator(DemoData.POLICE), seq);
        provider.then().statusCode(200).body("size()", equalTo(1));
        Map<String, Object> seen = provider.jsonPath().getMap("[0]");
        assertEquals(Set.of("seq", "loggedAt", "consumerDepartmentCode", "resourceCode", "providerDepartmentCode",
                "items", "purpose", "legalBasis", "operation", "outcome", "entryHash"), seen.keySet());
        assertEquals(seq, ((Number) seen.get("seq")).longValue());
        assertEquals(INVESTIGATOR, seen.get("consumerDepartmentCode"));
        assertEquals(FakeCatalog.POPULATION, seen.get("resourceCode"));
        assertEquals("DELIVERED", seen.get("outcome"));
        assertFalse(((List<?>) seen.get("items")).isEmpty());
        for (String hidden : List.of("hiddenUntil", "subjectHashes", "userSub", "clientId", "requestId", "grantId",
                "prevHash", hiddenUntil, "investigator-9", "case-handling-system", rid)) {
            assertFalse(provider.asString().contains(hidden), hidden + " shown to the provider's operator");
        }
        // the same minimal view in the default order; the evidence bundle (every field of the chained entries) is
        // the 主管部门's alone
        Map<String, Object> forward = given().auth().oauth2(operator(DemoData.POLICE)).queryParam("after", seq - 1)
                .queryParam("limit", 1).get(LOG).then().statusCode(200).extract().jsonPath().getMap("[0]");
        assertEquals(seen, forward);
        given().auth().oauth2(operator(DemoData.POLICE)).get(LOG + "/" + seq + "/evidence").then().statusCode(403);
        signCheckpoint(auditor()).statusCode(200);
        given().auth().oauth2(auditor()).get(LOG + "/" + seq + "/evidence").then().statusCode(200)
                .body("entry.entryHash", equalTo(seen.get("entryHash")));
        // another department's operator does not see the entry at all
        entry(operator(DemoData.CIVIL_AFFAIRS), seq).then().statusCode(200)
                .body("seq", not(hasItem((int) seq)));

        // reviewers and admins of the 主管部门: everything but the end of the hiding
        for (String authority : List.of(reviewer(), admin())) {
            Response full = entry(authority, seq);
            full.then().statusCode(200).body("[0].seq", equalTo((int) seq)).body("[0].requestId", equalTo(rid))
                    .body("[0].userSub", equalTo("investigator-9"))
                    .body("[0].clientId", equalTo("case-handling-system"))
                    .body("[0].subjectHashes.size()", equalTo(1)).body("[0].prevHash", notNullValue())
                    .body("[0].entryHash", equalTo(seen.get("entryHash")));
            assertFalse(full.jsonPath().getMap("[0]").containsKey("hiddenUntil"));
            assertFalse(full.asString().contains(hiddenUntil));
        }
        // auditors: everything, the hiding's end included
        entry(auditor(), seq).then().statusCode(200).body("[0].hiddenUntil", equalTo(hiddenUntil))
                .body("[0].userSub", equalTo("investigator-9")).body("[0].requestId", equalTo(rid))
                .body("[0].subjectHashes.size()", equalTo(1)).body("[0].clientId", equalTo("case-handling-system"));
    }

    @Test
    void newestFirstPagesBackwardsWithBefore() {
        List<Long> seqs = lookups(3, "desc-");
        long s1 = seqs.get(0);
        long s2 = seqs.get(1);
        long s3 = seqs.get(2);
        // the newest first, with no bound: strictly descending, the latest entries before older ones
        List<Long> newest = given().auth().oauth2(auditor()).queryParam("order", "desc").queryParam("limit", 200)
                .get(LOG).then().statusCode(200).extract().jsonPath().getList("seq", Long.class);
        assertTrue(newest.get(0) >= s3, newest.toString());
        for (int i = 1; i < newest.size(); i++) {
            assertTrue(newest.get(i) < newest.get(i - 1), newest.toString());
        }
        assertTrue(newest.indexOf(s3) < newest.indexOf(s2) && newest.indexOf(s2) < newest.indexOf(s1), newest.toString());
        // the same for the provider's operator, only its own entries
        List<String> providers = given().auth().oauth2(operator(DemoData.POLICE)).queryParam("order", "DESC")
                .queryParam("limit", 200).get(LOG).then().statusCode(200).extract().jsonPath()
                .getList("providerDepartmentCode");
        assertTrue(providers.stream().allMatch(DemoData.POLICE::equals));

        // paging backwards: each page's smallest seq is the next page's before
        String code = FakeCatalog.POPULATION;
        assertEquals(List.of(s3, s2), page("desc", null, s3 + 1, 2, code));
        assertEquals(List.of(s1), page("desc", null, s2, 1, code));
        // after and before bound both orders
        assertEquals(List.of(s1, s2, s3), page("asc", s1 - 1, s3 + 1, 10, code));
        assertEquals(List.of(s3, s2, s1), page("desc", s1 - 1, s3 + 1, 10, code));
        assertEquals(List.of(s1, s2, s3), page(null, s1 - 1, s3 + 1, 10, code));
        assertEquals(List.of(s2), page("desc", s1, s3, 10, code));
    }

    private static List<Long> page(String order, Long after, Long before, int limit, String resourceCode) {
        var request = given().auth().oauth2(auditor()).queryParam("limit", limit).queryParam("resourceCode", resourceCode);
        if (order != null) {
            request.queryParam("order", order);
        }
        if (after != null) {
            request.queryParam("after", after);
        }
        if (before != null) {
            request.queryParam("before", before);
        }
        return request.get(LOG).then().statusCode(200).extract().jsonPath().getList("seq", Long.class);
    }

    @Test
    void pagesAreBoundedInBothOrders() throws Exception {
        lookup(FakeCatalog.POPULATION, "33010619850312001X", "bound-" + UUID.randomUUID()).then().statusCode(200);
        long entries = rows("usage_log");
        for (String order : List.of("asc", "desc")) {
            // out of range is refused, not cut down: a short page would read as the end of the log
            for (long limit : List.of(0L, -7L, 201L, 100000L, Long.MAX_VALUE)) {
                given().auth().oauth2(auditor()).header("X-Request-Id", "limit-" + limit).queryParam("order", order)
                        .queryParam("limit", limit).get(LOG).then().statusCode(400)
                        .contentType("application/problem+json").body("field", equalTo("limit"))
                        .body("errors.field", equalTo(List.of("limit"))).body("requestId", equalTo("limit-" + limit));
            }
            given().auth().oauth2(auditor()).queryParam("order", order).queryParam("limit", 1).get(LOG).then()
                    .statusCode(200).body("size()", equalTo(1));
            given().auth().oauth2(auditor()).queryParam("order", order).queryParam("limit", 200).get(LOG).then()
                    .statusCode(200).body("size()", equalTo((int) Math.min(entries, 200)));
        }
        // without a limit: 100 at most
        given().auth().oauth2(auditor()).queryParam("order", "desc").get(LOG).then().statusCode(200)
                .body("size()", equalTo((int) Math.min(entries, 100)));
    }

    @Test
    void badOrderAndBoundsAreProblemsNamingTheField() {
        Map<String, Map<String, Object>> bad = new java.util.LinkedHashMap<>();
        bad.put("order", Map.of("order", "newest"));
        bad.put("before", Map.of("order", "desc", "before", "0"));
        bad.put("before ", Map.of("order", "desc", "before", "latest"));
        bad.put(" before", Map.of("after", "5", "before", "6"));
        bad.put("after", Map.of("after", "-1"));
        bad.put("after ", Map.of("after", "1e3"));
        bad.put("limit", Map.of("order", "desc", "limit", "ten"));
        for (Map.Entry<String, Map<String, Object>> e : bad.entrySet()) {
            given().auth().oauth2(auditor()).queryParams(e.getValue()).get(LOG).then().statusCode(400)
                    .contentType("application/problem+json").body("field", equalTo(e.getKey().trim()))
                    .body("status", equalTo(400));
            given().auth().oauth2(operator(DemoData.POLICE)).queryParams(e.getValue()).get(LOG).then()
                    .statusCode(400).contentType("application/problem+json").body("field", equalTo(e.getKey().trim()));
        }
        // and still no log for citizens, whatever the order
        given().auth().oauth2(TestTokens.citizen("liu", "330110200102150052", AUD)).queryParam("order", "desc")
                .get(LOG).then().statusCode(403);
    }

    @Test
    void verifyDetectsEditedDeletedAndReorderedRows() throws Exception {
        for (int i = 0; i < 3; i++) {
            lookup(FakeCatalog.POPULATION, "33010619850312001X", "chain-" + UUID.randomUUID()).then().statusCode(200);
        }
        given().auth().oauth2(auditor()).get("/api/exchange/v1/usage-log/verify").then().statusCode(200)
                .body("valid", equalTo(true));
        given().auth().oauth2(operator(HR)).get("/api/exchange/v1/usage-log/verify").then().statusCode(403);
        long last = given().auth().oauth2(auditor()).get("/api/exchange/v1/usage-log/verify").jsonPath()
                .getLong("lastSeq");
        long victim = last - 1;
        // the table refuses updates and deletes outright
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            assertThrowsSql(() -> s.executeUpdate("UPDATE usage_log SET purpose = 'x' WHERE seq = " + victim));
        }
        // an attacker with database rights disables the guard: edit
        tamper("UPDATE usage_log SET purpose = '改过的用途' WHERE seq = " + victim);
        assertBroken(victim);
        tamper("UPDATE usage_log SET purpose = '社会保障待遇资格认证' WHERE seq = " + victim);
        given().auth().oauth2(auditor()).get("/api/exchange/v1/usage-log/verify").then().body("valid", equalTo(true));
        // reorder: swap the positions of two rows
        tamper("UPDATE usage_log SET seq = -1 WHERE seq = " + (victim - 1) + "; UPDATE usage_log SET seq = " + (victim - 1)
                + " WHERE seq = " + victim + "; UPDATE usage_log SET seq = " + victim + " WHERE seq = -1");
        assertBroken(victim - 1);
        tamper("UPDATE usage_log SET seq = -1 WHERE seq = " + (victim - 1) + "; UPDATE usage_log SET seq = " + (victim - 1)
                + " WHERE seq = " + victim + "; UPDATE usage_log SET seq = " + victim + " WHERE seq = -1");
        given().auth().oauth2(auditor()).get("/api/exchange/v1/usage-log/verify").then().body("valid", equalTo(true));
        // delete
        tamper("CREATE TABLE saved_row AS SELECT * FROM usage_log WHERE seq = " + victim
                + "; DELETE FROM usage_log WHERE seq = " + victim);
        assertBroken(victim);
        tamper("INSERT INTO usage_log SELECT * FROM saved_row; DROP TABLE saved_row");
        given().auth().oauth2(auditor()).get("/api/exchange/v1/usage-log/verify").then().body("valid", equalTo(true));
    }

    @Test
    void verifyListsEveryBrokenEntryNotOnlyTheFirst() throws Exception {
        List<Long> seqs = lookups(4, "many-");
        long a = seqs.get(0);
        long c = seqs.get(2);
        tamper("UPDATE usage_log SET purpose = purpose || '（改）' WHERE seq IN (" + a + ", " + c + ")");
        try {
            Response v = given().auth().oauth2(auditor()).get("/api/exchange/v1/usage-log/verify");
            v.then().statusCode(200).body("valid", equalTo(false)).body("firstBadSeq", equalTo((int) a))
                    .body("problem", equalTo("记录内容被修改 / entry content was changed"))
                    .body("brokenEntries.seq", equalTo(List.of((int) a, (int) c)))
                    .body("brokenEntries.problem", equalTo(List.of("记录内容被修改 / entry content was changed",
                            "记录内容被修改 / entry content was changed")))
                    .body("brokenCount", equalTo(2)).body("brokenCapped", equalTo(false));
            // the whole chain was read, not only up to the first break
            assertTrue(v.jsonPath().getLong("lastSeq") >= seqs.get(3), v.asString());
        } finally {
            tamper("UPDATE usage_log SET purpose = left(purpose, -3) WHERE seq IN (" + a + ", " + c + ")");
        }
        given().auth().oauth2(auditor()).get("/api/exchange/v1/usage-log/verify").then().body("valid", equalTo(true))
                .body("brokenEntries.size()", equalTo(0)).body("brokenCount", equalTo(0))
                .body("brokenCapped", equalTo(false));
    }

    @Test
    void verifyListsAtMostOneHundredBrokenEntriesAndSaysSo() throws Exception {
        long last = 0;
        while (last < 102) {
            last = lookups(1, "cap-").get(0);
        }
        // 101 entries by number: entries written meanwhile (webhooks, exports) stay out of the edit and its undoing
        String last101 = "seq BETWEEN " + (last - 100) + " AND " + last;
        tamper("UPDATE usage_log SET purpose = coalesce(purpose, '') || '改' WHERE " + last101);
        try {
            Response v = given().auth().oauth2(auditor()).get("/api/exchange/v1/usage-log/verify");
            v.then().statusCode(200).body("valid", equalTo(false)).body("brokenEntries.size()", equalTo(100))
                    .body("brokenCount", equalTo(101)).body("brokenCapped", equalTo(true));
            List<Long> listed = v.jsonPath().getList("brokenEntries.seq", Long.class);
            assertEquals(v.jsonPath().getLong("firstBadSeq"), listed.get(0));
            for (int i = 1; i < listed.size(); i++) {
                assertEquals(listed.get(i - 1) + 1, listed.get(i), listed.toString());
            }
        } finally {
            tamper("UPDATE usage_log SET purpose = nullif(left(purpose, -1), '') WHERE " + last101);
        }
        given().auth().oauth2(auditor()).get("/api/exchange/v1/usage-log/verify").then().body("valid", equalTo(true));
    }

    private void assertBroken(long seq) {
        given().auth().oauth2(auditor()).get("/api/exchange/v1/usage-log/verify").then().statusCode(200)
                .body("valid", equalTo(false)).body("firstBadSeq", equalTo((int) seq));
    }

    private void tamper(String sql) throws Exception {
        tamper(dataSource, sql);
    }

    /** Runs {@code sql} as an attacker with database rights would: the append-only guard off meanwhile. */
    static void tamper(AgroalDataSource dataSource, String sql) throws Exception {
        tamper(dataSource, "usage_log", "usage_log_no_update", sql);
    }

    /** Runs {@code sql} with {@code table}'s guard {@code trigger} off meanwhile. */
    static void tamper(AgroalDataSource dataSource, String table, String trigger, String sql) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("ALTER TABLE " + table + " DISABLE TRIGGER " + trigger);
            try {
                s.execute(sql);
            } finally {
                s.execute("ALTER TABLE " + table + " ENABLE TRIGGER " + trigger);
            }
        }
    }

    interface SqlCall {
        void run() throws Exception;
    }

    private static void assertThrowsSql(SqlCall call) {
        try {
            call.run();
        } catch (Exception expected) {
            assertTrue(expected.getMessage().contains("append-only"), expected.getMessage());
            return;
        }
        throw new AssertionError("an update of the usage log was accepted");
    }

    static io.restassured.response.ValidatableResponse signCheckpoint(String token) {
        return given().auth().oauth2(token).post(LOG + "/checkpoints").then();
    }

    long checkpoints() throws Exception {
        return rows("usage_log_checkpoint");
    }

    private long rows(String table) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                java.sql.ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * A new entry no signed checkpoint covers yet: its evidence answers 409. Should the scheduled checkpoint sign the
     * head between the lookup and the question, the next lookup is taken.
     */
    long uncoveredEntry() throws Exception {
        for (int attempt = 0; attempt < 3; attempt++) {
            long seq = lookups(1, "ev-").get(0);
            long signed = checkpoints();
            Response r = given().auth().oauth2(auditor()).get(LOG + "/" + seq + "/evidence");
            // a read: it signs nothing
            assertEquals(signed, checkpoints());
            if (r.statusCode() == 409) {
                r.then().contentType("application/problem+json").body("field", equalTo("seq"))
                        .body("seq", equalTo((int) seq)).body("signCheckpoint", equalTo("POST " + LOG + "/checkpoints"))
                        .body("checkpointIntervalSeconds", equalTo(3600))
                        .body("detail", containsString("第 " + seq + " 号记录"))
                        .body("detail", containsString("No signed checkpoint covers usage-log entry " + seq))
                        .body("detail", containsString("主管部门"))
                        .body("detail", containsString("POST " + LOG + "/checkpoints"))
                        .body("detail", containsString("every 1 hour"));
                return seq;
            }
            r.then().statusCode(200);
        }
        throw new AssertionError("every new entry came with a signed checkpoint: the evidence signs one itself?");
    }

    @Test
    void evidenceOfAnEntryNoCheckpointCoversYetIs409UntilTheAuthoritySignsOne() throws Exception {
        long seq = uncoveredEntry();
        // operators may neither fetch the bundle nor sign
        given().auth().oauth2(operator(DemoData.POLICE)).get(LOG + "/" + seq + "/evidence").then().statusCode(403);
        long before = checkpoints();
        signCheckpoint(operator(DemoData.POLICE)).statusCode(403);
        // listing the checkpoints signs none
        given().auth().oauth2(auditor()).get(LOG + "/checkpoints").then().statusCode(200);
        assertEquals(before, checkpoints());
        // the 主管部门 signs the head: now the bundle ends at that checkpoint, and fetching it signs nothing more
        long signed = signCheckpoint(reviewer()).statusCode(200).extract().jsonPath().getLong("lastSeq");
        assertTrue(signed >= seq);
        assertEquals(before + 1, checkpoints());
        // reviewers read their region's entries only, and a bundle's chain holds every region's: no bundle
        given().auth().oauth2(reviewer()).get(LOG + "/" + seq + "/evidence").then().statusCode(403)
                .contentType("application/problem+json");
        for (String authority : List.of(auditor(), admin())) {
            given().auth().oauth2(authority).get(LOG + "/" + seq + "/evidence").then().statusCode(200)
                    .body("entry.seq", equalTo((int) seq)).body("checkpoint.lastSeq", equalTo((int) signed));
        }
        assertEquals(before + 1, checkpoints());
        // a later checkpoint: the bundle uses the latest that covers the entry
        long later = uncoveredEntry();
        long head = signCheckpoint(admin()).statusCode(200).extract().jsonPath().getLong("lastSeq");
        assertTrue(head >= later);
        given().auth().oauth2(auditor()).get(LOG + "/" + seq + "/evidence").then().statusCode(200)
                .body("checkpoint.lastSeq", equalTo((int) head)).body("chain.size()", equalTo((int) (head - seq + 1)));
        // no such entry (yet): 404, not 409
        given().auth().oauth2(auditor()).get(LOG + "/" + (head + 1000) + "/evidence").then().statusCode(404)
                .contentType("application/problem+json");
        given().auth().oauth2(auditor()).get(LOG + "/0/evidence").then().statusCode(404);
    }

    @Test
    @SuppressWarnings("unchecked")
    void evidenceBundleVerifiesOffline() throws Exception {
        long seq = uncoveredEntry();
        signCheckpoint(auditor()).statusCode(200);
        String json = given().auth().oauth2(auditor()).get("/api/exchange/v1/usage-log/" + seq + "/evidence").then()
                .statusCode(200).extract().asString();
        given().auth().oauth2(operator(DemoData.CIVIL_AFFAIRS)).get("/api/exchange/v1/usage-log/" + seq + "/evidence")
                .then().statusCode(403);

        // offline: nothing but the bundle
        Map<String, Object> bundle = new ObjectMapper().readValue(json, Map.class);
        List<Map<String, Object>> chain = (List<Map<String, Object>>) bundle.get("chain");
        assertEquals(seq, ((Number) chain.get(0).get("seq")).longValue());
        String prev = (String) chain.get(0).get("prevHash");
        for (Map<String, Object> row : chain) {
            String canonical = (String) row.get("canonical");
            assertEquals(row.get("entryHash"), sha256(canonical));
            assertEquals(prev, row.get("prevHash"));
            List<Object> fields = new ObjectMapper().readValue(canonical, List.class);
            assertEquals(((Number) row.get("seq")).longValue(), ((Number) fields.get(0)).longValue());
            assertEquals(row.get("purpose"), fields.get(7));
            assertEquals(row.get("resourceCode"), fields.get(9));
            prev = (String) row.get("entryHash");
        }
        Map<String, Object> cp = (Map<String, Object>) bundle.get("checkpoint");
        assertEquals(prev, cp.get("lastHash"));
        JWKSet jwks = JWKSet.parse((Map<String, Object>) bundle.get("jwks"));
        JWSObject sig = JWSObject.parse((String) cp.get("signature"),
                new Payload(((String) cp.get("checkpointPayload")).getBytes(StandardCharsets.UTF_8)));
        OctetKeyPair key = (OctetKeyPair) jwks.getKeyByKeyId(sig.getHeader().getKeyID());
        assertTrue(sig.verify(new Ed25519Verifier(key)));
        Map<String, Object> payload = new ObjectMapper().readValue((String) cp.get("checkpointPayload"), Map.class);
        assertEquals(prev, payload.get("lastHash"));
        // a forged checkpoint does not verify
        JWSObject forged = JWSObject.parse((String) cp.get("signature"),
                new Payload(((String) cp.get("checkpointPayload")).replace("\"lastSeq\"", "\"lastSeq \"")
                        .getBytes(StandardCharsets.UTF_8)));
        assertFalse(forged.verify(new Ed25519Verifier(key)));
    }

    /** A new entry, and the checkpoint the 主管部门 signs over it (a head no checkpoint signed yet). */
    private Map<String, Object> freshCheckpoint() {
        long seq = lookups(1, "cp-").get(0);
        Map<String, Object> cp = signCheckpoint(auditor()).statusCode(200).extract().jsonPath().getMap("");
        assertTrue(((Number) cp.get("lastSeq")).longValue() >= seq);
        return cp;
    }

    @Test
    @SuppressWarnings("unchecked")
    void aCheckpointSignsItsTime() throws Exception {
        Map<String, Object> cp = freshCheckpoint();
        long seq = ((Number) cp.get("lastSeq")).longValue();
        long id = ((Number) cp.get("id")).longValue();
        assertEquals(2, cp.get("payloadFormat"));
        Map<String, Object> signed = new ObjectMapper().readValue((String) cp.get("checkpointPayload"), Map.class);
        assertEquals(seq, ((Number) signed.get("lastSeq")).longValue());
        assertEquals(cp.get("lastHash"), signed.get("lastHash"));
        assertEquals(seq, ((Number) signed.get("entryCount")).longValue());
        assertEquals(cp.get("createdAt"), signed.get("createdAt"));
        assertEquals(DemoData.AUTHORITY, signed.get("department"));
        String kid = (String) cp.get("kid");
        assertEquals(kid, signed.get("kid"));
        assertEquals(kid, new ObjectMapper().readValue(java.util.Base64.getUrlDecoder()
                .decode(((String) cp.get("signature")).split("\\.")[0]), Map.class).get("kid"));
        given().auth().oauth2(auditor()).get(LOG + "/verify").then().body("valid", equalTo(true));

        // the stored time moved back an hour: the row no longer states what was signed
        tamper(dataSource, "UPDATE usage_log_checkpoint SET created_at = created_at - interval '1 hour' WHERE id = " + id);
        try {
            given().auth().oauth2(auditor()).get(LOG + "/verify").then().body("valid", equalTo(false))
                    .body("brokenEntries.find { it.seq == " + seq + " }.problem",
                            equalTo(cn.onenet.exchange.service.UsageLogService.CHECKPOINT_ALTERED));
        } finally {
            tamper(dataSource, "UPDATE usage_log_checkpoint SET created_at = created_at + interval '1 hour' WHERE id = "
                    + id);
        }
        given().auth().oauth2(auditor()).get(LOG + "/verify").then().body("valid", equalTo(true));
        // and the signed payload cannot follow it: its seal breaks
        String moved = java.time.Instant.parse((String) cp.get("createdAt")).minusSeconds(3600).toString();
        tamper(dataSource, "UPDATE usage_log_checkpoint SET payload = replace(payload, '" + cp.get("createdAt") + "', '"
                + moved + "'), created_at = '" + moved + "' WHERE id = " + id);
        try {
            given().auth().oauth2(auditor()).get(LOG + "/verify").then().body("valid", equalTo(false))
                    .body("brokenEntries.find { it.seq == " + seq + " }.problem",
                            equalTo("检查点签名无效 / a checkpoint's seal is invalid"));
        } finally {
            tamper(dataSource, "UPDATE usage_log_checkpoint SET payload = replace(payload, '" + moved + "', '"
                    + cp.get("createdAt") + "'), created_at = '" + cp.get("createdAt") + "' WHERE id = " + id);
        }
        given().auth().oauth2(auditor()).get(LOG + "/verify").then().body("valid", equalTo(true));
    }

    @Test
    void auditorsAndAdminsListTheSignedCheckpointsPaged() {
        Map<String, Object> cp = freshCheckpoint();
        for (String token : List.of(auditor(), admin())) {
            given().auth().oauth2(token).get(LOG + "/checkpoints?size=1").then().statusCode(200)
                    .body("page", equalTo(0)).body("size", equalTo(1)).body("checkpoints.size()", equalTo(1))
                    .body("checkpoints[0].id", equalTo(cp.get("id")))
                    .body("checkpoints[0].checkpointPayload", equalTo(cp.get("checkpointPayload")))
                    .body("checkpoints[0].signature", equalTo(cp.get("signature")));
        }
        Response second = given().auth().oauth2(auditor()).get(LOG + "/checkpoints?page=1&size=1");
        second.then().statusCode(200).body("checkpoints.size()", equalTo(1));
        assertTrue(second.jsonPath().getLong("checkpoints[0].id") < ((Number) cp.get("id")).longValue());
        assertTrue(second.jsonPath().getLong("total") >= 2);
        for (String token : List.of(reviewer(), operator(HR))) {
            given().auth().oauth2(token).get(LOG + "/checkpoints").then().statusCode(403);
        }
        given().get(LOG + "/checkpoints").then().statusCode(401);
        given().auth().oauth2(auditor()).get(LOG + "/checkpoints?size=0").then().statusCode(400)
                .contentType("application/problem+json").body("field", equalTo("size"));
        given().auth().oauth2(auditor()).get(LOG + "/checkpoints?size=201").then().statusCode(400)
                .body("field", equalTo("size"));
        given().auth().oauth2(auditor()).get(LOG + "/checkpoints?page=x").then().statusCode(400)
                .body("field", equalTo("page"));
    }

    @Test
    void theCheckpointKeysArePublicAndOnlyTheAuthoritys() {
        Map<String, Object> cp = freshCheckpoint();
        Response keys = given().get(LOG + "/checkpoint-keys");
        keys.then().statusCode(200).body("keys.kid", hasItem(cp.get("kid")));
        for (String kid : keys.jsonPath().getList("keys.kid", String.class)) {
            assertTrue(kid.startsWith(DemoData.AUTHORITY + "-"), kid);
        }
        // a provider's seal (published with every seal at /seals/jwks) is not a checkpoint key
        String providerKid = lookup(FakeCatalog.POPULATION, "33010619850312001X", "kid-" + UUID.randomUUID())
                .then().statusCode(200).extract().header("X-Exchange-Seal").split("\\.")[0];
        String kid = (String) Json.object(new String(java.util.Base64.getUrlDecoder().decode(providerKid),
                StandardCharsets.UTF_8)).get("kid");
        given().get("/api/exchange/v1/seals/jwks").then().body("keys.kid", hasItem(kid));
        keys.then().body("keys.kid", not(hasItem(kid)));
    }

    @Test
    void anExportNeedsGoodDatesAndAnAuditorOrAdmin() {
        String today = LocalDate.now(TimeSource.ZONE).toString();
        for (String[] bad : new String[][] { { "", "to=" + today, "from" }, { "from=" + today, "", "to" },
                { "from=2026-13-01", "to=" + today, "from" }, { "from=" + today, "to=yesterday", "to" },
                { "from=2026-12-05", "to=2026-12-04", "to" }, { "from=0999-01-01", "to=" + today, "from" } }) {
            String query = bad[0].isEmpty() ? bad[1] : bad[1].isEmpty() ? bad[0] : bad[0] + "&" + bad[1];
            given().auth().oauth2(auditor()).get(LOG + "/export?" + query).then().statusCode(400)
                    .contentType("application/problem+json").body("field", equalTo(bad[2]));
        }
        for (String token : List.of(reviewer(), operator(HR))) {
            given().auth().oauth2(token).get(LOG + "/export?from=" + today + "&to=" + today).then().statusCode(403);
        }
        given().get(LOG + "/export?from=" + today + "&to=" + today).then().statusCode(401);
    }

    static void rotateAuthoritySeal(String algorithm) {
        given().auth().oauth2(admin()).contentType(io.restassured.http.ContentType.JSON)
                .body(Map.of("algorithm", algorithm)).post("/api/exchange/v1/seals/departments/" + DemoData.AUTHORITY
                        + "/keys").then().statusCode(200);
    }

    /** Exports today, signing a checkpoint first; again should an entry arrive between the two. */
    private Response exportToday(String token) {
        String today = LocalDate.now(TimeSource.ZONE).toString();
        for (int attempt = 0; attempt < 3; attempt++) {
            signCheckpoint(auditor()).statusCode(200);
            Response r = given().auth().oauth2(token).get(LOG + "/export?from=" + today + "&to=" + today);
            if (r.statusCode() != 409) {
                return r;
            }
        }
        throw new AssertionError("no checkpoint covered the export three times over");
    }

    @Test
    @SuppressWarnings("unchecked")
    void anExportOfAPeriodVerifiesWithThePublishedKeysOnly() throws Exception {
        List<Long> mine = lookups(3, "export-");
        // one checkpoint of the period sealed with an SM2 key (国密), as the 主管部门 may configure: the verifier, in
        // plain Java, checks the exchange's SM2SM3 seals too
        rotateAuthoritySeal("SM2SM3");
        try {
            lookups(1, "export-sm2-");
            signCheckpoint(auditor()).statusCode(200);
        } finally {
            rotateAuthoritySeal("EdDSA");
        }
        Response r = exportToday(auditor());
        r.then().statusCode(200).contentType(containsString("application/x-ndjson"));
        String export = r.asString();
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("usage-log-export");
        java.nio.file.Path file = java.nio.file.Files.writeString(dir.resolve("export.ndjson"), export);
        // the auditor pins the published checkpoint keys, fetched without any account
        java.nio.file.Path keys = java.nio.file.Files.writeString(dir.resolve("keys.json"),
                given().get(LOG + "/checkpoint-keys").then().statusCode(200).extract().asString());

        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int code = cn.onenet.usagelog.verifier.UsageLogVerifier.run(new String[] { keys.toString(), file.toString() },
                new java.io.PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        assertEquals(0, code, out.toString(StandardCharsets.UTF_8));
        cn.onenet.usagelog.verifier.UsageLogVerifier verifier = cn.onenet.usagelog.verifier.UsageLogVerifier
                .pinning(keys);
        cn.onenet.usagelog.verifier.UsageLogVerifier.Result result = verifier.verify(file);
        assertTrue(result.valid(), result.describe());
        assertTrue(result.firstSeq() <= mine.get(0) && result.lastSeq() >= mine.get(2), result.describe());
        // every checkpoint checked, the SM2 ones included: none skipped
        assertEquals(export.lines().filter(l -> l.startsWith("{\"type\":\"checkpoint\"")).count(),
                result.checkpoints(), result.describe());
        // the auditor also pins the TSA's certificate: every checkpoint's RFC 3161 token (the test TSA stamps them
        // all) is then checked in the verifier against it, not merely counted
        java.nio.file.Path tsa = java.nio.file.Files.write(dir.resolve("tsa.der"),
                cn.onenet.exchange.TestTsa.certificate.getEncoded());
        cn.onenet.usagelog.verifier.UsageLogVerifier.Result stamped = cn.onenet.usagelog.verifier.UsageLogVerifier
                .pinning(keys).pinningTsa(tsa).verify(file);
        assertTrue(stamped.valid(), stamped.describe());
        long tokens = export.lines()
                .filter(l -> l.startsWith("{\"type\":\"checkpoint\"") && l.contains("\"timestampToken\":\"")).count();
        assertTrue(tokens > 0, export);
        assertEquals(tokens, stamped.timeStamps().size(), stamped.describe());
        out.reset();
        assertEquals(0, cn.onenet.usagelog.verifier.UsageLogVerifier.run(new String[] { "--tsa-cert", tsa.toString(),
                keys.toString(), file.toString() }, new java.io.PrintStream(out, true, StandardCharsets.UTF_8),
                System.err), out.toString(StandardCharsets.UTF_8));

        List<String> lines = new java.util.ArrayList<>(List.of(export.split("\n")));
        ObjectMapper json = new ObjectMapper();
        Map<String, Object> header = json.readValue(lines.get(0), Map.class);
        java.util.Set<Object> algorithms = new java.util.HashSet<>();
        for (String l : lines) {
            Map<String, Object> o = json.readValue(l, Map.class);
            if ("checkpoint".equals(o.get("type"))) {
                algorithms.add(json.readValue(java.util.Base64.getUrlDecoder().decode(((String) o.get("signature"))
                        .split("\\.")[0]), Map.class).get("alg"));
            }
        }
        assertTrue(algorithms.containsAll(Set.of("SM2SM3", "EdDSA")), algorithms.toString());
        assertEquals("onenet-usage-log-export/2", header.get("format"));
        // the export is itself in the log: who exported which period
        long exportSeq = Long.parseLong(r.header("X-Usage-Log-Seq"));
        assertEquals(exportSeq, ((Number) header.get("exportUsageLogSeq")).longValue());
        given().auth().oauth2(auditor()).get(LOG + "?after=" + (exportSeq - 1) + "&limit=1").then()
                .body("[0].seq", equalTo((int) exportSeq)).body("[0].operation", equalTo("USAGE_LOG_EXPORT"))
                .body("[0].userSub", equalTo("auditor-1")).body("[0].outcome", equalTo("EXPORTED"))
                .body("[0].purpose", containsString(header.get("from") + ".." + header.get("to")));

        // one of my entries edited in the file: the verifier names its line
        int line = -1;
        for (int i = 0; i < lines.size(); i++) {
            Map<String, Object> l = json.readValue(lines.get(i), Map.class);
            if ("entry".equals(l.get("type")) && ((Number) l.get("seq")).longValue() == mine.get(1)) {
                line = i;
            }
        }
        List<String> edited = new java.util.ArrayList<>(lines);
        edited.set(line, lines.get(line).replace("export-", "exp0rt-"));
        cn.onenet.usagelog.verifier.UsageLogVerifier.Result broken = verifier.verify(
                java.nio.file.Files.writeString(dir.resolve("edited.ndjson"), String.join("\n", edited)));
        assertFalse(broken.valid());
        assertEquals(line + 1, broken.line(), broken.describe());

        // a checkpoint sealed with a provider department's real key (published among all seals) is not trusted
        int last = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("{\"type\":\"checkpoint\"")) {
                last = i;
            }
        }
        Map<String, Object> cp = json.readValue(lines.get(last), Map.class);
        cp.put("signature", seals.seal(HR, ((String) cp.get("payload")).getBytes(StandardCharsets.UTF_8)));
        List<String> forged = new java.util.ArrayList<>(lines);
        forged.set(last, json.writeValueAsString(cp));
        broken = verifier.verify(java.nio.file.Files.writeString(dir.resolve("forged.ndjson"),
                String.join("\n", forged)));
        assertFalse(broken.valid());
        assertEquals(last + 1, broken.line());
        assertTrue(broken.problem().contains("not among the pinned keys"), broken.problem());
    }

    @Test
    @SuppressWarnings("unchecked")
    void anExportEndsWithAClosingSealAndACutOneIsFoundWithThePinnedKeysAlone() throws Exception {
        lookups(2, "export-sealed-");
        signCheckpoint(auditor()).statusCode(200);
        lookups(1, "export-sealed-later-");
        Response r = exportToday(auditor());
        r.then().statusCode(200);
        String export = r.asString();
        List<String> lines = new java.util.ArrayList<>(List.of(export.split("\n")));
        ObjectMapper json = new ObjectMapper();
        Map<String, Object> header = json.readValue(lines.get(0), Map.class);
        assertEquals("onenet-usage-log-export/2", header.get("format"));

        // the last line seals the header and every line before it, with the 主管部门's checkpoint key: checked here
        // with Nimbus and the published checkpoint keys, apart from the verifier
        Map<String, Object> seal = json.readValue(lines.get(lines.size() - 1), Map.class);
        assertEquals("seal", seal.get("type"));
        String payload = (String) seal.get("payload");
        Map<String, Object> signed = json.readValue(payload, Map.class);
        String keysJson = given().get(LOG + "/checkpoint-keys").then().statusCode(200).extract().asString();
        JWSObject jws = JWSObject.parse((String) seal.get("signature"),
                new Payload(payload.getBytes(StandardCharsets.UTF_8)));
        assertEquals(signed.get("kid"), jws.getHeader().getKeyID());
        assertTrue(jws.verify(new Ed25519Verifier(((OctetKeyPair) JWKSet.parse(keysJson)
                .getKeyByKeyId(jws.getHeader().getKeyID())).toPublicJWK())));
        assertEquals("onenet-usage-log-export-seal/1", signed.get("format"));
        assertEquals(DemoData.AUTHORITY, signed.get("department"));
        for (String field : List.of("from", "to", "zone", "periodFirstSeq", "periodLastSeq", "anchorSeq", "lastSeq",
                "entries", "plannedAt", "exportedAt", "exportUsageLogSeq")) {
            assertEquals(header.get(field), signed.get(field), field);
        }
        Map<String, Object> end = json.readValue(lines.get(lines.size() - 2), Map.class);
        assertEquals(end.get("lastHash"), signed.get("lastHash"));
        assertEquals(lines.size() - 1, ((Number) signed.get("lines")).intValue());
        assertEquals(sha256(String.join("\n", lines.subList(0, lines.size() - 1)) + "\n"), signed.get("sha256"));

        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("usage-log-export");
        java.nio.file.Path keys = java.nio.file.Files.writeString(dir.resolve("keys.json"), keysJson);
        cn.onenet.exchange.VerifierCli.Run run = cn.onenet.exchange.VerifierCli.run("--require-seal", keys,
                java.nio.file.Files.writeString(dir.resolve("export.ndjson"), export));
        assertEquals(0, run.code(), run.said());
        assertTrue(run.said().contains(", sealed by pinned key " + signed.get("kid")), run.said());

        // cut at a checkpoint inside the period: the later checkpoints and entries left out, an end line that fits
        long anchor = -1;
        java.util.TreeSet<Long> checkpoints = new java.util.TreeSet<>();
        Map<Long, String> hashes = new java.util.HashMap<>();
        for (String l : lines) {
            Map<String, Object> o = json.readValue(l, Map.class);
            if ("checkpoint".equals(o.get("type"))) {
                checkpoints.add(((Number) o.get("lastSeq")).longValue());
            } else if ("anchor".equals(o.get("type"))) {
                anchor = ((Number) o.get("seq")).longValue();
            } else if ("entry".equals(o.get("type"))) {
                hashes.put(((Number) o.get("seq")).longValue(), (String) o.get("entryHash"));
            }
        }
        long last = ((Number) header.get("lastSeq")).longValue();
        Long at = checkpoints.lower(last);
        assertTrue(at != null && at > anchor, checkpoints + " within " + anchor + "–" + last);
        List<String> cut = new java.util.ArrayList<>();
        for (String l : lines.subList(0, lines.size() - 2)) {
            Map<String, Object> o = json.readValue(l, Map.class);
            Object seq = "checkpoint".equals(o.get("type")) ? o.get("lastSeq") : o.get("seq");
            if (!"header".equals(o.get("type")) && ((Number) seq).longValue() > at) {
                continue;
            }
            cut.add(l);
        }
        cut.add(json.writeValueAsString(Map.of("type", "end", "entries", at - anchor, "lastSeq", at, "lastHash",
                hashes.get(at))));
        cut.add(lines.get(lines.size() - 1));
        run = cn.onenet.exchange.VerifierCli.run(keys,
                java.nio.file.Files.writeString(dir.resolve("cut.ndjson"), String.join("\n", cut) + "\n"));
        assertEquals(1, run.code(), run.said());
        assertTrue(run.said().startsWith("INVALID: line " + (cut.size() - 1) + ": the export ends at entry " + at
                + ", its header announces entries up to " + last + ": it was cut short"), run.said());
        // and with the header made to announce what is left: not what the seal signs
        header.put("lastSeq", at);
        header.put("periodLastSeq", at);
        header.put("entries", at - anchor);
        cut.set(0, json.writeValueAsString(header));
        run = cn.onenet.exchange.VerifierCli.run(keys,
                java.nio.file.Files.writeString(dir.resolve("cut-header.ndjson"), String.join("\n", cut) + "\n"));
        assertEquals(1, run.code(), run.said());
        assertTrue(run.said().startsWith("INVALID: line 1: the header's periodLastSeq " + at + " is not what the "
                + "closing seal (line " + cut.size() + ") signs"), run.said());
        // the file cut anywhere, or only its seal dropped
        run = cn.onenet.exchange.VerifierCli.run(keys, java.nio.file.Files.writeString(dir.resolve("half.ndjson"),
                String.join("\n", lines.subList(0, lines.size() / 2)) + "\n"));
        assertEquals(1, run.code(), run.said());
        assertTrue(run.said().startsWith("INVALID: line " + (lines.size() / 2 + 1) + ": the file ends after line "
                + lines.size() / 2), run.said());
        run = cn.onenet.exchange.VerifierCli.run(keys, java.nio.file.Files.writeString(dir.resolve("unsealed.ndjson"),
                String.join("\n", lines.subList(0, lines.size() - 1)) + "\n"));
        assertEquals(1, run.code(), run.said());
        assertTrue(run.said().startsWith("INVALID: line " + lines.size() + ": the file ends after its end line"),
                run.said());
    }

    @Test
    void anAdminsExportVerifiesToo() throws Exception {
        lookups(1, "export-admin-");
        Response r = exportToday(admin());
        r.then().statusCode(200);
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("usage-log-export");
        cn.onenet.usagelog.verifier.UsageLogVerifier.Result result = cn.onenet.usagelog.verifier.UsageLogVerifier
                .pinning(given().get(LOG + "/checkpoint-keys").asString())
                .verify(java.nio.file.Files.writeString(dir.resolve("export.ndjson"), r.asString()));
        assertTrue(result.valid(), result.describe());
    }

    static String sha256Bytes(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    static String sha256(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    }
}
