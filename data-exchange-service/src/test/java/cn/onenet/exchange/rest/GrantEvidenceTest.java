package cn.onenet.exchange.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import cn.onenet.exchange.ExchangeTestBase;
import cn.onenet.exchange.VerifierCli;
import cn.onenet.exchange.model.ShareGrant;
import cn.onenet.exchange.service.GrantEvidence;
import cn.onenet.exchange.service.GrantService;
import cn.onenet.exchange.service.Json;
import cn.onenet.exchange.service.TimeSource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * The authorisation behind each call is evidence: every state change of a grant is chained in the usage log with its
 * terms and approvals, a delivery refuses a grant whose row no longer fits its chained terms, and the auditor's
 * verifier checks each call against them.
 */
@QuarkusTest
class GrantEvidenceTest extends ExchangeTestBase {

    static final String LOG = "/api/exchange/v1/usage-log";
    static final String KEY = "330110200102150052";

    @Inject
    AgroalDataSource dataSource;

    @Inject
    GrantService grants;

    @Inject
    GrantEvidence evidence;

    /** A grant of {@code consumer} on a fresh conditional entry for GMSFHM and XM, approved by the provider. */
    long granted(String code, String consumer) {
        DeliveryTest.freshEntry(replica, code, "CONDITIONAL");
        long request = RequestWorkflowTest.file(operator(consumer), RequestWorkflowTest.body(code,
                List.of("GMSFHM", "XM"))).then().statusCode(201).extract().jsonPath().getLong("id");
        return DeliveryTest.approve(request).then().statusCode(200).extract().jsonPath().getLong("grantId");
    }

    /** The grant's chained state changes, oldest first: each terms document with the entry's seq and outcome. */
    List<Map<String, Object>> chained(long grant) throws Exception {
        List<Map<String, Object>> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT seq, outcome, "
                + "grant_terms, entry_format, cardinality(subject_hashes) FROM usage_log WHERE grant_id = ? "
                + "AND operation = 'GRANT' ORDER BY seq")) {
            ps.setLong(1, grant);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> m = new LinkedHashMap<>(Json.object(rs.getString(3)));
                    m.put("seq", rs.getLong(1));
                    m.put("outcome", rs.getString(2));
                    m.put("entryFormat", rs.getInt(4));
                    m.put("subjects", rs.getInt(5));
                    out.add(m);
                }
            }
        }
        return out;
    }

    long lookups(long grant) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM usage_log WHERE grant_id = ? AND operation = 'LOOKUP'")) {
            ps.setLong(1, grant);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Drops the delivery's cached copy of the grant, as its time-to-live would a moment later. */
    void forget(long grant) {
        QuarkusTransaction.requiringNew().run(() -> grants.forget(ShareGrant.findById(grant)));
    }

    static Response govern(String token, long grant, String action, Map<String, Object> body) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(body)
                .post("/api/exchange/v1/grants/" + grant + "/" + action);
    }

    @Test
    void everyStateChangeOfAGrantIsChainedWithItsTermsAndApprovals() throws Exception {
        String consumer = "11330000MB00000901";
        long grant = granted("330000-01-02/900771", consumer);
        String provider = operator(RequestWorkflowTest.PROVIDER);
        govern(provider, grant, "change", Map.of("version", 0, "reason", "业务调整，缩减数据项", "items", List.of("XM")))
                .then().statusCode(200);
        govern(provider, grant, "suspend", Map.of("version", 1, "reason", "超范围调用，暂停核查")).then().statusCode(200);
        govern(provider, grant, "resume", Map.of("version", 2, "reason", "核查完毕")).then().statusCode(200);

        List<Map<String, Object>> chain = chained(grant);
        assertEquals(List.of("CREATE", "CHANGE", "SUSPEND", "RESUME"), chain.stream().map(m -> m.get("outcome"))
                .toList(), chain.toString());
        Map<String, Object> created = chain.get(0);
        assertEquals(4, created.get("entryFormat"));
        assertEquals(0, created.get("subjects")); // no citizen's view shows it: it names no one
        assertEquals(((Number) created.get("grantId")).longValue(), grant);
        assertNotNull(created.get("shareRequestId"));
        Map<?, ?> terms = (Map<?, ?>) created.get("terms");
        assertEquals(List.of("GMSFHM", "XM"), terms.get("items"));
        assertEquals("ACTIVE", terms.get("status"));
        assertEquals("社会保障待遇资格认证", terms.get("purpose"));
        assertEquals("《社会救助暂行办法》第十一条", terms.get("legalBasis"));
        Map<?, ?> approvals = (Map<?, ?>) created.get("approvals");
        assertTrue(approvals.containsKey("requestHeadApproval") && approvals.containsKey("answerApproval"), approvals
                .toString());
        assertEquals(List.of("XM"), ((Map<?, ?>) chain.get(1).get("terms")).get("items"));
        assertEquals("SUSPENDED", ((Map<?, ?>) chain.get(2).get("terms")).get("status"));
        assertEquals("ACTIVE", ((Map<?, ?>) chain.get(3).get("terms")).get("status"));
        assertEquals(RequestWorkflowTest.PROVIDER, ((Map<?, ?>) chain.get(2).get("changedBy")).get("department"));

        // the chain holds together, and the grant, as its row still matches its last chained terms, delivers
        given().auth().oauth2(auditor()).get(LOG + "/verify").then().statusCode(200).body("valid", equalTo(true));
        DeliveryTest.lookupUnder(operator(consumer), "330000-01-02/900771", grant).then().statusCode(200)
                .body("grantId", equalTo((int) grant));
    }

    @Test
    void aGrantWidenedAndItsHistoryRewrittenOutsideTheExchangeDeliversNothing() throws Exception {
        String code = "330000-01-02/900772";
        String consumer = operator("11330000MB00000772");
        long grant = granted(code, "11330000MB00000772");
        DeliveryTest.lookupUnder(consumer, code, grant).then().statusCode(200);

        // the database owner widens the grant and rewrites its history with the guard off
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("UPDATE share_grant "
                + "SET items = '[\"GMSFHM\",\"XM\",\"ZY\"]', clear_items = '[\"GMSFHM\",\"XM\",\"ZY\"]', "
                + "masked_items = '[]' WHERE id = ?")) {
            ps.setLong(1, grant);
            assertEquals(1, ps.executeUpdate());
        }
        UsageLogTest.tamper(dataSource, "state_change", "state_change_no_update", "UPDATE state_change SET details = "
                + "replace(details, '\"items\":[\"GMSFHM\",\"XM\"]', '\"items\":[\"GMSFHM\",\"XM\",\"ZY\"]') "
                + "WHERE object_type = 'GRANT' AND object_id = " + grant + " AND action = 'CREATE'");
        given().auth().oauth2(consumer).get("/api/exchange/v1/grants/" + grant + "/history").then().statusCode(200)
                .body("find { it.action == 'CREATE' }.details.items", equalTo(List.of("GMSFHM", "XM", "ZY")));
        forget(grant);

        long before = lookups(grant);
        Response refused = DeliveryTest.lookupUnder(consumer, code, grant);
        refused.then().statusCode(503).contentType("application/problem+json")
                .body("detail", containsString("do not match the evidence chained in the usage log"))
                .body("grantId", equalTo((int) grant)).body("requestId", org.hamcrest.Matchers.notNullValue());
        assertFalse(refused.asString().contains("教师") || refused.asString().contains("刘"), refused.asString());
        assertEquals(before, lookups(grant), "nothing delivered, nothing logged");
        // the chain still says what was approved
        Map<String, Object> created = chained(grant).get(0);
        assertEquals(List.of("GMSFHM", "XM"), ((Map<?, ?>) created.get("terms")).get("items"));

        // rewriting the chained entry as well: its hash no longer holds, the delivery still refuses, the chain check
        // names the entry
        long seq = (Long) created.get("seq");
        String widen = "UPDATE usage_log SET grant_terms = replace(grant_terms, '\"items\":[\"GMSFHM\",\"XM\"]', "
                + "'\"items\":[\"GMSFHM\",\"XM\",\"ZY\"]') WHERE seq = " + seq;
        String restore = "UPDATE usage_log SET grant_terms = replace(grant_terms, '\"items\":[\"GMSFHM\",\"XM\",\"ZY\"]', "
                + "'\"items\":[\"GMSFHM\",\"XM\"]') WHERE seq = " + seq;
        // later state changes would be compared first: this grant has only its CREATE
        assertEquals(1, chained(grant).size());
        UsageLogTest.tamper(dataSource, widen);
        try {
            forget(grant);
            DeliveryTest.lookupUnder(consumer, code, grant).then().statusCode(503);
            given().auth().oauth2(auditor()).get(LOG + "/verify").then().statusCode(200).body("valid", equalTo(false))
                    .body("brokenEntries.seq", hasItem((int) seq));
        } finally {
            UsageLogTest.tamper(dataSource, restore);
        }
        given().auth().oauth2(auditor()).get(LOG + "/verify").then().statusCode(200).body("valid", equalTo(true));
        assertEquals(before, lookups(grant));
    }

    @Test
    void aNormalFlowExportsValidWithItsCallsCheckedAgainstTheChainedTerms() throws Exception {
        String code = "330000-01-02/900773";
        String consumer = operator("11330000MB00000773");
        long grant = granted(code, "11330000MB00000773");
        DeliveryTest.lookupUnder(consumer, code, grant).then().statusCode(200);
        DeliveryTest.lookupUnder(consumer, code, grant).then().statusCode(200);
        // each call cites the grant-terms entry it was approved under (format 4, {"termsSeq": n})
        long created = (Long) chained(grant).get(0).get("seq");
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT entry_format, "
                + "grant_terms FROM usage_log WHERE grant_id = ? AND operation = 'LOOKUP'")) {
            ps.setLong(1, grant);
            try (ResultSet rs = ps.executeQuery()) {
                int calls = 0;
                while (rs.next()) {
                    calls++;
                    assertEquals(4, rs.getInt(1));
                    assertEquals(created, ((Number) Json.object(rs.getString(2)).get("termsSeq")).longValue());
                }
                assertEquals(2, calls);
            }
        }

        String today = LocalDate.now(TimeSource.ZONE).toString();
        Response export = null;
        for (int attempt = 0; attempt < 3 && (export == null || export.statusCode() == 409); attempt++) {
            UsageLogTest.signCheckpoint(auditor()).statusCode(200);
            export = given().auth().oauth2(auditor()).get(LOG + "/export?from=" + today + "&to=" + today);
        }
        export.then().statusCode(200);
        Path dir = Files.createTempDirectory("grant-evidence");
        Path keys = Files.writeString(dir.resolve("keys.json"),
                given().get(LOG + "/checkpoint-keys").then().statusCode(200).extract().asString());
        Path file = Files.writeString(dir.resolve("export.ndjson"), export.asString());
        VerifierCli.Run run = VerifierCli.run("--require-seal", keys, file);
        assertEquals(0, run.code(), run.said());
        assertTrue(run.said().contains("calls checked against the terms chained for their grant"), run.said());
    }

    @Test
    void aChangeCommittedBetweenReadingTheRowAndItsChainedTermsIsNoTampering() {
        String code = "330000-01-02/900774";
        long grant = granted(code, "11330000MB00000774");
        QuarkusTransaction.requiringNew().run(() -> {
            // the delivery check has read the row; the provider's suspension commits before it reads the chain
            ShareGrant seen = ShareGrant.findById(grant);
            assertEquals("ACTIVE", seen.status);
            govern(operator(RequestWorkflowTest.PROVIDER), grant, "suspend", Map.of("version", 0, "reason",
                    "超范围调用，暂停核查")).then().statusCode(200);
            // the row read before and the terms chained since differ: read again, both agree, no 503
            evidence.requireChained(seen);
            assertEquals("SUSPENDED", seen.status);
        });
    }
}
