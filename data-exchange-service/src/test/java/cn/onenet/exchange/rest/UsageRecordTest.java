package cn.onenet.exchange.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import cn.onenet.exchange.ExchangeTestBase;
import cn.onenet.exchange.model.ShareGrant;
import cn.onenet.exchange.service.CalendarService;
import cn.onenet.exchange.service.Caller;
import cn.onenet.exchange.service.DemoData;
import cn.onenet.exchange.service.DisposalDeadlines;
import cn.onenet.exchange.service.TimeSource;
import cn.onenet.exchange.service.UsageLogService;
import cn.onenet.exchange.service.UsageRecordService;
import cn.onenet.testsupport.TestTokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;

/**
 * 条例第二十九条第二款 (R16): the consumer department keeps usage records per grant (scenario, processing, storage,
 * outcomes, destruction); the provider and the 主管部门 inspect them; they are append-only for the retention period and
 * covered by the usage log's hash chain; outcome statements are periodic and an overdue one is noticed once per period.
 */
@QuarkusTest
class UsageRecordTest extends ExchangeTestBase {

    static final String PROVIDER = RequestWorkflowTest.PROVIDER;

    @Inject
    AgroalDataSource dataSource;
    @Inject
    TimeSource time;
    @Inject
    UsageRecordService records;
    @Inject
    DisposalDeadlines disposals;
    @Inject
    CalendarService calendar;

    @AfterEach
    void realClock() {
        time.set(null);
    }

    static String path(long grant) {
        return "/api/exchange/v1/grants/" + grant + "/usage-records";
    }

    /** A fresh 无条件共享 entry and the consumer's grant on it (ACTIVE at once). */
    long grant(String code, String consumerDept) {
        DeliveryTest.freshEntry(replica, code, "UNCONDITIONAL");
        Map<String, Object> body = RequestWorkflowTest.body(code, List.of("GMSFHM", "XM"));
        body.put("periodFrom", "2026-09-01");
        body.put("periodTo", "2029-08-31");
        return DeliveryTest.fileGranted(operator(consumerDept), body);
    }

    static Response post(String token, long grant, Map<String, Object> body) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(body).post(path(grant));
    }

    static Map<String, Object> record(String kind, String description, Object... more) {
        Map<String, Object> m = new HashMap<>();
        m.put("kind", kind);
        m.put("description", description);
        for (int i = 0; i < more.length; i += 2) {
            m.put((String) more[i], more[i + 1]);
        }
        return m;
    }

    static ValidatableResponse list(String token, long grant, String query) {
        return given().auth().oauth2(token).get(path(grant) + query).then();
    }

    long count(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void onlyTheConsumersOperatorsRecordAndThePartiesAndThe主管部门Read() {
        String dept = "11330000MB00000601";
        String consumer = operator(dept);
        long grant = grant("330000-01-02/901201", dept);

        post(consumer, grant, record("SCENARIO", "最低生活保障审核时核验申请人身份")).then().statusCode(201)
                .body("grantId", equalTo((int) grant)).body("kind", equalTo("SCENARIO"))
                .body("recordedBy", equalTo("op-" + dept)).body("departmentCode", equalTo(dept))
                .body("automatic", equalTo(false)).body("intact", equalTo(true))
                .body("usageLogSeq", notNullValue()).body("digest", notNullValue());
        post(consumer, grant, record("STORAGE", "核验结果存入救助审核库", "location", "省政务云 民政专区",
                "safeguards", "SM4 加密存储")).then().statusCode(201).body("location", equalTo("省政务云 民政专区"))
                .body("safeguards", equalTo("SM4 加密存储"));

        // nobody else records: the provider, the 主管部门, the consumer's own system client
        Map<String, Object> scenario = record("SCENARIO", "冒充使用部门写入的记录");
        for (String token : List.of(operator(PROVIDER), reviewer(), admin(), auditor(), system(dept))) {
            post(token, grant, scenario).then().statusCode(403).contentType("application/problem+json");
        }
        // another department's operator does not see the grant: 404 as when it reads, not 403, and nothing written
        post(operator("11330000MB00000602"), grant, scenario).then().statusCode(404)
                .contentType("application/problem+json");
        post(operatorOnly("clerk-ur", "11330000MB00000602"), grant, scenario).then().statusCode(404);
        // a grant that never existed
        post(consumer, 987654321L, scenario).then().statusCode(404).contentType("application/problem+json");

        // read: both parties' operators, the 主管部门's reviewers, admins and auditors; newest first with the count
        for (String token : List.of(consumer, operator(PROVIDER), reviewer(), admin(), auditor())) {
            list(token, grant, "").statusCode(200).header(GrantResource.TOTAL_COUNT, "2")
                    .body("kind", equalTo(List.of("STORAGE", "SCENARIO"))).body("intact", equalTo(List.of(true, true)));
        }
        list(consumer, grant, "?kind=SCENARIO&size=1").statusCode(200).header(GrantResource.TOTAL_COUNT, "1")
                .body("kind", equalTo(List.of("SCENARIO")));
        list(consumer, grant, "?size=1&page=1").statusCode(200).header(GrantResource.TOTAL_COUNT, "2")
                .body("kind", equalTo(List.of("SCENARIO")));
        // as the grant itself: another department does not see it, a reviewer of another region neither, a system
        // client's role is not one that reads records
        list(operator("11330000MB00000602"), grant, "").statusCode(404).contentType("application/problem+json");
        list(reviewerIn("reviewer-nb-ur", "11330200MB00000098", "330200"), grant, "").statusCode(404);
        list(system(dept), grant, "").statusCode(403).contentType("application/problem+json");
        list(TestTokens.civilServant("citizen-ur", dept, AUD, "citizen"), grant, "").statusCode(403);
        given().auth().oauth2(operator("11330000MB00000602")).get(path(grant) + "/summary").then().statusCode(404);
        given().auth().oauth2(operator(PROVIDER)).get(path(grant) + "/summary").then().statusCode(200)
                .body("grantId", equalTo((int) grant)).body("outcomeInterval", equalTo("P1Y"))
                .body("outcomeOverdue", equalTo(false)).body("outcomeDueAt", notNullValue())
                .body("lastRecordedAt.SCENARIO", notNullValue()).body("lastRecordedAt.STORAGE", notNullValue())
                .body("lastRecordedAt.OUTCOME", nullValue());
    }

    @Test
    void badRecordsAnswer400NamingEveryFieldAndNothingIsWritten() throws SQLException {
        String dept = "11330000MB00000603";
        String consumer = operator(dept);
        long grant = grant("330000-01-02/901202", dept);
        String tomorrow = LocalDate.now(TimeSource.ZONE).plusDays(1).toString();

        bad(consumer, grant, new HashMap<>(), "kind", "description");
        bad(consumer, grant, record("NOPE", "说明"), "kind");
        bad(consumer, grant, record("SCENARIO", "  "), "description");
        bad(consumer, grant, record("SCENARIO", "长".repeat(4001)), "description");
        bad(consumer, grant, record("SCENARIO", "说明", "location", "别处", "method", "粉碎"), "location", "method");
        bad(consumer, grant, record("STORAGE", "存储说明"), "location");
        bad(consumer, grant, record("STORAGE", "存储说明", "location", "省政务云", "safeguards", "长".repeat(4001)),
                "safeguards");
        bad(consumer, grant, record("OUTCOME", "年度成效", "periodFrom", "2026-12-31", "periodTo", "2026-01-01"),
                "periodTo", "outcome");
        bad(consumer, grant, record("OUTCOME", "年度成效", "periodFrom", "2026-13-01", "outcome", "成效"),
                "periodFrom", "periodTo");
        bad(consumer, grant, record("DESTRUCTION", "销毁", "destroyedOn", tomorrow), "method", "destroyedOn");
        // days PostgreSQL does not store (or no usage of shared data had): the field is named
        bad(consumer, grant, record("OUTCOME", "年度成效", "periodFrom", "-5000-01-01", "periodTo", "+10000-01-01",
                "outcome", "成效"), "periodFrom", "periodTo");
        bad(consumer, grant, record("DESTRUCTION", "销毁", "method", "粉碎", "destroyedOn", "-5000-01-01"),
                "destroyedOn");
        // a page filter that is not a kind
        list(consumer, grant, "?kind=NOPE").statusCode(400).contentType("application/problem+json")
                .body("errors.field", equalTo(List.of("kind")));

        list(consumer, grant, "").statusCode(200).header(GrantResource.TOTAL_COUNT, "0");
        assertEquals(0, count("SELECT count(*) FROM usage_record WHERE grant_id = " + grant));
        assertEquals(0, count("SELECT count(*) FROM usage_log WHERE grant_id = " + grant
                + " AND operation LIKE 'USAGE_RECORD_%'"));
        // the same kinds, complete, are kept
        // the grant was issued today: its outcome period starts today at the earliest
        String today = LocalDate.now(TimeSource.ZONE).toString();
        post(consumer, grant, record("OUTCOME", "年度成效", "periodFrom", today, "periodTo", "2029-08-31",
                "outcome", "全年核验 3.2 万人次")).then().statusCode(201).body("periodFrom", equalTo(today))
                .body("periodTo", equalTo("2029-08-31")).body("outcome", equalTo("全年核验 3.2 万人次"));
        post(consumer, grant, record("DESTRUCTION", "销毁本地副本", "method", "删除并覆写", "destroyedOn",
                LocalDate.now(TimeSource.ZONE).toString())).then().statusCode(201).body("method", equalTo("删除并覆写"));
        assertEquals(2, count("SELECT count(*) FROM usage_log WHERE grant_id = " + grant
                + " AND operation IN ('USAGE_RECORD_OUTCOME', 'USAGE_RECORD_DESTRUCTION') AND outcome = 'RECORDED'"));
    }

    /**
     * A record is never corrected once in the chain, so its days must be ones the grant could have been used on: a
     * destruction not before the grant began (the later of its validFrom and the day it was issued: nothing was
     * delivered before either), an outcome period within the grant's life (from its beginning to its validTo, or the
     * day it ended if earlier). Anything else is 400 naming the field, and nothing is written.
     */
    @Test
    void aDestructionBeforeTheGrantBeganIsRefusedAndNothingWritten() throws SQLException {
        String dept = "11330000MB00000631";
        String consumer = operator(dept);
        // valid from 1 September (the filing's periodFrom), issued today
        long grant = grant("330000-01-02/901231", dept);
        LocalDate today = LocalDate.now(TimeSource.ZONE);

        ValidatableResponse refused = post(consumer, grant, record("DESTRUCTION", "销毁本地副本", "method", "删除并覆写",
                "destroyedOn", "2020-01-05")).then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", equalTo(List.of("destroyedOn"))).body("requestId", notNullValue());
        assertTrue(refused.extract().path("errors[0].message").toString().contains(today.toString()),
                refused.extract().asString());
        // within its validity but before it was issued: nothing had been delivered to destroy
        bad(consumer, grant, record("DESTRUCTION", "销毁本地副本", "method", "删除并覆写", "destroyedOn",
                today.minusDays(1).toString()), "destroyedOn");
        bad(consumer, grant, record("OUTCOME", "年度成效", "periodFrom", "1900-01-01", "periodTo", today.toString(),
                "outcome", "成效"), "periodFrom");
        bad(consumer, grant, record("OUTCOME", "年度成效", "periodFrom", today.toString(), "periodTo", "2029-09-01",
                "outcome", "成效"), "periodTo");
        assertEquals(0, count("SELECT count(*) FROM usage_record WHERE grant_id = " + grant));
        assertEquals(0, count("SELECT count(*) FROM usage_log WHERE grant_id = " + grant
                + " AND operation LIKE 'USAGE_RECORD_%'"));

        post(consumer, grant, record("DESTRUCTION", "销毁本地副本", "method", "删除并覆写", "destroyedOn",
                today.toString())).then().statusCode(201).body("destroyedOn", equalTo(today.toString()));
        post(consumer, grant, record("OUTCOME", "全期成效", "periodFrom", today.toString(), "periodTo", "2029-08-31",
                "outcome", "核验 10 人次")).then().statusCode(201);
    }

    @Test
    void anOutcomePeriodLiesInTheGrantsLife() throws SQLException {
        String dept = "11330000MB00000632";
        String consumer = operator(dept);
        // issued on 28 September for 1 September to 31 October; another one for a year, terminated on 10 October
        RequestWithdrawAndExtensionTest.at(2026, 9, 28, time);
        String code = "330000-01-02/901232";
        DeliveryTest.freshEntry(replica, code, "UNCONDITIONAL");
        Map<String, Object> body = RequestWorkflowTest.body(code, List.of("GMSFHM", "XM"));
        body.put("periodFrom", "2026-09-01");
        body.put("periodTo", "2026-10-31");
        long expiring = DeliveryTest.fileGranted(consumer, body);
        String other = "11330000MB00000633";
        body.put("periodTo", "2027-09-30");
        long terminated = DeliveryTest.fileGranted(operator(other), body);
        RequestWithdrawAndExtensionTest.at(2026, 10, 10, time);
        DeliveryTest.governGrant(reviewer(), terminated, "terminate", 0, "违规使用，终止授权").then().statusCode(200);
        RequestWithdrawAndExtensionTest.at(2026, 11, 16, time);

        bad(consumer, expiring, record("OUTCOME", "成效", "periodFrom", "2026-09-01", "periodTo", "2026-10-31",
                "outcome", "核验 800 人次"), "periodFrom");
        bad(consumer, expiring, record("OUTCOME", "成效", "periodFrom", "2026-09-28", "periodTo", "2026-11-15",
                "outcome", "核验 800 人次"), "periodTo");
        bad(operator(other), terminated, record("OUTCOME", "成效", "periodFrom", "2026-09-28", "periodTo",
                "2026-10-11", "outcome", "核验 80 人次"), "periodTo");
        bad(consumer, expiring, record("DESTRUCTION", "销毁", "method", "粉碎", "destroyedOn", "2026-09-27"),
                "destroyedOn");
        assertEquals(0, count("SELECT count(*) FROM usage_record WHERE grant_id IN (" + expiring + ", " + terminated
                + ")"));

        post(consumer, expiring, record("OUTCOME", "成效", "periodFrom", "2026-09-28", "periodTo", "2026-10-31",
                "outcome", "核验 800 人次")).then().statusCode(201);
        post(operator(other), terminated, record("OUTCOME", "成效", "periodFrom", "2026-09-28", "periodTo",
                "2026-10-10", "outcome", "核验 80 人次")).then().statusCode(201);
        post(consumer, expiring, record("DESTRUCTION", "销毁", "method", "粉碎", "destroyedOn", "2026-11-02")).then()
                .statusCode(201);
    }

    @Test
    void aRecordersNameLongerThanTheColumnIsCutNotA500() {
        // usage_record.recorded_by_name holds 200 characters; the token's name is shown, cut to them
        String dept = "11330000MB00000619";
        long grant = grant("330000-01-02/901219", dept);
        String name = "长".repeat(150) + "𠀀".repeat(100);
        post(ActorNameTest.named(dept, "name", name, "operator"), grant, record("SCENARIO", "说明")).then()
                .statusCode(201).body("recordedByName", equalTo(name.substring(0, name.offsetByCodePoints(0, 200))));
    }

    private static void bad(String token, long grant, Map<String, Object> body, String... fields) {
        post(token, grant, body).then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("urn:onenet:problem:validation"))
                .body("errors.field", containsInAnyOrder((Object[]) fields));
    }

    @Test
    void theTableRefusesChangesAndDeletionsWithinTheRetentionPeriod() throws Exception {
        String dept = "11330000MB00000604";
        long grant = grant("330000-01-02/901203", dept);
        long id = post(operator(dept), grant, record("PROCESSING", "与低保对象名单比对")).then().statusCode(201)
                .extract().jsonPath().getLong("id");

        for (String sql : List.of("UPDATE usage_record SET description = '改过的说明' WHERE id = " + id,
                "UPDATE usage_record SET created_at = created_at - INTERVAL '5 years' WHERE id = " + id,
                "DELETE FROM usage_record WHERE id = " + id, "TRUNCATE usage_record")) {
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                SQLException refused = assertThrows(SQLException.class, () -> s.executeUpdate(sql), sql);
                assertTrue(refused.getMessage().contains("append-only") || refused.getMessage().contains("kept until")
                        || refused.getMessage().contains("retention period"), refused.getMessage());
            }
        }
        list(operator(dept), grant, "").statusCode(200).body("description", equalTo(List.of("与低保对象名单比对")))
                .body("intact", equalTo(List.of(true)));

        // a row cannot be written old: created_at is the database's clock whatever the insert says
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate(copy(id, "4 years"));
            assertThrows(SQLException.class, () -> s.executeUpdate(
                    "DELETE FROM usage_record WHERE grant_id = " + grant + " AND id <> " + id));
            // past the retention period a record may go: one written 3 years and a day ago (the stamp turned off)
            UsageLogTest.tamper(dataSource, "usage_record", "usage_record_created_now", copy(id, "3 years 1 day"));
            assertEquals(1, s.executeUpdate("DELETE FROM usage_record WHERE grant_id = " + grant
                    + " AND created_at < now() - INTERVAL '3 years'"));
        }
        assertEquals(2, count("SELECT count(*) FROM usage_record WHERE grant_id = " + grant));
    }

    @Test
    void eachRecordIsInTheUsageLogChainAndTamperingShows() throws Exception {
        String dept = "11330000MB00000605";
        String consumer = operator(dept);
        long grant = grant("330000-01-02/901204", dept);
        var created = post(consumer, grant, record("STORAGE", "核验结果存入救助审核库", "location", "省政务云 民政专区"))
                .then().statusCode(201).extract().jsonPath();
        long id = created.getLong("id");
        long seq = created.getLong("usageLogSeq");
        String digest = created.getString("digest");

        // the entry: under the grant, naming the record and its digest, in a valid chain
        given().auth().oauth2(auditor()).get(UsageLogTest.LOG + "?after=" + (seq - 1) + "&limit=1").then()
                .statusCode(200).body("[0].seq", equalTo((int) seq)).body("[0].grantId", equalTo((int) grant))
                .body("[0].operation", equalTo("USAGE_RECORD_STORAGE")).body("[0].outcome", equalTo("RECORDED"))
                .body("[0].requestId", equalTo("usage-record:" + id + ":" + digest));
        verify().body("valid", equalTo(true));

        // the record altered behind the guard: it no longer fits its digest and entry
        tamperRecord("UPDATE usage_record SET location = '境外云存储' WHERE id = " + id);
        try {
            list(consumer, grant, "").body("intact", equalTo(List.of(false)));
            // its digest recomputed too: the chain's entry still names the old one
            tamperRecord("UPDATE usage_record SET digest = repeat('a', 64) WHERE id = " + id);
            list(consumer, grant, "").body("intact", equalTo(List.of(false)));
        } finally {
            tamperRecord("UPDATE usage_record SET location = '省政务云 民政专区', digest = '" + digest + "' WHERE id = "
                    + id);
        }
        list(consumer, grant, "").body("intact", equalTo(List.of(true)));

        // the entry altered to fit an edited record: the chain breaks there
        UsageLogTest.tamper(dataSource, "UPDATE usage_log SET request_id = 'usage-record:" + id + ":" + "b".repeat(64)
                + "' WHERE seq = " + seq);
        try {
            verify().body("valid", equalTo(false)).body("brokenEntries.seq", hasItem((int) seq));
            list(consumer, grant, "").body("intact", equalTo(List.of(false)));
        } finally {
            UsageLogTest.tamper(dataSource, "UPDATE usage_log SET request_id = 'usage-record:" + id + ":" + digest
                    + "' WHERE seq = " + seq);
        }
        verify().body("valid", equalTo(true));
        list(consumer, grant, "").body("intact", equalTo(List.of(true)));
    }

    @Test
    void aRecordDeletedBehindTheGuardShowsInTheChainCheck() throws Exception {
        String dept = "11330000MB00000607";
        String consumer = operator(dept);
        long grant = grant("330000-01-02/901206", dept);
        var created = post(consumer, grant, record("SCENARIO", "用于低保对象身份核验")).then().statusCode(201)
                .extract().jsonPath();
        long id = created.getLong("id");
        int seq = created.getInt("usageLogSeq");
        verify().body("valid", equalTo(true));

        // the chain itself is untouched: only the comparison with the records finds the loss
        tamperRecord("CREATE TABLE parked_usage_record AS SELECT * FROM usage_record WHERE id = " + id
                + "; DELETE FROM usage_record WHERE id = " + id);
        try {
            verify().body("valid", equalTo(false)).body("firstBadSeq", equalTo(seq))
                    .body("brokenEntries.find { it.seq == " + seq + " }.problem",
                            equalTo(UsageLogService.RECORD_MISSING));
        } finally {
            tamperRecord("INSERT INTO usage_record SELECT * FROM parked_usage_record; DROP TABLE parked_usage_record");
        }
        verify().body("valid", equalTo(true));
    }

    @Test
    void aRecordWhoseTransactionRollsBackIsVoidedInTheChain() throws Exception {
        String dept = "11330000MB00000608";
        long grant = grant("330000-01-02/901207", dept);
        Caller caller = new Caller("op-" + dept, "dept-app", dept, Set.of("operator"), null, null);
        assertThrows(RuntimeException.class, () -> QuarkusTransaction.requiringNew().run(() -> {
            records.add(caller, ShareGrant.findById(grant), new UsageRecordService.NewRecord("SCENARIO",
                    "事务回滚的记录", null, null, null, null, null, null, null));
            throw new IllegalStateException("the rest of the transaction failed");
        }));

        // the record's entry, then the entry saying it was not kept; no record; the chain check stays valid
        List<Map<String, Object>> last = given().auth().oauth2(auditor()).get(UsageLogTest.LOG + "?order=desc&limit=2")
                .then().statusCode(200).extract().jsonPath().getList("$");
        assertEquals(UsageRecordService.VOID_OPERATION, last.get(0).get("operation"));
        assertEquals("USAGE_RECORD_SCENARIO", last.get(1).get("operation"));
        String recordRef = (String) last.get(1).get("requestId");
        long id = Long.parseLong(recordRef.split(":")[1]);
        assertEquals(UsageRecordService.VOID_REFERENCE + id, last.get(0).get("requestId"));
        assertEquals(((Number) last.get(0).get("grantId")).longValue(), grant);
        assertEquals(0, count("SELECT count(*) FROM usage_record WHERE id = " + id));
        list(operator(dept), grant, "").body("$", org.hamcrest.Matchers.empty());
        verify().body("valid", equalTo(true));

        // the same loss without the void entry (e.g. a crash before it was written) is reported
        UsageLogTest.tamper(dataSource, "UPDATE usage_log SET operation = 'USAGE_RECORD_VOIDED' WHERE seq = "
                + last.get(0).get("seq"));
        try {
            verify().body("valid", equalTo(false)).body("brokenEntries.problem", hasItem(UsageLogService.RECORD_MISSING));
        } finally {
            UsageLogTest.tamper(dataSource, "UPDATE usage_log SET operation = '" + UsageRecordService.VOID_OPERATION
                    + "' WHERE seq = " + last.get(0).get("seq"));
        }
        verify().body("valid", equalTo(true));
    }

    /** Inserts a copy of record {@code id} under a new id, saying it was created {@code age} ago. */
    private static String copy(long id, String age) {
        return "INSERT INTO usage_record SELECT nextval('usage_record_id_seq'), grant_id, kind, description, location, "
                + "safeguards, period_from, period_to, outcome, method, destroyed_on, recorded_by, recorded_by_name, "
                + "client_id, department_code, automatic, recorded_at, digest, usage_log_seq, now() - INTERVAL '" + age
                + "' FROM usage_record WHERE id = " + id;
    }

    private void tamperRecord(String sql) throws Exception {
        UsageLogTest.tamper(dataSource, "usage_record", "usage_record_kept", sql);
    }

    private static ValidatableResponse verify() {
        return given().auth().oauth2(auditor()).get(UsageLogTest.LOG + "/verify").then().statusCode(200);
    }

    @Test
    void recordsGoOnAfterTheEndAndTheDisposalConfirmationLeavesADestructionRecord() {
        String dept = "11330000MB00000606";
        String consumer = operator(dept);
        long grant = grant("330000-01-02/901205", dept);
        DeliveryTest.governGrant(reviewer(), grant, "suspend", 0, "核查调用情况").then().statusCode(200);
        post(consumer, grant, record("PROCESSING", "暂停期间未再调用，仅核对既有结果")).then().statusCode(201);
        DeliveryTest.governGrant(reviewer(), grant, "terminate", 1, "违规使用，终止授权").then().statusCode(200);
        post(consumer, grant, record("OUTCOME", "终止前应用成效", "periodFrom", LocalDate.now(TimeSource.ZONE).toString(),
                "periodTo", LocalDate.now(TimeSource.ZONE).toString(), "outcome", "核验 800 人次")).then().statusCode(201);
        given().auth().oauth2(consumer).get(path(grant) + "/summary").then().statusCode(200)
                .body("outcomeDueAt", nullValue()).body("outcomeOverdue", equalTo(false));

        given().auth().oauth2(consumer).contentType(ContentType.JSON)
                .body(Map.of("version", 2, "reason", "已删除本地副本并留存销毁记录"))
                .post("/api/exchange/v1/grants/" + grant + "/disposal").then().statusCode(200)
                .body("disposalConfirmedAt", notNullValue());
        list(operator(PROVIDER), grant, "?kind=DESTRUCTION").statusCode(200).header(GrantResource.TOTAL_COUNT, "1")
                .body("[0].description", equalTo("已删除本地副本并留存销毁记录")).body("[0].automatic", equalTo(true))
                .body("[0].destroyedOn", equalTo(LocalDate.now(TimeSource.ZONE).toString()))
                .body("[0].recordedBy", equalTo("op-" + dept)).body("[0].intact", equalTo(true));
        list(reviewer(), grant, "").statusCode(200).header(GrantResource.TOTAL_COUNT, "3")
                .body("kind", hasItems("PROCESSING", "OUTCOME", "DESTRUCTION"));
    }

    @Test
    void anUnconfirmedDisposalIsEscalatedAfterItsDeadline() {
        String dept = "11330000MB00000566";
        String consumer = operator(dept);
        RequestWithdrawAndExtensionTest.at(2026, 12, 7, time);
        long grant = GrantDisposalTest.approved(replica, "330000-01-02/905606", consumer,
                GrantDisposalTest.requirement("RETURN", "交回全部导出文件介质，不得留存副本"));
        GrantDisposalTest.terminate(operator(PROVIDER), grant, 0, null).then().statusCode(200);
        LocalDate due = calendar.calendar().addWorkingDays(LocalDate.of(2026, 12, 7), 10);
        given().auth().oauth2(consumer).get("/api/exchange/v1/grants/" + grant).then().statusCode(200)
                .body("disposalDue", equalTo(due.toString())).body("disposalOverdue", equalTo(false))
                .body("disposalRequirement.method", equalTo("RETURN"));

        // reminded once when the due day is near
        LocalDate soon = due.minusDays(5);
        RequestWithdrawAndExtensionTest.at(soon.getYear(), soon.getMonthValue(), soon.getDayOfMonth(), time);
        disposals.run();
        disposals.run();
        assertEquals(1, DeliveryDeadlineTest.notices(dept, DisposalDeadlines.DUE_SOON, grant));
        // on the due day itself nothing is escalated
        RequestWithdrawAndExtensionTest.at(due.getYear(), due.getMonthValue(), due.getDayOfMonth(), time);
        disposals.run();
        assertEquals(0, DeliveryDeadlineTest.notices(DemoData.AUTHORITY, DisposalDeadlines.OVERDUE, grant));

        // the day after: the consumer, the provider and the region's 主管部门 are told, once
        LocalDate after = due.plusDays(1);
        RequestWithdrawAndExtensionTest.at(after.getYear(), after.getMonthValue(), after.getDayOfMonth(), time);
        disposals.run();
        disposals.run();
        assertEquals(1, DeliveryDeadlineTest.notices(DemoData.AUTHORITY, DisposalDeadlines.OVERDUE, grant));
        assertEquals(1, DeliveryDeadlineTest.notices(PROVIDER, DisposalDeadlines.OVERDUE, grant));
        assertEquals(1, DeliveryDeadlineTest.notices(dept, DisposalDeadlines.OVERDUE, grant));
        // the reviewers see it overdue, in the grant and in their list
        given().auth().oauth2(reviewer()).get("/api/exchange/v1/grants/" + grant).then().statusCode(200)
                .body("disposalOverdue", equalTo(true)).body("disposalEscalated", equalTo(true));
        given().auth().oauth2(reviewer()).get("/api/exchange/v1/grants?disposalOverdue=true&size=200").then()
                .statusCode(200).body("id", hasItem((int) grant));
        given().auth().oauth2(reviewer()).get("/api/exchange/v1/grants/" + grant + "/history").then()
                .body("find { it.action == 'ESCALATE_DISPOSAL_OVERDUE' }.details.disposalDue",
                        equalTo(due.toString()))
                .body("find { it.action == 'ESCALATE_DISPOSAL_OVERDUE' }.automatic", equalTo(true));

        // confirmed late: the DESTRUCTION record names the provider's method, the history says late
        given().auth().oauth2(consumer).contentType(ContentType.JSON)
                .body(Map.of("version", GrantDisposalTest.version(consumer, grant), "reason", "已交回全部介质"))
                .post("/api/exchange/v1/grants/" + grant + "/disposal").then().statusCode(200)
                .body("disposalOverdue", equalTo(false));
        list(operator(PROVIDER), grant, "?kind=DESTRUCTION").statusCode(200)
                .body("[0].method", equalTo("退回提供部门"));
        given().auth().oauth2(reviewer()).get("/api/exchange/v1/grants/" + grant + "/history").then()
                .body("find { it.action == 'CONFIRM_DISPOSAL' }.details.late", equalTo(true));
        given().auth().oauth2(reviewer()).get("/api/exchange/v1/grants?disposalOverdue=true&size=200").then()
                .statusCode(200).body("id", not(hasItem((int) grant)));
        assertEquals(1, DeliveryDeadlineTest.notices(DemoData.AUTHORITY, "DISPOSAL_CONFIRMED", grant));
    }

    @Test
    void aDisposalReasonTooLongIsRefusedBeforeAnythingIsWritten() throws Exception {
        String dept = "11330000MB00000611";
        String consumer = operator(dept);
        long grant = grant("330000-01-02/901208", dept);
        DeliveryTest.governGrant(reviewer(), grant, "terminate", 0, "违规使用，终止授权").then().statusCode(200);
        long entries = count("SELECT count(*) FROM usage_log WHERE grant_id = " + grant);
        long history = count("SELECT count(*) FROM state_change WHERE object_type = 'GRANT' AND object_id = " + grant);

        given().auth().oauth2(consumer).contentType(ContentType.JSON)
                .body(Map.of("version", 1, "reason", "销".repeat(4001)))
                .post("/api/exchange/v1/grants/" + grant + "/disposal").then().statusCode(400)
                .contentType("application/problem+json").body("errors.field", hasItem("reason"));
        // nothing changed: no record, no usage-log entry (neither the record's nor a void one), no history, no
        // confirmation
        assertEquals(0, count("SELECT count(*) FROM usage_record WHERE grant_id = " + grant));
        assertEquals(entries, count("SELECT count(*) FROM usage_log WHERE grant_id = " + grant));
        assertEquals(history, count("SELECT count(*) FROM state_change WHERE object_type = 'GRANT' AND object_id = "
                + grant));
        given().auth().oauth2(consumer).get("/api/exchange/v1/grants/" + grant).then().statusCode(200)
                .body("disposalConfirmedAt", nullValue()).body("version", equalTo(1));

        // a reason of 4000 characters is kept as the record's description
        given().auth().oauth2(consumer).contentType(ContentType.JSON)
                .body(Map.of("version", 1, "reason", "销".repeat(4000)))
                .post("/api/exchange/v1/grants/" + grant + "/disposal").then().statusCode(200)
                .body("disposalConfirmedAt", notNullValue());
        list(consumer, grant, "?kind=DESTRUCTION").statusCode(200).header(GrantResource.TOTAL_COUNT, "1")
                .body("[0].intact", equalTo(true));
    }

    @Test
    void aGrantActionsReasonTooLongIsRefused() {
        String dept = "11330000MB00000612";
        long grant = grant("330000-01-02/901209", dept);
        DeliveryTest.governGrant(reviewer(), grant, "suspend", 0, "核".repeat(4001)).then().statusCode(400)
                .contentType("application/problem+json").body("errors.field", hasItem("reason"));
        given().auth().oauth2(operator(dept)).get("/api/exchange/v1/grants/" + grant).then().statusCode(200)
                .body("status", equalTo("ACTIVE")).body("version", equalTo(0));
    }

    @Test
    void anOutcomeStatementOverdueIsShownAndNoticedOncePerInterval() {
        String dept = "11330000MB00000607";
        String consumer = operator(dept);
        RequestWithdrawAndExtensionTest.at(2026, 9, 28, time);
        long grant = grant("330000-01-02/901206", dept);

        RequestWithdrawAndExtensionTest.at(2027, 9, 27, time);
        summary(consumer, grant).body("outcomeOverdue", equalTo(false))
                .body("outcomeDueAt", equalTo("2027-09-28T02:00:00Z"));
        records.remindOverdueOutcomes();
        assertEquals(0, overdueNotices(dept, grant));

        // a year after the grant was issued, without an outcome statement: overdue, told once
        RequestWithdrawAndExtensionTest.at(2027, 9, 29, time);
        summary(consumer, grant).body("outcomeOverdue", equalTo(true));
        summary(reviewer(), grant).body("outcomeOverdue", equalTo(true));
        records.remindOverdueOutcomes();
        records.remindOverdueOutcomes();
        assertEquals(1, overdueNotices(dept, grant));

        // a statement: due again a year on
        post(consumer, grant, record("OUTCOME", "首年应用成效", "periodFrom", "2026-09-28", "periodTo", "2027-09-28",
                "outcome", "核验 1.1 万人次")).then().statusCode(201);
        summary(consumer, grant).body("outcomeOverdue", equalTo(false))
                .body("outcomeDueAt", equalTo("2028-09-29T02:00:00Z"))
                .body("lastRecordedAt.OUTCOME", equalTo("2027-09-29T02:00:00Z"));
        records.remindOverdueOutcomes();
        assertEquals(1, overdueNotices(dept, grant));

        // overdue again, told again once; and once more for each further interval without a statement
        RequestWithdrawAndExtensionTest.at(2028, 9, 30, time);
        summary(consumer, grant).body("outcomeOverdue", equalTo(true));
        records.remindOverdueOutcomes();
        records.remindOverdueOutcomes();
        assertEquals(2, overdueNotices(dept, grant));
        RequestWithdrawAndExtensionTest.at(2029, 10, 1, time);
        records.remindOverdueOutcomes();
        assertEquals(3, overdueNotices(dept, grant));
        // only the consumer is told
        assertEquals(0, overdueNotices(PROVIDER, grant) + overdueNotices(DemoData.AUTHORITY, grant));
    }

    private static ValidatableResponse summary(String token, long grant) {
        return given().auth().oauth2(token).get(path(grant) + "/summary").then().statusCode(200);
    }

    private static long overdueNotices(String department, long grant) {
        return DeliveryDeadlineTest.notices(department, UsageRecordService.OUTCOME_OVERDUE, grant);
    }
}
