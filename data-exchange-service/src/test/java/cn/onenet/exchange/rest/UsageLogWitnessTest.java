package cn.onenet.exchange.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import cn.onenet.exchange.ExchangeTestBase;
import cn.onenet.exchange.FakeDepartmentRegister;
import cn.onenet.exchange.WebhookReceiver;
import cn.onenet.exchange.WebhookReceiver.Hit;
import cn.onenet.exchange.WebhookReceiver.Reply;
import cn.onenet.exchange.service.DemoData;
import cn.onenet.exchange.service.DepartmentRegister;
import cn.onenet.exchange.service.SealService;
import cn.onenet.exchange.service.TimeSource;
import cn.onenet.exchange.service.UsageLogWitnessService;
import cn.onenet.exchange.service.WebhookDispatcher;
import cn.onenet.testsupport.TestTokens;
import cn.onenet.usagelog.verifier.UsageLogVerifier;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * Witnesses of the usage log (test settings: drained every 0.1 s, back-off base 100 ms, 4 attempts) against real HTTP
 * receivers on 127.0.0.1.
 */
@QuarkusTest
class UsageLogWitnessTest extends ExchangeTestBase {

    static final String LOG = UsageLogTest.LOG;
    static final String WITNESSES = LOG + "/witnesses/";
    static final String RSJ = DemoData.HUMAN_RESOURCES;
    static final String MZT = DemoData.CIVIL_AFFAIRS;
    /** One witness department per test, as receipts outlive registrations. */
    static final String SCJGJ = DemoData.MARKET;
    static final String YJT = DemoData.EMERGENCY;
    static final String GAT = DemoData.POLICE;
    static final String GJJ = DemoData.HOUSING_FUND;
    static final String BDC = DemoData.REAL_ESTATE;
    static final List<String> CODES = List.of(RSJ, MZT, SCJGJ, YJT, GAT, GJJ, BDC);
    static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    AgroalDataSource dataSource;
    @Inject
    DepartmentRegister register;
    @Inject
    SealService seals;
    @Inject
    cn.onenet.exchange.service.UsageLogExport usageLogExport;

    final List<WebhookReceiver> receivers = new ArrayList<>();

    @BeforeEach
    void witnessDepartmentsInTheRegister() {
        List<Map<String, Object>> departments = new ArrayList<>(FakeDepartmentRegister.provinceOnly());
        departments.add(FakeDepartmentRegister.department(RSJ, "浙江省人力资源和社会保障厅", "330000", false));
        departments.add(FakeDepartmentRegister.department(MZT, "浙江省民政厅", "330000", false));
        departments.add(FakeDepartmentRegister.department(SCJGJ, "浙江省市场监督管理局", "330000", false));
        departments.add(FakeDepartmentRegister.department(YJT, "浙江省应急管理厅", "330000", false));
        departments.add(FakeDepartmentRegister.department(GAT, "浙江省公安厅", "330000", false));
        departments.add(FakeDepartmentRegister.department(GJJ, "浙江省住房公积金管理中心", "330000", false));
        departments.add(FakeDepartmentRegister.department(BDC, "浙江省不动产登记中心", "330000", false));
        FakeDepartmentRegister.set(departments);
        assertEquals(8, register.refresh());
    }

    @AfterEach
    void noWitnessLeft() throws Exception {
        for (String code : CODES) {
            given().auth().oauth2(admin()).delete(WITNESSES + code);
        }
        for (WebhookReceiver r : receivers) {
            r.close();
        }
        FakeDepartmentRegister.set(FakeDepartmentRegister.provinceOnly());
        register.refresh();
    }

    WebhookReceiver receiver(java.util.function.IntFunction<Reply> script) throws Exception {
        WebhookReceiver r = new WebhookReceiver(script);
        receivers.add(r);
        return r;
    }

    static Response put(String token, String code, Object body) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(body).put(WITNESSES + code);
    }

    /** Signs a checkpoint of a new head (one lookup first); its id and lastSeq. */
    static long[] newCheckpoint() {
        UsageLogTest.lookups(1, "witness-");
        io.restassured.path.json.JsonPath cp = UsageLogTest.signCheckpoint(auditor()).statusCode(200).extract()
                .jsonPath();
        return new long[] { cp.getLong("id"), cp.getLong("lastSeq") };
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> body(Hit h) throws Exception {
        return JSON.readValue(h.body(), Map.class);
    }

    static long checkpointId(Hit h) throws Exception {
        return ((Number) body(h).get("checkpointId")).longValue();
    }

    /** Waits (at most 15 s) until the condition holds. */
    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("not reached: " + what);
            }
            Thread.sleep(50);
        }
    }

    /** Waits until the receiver got checkpoint {@code id}; every request it got so far. */
    static List<Hit> awaitCheckpoint(WebhookReceiver r, long id) throws InterruptedException {
        await("checkpoint " + id + " received", () -> r.hits().stream().anyMatch(h -> {
            try {
                return checkpointId(h) == id && h.answered() / 100 == 2;
            } catch (Exception e) {
                return false;
            }
        }));
        return r.hits();
    }

    static Map<String, Object> witness(String code) {
        List<Map<String, Object>> all = given().auth().oauth2(auditor()).get(LOG + "/witnesses").then()
                .statusCode(200).extract().jsonPath().getList("");
        return all.stream().filter(w -> code.equals(w.get("departmentCode"))).findFirst().orElse(null);
    }

    static List<Map<String, Object>> receipts(String code) {
        return given().auth().oauth2(auditor()).get(WITNESSES + code + "/receipts?size=200").then().statusCode(200)
                .extract().jsonPath().getList("receipts");
    }

    static Map<String, Object> listedCheckpoint(long id) {
        List<Map<String, Object>> page = given().auth().oauth2(auditor()).get(LOG + "/checkpoints?size=200").then()
                .statusCode(200).extract().jsonPath().getList("checkpoints");
        return page.stream().filter(c -> ((Number) c.get("id")).longValue() == id).findFirst().orElseThrow();
    }

    @Test
    void eachNewCheckpointReachesTheWitnessInOrderSealedAndItsReceiptIsKept() throws Exception {
        WebhookReceiver r = receiver(n -> Reply.json("{\"receipt\": \"rsj-" + n + "\"}"));
        long[] before = newCheckpoint();
        put(admin(), RSJ, Map.of("url", r.url())).then().statusCode(201).body("departmentCode", equalTo(RSJ))
                .body("status", equalTo("ACTIVE")).body("registeredBy", equalTo("admin-1"));
        long[] first = newCheckpoint();
        long[] second = newCheckpoint();
        List<Hit> hits = awaitCheckpoint(r, second[0]);

        // the latest checkpoint at registration first, then each new one, in order, each once
        List<Long> ids = new ArrayList<>();
        for (Hit h : hits) {
            ids.add(checkpointId(h));
        }
        assertEquals(List.of(before[0], first[0], second[0]), ids);
        Hit h = hits.get(1);
        Map<String, Object> pushed = body(h);
        assertEquals("onenet-usage-log-witness/1", pushed.get("format"));
        assertEquals(first[1], ((Number) pushed.get("lastSeq")).longValue());
        Map<String, Object> listed = listedCheckpoint(first[0]);
        for (String field : List.of("lastHash", "createdAt", "kid", "signature")) {
            assertEquals(listed.get(field), pushed.get(field), field);
        }
        assertEquals(listed.get("checkpointPayload"), pushed.get("payload"));
        // the POST is sealed by the 主管部门 over the exact body, naming the witness
        String seal = h.header(WebhookDispatcher.SEAL_HEADER);
        assertTrue(seals.verify(seal, h.body()).valid(), seal);
        assertEquals(DemoData.AUTHORITY, seals.verify(seal, h.body()).department());
        Map<?, ?> header = JSON.readValue(java.util.Base64.getUrlDecoder().decode(seal.split("\\.")[0]), Map.class);
        assertEquals(RSJ, header.get("witness"));
        assertEquals(h.header(WebhookDispatcher.DELIVERY_HEADER), header.get("delivery"));

        await("three receipts", () -> receipts(RSJ).size() == 3);
        List<Map<String, Object>> receipts = receipts(RSJ);
        assertEquals(((Number) receipts.get(0).get("checkpointId")).longValue(), second[0]);
        assertEquals(second[1], ((Number) receipts.get(0).get("lastSeq")).longValue());
        assertEquals("rsj-3", receipts.get(0).get("receipt"));
        assertEquals("rsj-1", receipts.get(2).get("receipt"));
        assertEquals(1, ((Number) listedCheckpoint(second[0]).get("witnessAcknowledgements")).intValue());
        Map<String, Object> w = witness(RSJ);
        assertEquals(3, ((Number) w.get("acknowledged")).intValue());
        assertEquals(0, ((Number) w.get("pending")).intValue());
        assertEquals(second[1], ((Number) w.get("lastAcknowledgedSeq")).longValue());

        // a second witness acknowledges too: the list counts both
        WebhookReceiver other = receiver(n -> Reply.of(204));
        put(admin(), MZT, Map.of("url", other.url())).then().statusCode(201);
        long[] third = newCheckpoint();
        awaitCheckpoint(other, third[0]);
        awaitCheckpoint(r, third[0]);
        await("both acknowledged", () -> ((Number) listedCheckpoint(third[0]).get("witnessAcknowledgements"))
                .intValue() == 2);
        // an empty answer is an acknowledgement without receipt
        assertEquals(null, receipts(MZT).get(0).get("receipt"));

        // removed: nothing more is sent, its receipts stay readable
        given().auth().oauth2(admin()).delete(WITNESSES + RSJ).then().statusCode(204);
        int got = r.hits().size();
        long[] fourth = newCheckpoint();
        awaitCheckpoint(other, fourth[0]);
        assertEquals(got, r.hits().size());
        assertEquals(4, receipts(RSJ).size());
        assertEquals(null, witness(RSJ));
    }

    @Test
    void aWitnessThatWasDownGetsTheHeldCheckpointsInOrderOnceItIsBack() throws Exception {
        // the first two attempts meet a witness answering 503: retried with back-off, then acknowledged
        WebhookReceiver r = receiver(n -> n <= 2 ? Reply.of(503) : Reply.json("{\"receipt\": \"ok\"}"));
        long[] zero = newCheckpoint();
        put(admin(), SCJGJ, Map.of("url", r.url())).then().statusCode(201);
        List<Hit> hits = awaitCheckpoint(r, zero[0]);
        assertEquals(List.of(503, 503, 200), hits.stream().map(Hit::answered).toList());
        for (Hit h : hits) {
            assertEquals(zero[0], checkpointId(h));
        }
        long[] first = newCheckpoint();
        awaitCheckpoint(r, first[0]);
        await("acknowledged", () -> receipts(SCJGJ).size() == 2);

        // down for longer than the attempts allow: given up, FAILING, the next checkpoint held behind it
        r.script(n -> Reply.of(503));
        long[] second = newCheckpoint();
        await("failing", () -> "FAILING".equals(witness(SCJGJ).get("status")));
        // the witness department and the 主管部门 are told, once
        given().auth().oauth2(operator(SCJGJ)).get("/api/exchange/v1/notices").then().statusCode(200)
                .body("findAll { it.kind == 'WITNESS_FAILING' }.size()", equalTo(1));
        given().auth().oauth2(reviewer()).get("/api/exchange/v1/notices").then().statusCode(200)
                .body("kind", hasItem("WITNESS_FAILING"));
        long[] third = newCheckpoint();
        Map<String, Object> w = witness(SCJGJ);
        assertEquals("HTTP_503", w.get("lastError"));
        assertEquals(2, ((Number) w.get("pending")).intValue());
        int sent = r.hits().size();
        Thread.sleep(300); // a FAILING witness is not tried
        assertEquals(sent, r.hits().size());

        // back up, registered again: the held checkpoints arrive in order
        r.script(n -> Reply.json("{\"receipt\": \"back-" + n + "\"}"));
        put(admin(), SCJGJ, Map.of("url", r.url())).then().statusCode(200).body("status", equalTo("ACTIVE"));
        hits = awaitCheckpoint(r, third[0]);
        List<Long> acknowledgedOrder = new ArrayList<>();
        for (Hit h : hits) {
            if (h.answered() == 200) {
                acknowledgedOrder.add(checkpointId(h));
            }
        }
        assertEquals(List.of(zero[0], first[0], second[0], third[0]), acknowledgedOrder);
        await("all acknowledged", () -> receipts(SCJGJ).size() == 4);
        assertEquals("ACTIVE", witness(SCJGJ).get("status"));
        assertEquals(0, ((Number) witness(SCJGJ).get("pending")).intValue());
    }

    @Test
    void onlyAdminsRegisterAndRemoveAdminsAndAuditorsRead() throws Exception {
        WebhookReceiver r = receiver(n -> Reply.of(200));
        Map<String, Object> body = Map.of("url", r.url());
        String reviewer = reviewer();
        for (String token : List.of(auditor(), reviewer, operator(YJT), system(YJT))) {
            put(token, YJT, body).then().statusCode(403);
        }
        given().contentType(ContentType.JSON).body(body).put(WITNESSES + YJT).then().statusCode(401);
        put(admin(), YJT, body).then().statusCode(201);
        put(admin(), YJT, body).then().statusCode(200);

        for (String token : List.of(admin(), auditor())) {
            given().auth().oauth2(token).get(LOG + "/witnesses").then().statusCode(200)
                    .body("departmentCode", hasItem(YJT));
            given().auth().oauth2(token).get(WITNESSES + YJT + "/receipts").then().statusCode(200)
                    .body("total", equalTo(0));
        }
        for (String token : List.of(reviewer, operator(YJT), system(YJT))) {
            given().auth().oauth2(token).get(LOG + "/witnesses").then().statusCode(403);
            given().auth().oauth2(token).get(WITNESSES + YJT + "/receipts").then().statusCode(403);
            given().auth().oauth2(token).delete(WITNESSES + YJT).then().statusCode(403);
        }
        given().get(LOG + "/witnesses").then().statusCode(401);
        given().auth().oauth2(auditor()).delete(WITNESSES + YJT).then().statusCode(403);
        given().auth().oauth2(admin()).delete(WITNESSES + YJT).then().statusCode(204);
        given().auth().oauth2(admin()).delete(WITNESSES + YJT).then().statusCode(404);
        // never acknowledged anything and no longer registered
        given().auth().oauth2(auditor()).get(WITNESSES + YJT + "/receipts").then().statusCode(404);
    }

    @Test
    void badInputIsA400NamingTheField() throws Exception {
        WebhookReceiver r = receiver(n -> Reply.of(200));
        put(admin(), GJJ, Map.of("url", "http://audit.rsj.example.org/witness")).then().statusCode(400)
                .contentType("application/problem+json").body("field", equalTo("url"))
                .body("detail", equalTo("须为 https 地址 / must be an https URL"));
        put(admin(), GJJ, Map.of("url", "https://10.20.30.40/witness")).then().statusCode(400)
                .body("field", equalTo("url"));
        put(admin(), GJJ, Map.of("url", "not a url")).then().statusCode(400).body("field", equalTo("url"));
        put(admin(), GJJ, Map.of()).then().statusCode(400).body("field", equalTo("url"));
        given().auth().oauth2(admin()).contentType(ContentType.JSON).put(WITNESSES + GJJ).then().statusCode(400)
                .body("field", equalTo("url"));
        // not a 统一社会信用代码, or one the department register does not hold
        put(admin(), "12345", Map.of("url", r.url())).then().statusCode(400).body("field", equalTo("departmentCode"));
        put(admin(), "11330000002489999X", Map.of("url", r.url())).then().statusCode(400)
                .body("field", equalTo("departmentCode"))
                .body("detail", equalTo("部门名录中没有该在用部门 / no active department with this code in the "
                        + "department register"));
        put(admin(), GJJ, Map.of("url", r.url())).then().statusCode(201);
        given().auth().oauth2(admin()).get(WITNESSES + GJJ + "/receipts?size=0").then().statusCode(400)
                .body("field", equalTo("size"));
        given().auth().oauth2(admin()).get(WITNESSES + GJJ + "/receipts?page=-1").then().statusCode(400)
                .body("field", equalTo("page"));
        assertEquals(GJJ, witness(GJJ).get("departmentCode"));
    }

    /** Exports today after the witness acknowledged the covering checkpoint; again should an entry slip between. */
    Response exportWitnessed(WebhookReceiver r) throws Exception {
        String today = LocalDate.now(TimeSource.ZONE).toString();
        for (int attempt = 0; attempt < 3; attempt++) {
            long id = UsageLogTest.signCheckpoint(auditor()).statusCode(200).extract().jsonPath().getLong("id");
            awaitCheckpoint(r, id);
            Response e = given().auth().oauth2(auditor()).get(LOG + "/export?from=" + today + "&to=" + today);
            if (e.statusCode() != 409) {
                return e;
            }
        }
        throw new AssertionError("no checkpoint covered the export three times over");
    }

    static String witnessFile(WebhookReceiver r) {
        StringBuilder s = new StringBuilder();
        for (Hit h : r.hits()) {
            if (h.answered() == 200) {
                // exactly the JSON the witness received, one record a line
                s.append(new String(h.body(), StandardCharsets.UTF_8)).append('\n');
            }
        }
        return s.toString();
    }

    static int verify(Path keys, Path export, Path witness, StringBuilder output) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int code = UsageLogVerifier.run(new String[] { "--witness", witness.toString(), keys.toString(),
                export.toString() }, new java.io.PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        output.setLength(0);
        output.append(out.toString(StandardCharsets.UTF_8));
        return code;
    }

    @Test
    void anExportAgreesWithTheWitnessUntilTheLogIsSignedAgain() throws Exception {
        WebhookReceiver r = receiver(n -> Reply.json("{\"receipt\": \"w-" + n + "\"}"));
        put(admin(), GAT, Map.of("url", r.url())).then().statusCode(201);
        UsageLogTest.lookups(2, "witness-export-");
        Path dir = Files.createTempDirectory("usage-log-witness");
        Path keys = Files.writeString(dir.resolve("keys.json"),
                given().get(LOG + "/checkpoint-keys").then().statusCode(200).extract().asString());
        Response export = exportWitnessed(r);
        export.then().statusCode(200);
        Path file = Files.writeString(dir.resolve("export.ndjson"), export.asString());
        Path witness = Files.writeString(dir.resolve("gat.ndjson"), witnessFile(r));
        StringBuilder out = new StringBuilder();
        assertEquals(0, verify(keys, file, witness, out), out.toString());
        Map<?, ?> witnessed = JSON.readValue(witnessFile(r).lines().reduce((a, b) -> b).orElseThrow(), Map.class);
        long seq = ((Number) witnessed.get("lastSeq")).longValue();
        // the latest checkpoint at registration and the one covering the export
        assertTrue(out.toString().contains("note: witness gat.ndjson: 2 witnessed checkpoints agree with the export "
                + "(seq "), out.toString());
        assertTrue(out.toString().contains(", " + seq + ")"), out.toString());

        // the operator, holding the key, drops the witnessed checkpoint from the database and signs the log anew: the
        // new export holds in itself, but not against what the witness kept
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM usage_log_checkpoint WHERE id = " + witnessed.get("checkpointId"));
        }
        Response again = given().auth().oauth2(auditor()).get(LOG + "/export?from="
                + LocalDate.now(TimeSource.ZONE) + "&to=" + LocalDate.now(TimeSource.ZONE));
        if (again.statusCode() == 409) {
            UsageLogTest.signCheckpoint(auditor()).statusCode(200);
            again = given().auth().oauth2(auditor()).get(LOG + "/export?from=" + LocalDate.now(TimeSource.ZONE)
                    + "&to=" + LocalDate.now(TimeSource.ZONE));
        }
        again.then().statusCode(200);
        Path rewritten = Files.writeString(dir.resolve("rewritten.ndjson"), again.asString());
        assertTrue(UsageLogVerifier.pinning(keys).verify(rewritten).valid(), "valid without the witness");
        assertEquals(1, verify(keys, rewritten, witness, out), out.toString());
        assertTrue(out.toString().startsWith("INVALID: witness gat.ndjson line "), out.toString());
        assertTrue(out.toString().contains("checkpoint at seq " + seq + ": "), out.toString());
    }

    @Test
    void anExportCutShortAtACheckpointOfItsPeriodContradictsTheWitness() throws Exception {
        WebhookReceiver r = receiver(n -> Reply.json("{\"receipt\": \"w-" + n + "\"}"));
        put(admin(), GAT, Map.of("url", r.url())).then().statusCode(201);
        Path dir = Files.createTempDirectory("usage-log-cut");
        Path keys = Files.writeString(dir.resolve("keys.json"),
                given().get(LOG + "/checkpoint-keys").then().statusCode(200).extract().asString());
        UsageLogTest.lookups(2, "witness-cut-");
        io.restassured.path.json.JsonPath cut = UsageLogTest.signCheckpoint(auditor()).statusCode(200).extract()
                .jsonPath();
        awaitCheckpoint(r, cut.getLong("id"));
        long cutAt = cut.getLong("lastSeq");
        UsageLogTest.lookups(2, "witness-cut-later-");
        io.restassured.path.json.JsonPath later = UsageLogTest.signCheckpoint(auditor()).statusCode(200).extract()
                .jsonPath();
        awaitCheckpoint(r, later.getLong("id"));
        // the export is planned more than a second after the later checkpoint was signed (replicas' clocks may differ
        // by less, so the verifier does not count a checkpoint signed closer to it)
        java.time.Instant signed = java.time.Instant.parse(later.getString("createdAt"));
        await("a second after the checkpoint", () -> java.time.Instant.now().isAfter(signed.plusMillis(1500)));
        Response export = exportWitnessed(r);
        export.then().statusCode(200);
        // after the export: more use, and a checkpoint the witness keeps too, of entries logged after the export
        UsageLogTest.lookups(1, "witness-cut-after-");
        awaitCheckpoint(r, UsageLogTest.signCheckpoint(auditor()).statusCode(200).extract().jsonPath().getLong("id"));
        Path witness = Files.writeString(dir.resolve("gat.ndjson"), witnessFile(r));
        StringBuilder out = new StringBuilder();
        Path whole = Files.writeString(dir.resolve("export.ndjson"), export.asString());
        assertEquals(0, verify(keys, whole, witness, out), out.toString());
        Map<?, ?> header = JSON.readValue(export.asString().lines().findFirst().orElseThrow(), Map.class);
        assertTrue(header.get("plannedAt") instanceof String, header.toString());

        // the same file ending at the earlier checkpoint: every line holds and its end is signed
        List<String> kept = new ArrayList<>();
        String lastHash = null;
        long entries = 0;
        for (String line : export.asString().lines().toList()) {
            Map<?, ?> o = JSON.readValue(line, Map.class);
            Object type = o.get("type");
            if ("checkpoint".equals(type) && ((Number) o.get("lastSeq")).longValue() > cutAt
                    || "entry".equals(type) && ((Number) o.get("seq")).longValue() > cutAt || "end".equals(type)
                    || "seal".equals(type)) {
                continue;
            }
            if ("entry".equals(type)) {
                entries++;
                lastHash = (String) o.get("entryHash");
            }
            kept.add(line);
        }
        kept.add(JSON.writeValueAsString(Map.of("type", "end", "entries", entries, "lastSeq", cutAt, "lastHash",
                lastHash)));
        // written so by the exchange, which holds the checkpoint key: its header says the period ends there, and it
        // is sealed over its lines, so a copy cut by anyone else it is not
        @SuppressWarnings("unchecked")
        Map<String, Object> shortHeader = JSON.readValue(kept.get(0), java.util.LinkedHashMap.class);
        shortHeader.put("periodLastSeq", cutAt);
        shortHeader.put("lastSeq", cutAt);
        shortHeader.put("entries", entries);
        kept.set(0, JSON.writeValueAsString(shortHeader));
        String lines = String.join("\n", kept) + "\n";
        String sealed = lines + JSON.writeValueAsString(usageLogExport.closingSeal(shortHeader, lastHash, kept.size(),
                UsageLogTest.sha256(lines))) + "\n";
        Path shortened = Files.writeString(dir.resolve("cut.ndjson"), sealed);
        assertTrue(UsageLogVerifier.pinning(keys).verify(shortened).valid(), "valid without the witness");
        assertEquals(1, verify(keys, shortened, witness, out), out.toString());
        assertTrue(out.toString().startsWith("INVALID: witness gat.ndjson line "), out.toString());
        assertTrue(out.toString().contains("checkpoint at seq " + later.getLong("lastSeq") + ": signed "
                + later.getString("createdAt") + ", before the export was made (plannedAt " + header.get("plannedAt")
                + "), it covers entries " + (cutAt + 1) + "–" + later.getLong("lastSeq")), out.toString());
        assertTrue(out.toString().contains("the export was cut short"), out.toString());
    }

    static List<Map<String, Object>> history(String code) {
        return given().auth().oauth2(auditor()).get(WITNESSES + code + "/history?size=200").then().statusCode(200)
                .extract().jsonPath().getList("changes");
    }

    /** The departments told of a witness change (notices WITNESS_CHANGED about it), sorted. */
    List<String> told(Object changeId) throws SQLException {
        List<String> departments = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT department_code FROM notice WHERE kind = '"
                        + UsageLogWitnessService.CHANGED + "' AND subject_type = 'WITNESS' AND subject_id = "
                        + ((Number) changeId).longValue() + " ORDER BY department_code")) {
            while (rs.next()) {
                departments.add(rs.getString(1));
            }
        }
        return departments;
    }

    @Test
    void everyChangeOfAWitnessIsKeptWithWhoMadeItAndReRoutingOrRemovalIsTold() throws Exception {
        WebhookReceiver first = receiver(n -> Reply.of(200));
        WebhookReceiver second = receiver(n -> Reply.of(200));
        String wang = TestTokens.custom(Map.of("sub", "admin-2", "aud", AUD, "roles", List.of("admin"), "dept",
                DemoData.AUTHORITY, "account_type", "civil_servant", "name", "王五"));
        // the exchange's actor columns hold 200 characters, as the tokens it accepts
        String wide = "b".repeat(200);
        String wideAdmin = TestTokens.civilServant(wide, DemoData.AUTHORITY, AUD, "admin");

        put(admin(), BDC, Map.of("url", first.url())).then().statusCode(201).body("registeredBy", equalTo("admin-1"))
                .body("updatedBy", equalTo("admin-1"));
        given().auth().oauth2(wang).header("X-Request-Id", "repoint-bdc-1").contentType(ContentType.JSON)
                .body(Map.of("url", second.url())).put(WITNESSES + BDC).then().statusCode(200)
                .body("url", equalTo(second.url())).body("registeredBy", equalTo("admin-1"))
                .body("updatedBy", equalTo("admin-2"));
        put(wideAdmin, BDC, Map.of("url", second.url())).then().statusCode(200).body("updatedBy", equalTo(wide));
        given().auth().oauth2(admin()).delete(WITNESSES + BDC).then().statusCode(204);

        // newest first, also after the removal
        List<Map<String, Object>> h = history(BDC);
        assertEquals(List.of("REMOVED", "RESUMED", "REPOINTED", "REGISTERED"),
                h.subList(0, 4).stream().map(c -> c.get("action")).toList());
        Map<String, Object> removed = h.get(0);
        assertEquals(second.url(), removed.get("previousUrl"));
        assertNull(removed.get("url"));
        assertEquals("ACTIVE", removed.get("previousStatus"));
        assertEquals("admin-1", removed.get("actorSubject"));
        assertEquals(wide, h.get(1).get("actorSubject"));
        Map<String, Object> repointed = h.get(2);
        assertEquals(first.url(), repointed.get("previousUrl"));
        assertEquals(second.url(), repointed.get("url"));
        assertEquals("admin-2", repointed.get("actorSubject"));
        assertEquals("王五", repointed.get("actorName"));
        assertEquals("repoint-bdc-1", repointed.get("requestId"));
        assertTrue(repointed.get("changedAt") != null, repointed.toString());
        Map<String, Object> registered = h.get(3);
        assertNull(registered.get("previousUrl"));
        assertEquals(first.url(), registered.get("url"));
        assertEquals("admin-1", registered.get("actorSubject"));

        // the re-pointing and the removal are told to the witness department and to the 主管部门; the
        // registration and the resumption at the same URL are not
        List<String> both = List.of(DemoData.AUTHORITY, BDC).stream().sorted().toList();
        assertEquals(both, told(removed.get("id")));
        assertEquals(both, told(repointed.get("id")));
        assertEquals(List.of(), told(h.get(1).get("id")));
        assertEquals(List.of(), told(registered.get("id")));
        given().auth().oauth2(operator(BDC)).get("/api/exchange/v1/notices").then().statusCode(200)
                .body("findAll { it.kind == 'WITNESS_CHANGED' }.message", hasItem(org.hamcrest.Matchers
                        .containsString(second.url())));

        // append-only: the database refuses to edit or delete a change
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            assertThrows(SQLException.class, () -> s.executeUpdate("UPDATE usage_log_witness_change SET "
                    + "actor_subject = 'nobody' WHERE department_code = '" + BDC + "'"));
            assertThrows(SQLException.class, () -> s.executeUpdate("DELETE FROM usage_log_witness_change "
                    + "WHERE department_code = '" + BDC + "'"));
        }
    }

    @Test
    void onlyAdminsAndAuditorsReadAWitnessHistory() throws Exception {
        WebhookReceiver r = receiver(n -> Reply.of(200));
        put(admin(), BDC, Map.of("url", r.url())).then().statusCode(201);
        for (String token : List.of(admin(), auditor())) {
            given().auth().oauth2(token).get(WITNESSES + BDC + "/history").then().statusCode(200)
                    .body("page", equalTo(0)).body("size", equalTo(50)).body("changes[0].action",
                            equalTo("REGISTERED"));
        }
        for (String token : List.of(reviewer(), operator(BDC), system(BDC))) {
            given().auth().oauth2(token).get(WITNESSES + BDC + "/history").then().statusCode(403);
        }
        given().get(WITNESSES + BDC + "/history").then().statusCode(401);
        // a department whose witness was never registered; a code that is none; a bad page
        given().auth().oauth2(auditor()).get(WITNESSES + "11330000002489999X/history").then().statusCode(404)
                .contentType("application/problem+json");
        given().auth().oauth2(auditor()).get(WITNESSES + "12345/history").then().statusCode(400)
                .contentType("application/problem+json").body("field", equalTo("departmentCode"));
        given().auth().oauth2(auditor()).get(WITNESSES + BDC + "/history?size=0").then().statusCode(400)
                .body("field", equalTo("size"));
        given().auth().oauth2(auditor()).get(WITNESSES + BDC + "/history?page=1&size=1").then().statusCode(200)
                .body("page", equalTo(1)).body("size", equalTo(1));
    }

    /**
     * A checkpoint being signed (its row inserted, not yet committed) while a witness is registered: the registration
     * waits for it and queues it, where before neither saw the other and that checkpoint never reached the witness.
     */
    @Test
    void aWitnessRegisteredWhileACheckpointIsSignedIsSentThatCheckpoint() throws Exception {
        WebhookReceiver r = receiver(n -> Reply.of(200));
        long[] latest = newCheckpoint();
        long signing = 0;
        try (Connection a = dataSource.getConnection()) {
            a.setAutoCommit(false);
            try (Statement s = a.createStatement(); ResultSet rs = s.executeQuery("INSERT INTO usage_log_checkpoint "
                    + "(last_seq, last_hash, signature, payload, created_at, timestamp_token) SELECT last_seq, "
                    + "last_hash, signature, payload, created_at, timestamp_token FROM usage_log_checkpoint "
                    + "WHERE id = " + latest[0] + " RETURNING id")) {
                rs.next();
                signing = rs.getLong(1);
            }
            CompletableFuture<Integer> registering = CompletableFuture.supplyAsync(
                    () -> put(admin(), GJJ, Map.of("url", r.url())).statusCode());
            await("the registration done or waiting for the checkpoint", () -> registering.isDone()
                    || waitingForAnAdvisoryLock());
            a.commit();
            assertEquals(201, registering.get(15, TimeUnit.SECONDS));
            try (Statement s = a.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM "
                    + "usage_log_witness_outbox WHERE department_code = '" + GJJ + "' AND checkpoint_id = " + signing)) {
                rs.next();
                a.commit();
                assertEquals(1, rs.getInt(1), "checkpoint " + signing + " queued for the new witness");
            }
        } finally {
            // the copy of a signed checkpoint is no part of the log
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                s.executeUpdate("DELETE FROM usage_log_checkpoint WHERE id = " + signing);
            }
        }
    }

    boolean waitingForAnAdvisoryLock() {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                        + "AND NOT granted")) {
            rs.next();
            return rs.getInt(1) > 0;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
