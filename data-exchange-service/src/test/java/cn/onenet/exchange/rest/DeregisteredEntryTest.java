package cn.onenet.exchange.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import cn.onenet.exchange.ExchangeTestBase;
import cn.onenet.exchange.FakeCatalog;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * R15: when the catalogue deregisters (注销) an entry, the replica ends what was shared under it in the transaction
 * applying the feed item: grants in force are terminated, undecided requests refused, both with the reason, the
 * parties notified; a replayed item changes nothing.
 */
@QuarkusTest
class DeregisteredEntryTest extends ExchangeTestBase {

    static final String CODE = "330000-01-02/900811";
    static final String PROVIDER = RequestWorkflowTest.PROVIDER;
    static final String REQUESTS = "/api/exchange/v1/requests/";
    static final String GRANTS = "/api/exchange/v1/grants/";

    @Inject
    AgroalDataSource dataSource;

    static JsonPath get(String token, String path) {
        return given().auth().oauth2(token).get(path).then().statusCode(200).extract().jsonPath();
    }

    static long filed(String consumer, String status) {
        return RequestWorkflowTest.file(operator(consumer), RequestWorkflowTest.body(CODE, List.of("GMSFHM", "XM")))
                .then().statusCode(201).body("status", equalTo(status)).extract().jsonPath().getLong("id");
    }

    /** A request of the consumer for GMSFHM and XM on a conditional entry: it waits for the provider. */
    static long filedOn(String code, String consumer) {
        return RequestWorkflowTest.file(operator(consumer), RequestWorkflowTest.body(code, List.of("GMSFHM", "XM")))
                .then().statusCode(201).body("status", equalTo("PENDING")).extract().jsonPath().getLong("id");
    }

    static List<Map<String, Object>> noticesAbout(String dept, String subjectType, long id) {
        List<Map<String, Object>> all = get(operator(dept), "/api/exchange/v1/notices").getList("$");
        return all.stream().filter(n -> subjectType.equals(n.get("subjectType"))
                && ((Number) n.get("subjectId")).longValue() == id).toList();
    }

    static void provider(long request, String action, Map<String, Object> body) {
        given().auth().oauth2(operator(PROVIDER)).contentType(ContentType.JSON).body(body)
                .post(REQUESTS + request + "/" + action).then().statusCode(200);
    }

    @Test
    void aDeregisteredEntrysGrantsEndAndItsPendingRequestsAreRefusedOnce() {
        FakeCatalog.add("PUBLISHED", CODE, "注销测试目录", PROVIDER, "CONDITIONAL", "LEVEL_3", "GMSFHM",
                List.of(Map.of("code", "GMSFHM", "name", "公民身份号码", "sensitive", true),
                        Map.of("code", "XM", "name", "姓名", "sensitive", true)));
        replica.pollOnce();
        String granted = NoticeReadTest.freshDepartment();
        String pending = NoticeReadTest.freshDepartment();
        String supplementing = NoticeReadTest.freshDepartment();
        long approved = filed(granted, "PENDING");
        provider(approved, "approve", Map.of("version", 0));
        long grant = get(operator(granted), REQUESTS + approved).getLong("grantId");
        long waiting = filed(pending, "PENDING");
        long asked = filed(supplementing, "PENDING");
        provider(asked, "supplement", Map.of("version", 0, "reason", "请补充使用范围说明"));
        // under the grant, the consumer's calls get past the grant check
        DeliveryTest.lookup(operator(granted), CODE, "330106198503120014").then().statusCode(not(403));

        FakeCatalog.addItem("DEREGISTERED", Map.of("resourceCode", CODE, "version", 1));
        assertTrue(replica.pollOnce() > 0);

        // the grant is terminated with the reason, an automatic decision of the exchange
        given().auth().oauth2(operator(granted)).get(GRANTS + grant).then().statusCode(200)
                .body("status", equalTo("TERMINATED")).body("statusReason", containsString("目录已注销"))
                .body("lastDecision.action", equalTo("TERMINATE")).body("lastDecision.automatic", equalTo(true))
                .body("lastDecision.actor.role", equalTo("scheduler"));
        // a lookup on the entry is refused at once on this replica (it forgot the cached entry): 410, the entry gone
        given().urlEncodingEnabled(false).auth().oauth2(operator(granted)).header("X-Grant-Id", grant)
                .get(DeliveryTest.path(CODE, "330106198503120014")).then().statusCode(410)
                .contentType("application/problem+json").body("resourceCode", equalTo(CODE))
                .body("detail", containsString("deregistered"));
        DeliveryTest.lookup(operator(granted), CODE, "330106198503120014").then().statusCode(410)
                .contentType("application/problem+json");
        // requests not yet decided are refused with the reason, recorded as a decision
        for (long request : List.of(waiting, asked)) {
            given().auth().oauth2(operator(PROVIDER)).get(REQUESTS + request).then().statusCode(200)
                    .body("status", equalTo("REFUSED")).body("decisionReason", containsString("目录已注销"));
        }
        List<Map<String, Object>> history = get(operator(pending), REQUESTS + waiting + "/history").getList("$");
        Map<String, Object> refusal = history.get(history.size() - 1);
        assertEquals("REFUSE", refusal.get("action"));
        assertEquals("PENDING", refusal.get("fromStatus"));
        assertEquals(true, refusal.get("decision"));
        assertEquals("SUPPLEMENT_REQUESTED",
                ((Map<?, ?>) lastOf(get(operator(supplementing), REQUESTS + asked + "/history").getList("$")))
                        .get("fromStatus"));
        // the consumers are told, and the provider
        assertEquals(List.of("GRANT_TERMINATED"), kinds(noticesAbout(granted, "GRANT", grant)));
        assertEquals(List.of("REQUEST_REFUSED"), kinds(noticesAbout(pending, "REQUEST", waiting)));
        assertEquals(List.of("REQUEST_REFUSED", "SUPPLEMENT_REQUESTED"),
                kinds(noticesAbout(supplementing, "REQUEST", asked)));
        assertEquals(1, noticesAbout(PROVIDER, "GRANT", grant).size());
        assertEquals(1, noticesAbout(PROVIDER, "REQUEST", waiting).stream()
                .filter(n -> "REQUEST_REFUSED".equals(n.get("kind"))).count());
        // nothing more is decided on the entry: no new filing, no approval of a refused request
        RequestWorkflowTest.file(operator(pending), RequestWorkflowTest.body(CODE, List.of("GMSFHM")))
                .then().statusCode(409).contentType("application/problem+json");
        given().auth().oauth2(operator(PROVIDER)).contentType(ContentType.JSON).body(Map.of("version", 1))
                .post(REQUESTS + waiting + "/approve").then().statusCode(409);

        // the same deregistration again (a replay, and polling with nothing new) changes nothing
        int grantVersion = get(operator(granted), GRANTS + grant).getInt("version");
        int grantHistory = get(operator(granted), GRANTS + grant + "/history").getList("$").size();
        int requestVersion = get(operator(pending), REQUESTS + waiting).getInt("version");
        FakeCatalog.addItem("DEREGISTERED", Map.of("resourceCode", CODE, "version", 1));
        replica.pollOnce();
        replica.pollOnce();
        given().auth().oauth2(operator(granted)).get(GRANTS + grant).then().statusCode(200)
                .body("status", equalTo("TERMINATED")).body("version", equalTo(grantVersion));
        assertEquals(grantHistory, get(operator(granted), GRANTS + grant + "/history").getList("$").size());
        assertEquals(requestVersion, get(operator(pending), REQUESTS + waiting).getInt("version"));
        assertEquals(history.size(), get(operator(pending), REQUESTS + waiting + "/history").getList("$").size());
        assertEquals(1, noticesAbout(granted, "GRANT", grant).size());
        assertEquals(1, noticesAbout(pending, "REQUEST", waiting).size());
    }

    private static Object lastOf(List<?> list) {
        return list.get(list.size() - 1);
    }

    /** An entry of the provider with one key item, published and in this replica. */
    private void published(String code, String name, String shareAttribute) {
        FakeCatalog.add("PUBLISHED", code, name, PROVIDER, shareAttribute, "LEVEL_2", "GMSFHM",
                List.of(Map.of("code", "GMSFHM", "name", "公民身份号码", "sensitive", true)));
        replica.pollOnce();
    }

    private static List<Object> kinds(List<Map<String, Object>> notices) {
        return notices.stream().map(n -> n.get("kind")).toList();
    }

    @Test
    void anEntryDeregisteredBeforeTheRuleHasItsSharingEndedByTheSweep() throws Exception {
        String code = "330000-01-02/900812";
        published(code, "早先注销的目录", "UNCONDITIONAL");
        String consumer = NoticeReadTest.freshDepartment();
        long grant = RequestWorkflowTest.file(operator(consumer), RequestWorkflowTest.body(code, List.of("GMSFHM")))
                .then().statusCode(201).body("status", equalTo("GRANTED")).extract().jsonPath().getLong("grantId");
        // as a replica that applied the deregistration before sharing ended with it left the entry
        try (java.sql.Connection c = dataSource.getConnection(); java.sql.PreparedStatement ps = c.prepareStatement(
                "UPDATE catalog_entry SET deregistered = true WHERE resource_code = ?")) {
            ps.setString(1, code);
            assertEquals(1, ps.executeUpdate());
        }
        given().auth().oauth2(operator(consumer)).get(GRANTS + grant).then().body("status", equalTo("ACTIVE"));

        assertTrue(replica.endSharingOfDeregisteredEntries() >= 1);
        given().auth().oauth2(operator(consumer)).get(GRANTS + grant).then().statusCode(200)
                .body("status", equalTo("TERMINATED")).body("statusReason", containsString("目录已注销"));
        assertEquals(List.of("GRANT_TERMINATED"), kinds(noticesAbout(consumer, "GRANT", grant)));
        // once done, the sweep finds nothing more there
        int version = get(operator(consumer), GRANTS + grant).getInt("version");
        replica.endSharingOfDeregisteredEntries();
        given().auth().oauth2(operator(consumer)).get(GRANTS + grant).then().body("version", equalTo(version));
        assertEquals(1, noticesAbout(consumer, "GRANT", grant).size());
    }

    @Test
    void aDisputeOnADeregisteredEntryCanOnlyUpholdTheRefusal() {
        String code = "330000-01-02/900813";
        published(code, "争议中注销的目录", "CONDITIONAL");
        String consumer = NoticeReadTest.freshDepartment();
        long request = RequestWorkflowTest.file(operator(consumer), RequestWorkflowTest.body(code, List.of("GMSFHM")))
                .then().statusCode(201).extract().jsonPath().getLong("id");
        provider(request, "refuse", Map.of("version", 0, "reason", "仅限本部门内部使用"));
        long dispute = given().auth().oauth2(operator(consumer)).contentType(ContentType.JSON)
                .body(DisputeObjectionTest.refusalDispute(request, "履行法定职责确需该数据")).post("/api/exchange/v1/disputes")
                .then().statusCode(201).extract().jsonPath().getLong("id");
        FakeCatalog.addItem("DEREGISTERED", Map.of("resourceCode", code, "version", 1));
        replica.pollOnce();

        // sending the request back to the provider would leave it waiting for an answer nobody may give
        given().auth().oauth2(reviewer()).contentType(ContentType.JSON)
                .body(Map.of("version", 0, "outcome", "SHARE", "resolution", "应当共享"))
                .post("/api/exchange/v1/disputes/" + dispute + "/resolve").then().statusCode(409)
                .contentType("application/problem+json").body("detail", containsString("deregistered"));
        given().auth().oauth2(operator(consumer)).get(REQUESTS + request).then().body("status", equalTo("REFUSED"));
        given().auth().oauth2(reviewer()).contentType(ContentType.JSON)
                .body(Map.of("version", 0, "outcome", "UPHOLD", "resolution", "目录已注销，维持原决定"))
                .post("/api/exchange/v1/disputes/" + dispute + "/resolve").then().statusCode(200)
                .body("status", equalTo("RESOLVED_UPHELD"));
    }
}
