package cn.onenet.exchange.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import cn.onenet.exchange.ExchangeTestBase;
import cn.onenet.exchange.FakeCatalog;
import cn.onenet.exchange.service.DemoData;
import cn.onenet.exchange.service.TimeSource;
import cn.onenet.exchange.service.UsageLogService;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * A covert query's date (隐蔽期限) is chained as a salted commitment: whoever sees the entry hash (reviewers, admins,
 * providers' operators) cannot find the date by hashing candidate dates; auditors get the date and the salt and open
 * the commitment; the chain check catches a date edited under an intact hash.
 */
@QuarkusTest
class CovertDateCommitmentTest extends ExchangeTestBase {

    static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    AgroalDataSource dataSource;

    /**
     * A covert lookup (hidden until {@code hiddenUntil}) by the investigating department, under a grant whose request
     * declared covert use; its usage-log seq.
     */
    static long covertLookup(String hiddenUntil, String requestIdPrefix) {
        long grant = CovertUseGrantTest.covertGrant(CovertUseGrantTest.INVESTIGATOR);
        return Long.parseLong(given().urlEncodingEnabled(false).auth().oauth2(operator(CovertUseGrantTest.INVESTIGATOR))
                .header("X-Grant-Id", grant).header("X-Request-Id", requestIdPrefix + UUID.randomUUID())
                .header("X-Covert-Until", hiddenUntil)
                .header("X-Covert-Legal-Basis", URLEncoder.encode("《刑事诉讼法》第一百五十条", StandardCharsets.UTF_8))
                .get(DeliveryTest.path(FakeCatalog.POPULATION, "330282196509230044")).then().statusCode(200)
                .extract().header("X-Usage-Log-Seq"));
    }

    /** hex(HMAC-SHA256(key = salt, message = the date as yyyy-MM-dd)), computed here, not by the service. */
    static String commitment(String saltHex, String hiddenUntil) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(HexFormat.of().parseHex(saltHex), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(hiddenUntil.getBytes(StandardCharsets.UTF_8)));
    }

    /** The evidence bundle of entry {@code seq} as {@code token}'s holder gets it. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> bundle(String token, long seq) throws Exception {
        return JSON.readValue(given().auth().oauth2(token).get(UsageLogTest.LOG + "/" + seq + "/evidence").then()
                .statusCode(200).extract().asString(), Map.class);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aCovertEntryIsChainedWithASaltedCommitmentAndOnlyAuditorsSeeTheDateAndTheSalt() throws Exception {
        String hiddenUntil = LocalDate.now(TimeSource.ZONE).plusDays(61).toString();
        long seq = covertLookup(hiddenUntil, "commit-");

        // auditors: the date, its salt (32 bytes) and the commitment they open
        Map<String, Object> audited = UsageLogTest.entry(auditor(), seq).then().statusCode(200).extract().jsonPath()
                .getMap("[0]");
        assertEquals(hiddenUntil, audited.get("hiddenUntil"));
        String salt = (String) audited.get("hiddenUntilSalt");
        assertTrue(salt.matches("[0-9a-f]{64}"), salt);
        assertEquals(commitment(salt, hiddenUntil), audited.get("hiddenUntilCommitment"));
        // format 4: a call cites the grant terms it was approved under
        assertEquals(4, audited.get("entryFormat"));
        // a second covert entry with the same date gets another salt, so equal dates do not show as equal commitments
        long other = covertLookup(hiddenUntil, "commit-");
        Map<String, Object> second = UsageLogTest.entry(auditor(), other).then().extract().jsonPath().getMap("[0]");
        assertNotEquals(salt, second.get("hiddenUntilSalt"));
        assertNotEquals(audited.get("hiddenUntilCommitment"), second.get("hiddenUntilCommitment"));

        // reviewers and admins: the commitment, never the date nor the salt
        for (String authority : List.of(reviewer(), admin())) {
            Response listed = UsageLogTest.entry(authority, seq);
            Map<String, Object> row = listed.then().statusCode(200).extract().jsonPath().getMap("[0]");
            assertEquals(audited.get("hiddenUntilCommitment"), row.get("hiddenUntilCommitment"));
            assertFalse(row.containsKey("hiddenUntil"), row.toString());
            assertFalse(row.containsKey("hiddenUntilSalt"), row.toString());
            assertFalse(listed.asString().contains(hiddenUntil), listed.asString());
            assertFalse(listed.asString().contains(salt), listed.asString());
        }
        // the provider's operator: neither, nor the commitment
        Response provider = UsageLogTest.entry(operator(DemoData.POLICE), seq);
        provider.then().statusCode(200).body("[0].seq", equalTo((int) seq));
        for (String unseen : List.of("hiddenUntil", hiddenUntil, salt, (String) audited.get("hiddenUntilCommitment"))) {
            assertFalse(provider.asString().contains(unseen), unseen + " shown to the provider's operator");
        }

        // the canonical form the hash covers holds the commitment where the date was, and says its format
        UsageLogTest.signCheckpoint(auditor()).statusCode(200);
        Map<String, Object> entry = (Map<String, Object>) bundle(auditor(), seq).get("entry");
        String canonical = (String) entry.get("canonical");
        assertFalse(canonical.contains(hiddenUntil), canonical);
        assertFalse(canonical.contains(salt), canonical);
        List<Object> fields = JSON.readValue(canonical, List.class);
        assertEquals(20, fields.size(), canonical);
        assertEquals(audited.get("hiddenUntilCommitment"), fields.get(17));
        assertEquals(4, fields.get(19));
        assertEquals(entry.get("entryHash"), UsageLogTest.sha256(canonical));
    }

    @Test
    @SuppressWarnings("unchecked")
    void hashingCandidateDatesDoesNotFindTheDate() throws Exception {
        LocalDate today = LocalDate.now(TimeSource.ZONE);
        LocalDate hiddenUntil = today.plusDays(97);
        long seq = covertLookup(hiddenUntil.toString(), "guess-");
        UsageLogTest.signCheckpoint(auditor()).statusCode(200);
        // what an admin holds (reviewers get no bundles): the entry hash and the hashed string, the date left out one
        // way or another
        Map<String, Object> entry = (Map<String, Object>) bundle(admin(), seq).get("entry");
        String hashed = entry.get("canonical") != null ? (String) entry.get("canonical")
                : (String) entry.get("redactedCanonical");
        List<Object> fields = JSON.readValue(hashed, List.class);
        String entryHash = (String) entry.get("entryHash");
        // every date of the next ten years, the true one included, put where the date stood before
        List<Object> clearDateForm = new ArrayList<>(fields.subList(0, 17));
        List<Object> committedForm = new ArrayList<>(fields);
        for (LocalDate candidate = today; candidate.isBefore(today.plusYears(10)); candidate = candidate.plusDays(1)) {
            clearDateForm.set(15, candidate.toString());
            committedForm.set(15, candidate.toString());
            String guess = candidate.toString();
            assertNotEquals(entryHash, UsageLogTest.sha256(JSON.writeValueAsString(clearDateForm)), guess);
            assertNotEquals(entryHash, UsageLogTest.sha256(JSON.writeValueAsString(committedForm)), guess);
        }
    }

    @Test
    void verifyFindsACovertDateEditedUnderAnIntactHash() throws Exception {
        LocalDate hiddenUntil = LocalDate.now(TimeSource.ZONE).plusDays(45);
        long seq = covertLookup(hiddenUntil.toString(), "edit-");
        long plain = UsageLogTest.lookups(1, "edit-").get(0);
        verify().then().body("valid", equalTo(true));

        // the date that decides the citizens' view, moved by a day: the hash (over the commitment) still fits
        String where = " WHERE seq = " + seq;
        for (String edit : List.of("hidden_until = hidden_until + 1", "hidden_until = NULL")) {
            UsageLogTest.tamper(dataSource, "CREATE TABLE saved_covert AS SELECT * FROM usage_log" + where
                    + "; UPDATE usage_log SET " + edit + where);
            try {
                verify().then().statusCode(200).body("valid", equalTo(false))
                        .body("brokenEntries.seq", equalTo(List.of((int) seq)))
                        .body("brokenEntries.problem", equalTo(List.of(UsageLogService.COMMITMENT_NOT_OPENED)));
            } finally {
                restore(where);
            }
        }
        // a hiding added to an ordinary entry has no commitment to open
        UsageLogTest.tamper(dataSource, "CREATE TABLE saved_covert AS SELECT * FROM usage_log WHERE seq = " + plain
                + "; UPDATE usage_log SET hidden_until = current_date + 30 WHERE seq = " + plain);
        try {
            verify().then().body("brokenEntries.seq", equalTo(List.of((int) plain)))
                    .body("brokenEntries.problem", hasItem(UsageLogService.COMMITMENT_NOT_OPENED));
        } finally {
            restore(" WHERE seq = " + plain);
        }
        // date and commitment rewritten together: the hash, computed over the stored commitment, no longer fits
        String salt;
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT encode(hidden_until_salt, 'hex') FROM usage_log" + where)) {
            rs.next();
            salt = rs.getString(1);
        }
        UsageLogTest.tamper(dataSource, "CREATE TABLE saved_covert AS SELECT * FROM usage_log" + where
                + "; UPDATE usage_log SET hidden_until = hidden_until + 1, hidden_until_commitment = '"
                + commitment(salt, hiddenUntil.plusDays(1).toString()) + "'" + where);
        try {
            verify().then().body("brokenEntries.seq", equalTo(List.of((int) seq)))
                    .body("brokenEntries.problem", equalTo(List.of("记录内容被修改 / entry content was changed")));
        } finally {
            restore(where);
        }
        verify().then().body("valid", equalTo(true));
    }

    private void restore(String where) throws Exception {
        UsageLogTest.tamper(dataSource, "DELETE FROM usage_log" + where
                + "; INSERT INTO usage_log SELECT * FROM saved_covert; DROP TABLE saved_covert");
    }

    private static Response verify() {
        return given().auth().oauth2(auditor()).get(UsageLogTest.LOG + "/verify");
    }

    /**
     * Appends a covert entry as the writer did before the commitment: the columns it filled, the date hashed in
     * clear, chained on the head like another replica's entry. Its seq.
     */
    static long appendClearDateEntry(AgroalDataSource dataSource, LocalDate hiddenUntil) throws Exception {
        return GroupCommitTest.appendAsAnotherReplica(dataSource, (c, seq, prev) -> {
            Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
            List<String> items = List.of("GMSFHM", "XM");
            List<String> subjects = List.of("ab".repeat(32));
            List<Object> fields = Arrays.asList(seq, at.toString(), "clear-" + UUID.randomUUID(), "case-system",
                    "investigator-3", DemoData.HUMAN_RESOURCES, null, "案件侦查", "《刑事诉讼法》第一百五十条",
                    FakeCatalog.POPULATION, DemoData.POLICE, items, subjects, "LOOKUP", "DELIVERED",
                    hiddenUntil.toString(), prev);
            String hash = UsageLogTest.sha256(JSON.writeValueAsString(fields));
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO usage_log (seq, logged_at, request_id, "
                    + "client_id, user_sub, consumer_department_code, grant_id, purpose, legal_basis, resource_code, "
                    + "provider_department_code, items, subject_hashes, operation, outcome, hidden_until, prev_hash, "
                    + "entry_hash) VALUES (?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                int i = 1;
                ps.setLong(i++, seq);
                ps.setTimestamp(i++, Timestamp.from(at));
                for (int f = 2; f <= 5; f++) {
                    ps.setString(i++, (String) fields.get(f));
                }
                for (int f = 7; f <= 10; f++) {
                    ps.setString(i++, (String) fields.get(f));
                }
                ps.setString(i++, JSON.writeValueAsString(items));
                ps.setArray(i++, c.createArrayOf("text", subjects.toArray()));
                ps.setString(i++, "LOOKUP");
                ps.setString(i++, "DELIVERED");
                ps.setObject(i++, hiddenUntil);
                ps.setString(i++, prev);
                ps.setString(i++, hash);
                ps.executeUpdate();
            }
            return hash;
        });
    }

    @Test
    @SuppressWarnings("unchecked")
    void anEntryWrittenBeforeTheCommitmentStillVerifiesAndIsStillRedactedAndSealedForReviewers() throws Exception {
        LocalDate clearDate = LocalDate.now(TimeSource.ZONE).plusDays(83);
        String committedDate = LocalDate.now(TimeSource.ZONE).plusDays(84).toString();
        long seq = appendClearDateEntry(dataSource, clearDate);
        // a covert entry written now follows it, so the chain holds both formats
        long committed = covertLookup(committedDate, "after-clear-");
        verify().then().statusCode(200).body("valid", equalTo(true));
        Map<String, Object> audited = UsageLogTest.entry(auditor(), seq).then().statusCode(200).extract().jsonPath()
                .getMap("[0]");
        assertEquals(clearDate.toString(), audited.get("hiddenUntil"));
        assertEquals(1, audited.get("entryFormat"));
        assertNull(audited.get("hiddenUntilSalt"));
        assertNull(audited.get("hiddenUntilCommitment"));
        UsageLogTest.signCheckpoint(auditor()).statusCode(200);

        for (String authority : List.of(admin())) {
            String json = given().auth().oauth2(authority).get(UsageLogTest.LOG + "/" + seq + "/evidence").then()
                    .statusCode(200).extract().asString();
            assertFalse(json.contains(clearDate.toString()), json);
            assertFalse(json.contains(committedDate), json);
            Map<String, Object> bundle = JSON.readValue(json, Map.class);
            List<Map<String, Object>> chain = (List<Map<String, Object>>) bundle.get("chain");
            // the clear-date entry: redacted, vouched for by the seal
            assertNull(chain.get(0).get("canonical"));
            assertEquals(List.of("hiddenUntil"), chain.get(0).get("redactedFields"));
            assertTrue(((String) chain.get(0).get("redactedCanonical")).contains("\"[redacted]\""), json);
            // the committed one: its canonical form, nothing redacted
            Map<String, Object> now = chain.stream()
                    .filter(r -> ((Number) r.get("seq")).longValue() == committed).findFirst().orElseThrow();
            assertNotNull(now.get("canonical"), json);
            assertNull(now.get("redactedFields"), json);
            // besides the clear-date entry only chained grant terms with a covert period are redacted
            int redacted = EvidenceBundleAudienceTest.verify(bundle);
            long redactedGrantTerms = chain.stream().filter(r -> r.get("canonical") == null)
                    .filter(r -> ((String) r.get("redactedCanonical")).contains("\"GRANT\"")).count();
            assertEquals(1, redacted - redactedGrantTerms, json);
        }
        // auditors: every canonical form, the clear date in the old one
        Map<String, Object> full = bundle(auditor(), seq);
        assertNull(full.get("redaction"));
        Map<String, Object> entry = (Map<String, Object>) full.get("entry");
        assertTrue(((String) entry.get("canonical")).contains("\"" + clearDate + "\""), entry.toString());
        assertEquals(0, EvidenceBundleAudienceTest.verify(full));
    }
}
