package cn.onenet.exchange.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import cn.onenet.exchange.ExchangeTestBase;
import cn.onenet.exchange.FakeCatalog;
import cn.onenet.exchange.WebhookReceiver;
import cn.onenet.exchange.WebhookReceiver.Reply;
import cn.onenet.exchange.service.DemoData;
import cn.onenet.testsupport.TestTokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * Reclassification (目录重新分类): the catalogue gives a published entry a new resource code and its feed item names
 * the old one. The exchange moves the resource (grants, requests, hosted records, webhooks ...) to the new code, keeps
 * the old code working as an alias, and leaves history (usage log, state history) with the code it was written with.
 */
@QuarkusTest
class ReclassificationTest extends ExchangeTestBase {

    static final String PROVIDER = RequestWorkflowTest.PROVIDER;
    static final String CONSUMER = DemoData.CIVIL_AFFAIRS;
    static final String LIU = "330110200102150052";
    static final String WANG = "330282196509230044";
    static final String API = "/api/exchange/v1";
    static final String CODE = DataResource.RESOURCE_CODE_HEADER;

    @Inject
    AgroalDataSource dataSource;

    /** A fresh unconditional entry of the test provider holding the given records (key GMSFHM); its feed document. */
    Map<String, Object> publish(String code, String... keysAndNames) {
        Map<String, Object> doc = FakeCatalog.add("PUBLISHED", code, "测试重新分类目录 " + code, PROVIDER,
                "UNCONDITIONAL", "LEVEL_3", "GMSFHM",
                List.of(Map.of("code", "GMSFHM", "name", "公民身份号码", "sensitive", true),
                        Map.of("code", "XM", "name", "姓名", "sensitive", true),
                        Map.of("code", "ZY", "name", "职业", "sensitive", false)));
        replica.pollOnce();
        for (int i = 0; i < keysAndNames.length; i += 2) {
            push(code, keysAndNames[i], keysAndNames[i + 1]).then().statusCode(201);
        }
        return doc;
    }

    static Response push(String code, String id, String name) {
        return given().urlEncodingEnabled(false).auth().oauth2(operator(PROVIDER)).contentType(ContentType.JSON)
                .body(List.of(Map.of("GMSFHM", id, "XM", name, "ZY", "教师")))
                .post(API + "/datasets/" + FakeCatalog.encoded(code) + "/records");
    }

    /** The catalogue reclassifies the entry: a CHANGED item with the new code, the next version and the old code. */
    static long reclassify(Map<String, Object> doc, String from, String to, int version) {
        Map<String, Object> changed = new LinkedHashMap<>(doc);
        changed.put("resourceCode", to);
        changed.put("version", version);
        changed.put("previousResourceCode", from);
        return FakeCatalog.addItem("CHANGED", changed);
    }

    /** One resource under three codes of the same serial number: published on A with LIU's record and a grant. */
    record Resource(String a, String b, String c, Map<String, Object> doc, long published, long grant) {
    }

    Resource publishWithGrant(String serial) {
        String a = "330000-01-02/" + serial;
        Map<String, Object> doc = publish(a, LIU, "刘洋");
        long published = FakeCatalog.lastCursor();
        return new Resource(a, "330000-02-01/" + serial, "330000-03-01/" + serial, doc, published,
                grantFor(CONSUMER, a));
    }

    /** The catalogue reclassifies the entry and the replica applies the item; its cursor. */
    long reclassifyAndApply(Map<String, Object> doc, String from, String to, int version) {
        long cursor = reclassify(doc, from, to, version);
        replica.pollOnce();
        return cursor;
    }

    static Response file(String dept, String code) {
        return RequestWorkflowTest.file(operator(dept), RequestWorkflowTest.body(code, List.of("GMSFHM", "XM")));
    }

    static long grantFor(String dept, String code) {
        return file(dept, code).then().statusCode(201).body("status", equalTo("GRANTED")).extract().jsonPath()
                .getLong("grantId");
    }

    static Response lookup(String dept, String code, String key, String requestId) {
        return given().urlEncodingEnabled(false).auth().oauth2(operator(dept)).header("X-Request-Id", requestId)
                .get(DeliveryTest.path(code, key));
    }

    /** The entries logged under exactly this code. */
    static List<Integer> loggedSeqs(String code, long after) {
        return loggedSeqs(code, after, true);
    }

    static List<Integer> loggedSeqs(String code, long after, boolean exact) {
        return given().urlEncodingEnabled(true).auth().oauth2(auditor()).queryParam("resourceCode", code)
                .queryParam("exactResourceCode", exact).queryParam("after", after).queryParam("limit", 200)
                .get(API + "/usage-log").then().statusCode(200).extract().jsonPath().getList("seq", Integer.class);
    }

    void rewindFeedTo(long cursor) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE feed_cursor SET position = " + cursor + " WHERE name = 'catalog-feed'");
        }
    }

    /** Rows of a query as "a|b|c" lines (the parameters fill every ?). */
    List<String> rows(String sql, Object... params) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    StringBuilder line = new StringBuilder();
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                        line.append(i > 1 ? "|" : "").append(rs.getString(i));
                    }
                    out.add(line.toString());
                }
            }
        }
        return out;
    }

    /** Everything a move writes, for the codes and the grant given: to show a replay changes none of it. */
    List<String> state(List<String> codes, long grant) throws SQLException {
        String in = "(" + String.join(", ", codes.stream().map(c -> "?").toList()) + ")";
        Object[] p = codes.toArray();
        List<String> all = new ArrayList<>();
        all.addAll(rows("SELECT resource_code, entry_version, name, deregistered, updated_at FROM catalog_entry "
                + "WHERE resource_code IN " + in + " ORDER BY 1", p));
        all.addAll(rows("SELECT * FROM resource_code_alias WHERE old_code IN " + in + " ORDER BY old_code, "
                + "feed_cursor", p));
        all.addAll(rows("SELECT resource_code, record_key, record_version, change_seq FROM dataset_record "
                + "WHERE resource_code IN " + in + " ORDER BY 1, 2", p));
        all.addAll(rows("SELECT id, resource_code, status, version FROM share_grant WHERE id = ?", grant));
        all.addAll(rows("SELECT id, object_type, object_id, action, details FROM state_change WHERE object_type = "
                + "'GRANT' AND object_id = ? ORDER BY id", grant));
        return all;
    }

    @Test
    void theGrantFollowsTheNewCodeTheOldCodeKeepsAnsweringAndHistoryKeepsTheOldCode() throws Exception {
        String a = "330000-01-02/900601";
        String b = "330000-02-01/900601";
        Map<String, Object> doc = publish(a, LIU, "刘洋", WANG, "王芳");
        Response filed = file(CONSUMER, a);
        filed.then().statusCode(201).header(CODE, a);
        long request = filed.jsonPath().getLong("id");
        long grant = filed.jsonPath().getLong("grantId");
        String beforeId = "reclass-" + UUID.randomUUID();
        long before = lookup(CONSUMER, a, LIU, beforeId).then().statusCode(200).header(CODE, a)
                .body("resourceCode", equalTo(a)).extract().jsonPath().getLong("usageLogSeq");
        String viaOldId = "reclass-" + UUID.randomUUID();

        // webhooks go under a grant for subscription (共享方式), beside the API grant the lookups use
        long subscription = RequestWorkflowTest.file(operator(CONSUMER),
                DeliveryMethodTest.body(a, List.of("GMSFHM", "XM"), "SUBSCRIPTION")).then().statusCode(201)
                .body("status", equalTo("GRANTED")).extract().jsonPath().getLong("grantId");
        try (WebhookReceiver rx = new WebhookReceiver(n -> Reply.of(204))) {
            given().auth().oauth2(operator(CONSUMER)).contentType(ContentType.JSON).body(Map.of("url", rx.url()))
                    .put(API + "/subscriptions/" + subscription + "/webhook").then().statusCode(201);

            long cursor = reclassify(doc, a, b, 2);
            replica.pollOnce();

            // the grant, its request and its webhook are on the new code; their histories say when and why
            given().auth().oauth2(operator(CONSUMER)).get(API + "/grants/" + grant).then().statusCode(200)
                    .body("resourceCode", equalTo(b)).body("status", equalTo("ACTIVE")).body("version", equalTo(0));
            StateHistoryTest.history(operator(CONSUMER), "grants", grant).statusCode(200)
                    .body("action", equalTo(List.of("CREATE", "MOVE_RESOURCE_CODE")))
                    .body("[1].fromStatus", equalTo("ACTIVE")).body("[1].toStatus", equalTo("ACTIVE"))
                    .body("[1].automatic", equalTo(true)).body("[1].decision", equalTo(false))
                    .body("[1].actor.role", equalTo("scheduler"))
                    .body("[1].details.fromResourceCode", equalTo(a)).body("[1].details.toResourceCode", equalTo(b))
                    .body("[1].details.feedCursor", equalTo((int) cursor))
                    .body("[1].details.entryVersion", equalTo(2));
            StateHistoryTest.history(operator(PROVIDER), "requests", request).statusCode(200)
                    .body("action", equalTo(List.of("FILE", "MOVE_RESOURCE_CODE")));
            given().auth().oauth2(operator(CONSUMER)).get(API + "/requests/" + request).then().statusCode(200)
                    .body("resourceCode", equalTo(b));
            given().auth().oauth2(operator(CONSUMER)).get(API + "/subscriptions/" + subscription + "/webhook").then()
                    .statusCode(200).body("resourceCode", equalTo(b));

            // department systems keep calling the old code, under the same grant (a call naming no grant resolves to
            // the API grant, not the newer subscription grant); the answer names the new code
            long viaOld = lookup(CONSUMER, a, LIU, viaOldId).then().statusCode(200).header(CODE, b)
                    .body("resourceCode", equalTo(b)).body("grantId", equalTo((int) grant))
                    .extract().jsonPath().getLong("usageLogSeq");
            long viaNew = lookup(CONSUMER, b, WANG, "reclass-" + UUID.randomUUID()).then().statusCode(200)
                    .header(CODE, b).body("grantId", equalTo((int) grant)).extract().jsonPath().getLong("usageLogSeq");
            given().urlEncodingEnabled(false).auth().oauth2(operator(CONSUMER)).header("X-Grant-Id", grant)
                    .get(API + "/data/" + FakeCatalog.encoded(a) + "/records?GMSFHM=" + WANG)
                    .then().statusCode(200).header(CODE, b).body("records", org.hamcrest.Matchers.hasSize(1));

            // the usage log: the entry before the move keeps the old code, those after it carry the new one
            List<Integer> underA = loggedSeqs(a, before - 1);
            List<Integer> underB = loggedSeqs(b, before - 1);
            assertTrue(underA.contains((int) before), underA.toString());
            assertTrue(!underA.contains((int) viaOld) && !underA.contains((int) viaNew), underA.toString());
            assertTrue(underB.containsAll(List.of((int) viaOld, (int) viaNew)), underB.toString());
            assertTrue(!underB.contains((int) before), underB.toString());
            // filtered by the resource rather than the code as logged, either code finds all three
            for (String code : List.of(a, b)) {
                List<Integer> resource = loggedSeqs(code, before - 1, false);
                assertTrue(resource.containsAll(List.of((int) before, (int) viaOld, (int) viaNew)), resource.toString());
            }
            given().auth().oauth2(auditor()).get(API + "/usage-log/verify").then().statusCode(200)
                    .body("valid", equalTo(true));

            // the provider pushes under the old code: stored under the new one, sent to the moved webhook; the move
            // itself sent nothing
            push(a, LIU, "刘洋洋").then().statusCode(201).header(CODE, b).body("resourceCode", equalTo(b));
            rx.await(1);
            Thread.sleep(400);
            assertEquals(1, rx.hits().size());
            assertTrue(new String(rx.hits().get(0).body(), java.nio.charset.StandardCharsets.UTF_8)
                    .contains("\"resourceCode\":\"" + b + "\""));
        }

        // filing, grant filters and the catalogue's question resolve the old code
        file(DemoData.EMERGENCY, a).then().statusCode(201).header(CODE, b).body("resourceCode", equalTo(b))
                .body("status", equalTo("GRANTED"));
        given().auth().oauth2(operator(CONSUMER)).queryParam("resourceCode", a).get(API + "/grants").then()
                .statusCode(200).body("id", hasItem((int) grant)).body("resourceCode", not(hasItem(a)));
        given().urlEncodingEnabled(false).auth().oauth2(system(DemoData.AUTHORITY))
                .get(API + "/catalog-entries/" + FakeCatalog.encoded(a) + "/active-grants").then().statusCode(200)
                .header(CODE, b).body("resourceCode", equalTo(b)).body("activeGrants", greaterThanOrEqualTo(2));

        // the citizen still sees who used the data, under the code of the time and the code of today
        Response mine = given().auth().oauth2(TestTokens.citizen("liu", LIU, AUD)).get(API + "/me/data-accesses");
        mine.then().statusCode(200).body("requestId", hasItems(beforeId, viaOldId));
        Map<String, Object> old = mine.jsonPath().getMap("find { it.requestId == '" + beforeId + "' }");
        assertEquals(a, old.get("resourceCode"));
        assertEquals(b, old.get("currentResourceCode"));
        assertEquals("测试重新分类目录 " + a, old.get("resourceName"));
        Map<String, Object> later = mine.jsonPath().getMap("find { it.requestId == '" + viaOldId + "' }");
        assertEquals(b, later.get("resourceCode"));
        assertEquals(b, later.get("currentResourceCode"));

        // one entry, not two: the old code is an alias of the new one
        assertEquals(List.of(), rows("SELECT resource_code FROM catalog_entry WHERE resource_code = ?", a));
        assertEquals(List.of(b + "|" + b + "|f"),
                rows("SELECT new_code, current_code, merged FROM resource_code_alias WHERE old_code = ?", a));
    }

    @Test
    void replayingTheReclassificationChangesNothing() throws Exception {
        String a = "330000-01-02/900602";
        String b = "330000-02-01/900602";
        Map<String, Object> doc = publish(a, LIU, "刘洋");
        long published = FakeCatalog.lastCursor();
        long grant = grantFor(CONSUMER, a);
        reclassify(doc, a, b, 2);
        replica.pollOnce();
        List<String> moved = state(List.of(a, b), grant);
        assertTrue(moved.contains(grant + "|" + b + "|ACTIVE|0"), moved.toString());

        // the feed is read again from before the entry's publication
        rewindFeedTo(published - 1);
        replica.pollOnce();
        assertEquals(moved, state(List.of(a, b), grant));
        lookup(CONSUMER, a, LIU, "reclass-" + UUID.randomUUID()).then().statusCode(200).header(CODE, b);
    }

    @Test
    void aChainOfReclassificationsResolvesTheFirstCodeToTheLast() throws Exception {
        Resource r = publishWithGrant("900603");
        String a = r.a(), b = r.b(), c = r.c();
        Map<String, Object> doc = r.doc();
        long published = r.published(), grant = r.grant();
        long toB = reclassifyAndApply(doc, a, b, 2);
        long toC = reclassifyAndApply(doc, b, c, 3);

        for (String code : List.of(a, b, c)) {
            lookup(CONSUMER, code, LIU, "reclass-" + UUID.randomUUID()).then().statusCode(200).header(CODE, c)
                    .body("resourceCode", equalTo(c)).body("grantId", equalTo((int) grant));
        }
        assertEquals(List.of(a + "|" + b + "|" + c + "|" + toB, b + "|" + c + "|" + c + "|" + toC),
                rows("SELECT old_code, new_code, current_code, feed_cursor FROM resource_code_alias "
                        + "WHERE old_code IN (?, ?) ORDER BY feed_cursor", a, b));
        StateHistoryTest.history(operator(CONSUMER), "grants", grant).statusCode(200)
                .body("action", equalTo(List.of("CREATE", "MOVE_RESOURCE_CODE", "MOVE_RESOURCE_CODE")))
                .body("[1].details.toResourceCode", equalTo(b)).body("[2].details.fromResourceCode", equalTo(b))
                .body("[2].details.toResourceCode", equalTo(c));

        // replaying the whole chain (publication, A → B, B → C) changes nothing
        List<String> moved = state(List.of(a, b, c), grant);
        rewindFeedTo(published - 1);
        replica.pollOnce();
        assertEquals(moved, state(List.of(a, b, c), grant));
        assertEquals(List.of(c + "|3"), rows("SELECT resource_code, entry_version FROM catalog_entry "
                + "WHERE resource_code IN (?, ?, ?)", a, b, c));

        // a recorded move stays as it was
        for (String sql : List.of("UPDATE resource_code_alias SET new_code = 'x' WHERE old_code = '" + a + "'",
                "DELETE FROM resource_code_alias WHERE old_code = '" + a + "'", "TRUNCATE resource_code_alias")) {
            try (Connection conn = dataSource.getConnection(); Statement s = conn.createStatement()) {
                SQLException refused = assertThrows(SQLException.class, () -> s.executeUpdate(sql), sql);
                assertTrue(refused.getMessage().contains("keeps its moves"), refused.getMessage());
            }
        }
    }

    static Response activeGrants(String code) {
        return given().urlEncodingEnabled(false).auth().oauth2(system(DemoData.AUTHORITY))
                .get(API + "/catalog-entries/" + FakeCatalog.encoded(code) + "/active-grants");
    }

    @Test
    void aReversedReclassificationBringsTheResourceBackAndItMovesOnFromThere() throws Exception {
        Resource r = publishWithGrant("900606");
        String a = r.a(), b = r.b(), c = r.c();
        long grant = r.grant();
        long toB = reclassifyAndApply(r.doc(), a, b, 2);
        long backToA = reclassifyAndApply(r.doc(), b, a, 3);

        // the catalogue says A again: one entry, on A, with the grant and the data; B is an alias of A
        assertEquals(List.of(a + "|3"), rows("SELECT resource_code, entry_version FROM catalog_entry "
                + "WHERE resource_code IN (?, ?)", a, b));
        assertEquals(List.of(grant + "|" + a + "|ACTIVE|0"),
                rows("SELECT id, resource_code, status, version FROM share_grant WHERE id = ?", grant));
        assertEquals(List.of(a + "|" + LIU),
                rows("SELECT resource_code, record_key FROM dataset_record WHERE resource_code IN (?, ?)", a, b));
        for (String code : List.of(a, b)) {
            lookup(CONSUMER, code, LIU, "reclass-" + UUID.randomUUID()).then().statusCode(200).header(CODE, a)
                    .body("resourceCode", equalTo(a)).body("grantId", equalTo((int) grant));
            activeGrants(code).then().statusCode(200).header(CODE, a).body("resourceCode", equalTo(a))
                    .body("activeGrants", equalTo(1));
        }
        push(b, WANG, "王芳").then().statusCode(201).header(CODE, a).body("resourceCode", equalTo(a));
        assertEquals(List.of(a + "|" + b + "|" + a + "|" + toB, b + "|" + a + "|" + a + "|" + backToA),
                rows("SELECT old_code, new_code, current_code, feed_cursor FROM resource_code_alias "
                        + "WHERE old_code IN (?, ?) ORDER BY feed_cursor", a, b));

        // the catalogue moves it on to C: everything goes to C, the former codes A and B resolve to C
        long toC = reclassifyAndApply(r.doc(), a, c, 4);
        assertEquals(List.of(c + "|4"), rows("SELECT resource_code, entry_version FROM catalog_entry "
                + "WHERE resource_code IN (?, ?, ?)", a, b, c));
        assertEquals(List.of(c + "|" + LIU, c + "|" + WANG), rows("SELECT resource_code, record_key FROM "
                + "dataset_record WHERE resource_code IN (?, ?, ?) ORDER BY 2", a, b, c));
        for (String code : List.of(a, b, c)) {
            lookup(CONSUMER, code, LIU, "reclass-" + UUID.randomUUID()).then().statusCode(200).header(CODE, c)
                    .body("resourceCode", equalTo(c)).body("grantId", equalTo((int) grant));
            activeGrants(code).then().statusCode(200).header(CODE, c).body("resourceCode", equalTo(c))
                    .body("activeGrants", equalTo(1));
        }
        given().auth().oauth2(operator(CONSUMER)).get(API + "/grants/" + grant).then().statusCode(200)
                .body("resourceCode", equalTo(c)).body("status", equalTo("ACTIVE"));
        assertEquals(List.of(a + "|" + b + "|" + c + "|" + toB, b + "|" + a + "|" + c + "|" + backToA,
                a + "|" + c + "|" + c + "|" + toC),
                rows("SELECT old_code, new_code, current_code, feed_cursor FROM resource_code_alias "
                        + "WHERE old_code IN (?, ?, ?) ORDER BY feed_cursor", a, b, c));
        StateHistoryTest.history(operator(CONSUMER), "grants", grant).statusCode(200)
                .body("action", equalTo(List.of("CREATE", "MOVE_RESOURCE_CODE", "MOVE_RESOURCE_CODE",
                        "MOVE_RESOURCE_CODE")))
                .body("[1].details.toResourceCode", equalTo(b)).body("[2].details.fromResourceCode", equalTo(b))
                .body("[2].details.toResourceCode", equalTo(a)).body("[3].details.fromResourceCode", equalTo(a))
                .body("[3].details.toResourceCode", equalTo(c));

        // replaying the whole feed (publication, A → B, B → A, A → C) changes nothing
        List<String> moved = state(List.of(a, b, c), grant);
        rewindFeedTo(r.published() - 1);
        replica.pollOnce();
        assertEquals(moved, state(List.of(a, b, c), grant));
        lookup(CONSUMER, a, LIU, "reclass-" + UUID.randomUUID()).then().statusCode(200).header(CODE, c)
                .body("grantId", equalTo((int) grant));
    }

    @Test
    void aNewCodeAlreadyInTheReplicaIsMergedUnlessBothHoldTheSameRecord() throws Exception {
        // the new code arrived as an entry of its own (say, applied before the exchange followed reclassifications)
        String a = "330000-01-02/900604";
        String b = "330000-02-01/900604";
        Map<String, Object> doc = publish(a, LIU, "刘洋");
        publish(b, WANG, "王芳");
        long onA = grantFor(CONSUMER, a);
        long onB = grantFor(DemoData.EMERGENCY, b);
        reclassify(doc, a, b, 2);
        replica.pollOnce();

        assertEquals(List.of(b + "|2|测试重新分类目录 " + a),
                rows("SELECT resource_code, entry_version, name FROM catalog_entry WHERE resource_code IN (?, ?)", a, b));
        assertEquals(List.of(b + "|t"), rows("SELECT current_code, merged FROM resource_code_alias WHERE old_code = ?", a));
        assertEquals(List.of(b + "|" + LIU, b + "|" + WANG),
                rows("SELECT resource_code, record_key FROM dataset_record WHERE resource_code IN (?, ?) ORDER BY 2", a, b));
        lookup(CONSUMER, a, LIU, "reclass-" + UUID.randomUUID()).then().statusCode(200).header(CODE, b)
                .body("grantId", equalTo((int) onA));
        lookup(DemoData.EMERGENCY, b, LIU, "reclass-" + UUID.randomUUID()).then().statusCode(200)
                .body("grantId", equalTo((int) onB));

        // both hold the record of the same person: nothing moves, the old code stays in service on its own
        String c = "330000-01-02/900605";
        String d = "330000-02-01/900605";
        Map<String, Object> docC = publish(c, LIU, "刘洋");
        publish(d, LIU, "刘洋");
        long onC = grantFor(CONSUMER, c);
        reclassify(docC, c, d, 2);
        replica.pollOnce();
        assertEquals(List.of(c + "|1", d + "|2"), rows("SELECT resource_code, entry_version FROM catalog_entry "
                + "WHERE resource_code IN (?, ?) ORDER BY 1", c, d));
        assertEquals(List.of(), rows("SELECT old_code FROM resource_code_alias WHERE old_code = ?", c));
        lookup(CONSUMER, c, LIU, "reclass-" + UUID.randomUUID()).then().statusCode(200).header(CODE, c)
                .body("grantId", equalTo((int) onC));
        StateHistoryTest.history(operator(CONSUMER), "grants", onC).statusCode(200)
                .body("action", equalTo(List.of("CREATE")));
    }
}
