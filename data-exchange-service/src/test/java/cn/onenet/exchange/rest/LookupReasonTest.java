package cn.onenet.exchange.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import cn.onenet.common.problem.ApiException;
import cn.onenet.exchange.ExchangeTestBase;
import cn.onenet.exchange.FakeCatalog;
import cn.onenet.exchange.service.DemoData;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;

/**
 * 事由: a department system states the reason of a keyed lookup (e.g. the case number) in X-Onenet-Reason; it is kept in
 * the usage-log entry, hashed into the chain, and shown to the citizen and the 主管部门 next to the grant's purpose.
 */
@QuarkusTest
class LookupReasonTest extends ExchangeTestBase {

    static final String HR = DemoData.HUMAN_RESOURCES;
    static final String REASON = "社保待遇资格认证 案件号 2026-0417";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    AgroalDataSource dataSource;

    static Response lookup(String key, String requestId, String reasonHeader) {
        var spec = given().urlEncodingEnabled(false).auth().oauth2(operator(HR)).header("X-Request-Id", requestId);
        if (reasonHeader != null) {
            spec = spec.header("X-Onenet-Reason", reasonHeader);
        }
        return spec.get(DeliveryTest.path(FakeCatalog.POPULATION, key));
    }

    static String encoded(String reason) {
        return URLEncoder.encode(reason, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> entry(String token, String path, String requestId) {
        List<Map<String, Object>> rows = given().auth().oauth2(token).get(path).then().statusCode(200).extract()
                .jsonPath().getList("$");
        return rows.stream().filter(r -> requestId.equals(r.get("requestId"))).findFirst()
                .orElseThrow(() -> new AssertionError("no entry " + requestId + " in " + rows));
    }

    @Test
    void theReasonIsLoggedChainedAndShownToTheCitizenAndTheAuthority() throws Exception {
        String rid = "why-" + UUID.randomUUID();
        lookup(ComplaintTest.WANG_ID, rid, encoded(REASON)).then().statusCode(200).body("reason", equalTo(REASON))
                .body("purpose", not(nullValue()));

        // the citizen sees it next to the grant's purpose
        Map<String, Object> seen = entry(ComplaintTest.citizen("wang-why", ComplaintTest.WANG_ID),
                "/api/exchange/v1/me/data-accesses", rid);
        assertEquals(REASON, seen.get("reason"), seen.toString());
        assertTrue(seen.get("purpose") != null, seen.toString());
        // the 主管部门's reviewers and auditors too; the provider's operators see the purpose without the reason
        Map<String, Object> audited = entry(auditor(), UsageLogTest.LOG + "?order=desc&limit=200", rid);
        assertEquals(REASON, audited.get("reason"));
        // format 4: as 3, and the grant terms the call was approved under ({"termsSeq": n}) after the reason
        assertEquals(4, audited.get("entryFormat"));
        assertEquals(REASON, entry(reviewer(), UsageLogTest.LOG + "?order=desc&limit=200", rid).get("reason"));
        long seq = ((Number) audited.get("seq")).longValue();
        given().auth().oauth2(operator(DemoData.POLICE)).get(UsageLogTest.LOG + "?order=desc&limit=200").then()
                .statusCode(200).body("find { it.seq == " + seq + " }", not(hasKey("reason")));

        // the chain covers it: the canonical form holds the reason after the outcome and ends with format 4
        given().auth().oauth2(auditor()).post(UsageLogTest.LOG + "/checkpoints").then().statusCode(200);
        String canonical = given().auth().oauth2(auditor()).get(UsageLogTest.LOG + "/" + seq + "/evidence").then()
                .statusCode(200).extract().path("entry.canonical");
        List<Object> fields = JSON.readValue(canonical, List.class);
        assertEquals("DELIVERED", fields.get(14));
        assertEquals(REASON, fields.get(15));
        assertEquals(4, fields.get(fields.size() - 1));
        assertEquals(audited.get("entryHash"), UsageLogTest.sha256(canonical));

        // an edited, removed or added reason breaks the chain check: format 4 hashes the reason, null or not
        String where = " WHERE seq = " + seq;
        long plain = UsageLogTest.lookups(1, "why-plain-").get(0);
        verify().then().body("valid", equalTo(true));
        for (String edit : List.of("reason = '另一个案件'", "reason = NULL")) {
            UsageLogTest.tamper(dataSource, "CREATE TABLE saved_reason AS SELECT * FROM usage_log" + where
                    + "; UPDATE usage_log SET " + edit + where);
            try {
                verify().then().statusCode(200).body("valid", equalTo(false))
                        .body("brokenEntries.seq", equalTo(List.of((int) seq)))
                        .body("brokenEntries.problem", equalTo(List.of("记录内容被修改 / entry content was changed")));
            } finally {
                restore(where);
            }
        }
        String plainWhere = " WHERE seq = " + plain;
        UsageLogTest.tamper(dataSource, "CREATE TABLE saved_reason AS SELECT * FROM usage_log" + plainWhere
                + "; UPDATE usage_log SET reason = '事后补记的事由'" + plainWhere);
        try {
            verify().then().body("valid", equalTo(false)).body("brokenEntries.seq", equalTo(List.of((int) plain)))
                    .body("brokenEntries.problem", equalTo(List.of("记录内容被修改 / entry content was changed")));
        } finally {
            restore(plainWhere);
        }
        verify().then().body("valid", equalTo(true));
    }

    /** A query by {@code filter} (item=value, or empty) with the reason header when given. */
    static Response query(String filter, String requestId, String reasonHeader) {
        var spec = given().urlEncodingEnabled(false).auth().oauth2(operator(HR)).header("X-Request-Id", requestId);
        if (reasonHeader != null) {
            spec = spec.header("X-Onenet-Reason", reasonHeader);
        }
        return spec.get("/api/exchange/v1/data/" + FakeCatalog.encoded(FakeCatalog.POPULATION) + "/records?" + filter);
    }

    @Test
    void aQueryCarriesItsReasonIntoTheLogAndToTheCitizen() {
        String rid = "why-query-" + UUID.randomUUID();
        query("GMSFHM=" + ComplaintTest.WANG_ID, rid, encoded(REASON)).then().statusCode(200)
                .body("reason", equalTo(REASON)).body("records.size()", equalTo(1));
        assertEquals(REASON, entry(auditor(), UsageLogTest.LOG + "?order=desc&limit=200", rid).get("reason"));
        Map<String, Object> seen = entry(ComplaintTest.citizen("wang-why", ComplaintTest.WANG_ID),
                "/api/exchange/v1/me/data-accesses", rid);
        assertEquals("QUERY", seen.get("operation"));
        assertEquals(REASON, seen.get("reason"));
        // checked as a lookup's: a control character is 400 naming the header, nothing logged
        long before = head();
        query("GMSFHM=" + ComplaintTest.WANG_ID, "why-query-bad-" + UUID.randomUUID(), "a%09b").then()
                .statusCode(400).contentType("application/problem+json").body("field", equalTo("X-Onenet-Reason"));
        assertEquals(before, head());
    }

    @Test
    void aKeyedLookupRefusesQueryParametersNamingThem() {
        long before = head();
        String rid = "why-param-" + UUID.randomUUID();
        given().urlEncodingEnabled(false).auth().oauth2(operator(HR)).header("X-Request-Id", rid)
                .get(DeliveryTest.path(FakeCatalog.POPULATION, ComplaintTest.WANG_ID) + "?items=CSRQ").then()
                .statusCode(400).contentType("application/problem+json").body("field", equalTo("items"))
                .body("detail", containsString("未知查询参数")).body("requestId", equalTo(rid));
        assertEquals(before, head());
        // allowed without one, as before
        lookup(ComplaintTest.WANG_ID, "why-param-ok-" + UUID.randomUUID(), null).then().statusCode(200);
    }

    @Test
    void aLookupWithoutAReasonIsLoggedAsBefore() {
        String rid = "why-none-" + UUID.randomUUID();
        lookup(ComplaintTest.WANG_ID, rid, null).then().statusCode(200).body("$", not(hasKey("reason")));
        Map<String, Object> audited = entry(auditor(), UsageLogTest.LOG + "?order=desc&limit=200", rid);
        assertEquals(4, audited.get("entryFormat"));
        assertEquals(null, audited.get("reason"));
        // a blank header is no reason
        String blank = "why-blank-" + UUID.randomUUID();
        lookup(ComplaintTest.WANG_ID, blank, "%20%20").then().statusCode(200);
        assertEquals(null, entry(auditor(), UsageLogTest.LOG + "?order=desc&limit=200", blank).get("reason"));
    }

    @Test
    void aReasonTooLongWithControlCharactersOrNotUtf8IsRefusedNamingTheHeader() {
        String ok = "why-200-" + UUID.randomUUID();
        lookup(ComplaintTest.WANG_ID, ok, encoded("案".repeat(200))).then().statusCode(200);
        long head = head();
        for (String bad : List.of(encoded("案".repeat(201)), "case%0A2026", "case%092026", "case%7F", "%E6%A1",
                "%FF%FE", encoded("案件\u0085号"), encoded("案件\u2028号"),
                encoded("案件号\u202E1002-6202"), encoded("案件\u2066号\u2069"))) {
            lookup(ComplaintTest.WANG_ID, "why-bad-" + UUID.randomUUID(), bad).then().statusCode(400)
                    .contentType("application/problem+json").body("field", equalTo("X-Onenet-Reason"));
        }
        // a raw control character in the header value (a tab) is refused too
        given().urlEncodingEnabled(false).auth().oauth2(operator(HR)).header("X-Onenet-Reason", "case\t2026")
                .get(DeliveryTest.path(FakeCatalog.POPULATION, ComplaintTest.WANG_ID)).then().statusCode(400)
                .body("field", equalTo("X-Onenet-Reason"));
        // nothing was delivered or logged
        assertEquals(head, head());
    }

    @Test
    void aReasonSentAsRawUtf8IsRefusedSayingHowToEncodeIt() throws IOException {
        // the header's bytes as a client sends them unencoded: 案 is E6 A1 88, read as three ISO-8859-1 characters
        byte[] reason = "案件号 2026".getBytes(StandardCharsets.UTF_8);
        long head = head();
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.writeBytes(("GET " + DeliveryTest.path(FakeCatalog.POPULATION, ComplaintTest.WANG_ID) + " HTTP/1.1\r\n"
                + "Host: localhost\r\nAuthorization: Bearer " + operator(HR) + "\r\nConnection: close\r\n"
                + "X-Onenet-Reason: ").getBytes(StandardCharsets.US_ASCII));
        request.writeBytes(reason);
        request.writeBytes("\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        String answer;
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            socket.getOutputStream().write(request.toByteArray());
            answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(answer.startsWith("HTTP/1.1 400"), answer);
        assertTrue(answer.contains("\"field\":\"X-Onenet-Reason\""), answer);
        assertTrue(answer.contains("percent-encoded UTF-8"), answer);
        assertEquals(head, head());
    }

    @Test
    void whereAReasonIsRequiredALookupWithoutOneIsRefused() {
        ApiException missing = assertThrows(ApiException.class, () -> DataResource.reason(null, true));
        assertEquals("X-Onenet-Reason", missing.errors().get(0).field());
        assertThrows(ApiException.class, () -> DataResource.reason("  ", true));
        assertEquals("案件号 1", DataResource.reason(encoded("案件号 1"), true));
        assertEquals(null, DataResource.reason(null, false));
    }

    private long head() {
        try (var c = dataSource.getConnection(); var s = c.createStatement();
                var rs = s.executeQuery("SELECT last_seq FROM usage_log_head")) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private void restore(String where) throws Exception {
        UsageLogTest.tamper(dataSource, "DELETE FROM usage_log" + where
                + "; INSERT INTO usage_log SELECT * FROM saved_reason; DROP TABLE saved_reason");
    }

    private static Response verify() {
        return given().auth().oauth2(auditor()).get(UsageLogTest.LOG + "/verify");
    }
}
