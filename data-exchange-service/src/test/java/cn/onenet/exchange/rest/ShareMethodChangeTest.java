package cn.onenet.exchange.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.Test;

import cn.onenet.exchange.ExchangeTestBase;
import cn.onenet.exchange.FakeCatalog;
import cn.onenet.exchange.service.CatalogReplicaService;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;

/**
 * 共享方式 after a grant or an answer: a catalogue version whose share method no longer covers a grant's delivery method
 * ends that grant (and only such grants), no approval of a request waiting for its answer issues a grant for a method
 * the entry no longer offers, and delivery follows the entry's current share method at call time.
 */
@QuarkusTest
class ShareMethodChangeTest extends ExchangeTestBase {

    static final String REQUESTS = "/api/exchange/v1/requests/";
    static final String GRANTS = "/api/exchange/v1/grants/";
    static final String PROVIDER = RequestWorkflowTest.PROVIDER;
    static final String CITIZEN = "330282196509230044";

    @Inject
    EntityManager em;
    @Inject
    Event<CatalogReplicaService.EntriesChanged> entriesChanged;

    /** A fresh entry of the test provider with two records, shared by {@code methodType}. */
    private Map<String, Object> entry(String code, String share, String methodType) {
        Map<String, Object> entry = FakeCatalog.add("PUBLISHED", code, "共享方式变更测试目录 " + code, PROVIDER, share,
                "LEVEL_2", "GMSFHM", List.of(Map.of("code", "GMSFHM", "name", "公民身份号码", "sensitive", false),
                        Map.of("code", "XM", "name", "姓名", "sensitive", false)));
        entry.put("shareMethod", Map.of("methodClass", "PLATFORM", "methodType", methodType));
        replica.pollOnce();
        given().urlEncodingEnabled(false).auth().oauth2(operator(PROVIDER)).contentType(ContentType.JSON)
                .body(List.of(Map.of("GMSFHM", "330110200102150052", "XM", "刘洋"),
                        Map.of("GMSFHM", CITIZEN, "XM", "王芳")))
                .post("/api/exchange/v1/datasets/" + FakeCatalog.encoded(code) + "/records").then().statusCode(201);
        return entry;
    }

    /** The next version of the entry, shared by {@code methodType}, applied by the replica. */
    private void changed(Map<String, Object> before, int version, String methodType) {
        Map<String, Object> next = new LinkedHashMap<>(before);
        next.put("version", version);
        next.put("shareMethod", Map.of("methodClass", "PLATFORM", "methodType", methodType));
        FakeCatalog.addItem("CHANGED", next);
        replica.pollOnce();
    }

    private static Map<String, Object> body(String code, String deliveryMethod) {
        Map<String, Object> body = RequestWorkflowTest.body(code, List.of("GMSFHM", "XM"));
        body.put("deliveryMethod", deliveryMethod);
        return body;
    }

    private static long filed(String consumer, String code, String deliveryMethod, String status) {
        return RequestWorkflowTest.file(consumer, body(code, deliveryMethod)).then().statusCode(201)
                .body("status", equalTo(status)).extract().jsonPath().getLong("id");
    }

    private static Response changes(String consumer, long grant) {
        return given().auth().oauth2(consumer).get("/api/exchange/v1/data/subscriptions/" + grant + "/changes");
    }

    private static int version(long request) {
        return given().auth().oauth2(operator(PROVIDER)).get(REQUESTS + request).then().statusCode(200).extract()
                .path("version");
    }

    private static Response post(String token, long id, String action, Map<String, Object> body) {
        return HeadApprovalTest.post(token, id, action, body);
    }

    /** 409 problem+json naming deliveryMethod with the methods the entry's share method covers now. */
    private static void refusedForMethod(Response r, List<String> allowed) {
        r.then().statusCode(409).contentType("application/problem+json")
                .body("type", equalTo("urn:onenet:problem:illegal-transition")).body("errors.field", equalTo(List.of(
                        "deliveryMethod")))
                .body("allowedDeliveryMethods", equalTo(allowed)).body("requestId", notNullValue());
    }

    private static ValidatableResponse request(long id) {
        return given().auth().oauth2(operator(PROVIDER)).get(REQUESTS + id).then().statusCode(200);
    }

    @Test
    void aVersionThatNoLongerCoversAGrantsMethodEndsThatGrantAndOnlyThat() {
        String code = "330000-01-02/907101";
        Map<String, Object> v1 = entry(code, "UNCONDITIONAL", "DATABASE");
        String exporting = NoticeReadTest.freshDepartment();
        String subscribing = NoticeReadTest.freshDepartment();
        long kept = DeliveryTest.fileGranted(operator(exporting), body(code, "BULK"));
        long ended = DeliveryTest.fileGranted(operator(subscribing), body(code, "SUBSCRIPTION"));
        changes(operator(subscribing), ended).then().statusCode(200);
        int keptNotices = DeregisteredEntryTest.noticesAbout(exporting, "GRANT", kept).size();
        int keptHistory = given().auth().oauth2(operator(exporting)).get(GRANTS + kept + "/history").then()
                .statusCode(200).extract().jsonPath().getList("$").size();

        // from version 2 the provider shares the entry as files: a subscription is no longer one of its methods
        changed(v1, 2, "FILE");
        given().auth().oauth2(operator(subscribing)).get(GRANTS + ended).then().statusCode(200)
                .body("status", equalTo("TERMINATED")).body("statusReason", containsString("SUBSCRIPTION"))
                .body("statusReason", containsString("FILE")).body("lastDecision.automatic", equalTo(true));
        given().auth().oauth2(operator(subscribing)).get(GRANTS + ended + "/history").then().statusCode(200)
                .body("find { it.action == 'TERMINATE' }.automatic", equalTo(true))
                .body("find { it.action == 'TERMINATE' }.details.shareMethodType.from", equalTo("DATABASE"))
                .body("find { it.action == 'TERMINATE' }.details.shareMethodType.to", equalTo("FILE"))
                .body("find { it.action == 'TERMINATE' }.details.deliveryMethod", equalTo("SUBSCRIPTION"))
                .body("find { it.action == 'TERMINATE' }.details.allowedDeliveryMethods", equalTo(List.of("BULK",
                        "FILE")));
        // both parties told, in a kind the console shows in words
        assertEquals(List.of("GRANT_TERMINATED"), DeregisteredEntryTest.noticesAbout(subscribing, "GRANT", ended)
                .stream().map(n -> n.get("kind")).toList());
        assertEquals(List.of("GRANT_TERMINATED"), DeregisteredEntryTest.noticesAbout(PROVIDER, "GRANT", ended)
                .stream().map(n -> n.get("kind")).toList());
        // at once on this replica: the ended grant serves nothing
        Response refused = changes(operator(subscribing), ended);
        refused.then().statusCode(403).contentType("application/problem+json");
        assertFalse(refused.asString().contains("王芳"));

        // the export grant is still covered: left alone, no history row, no notice
        given().auth().oauth2(operator(exporting)).get(GRANTS + kept).then().statusCode(200)
                .body("status", equalTo("ACTIVE"));
        assertEquals(keptHistory, given().auth().oauth2(operator(exporting)).get(GRANTS + kept + "/history").then()
                .statusCode(200).extract().jsonPath().getList("$").size());
        assertEquals(keptNotices, DeregisteredEntryTest.noticesAbout(exporting, "GRANT", kept).size());

        // a later version by files again ends nothing more
        changed(v1, 3, "FILE");
        assertEquals(1, DeregisteredEntryTest.noticesAbout(PROVIDER, "GRANT", ended).size());
        given().auth().oauth2(operator(exporting)).get(GRANTS + kept).then().statusCode(200)
                .body("status", equalTo("ACTIVE"));
    }

    @Test
    void noApprovalIssuesAGrantForAMethodTheEntryNoLongerOffers() {
        String code = "330000-01-02/907102";
        Map<String, Object> v1 = entry(code, "CONDITIONAL", "FILE");
        String consumer = operator(NoticeReadTest.freshDepartment());
        String clerk = operatorOnly("share-method-clerk", PROVIDER);
        String providerHead = head("share-method-head", PROVIDER, "周主任");
        long pending = filed(consumer, code, "BULK", "PENDING");
        long proposed = filed(consumer, code, "FILE", "PENDING");
        post(clerk, proposed, "approve", Map.of("version", 0)).then().statusCode(200)
                .body("status", equalTo("ANSWER_AWAITING_HEAD"));
        long supplementing = filed(consumer, code, "BULK", "PENDING");
        post(operator(PROVIDER), supplementing, "supplement", Map.of("version", 0, "reason", "请补充使用范围说明")).then()
                .statusCode(200).body("status", equalTo("SUPPLEMENT_REQUESTED"));
        long extending = filed(consumer, code, "BULK", "PENDING");
        post(operator(PROVIDER), extending, "extension", Map.of("version", 0, "reason", "需核对数据范围", "days", 5))
                .then().statusCode(200);

        // the provider now shares the entry by interface only
        changed(v1, 2, "API");
        List<String> api = List.of("API");
        // the provider's operator holding head, and a clerk proposing an approval for its head
        refusedForMethod(post(operator(PROVIDER), pending, "approve", Map.of("version", 0)), api);
        refusedForMethod(post(clerk, pending, "approve", Map.of("version", 0)), api);
        request(pending).body("status", equalTo("PENDING")).body("grantId", nullValue())
                .body("proposedAnswer", nullValue());
        // the head approving an answer proposed before the change
        int before = version(proposed);
        refusedForMethod(post(providerHead, proposed, "answer-approval", Map.of("version", before)), api);
        request(proposed).body("status", equalTo("ANSWER_AWAITING_HEAD")).body("grantId", nullValue())
                .body("version", equalTo(before));
        // the consumer's resubmission would send the provider a request it can only refuse
        before = version(supplementing);
        refusedForMethod(post(consumer, supplementing, "resubmit", Map.of("version", before, "scope", "本厅社会救助处全体")),
                api);
        request(supplementing).body("status", equalTo("SUPPLEMENT_REQUESTED")).body("scope", equalTo("本厅社会救助处"))
                .body("version", equalTo(before));
        // more time to answer a request that can only be refused: neither asked for nor approved
        refusedForMethod(post(operator(PROVIDER), pending, "extension", Map.of("version", 0, "reason", "需核对",
                "days", 5)), api);
        request(pending).body("extensionDays", nullValue());
        before = version(extending);
        String dueOn = request(extending).extract().path("dueOn");
        refusedForMethod(post(reviewer(), extending, "extension/approve", Map.of("version", before)), api);
        request(extending).body("dueOn", equalTo(dueOn)).body("extended", equalTo(false))
                .body("version", equalTo(before));

        // what stays possible: the provider refuses with reasons, the head returns the proposal
        post(operator(PROVIDER), pending, "refuse", Map.of("version", 0, "reason", "目录共享方式已调整为接口方式，请按接口方式重新申请"))
                .then().statusCode(200).body("status", equalTo("REFUSED"));
        post(providerHead, proposed, "answer-return", Map.of("version", version(proposed), "reason", "共享方式已变更"))
                .then().statusCode(200).body("status", equalTo("PENDING"));
        // a request for the method offered now is approved as before
        long api2 = filed(consumer, code, "API", "PENDING");
        DeliveryTest.approve(api2).then().statusCode(200).body("grantId", notNullValue());
    }

    @Test
    void aDisputeRuledForSharingNeitherReopensNorResumesForAMethodTheEntryNoLongerOffers() {
        String code = "330000-01-02/907104";
        Map<String, Object> v1 = entry(code, "CONDITIONAL", "FILE");
        String consumer = operator(NoticeReadTest.freshDepartment());
        // a refusal, disputed
        long refused = filed(consumer, code, "BULK", "PENDING");
        post(operator(PROVIDER), refused, "refuse", Map.of("version", 0, "reason", "数据范围与共享条件不符")).then()
                .statusCode(200).body("status", equalTo("REFUSED"));
        long onRefusal = given().auth().oauth2(consumer).contentType(ContentType.JSON)
                .body(DisputeObjectionTest.refusalDispute(refused, "履行法定职责确需该数据")).post(DISPUTES).then()
                .statusCode(201).extract().jsonPath().getLong("id");
        // a grant the provider suspended, disputed
        long grant = DeliveryTest.approve(filed(consumer, code, "FILE", "PENDING")).then().statusCode(200).extract()
                .jsonPath().getLong("grantId");
        DeliveryTest.governGrant(operator(PROVIDER), grant, "suspend", 0, "文件交换异常，暂停核查").then().statusCode(200);
        long onSuspension = DisputeObjectionTest.openOnGrant(consumer, "SUSPENSION", grant,
                DisputeObjectionTest.negotiation("2025-12-01")).then().statusCode(201).extract().jsonPath().getLong("id");

        // the replica's row says API while the grant is still suspended (no version applied to the grants yet, as
        // for a row the share-method backfill just filled): a ruling for the consumer would resume a grant for files
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                "UPDATE catalog_entry SET share_method_type = 'API' WHERE resource_code = ?1").setParameter(1, code)
                .executeUpdate());
        entriesChanged.fire(new CatalogReplicaService.EntriesChanged());
        refusedForMethod(resolve(onSuspension, "SHARE"), List.of("API"));
        given().auth().oauth2(consumer).get(GRANTS + grant).then().statusCode(200).body("status", equalTo("SUSPENDED"));
        given().auth().oauth2(reviewer()).get(DISPUTES + "/" + onSuspension).then().statusCode(200)
                .body("status", equalTo("OPEN")).body("version", equalTo(0));

        // version 2 shares by interface only: the refused request reopened could only be refused again
        changed(v1, 2, "API");
        int before = version(refused);
        refusedForMethod(resolve(onRefusal, "SHARE"), List.of("API"));
        request(refused).body("status", equalTo("REFUSED")).body("version", equalTo(before));
        given().auth().oauth2(reviewer()).get(DISPUTES + "/" + onRefusal).then().statusCode(200)
                .body("status", equalTo("OPEN"));
        // the 主管部门 may still uphold the refusal
        resolve(onRefusal, "UPHOLD").then().statusCode(200).body("status", equalTo("RESOLVED_UPHELD"));
    }

    /**
     * Lifting a suspension is held to the entry's share method as it is then, as a dispute ruling is: a grant whose
     * delivery method the replica's row no longer covers is not resumed (409 naming deliveryMethod, still suspended),
     * and is once the row covers it again.
     */
    @Test
    void aSuspendedGrantIsNotResumedForAMethodTheEntryNoLongerOffers() {
        String code = "330000-01-02/907105";
        entry(code, "CONDITIONAL", "FILE");
        String consumer = operator(NoticeReadTest.freshDepartment());
        long grant = DeliveryTest.approve(filed(consumer, code, "FILE", "PENDING")).then().statusCode(200).extract()
                .jsonPath().getLong("grantId");
        DeliveryTest.governGrant(operator(PROVIDER), grant, "suspend", 0, "文件交换异常，暂停核查").then().statusCode(200);
        shareMethodOfRow(code, "API");
        for (String token : List.of(operator(PROVIDER), reviewer())) {
            refusedForMethod(DeliveryTest.governGrant(token, grant, "resume", 1, "核查完毕，恢复共享"), List.of("API"));
        }
        given().auth().oauth2(consumer).get(GRANTS + grant).then().statusCode(200).body("status", equalTo("SUSPENDED"))
                .body("version", equalTo(1));
        shareMethodOfRow(code, "DATABASE");
        DeliveryTest.governGrant(operator(PROVIDER), grant, "resume", 1, "核查完毕，恢复共享").then().statusCode(200)
                .body("status", equalTo("ACTIVE"));
    }

    /** The replica's row says {@code type} while no version was applied to the grants (as after the backfill). */
    private void shareMethodOfRow(String code, String type) {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                "UPDATE catalog_entry SET share_method_type = ?2 WHERE resource_code = ?1").setParameter(1, code)
                .setParameter(2, type).executeUpdate());
        entriesChanged.fire(new CatalogReplicaService.EntriesChanged());
    }

    static final String DISPUTES = "/api/exchange/v1/disputes";

    private static Response resolve(long dispute, String outcome) {
        return given().auth().oauth2(reviewer()).contentType(ContentType.JSON)
                .body(Map.of("version", 0, "outcome", outcome, "resolution", "经协调，按目录现行共享方式办理"))
                .post(DISPUTES + "/" + dispute + "/resolve");
    }

    @Test
    void deliveryFollowsTheReplicasShareMethodAtCallTime() {
        String code = "330000-01-02/907103";
        Map<String, Object> v1 = entry(code, "UNCONDITIONAL", "API");
        String consumer = operator(NoticeReadTest.freshDepartment());
        long grant = DeliveryTest.fileGranted(consumer, body(code, "API"));
        DeliveryTest.lookup(consumer, code, CITIZEN).then().statusCode(200).body("grantId", equalTo((int) grant));

        // the replica's row says FILE while the grant is still in force (no version applied to the grants yet, as
        // for a row the share-method backfill just filled): the call is refused, the grant untouched
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                "UPDATE catalog_entry SET share_method_type = 'FILE' WHERE resource_code = ?1").setParameter(1, code)
                .executeUpdate());
        entriesChanged.fire(new CatalogReplicaService.EntriesChanged());
        Response refused = DeliveryTest.lookup(consumer, code, CITIZEN);
        refused.then().statusCode(403).contentType("application/problem+json")
                .body("errors.field", equalTo(List.of("deliveryMethod"))).body("deliveryMethod", equalTo("API"))
                .body("allowedDeliveryMethods", equalTo(List.of("BULK", "FILE")))
                .body("shareMethodType", equalTo("FILE")).body("requestId", notNullValue());
        assertFalse(refused.asString().contains("王芳"));
        given().auth().oauth2(consumer).get(GRANTS + grant).then().statusCode(200).body("status", equalTo("ACTIVE"));

        // the row back as the catalogue's version 1 says: it serves again
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                "UPDATE catalog_entry SET share_method_type = 'API' WHERE resource_code = ?1").setParameter(1, code)
                .executeUpdate());
        entriesChanged.fire(new CatalogReplicaService.EntriesChanged());
        DeliveryTest.lookup(consumer, code, CITIZEN).then().statusCode(200);

        // version 2 shares files only: the first call after the replica applied it is refused, the grant ended
        changed(v1, 2, "FILE");
        DeliveryTest.lookup(consumer, code, CITIZEN).then().statusCode(403);
        given().auth().oauth2(consumer).get(GRANTS + grant).then().statusCode(200)
                .body("status", equalTo("TERMINATED"));
    }
}
