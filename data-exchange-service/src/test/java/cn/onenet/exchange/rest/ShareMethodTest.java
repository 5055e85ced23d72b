package cn.onenet.exchange.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.Test;

import cn.onenet.exchange.ExchangeTestBase;
import cn.onenet.exchange.FakeCatalog;
import cn.onenet.exchange.service.ReplicaBackfill;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

/**
 * 共享方式 (条例第十三条第二款, 第二十二条): the catalogue states how an entry is shared, the replica keeps it from the
 * feed, and a request asks only for a delivery method that method covers (API 接口 → API; FILE 文件 → FILE, BULK;
 * DATABASE 数据库 → BULK, FILE, SUBSCRIPTION), at filing and again at the head's approval.
 */
@QuarkusTest
class ShareMethodTest extends ExchangeTestBase {

    static final String REQUESTS = "/api/exchange/v1/requests/";

    @Inject
    EntityManager em;
    @Inject
    ReplicaBackfill backfill;

    /** A fresh 无条件共享 entry of the test provider shared via the platform by {@code methodType}. */
    private static Map<String, Object> entry(String code, String methodType) {
        Map<String, Object> entry = FakeCatalog.add("PUBLISHED", code, "共享方式测试目录 " + code,
                RequestWorkflowTest.PROVIDER, "UNCONDITIONAL", "LEVEL_2", "GMSFHM",
                List.of(Map.of("code", "GMSFHM", "name", "公民身份号码", "sensitive", true)));
        entry.put("shareMethod", Map.of("methodClass", "PLATFORM", "methodType", methodType));
        return entry;
    }

    /** The next version of an entry with another share method (null: none, as for 不予共享). */
    private static void changed(Map<String, Object> before, int version, String methodType) {
        Map<String, Object> next = new LinkedHashMap<>(before);
        next.put("version", version);
        if (methodType == null) {
            next.remove("shareMethod");
        } else {
            next.put("shareMethod", Map.of("methodClass", "PLATFORM", "methodType", methodType));
        }
        FakeCatalog.addItem("CHANGED", next);
    }

    private static Map<String, Object> body(String code, String deliveryMethod) {
        Map<String, Object> body = RequestWorkflowTest.body(code, List.of("GMSFHM"));
        body.put("deliveryMethod", deliveryMethod);
        return body;
    }

    private String replicated(String code) {
        return QuarkusTransaction.requiringNew().call(() -> (String) em.createNativeQuery(
                "SELECT share_method_type FROM catalog_entry WHERE resource_code = ?1").setParameter(1, code)
                .getSingleResult());
    }

    private static List<Long> filed(String token, String code) {
        return given().auth().oauth2(token).get(REQUESTS + "?side=consumer&size=100").then().statusCode(200)
                .extract().jsonPath().<Map<String, Object>>getList("$").stream()
                .filter(r -> code.equals(r.get("resourceCode"))).map(r -> ((Number) r.get("id")).longValue()).toList();
    }

    private static void refused(String token, String code, String deliveryMethod, List<String> allowed) {
        RequestWorkflowTest.file(token, body(code, deliveryMethod)).then().statusCode(400)
                .contentType("application/problem+json").body("type", equalTo("urn:onenet:problem:validation"))
                .body("errors.field", equalTo(List.of("deliveryMethod")))
                .body("allowedDeliveryMethods", equalTo(allowed)).body("requestId", notNullValue());
    }

    @Test
    void bulkOnAnApiOnlyEntryIsRefused() {
        // 标准地名地址数据 of the demo: 无条件共享, shared by interface only
        String code = "330000-01-02/907001";
        entry(code, "API");
        replica.pollOnce();
        String dept = NoticeReadTest.freshDepartment();
        String clerk = operatorOnly("clerk-" + dept, dept);
        refused(clerk, code, "BULK", List.of("API"));
        // the subscription's feed read from its start is the whole dataset too; a file export likewise
        refused(clerk, code, "SUBSCRIPTION", List.of("API"));
        refused(clerk, code, "FILE", List.of("API"));
        RequestWorkflowTest.file(clerk, body(code, "BULK")).then().body("detail", org.hamcrest.Matchers
                .containsString("API"));
        assertEquals(List.of(), filed(clerk, code), "a refused filing leaves no request");

        // the method it offers is filed, and granted by rule once the head approves
        long id = RequestWorkflowTest.file(clerk, body(code, "API")).then().statusCode(201)
                .body("status", equalTo("AWAITING_HEAD_APPROVAL")).body("deliveryMethod", equalTo("API")).extract()
                .jsonPath().getLong("id");
        HeadApprovalTest.post(head("head-" + dept, dept, "钱主任"), id, "head-approval", Map.of("version", 0)).then()
                .statusCode(200).body("status", equalTo("GRANTED"));
    }

    @Test
    void theFeedCarriesTheShareMethodIntoTheReplicaAndEachVersionDecides() {
        String code = "330000-01-02/907002";
        Map<String, Object> v1 = entry(code, "FILE");
        replica.pollOnce();
        assertEquals("FILE", replicated(code));
        String consumer = operator(NoticeReadTest.freshDepartment());
        RequestWorkflowTest.file(consumer, body(code, "BULK")).then().statusCode(201)
                .body("status", equalTo("GRANTED")).body("deliveryMethod", equalTo("BULK"));
        refused(consumer, code, "API", List.of("BULK", "FILE"));
        refused(consumer, code, "SUBSCRIPTION", List.of("BULK", "FILE"));

        // the provider shares it as a database (库表) from version 2: a copy and its changes
        changed(v1, 2, "DATABASE");
        replica.pollOnce();
        assertEquals("DATABASE", replicated(code));
        RequestWorkflowTest.file(operator(NoticeReadTest.freshDepartment()), body(code, "SUBSCRIPTION")).then()
                .statusCode(201).body("status", equalTo("GRANTED"));
        refused(consumer, code, "API", List.of("BULK", "FILE", "SUBSCRIPTION"));

        // a version stating none (as 不予共享 does) leaves none in the replica
        changed(v1, 3, null);
        replica.pollOnce();
        assertNull(replicated(code));
    }

    @Test
    void theHeadCannotApproveAMethodTheEntryNoLongerOffers() {
        String code = "330000-01-02/907003";
        Map<String, Object> v1 = entry(code, "FILE");
        replica.pollOnce();
        String dept = NoticeReadTest.freshDepartment();
        long id = RequestWorkflowTest.file(operatorOnly("clerk-" + dept, dept), body(code, "BULK")).then()
                .statusCode(201).body("status", equalTo("AWAITING_HEAD_APPROVAL")).extract().jsonPath().getLong("id");
        // before the head approves, the provider shares the entry by interface only
        changed(v1, 2, "API");
        replica.pollOnce();
        String head = head("head-" + dept, dept, "孙主任");
        HeadApprovalTest.post(head, id, "head-approval", Map.of("version", 0)).then().statusCode(409)
                .contentType("application/problem+json").body("errors[0].field", equalTo("deliveryMethod"))
                .body("allowedDeliveryMethods", equalTo(List.of("API")));
        given().auth().oauth2(head).get(REQUESTS + id).then().statusCode(200)
                .body("status", equalTo("AWAITING_HEAD_APPROVAL")).body("grantId", org.hamcrest.Matchers.nullValue());
    }

    /**
     * Entries replicated before the replica kept the share method restrict nothing until the feed is read again (V70
     * leaves a cursor for that when the replica had read the feed before); then they do.
     */
    @Test
    void entriesReplicatedBeforeTheShareMethodWasKeptGetItFromTheFeedAgain() {
        String code = "330000-01-02/907004";
        entry(code, "API");
        replica.pollOnce();
        QuarkusTransaction.requiringNew().run(() -> {
            em.createNativeQuery("UPDATE catalog_entry SET share_method_type = NULL WHERE resource_code = ?1")
                    .setParameter(1, code).executeUpdate();
            em.createNativeQuery("INSERT INTO feed_cursor (name, position) VALUES ('catalog-feed-share-method', 0)")
                    .executeUpdate();
        });
        // meanwhile any method, as before the catalogue's method was kept
        String consumer = operator(NoticeReadTest.freshDepartment());
        long grant = RequestWorkflowTest.file(consumer, body(code, "BULK")).then().statusCode(201)
                .body("status", equalTo("GRANTED")).extract().jsonPath().getLong("grantId");

        backfill.run();
        assertEquals("API", replicated(code));
        // the grant the exchange issued not knowing the catalogue's method ends as on a version changing it
        given().auth().oauth2(consumer).get("/api/exchange/v1/grants/" + grant).then().statusCode(200)
                .body("status", equalTo("TERMINATED")).body("lastDecision.automatic", equalTo(true));
        given().auth().oauth2(consumer).get("/api/exchange/v1/grants/" + grant + "/history").then().statusCode(200)
                .body("find { it.action == 'TERMINATE' }.details.shareMethodType.to", equalTo("API"))
                .body("find { it.action == 'TERMINATE' }.details.deliveryMethod", equalTo("BULK"));
        assertEquals(0L, (long) QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "SELECT count(*) FROM feed_cursor WHERE name = 'catalog-feed-share-method'").getSingleResult())
                .longValue()));
        refused(operator(NoticeReadTest.freshDepartment()), code, "BULK", List.of("API"));
        // done: nothing more to read
        assertEquals(-1, backfill.run());
    }
}
