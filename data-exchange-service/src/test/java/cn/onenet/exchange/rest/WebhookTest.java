package cn.onenet.exchange.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

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
import cn.onenet.exchange.WebhookReceiver;
import cn.onenet.exchange.WebhookReceiver.Hit;
import cn.onenet.exchange.WebhookReceiver.Reply;
import cn.onenet.exchange.service.DemoData;
import cn.onenet.testsupport.TestTokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Signed webhooks (test settings: back-off base 100 ms, 4 attempts, drained every 0.1 s) against a real HTTP
 * receiver on 127.0.0.1.
 */
@QuarkusTest
class WebhookTest extends ExchangeTestBase {

    static final String PROVIDER = RequestWorkflowTest.PROVIDER;
    static final String CONSUMER = DemoData.CIVIL_AFFAIRS;
    static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    AgroalDataSource dataSource;

    /** A fresh unconditional entry of the test provider, granted to the consumer (GMSFHM, XM; not ZY). */
    long freshGrant(String code) {
        return freshGrant(replica, code);
    }

    static long freshGrant(cn.onenet.exchange.service.CatalogReplicaService replica, String code) {
        freshEntry(replica, code, "UNCONDITIONAL");
        return RequestWorkflowTest.file(operator(CONSUMER),
                DeliveryMethodTest.body(code, List.of("GMSFHM", "XM"), "SUBSCRIPTION"))
                .then().statusCode(201).body("status", equalTo("GRANTED")).extract().jsonPath().getLong("grantId");
    }

    /** A fresh entry of the test provider (GMSFHM, XM sensitive; ZY), with the share attribute given. */
    static void freshEntry(cn.onenet.exchange.service.CatalogReplicaService replica, String code, String share) {
        FakeCatalog.add("PUBLISHED", code, "测试订阅目录 " + code, PROVIDER, share, "LEVEL_3", "GMSFHM",
                List.of(Map.of("code", "GMSFHM", "name", "公民身份号码", "sensitive", true),
                        Map.of("code", "XM", "name", "姓名", "sensitive", true),
                        Map.of("code", "ZY", "name", "职业", "sensitive", false)));
        replica.pollOnce();
    }

    static void push(String code, String id, String name) {
        given().urlEncodingEnabled(false).auth().oauth2(operator(PROVIDER)).contentType(ContentType.JSON)
                .body(List.of(Map.of("GMSFHM", id, "XM", name, "ZY", "教师")))
                .post("/api/exchange/v1/datasets/" + FakeCatalog.encoded(code) + "/records").then().statusCode(201);
    }

    static io.restassured.response.Response register(String token, long grant, String url) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("url", url))
                .put("/api/exchange/v1/subscriptions/" + grant + "/webhook");
    }

    static Map<String, Object> webhook(long grant) {
        return given().auth().oauth2(operator(CONSUMER)).get("/api/exchange/v1/subscriptions/" + grant + "/webhook")
                .then().statusCode(200).extract().jsonPath().getMap("");
    }

    @Test
    @SuppressWarnings("unchecked")
    void signedDeliveryRetriedWithExponentialBackOffVerifiesWithTheJwksAlone() throws Exception {
        String code = "330000-01-02/900201";
        long grant = freshGrant(code);
        // fails three times (503), then accepts
        try (WebhookReceiver rx = new WebhookReceiver(n -> Reply.of(n <= 3 ? 503 : 204))) {
            // who may register, and where to
            register(operator(CONSUMER), grant, "http://example.gov.cn/hook").then().statusCode(400)
                    .contentType("application/problem+json");
            register(operator(CONSUMER), grant, "ftp://127.0.0.1/hook").then().statusCode(400);
            register(operator(DemoData.EMERGENCY), grant, rx.url()).then().statusCode(404);
            register(TestTokens.citizen("c", "33010619850312001X", AUD), grant, rx.url()).then().statusCode(403);
            given().contentType(ContentType.JSON).body(Map.of("url", rx.url()))
                    .put("/api/exchange/v1/subscriptions/" + grant + "/webhook").then().statusCode(401);
            register(operator(CONSUMER), grant, rx.url()).then().statusCode(201).body("status", equalTo("ACTIVE"));
            register(operator(CONSUMER), grant, rx.url()).then().statusCode(200);

            push(code, "330110200102150052", "刘洋");
            List<Hit> hits = rx.await(4);
            Thread.sleep(300);
            assertEquals(4, rx.hits().size(), "delivered once accepted, never again");

            // one event, four deliveries, each with its own id and usage-log entry
            assertEquals(1, new HashSet<>(hits.stream().map(h -> h.header("X-Exchange-Event-Id")).toList()).size());
            assertEquals(4, new HashSet<>(hits.stream().map(h -> h.header("X-Exchange-Delivery-Id")).toList()).size());

            // back-off: the delays chosen after each failure double (plus ≤ 50 % jitter) and were waited out
            List<Long> retryIn = retryDelays(grant);
            assertEquals(4, retryIn.size());
            assertBetween(retryIn.get(0), 100, 150);
            assertBetween(retryIn.get(1), 200, 300);
            assertBetween(retryIn.get(2), 400, 600);
            assertNull(retryIn.get(3));
            for (int i = 1; i < 4; i++) {
                long gapMs = (hits.get(i).atNanos() - hits.get(i - 1).atNanos()) / 1_000_000;
                assertTrue(gapMs >= retryIn.get(i - 1) - 5, "attempt " + (i + 1) + " came after " + gapMs + " ms, "
                        + "before its back-off of " + retryIn.get(i - 1) + " ms");
            }

            // the receiver checks the seal with nothing but the published JWKS
            JWKSet jwks = JWKSet.parse(given().get("/api/exchange/v1/seals/jwks").asString());
            Hit last = hits.get(3);
            JWSObject jws = JWSObject.parse(last.header("X-Exchange-Seal"), new Payload(last.body()));
            OctetKeyPair key = (OctetKeyPair) jwks.getKeyByKeyId(jws.getHeader().getKeyID());
            assertTrue(jws.verify(new Ed25519Verifier(key)));
            assertEquals(PROVIDER, jws.getHeader().getCustomParam("dept"));
            // replay protection: delivery id, event id and time are inside the signed header
            assertEquals(last.header("X-Exchange-Delivery-Id"), jws.getHeader().getCustomParam("delivery"));
            assertEquals(last.header("X-Exchange-Event-Id"), jws.getHeader().getCustomParam("event"));
            assertEquals(Long.parseLong(last.header("X-Exchange-Timestamp")),
                    ((Number) jws.getHeader().getCustomParam("iat")).longValue());
            String body = new String(last.body(), StandardCharsets.UTF_8);
            JWSObject edited = JWSObject.parse(last.header("X-Exchange-Seal"),
                    new Payload(body.replace("刘*", "王*").getBytes(StandardCharsets.UTF_8)));
            assertFalse(edited.verify(new Ed25519Verifier(key)));
            // a replayed seal does not fit another delivery's body
            JWSObject replayed = JWSObject.parse(hits.get(0).header("X-Exchange-Seal"), new Payload(last.body()));
            assertFalse(replayed.verify(new Ed25519Verifier(key)));

            // minimised and masked exactly like API delivery
            Map<String, Object> event = JSON.readValue(last.body(), Map.class);
            Map<String, Object> record = (Map<String, Object>) event.get("record");
            assertEquals(Map.of("GMSFHM", "330***********0052", "XM", "刘*"), record);
            assertFalse(body.contains("教师"));
            assertFalse(body.contains("330110200102150052"));
            assertEquals(last.header("X-Exchange-Delivery-Id"), event.get("deliveryId"));

            // every delivery was logged before it left
            for (Hit h : hits) {
                long seq = Long.parseLong(h.header("X-Usage-Log-Seq"));
                given().auth().oauth2(auditor()).get("/api/exchange/v1/usage-log?after=" + (seq - 1) + "&limit=1")
                        .then().statusCode(200).body("[0].requestId", equalTo(h.header("X-Exchange-Delivery-Id")))
                        .body("[0].operation", equalTo("WEBHOOK")).body("[0].grantId", equalTo((int) grant))
                        .body("[0].consumerDepartmentCode", equalTo(CONSUMER));
            }
            Map<String, Object> state = webhook(grant);
            assertEquals(Map.of("DELIVERED", 1), state.get("events"));
            given().auth().oauth2(operator(DemoData.EMERGENCY)).get("/api/exchange/v1/subscriptions/" + grant
                    + "/webhook").then().statusCode(404);
        } finally {
            given().auth().oauth2(operator(CONSUMER)).delete("/api/exchange/v1/subscriptions/" + grant + "/webhook")
                    .then().statusCode(204);
        }
    }

    @Test
    void givesUpAfterTheLastAttemptNotifiesTheConsumerAndResumesInOrder() throws Exception {
        String code = "330000-01-02/900202";
        long grant = freshGrant(code);
        try (WebhookReceiver rx = new WebhookReceiver(n -> Reply.of(500))) {
            register(operator(CONSUMER), grant, rx.url()).then().statusCode(201);
            push(code, "330110200102150052", "刘洋");
            rx.await(4);
            awaitStatus(grant, "FAILING");
            Thread.sleep(500);
            assertEquals(4, rx.hits().size(), "bounded: max-attempts is 4");
            given().auth().oauth2(operator(CONSUMER)).get("/api/exchange/v1/notices").then()
                    .body("kind", hasItem("WEBHOOK_FAILING"));
            // while failing, new changes queue up but are not sent
            push(code, "330282196509230044", "王芳");
            Thread.sleep(500);
            assertEquals(4, rx.hits().size());
            // the receiver is fixed; the consumer resumes: both events arrive, oldest first
            rx.script(n -> Reply.of(200));
            given().auth().oauth2(operator(DemoData.EMERGENCY)).post("/api/exchange/v1/subscriptions/" + grant
                    + "/webhook/resume").then().statusCode(404);
            given().auth().oauth2(operator(CONSUMER)).post("/api/exchange/v1/subscriptions/" + grant
                    + "/webhook/resume").then().statusCode(200).body("status", equalTo("ACTIVE"));
            List<Hit> hits = rx.await(6);
            List<Long> cursors = new ArrayList<>();
            for (Hit h : hits.subList(4, 6)) {
                cursors.add(((Number) JSON.readValue(h.body(), Map.class).get("cursor")).longValue());
            }
            assertTrue(cursors.get(0) < cursors.get(1), "per-subscription order: " + cursors);
            assertEquals(hits.get(0).header("X-Exchange-Event-Id"), hits.get(4).header("X-Exchange-Event-Id"));
            given().auth().oauth2(operator(CONSUMER)).post("/api/exchange/v1/subscriptions/" + grant
                    + "/webhook/resume").then().statusCode(409);
        } finally {
            given().auth().oauth2(operator(CONSUMER)).delete("/api/exchange/v1/subscriptions/" + grant + "/webhook");
        }
    }

    @Test
    void aClientErrorIsNotRetriedAndTooManyRequestsWaitsForRetryAfter() throws Exception {
        String code = "330000-01-02/900203";
        long grant = freshGrant(code);
        try (WebhookReceiver rx = new WebhookReceiver(n -> Reply.of(400))) {
            register(operator(CONSUMER), grant, rx.url()).then().statusCode(201);
            push(code, "330110200102150052", "刘洋");
            rx.await(1);
            awaitStatus(grant, "FAILING");
            Thread.sleep(500);
            assertEquals(1, rx.hits().size(), "400 is not retried");
            // 429 with Retry-After: 1 s, far above the 100 ms back-off base
            rx.script(n -> n == 2 ? new Reply(429, "1") : Reply.of(200));
            given().auth().oauth2(operator(CONSUMER)).post("/api/exchange/v1/subscriptions/" + grant
                    + "/webhook/resume").then().statusCode(200);
            List<Hit> hits = rx.await(3);
            long gapMs = (hits.get(2).atNanos() - hits.get(1).atNanos()) / 1_000_000;
            assertEquals(429, hits.get(1).answered());
            assertTrue(gapMs >= 990, "Retry-After honoured: next attempt after " + gapMs + " ms");
            // the receiver answers before the dispatcher records the delivery
            awaitEvents(grant, Map.of("DELIVERED", 1));
        } finally {
            given().auth().oauth2(operator(CONSUMER)).delete("/api/exchange/v1/subscriptions/" + grant + "/webhook");
        }
    }

    @Test
    void aSuspendedGrantHoldsDeliveriesAndATerminatedOneStopsThem() throws Exception {
        String code = "330000-01-02/900204";
        long grant = freshGrant(code);
        try (WebhookReceiver rx = new WebhookReceiver(n -> Reply.of(200))) {
            register(operator(CONSUMER), grant, rx.url()).then().statusCode(201);
            given().auth().oauth2(operator(PROVIDER)).contentType(ContentType.JSON)
                    .body(Map.of("version", 0, "reason", "超范围使用，暂停核查"))
                    .post("/api/exchange/v1/grants/" + grant + "/suspend").then().statusCode(200);
            // registering needs an active grant
            register(operator(CONSUMER), grant, rx.url()).then().statusCode(403);
            push(code, "330110200102150052", "刘洋");
            Thread.sleep(1000);
            assertEquals(0, rx.hits().size(), "nothing leaves under a suspended grant");
            given().auth().oauth2(operator(PROVIDER)).contentType(ContentType.JSON)
                    .body(Map.of("version", 1, "reason", "核查完毕")).post("/api/exchange/v1/grants/" + grant + "/resume")
                    .then().statusCode(200);
            rx.await(1);
            // a 无条件共享 grant: the 主管部门 ends it, not the provider (R15)
            given().auth().oauth2(reviewer()).contentType(ContentType.JSON)
                    .body(Map.of("version", 2, "reason", "违规使用未整改")).post("/api/exchange/v1/grants/" + grant + "/terminate")
                    .then().statusCode(200);
            push(code, "330282196509230044", "王芳");
            awaitStatus(grant, "STOPPED");
            Thread.sleep(300);
            assertEquals(1, rx.hits().size(), "nothing leaves after termination");
            given().auth().oauth2(operator(CONSUMER)).get("/api/exchange/v1/notices").then()
                    .body("kind", hasItem("WEBHOOK_STOPPED"));
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void aBacklogReplaysFromACursorAndNothingLeavesWithoutItsUsageLogEntry() throws Exception {
        String code = "330000-01-02/900205";
        long grant = freshGrant(code);
        push(code, "330110200102150052", "刘洋"); // before the webhook exists
        push(code, "330282196509230044", "王芳");
        try (WebhookReceiver rx = new WebhookReceiver(n -> Reply.of(200))) {
            sql("CREATE FUNCTION fail_webhook_log() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'log write killed'; "
                    + "END $$ LANGUAGE plpgsql",
                    "CREATE TRIGGER kill_webhook_log BEFORE INSERT ON usage_log FOR EACH ROW "
                            + "EXECUTE FUNCTION fail_webhook_log()");
            try {
                given().auth().oauth2(operator(CONSUMER)).contentType(ContentType.JSON)
                        .body(Map.of("url", rx.url(), "after", 0))
                        .put("/api/exchange/v1/subscriptions/" + grant + "/webhook").then().statusCode(201);
                Thread.sleep(1000);
                assertEquals(0, rx.hits().size(), "no delivery leaves before its usage-log entry is committed");
            } finally {
                sql("DROP TRIGGER kill_webhook_log ON usage_log", "DROP FUNCTION fail_webhook_log()");
            }
            List<Hit> hits = rx.await(2);
            List<Object> names = new ArrayList<>();
            for (Hit h : hits) {
                names.add(((Map<String, Object>) JSON.readValue(h.body(), Map.class).get("record")).get("XM"));
            }
            assertEquals(List.of("刘*", "王*"), names, "the backlog arrives in change order");
            // once sent, the outbox keeps no copy of the provider's record (cleared when the receiver's answer is
            // committed, a moment after the receiver has the POST)
            String copies = "SELECT count(*) FROM webhook_outbox o JOIN webhook_subscription s "
                    + "ON s.id = o.subscription_id WHERE s.grant_id = " + grant + " AND o.data IS NOT NULL";
            long left = count(copies);
            for (int i = 0; i < 100 && left > 0; i++) {
                Thread.sleep(50);
                left = count(copies);
            }
            assertEquals(0L, left);
        } finally {
            given().auth().oauth2(operator(CONSUMER)).delete("/api/exchange/v1/subscriptions/" + grant + "/webhook");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void aGrantWithoutTheKeyItemReceivesNoKey() throws Exception {
        String code = "330000-01-02/900221";
        // grade 1: nothing masked, so a key sent would go out in clear
        FakeCatalog.add("PUBLISHED", code, "测试订阅目录 " + code, PROVIDER, "UNCONDITIONAL", "LEVEL_1", "GMSFHM",
                List.of(Map.of("code", "GMSFHM", "name", "公民身份号码", "sensitive", true),
                        Map.of("code", "XM", "name", "姓名", "sensitive", false),
                        Map.of("code", "ZY", "name", "职业", "sensitive", false)));
        replica.pollOnce();
        long grant = RequestWorkflowTest.file(operator(CONSUMER),
                DeliveryMethodTest.body(code, List.of("XM"), "SUBSCRIPTION"))
                .then().statusCode(201).body("status", equalTo("GRANTED")).extract().jsonPath().getLong("grantId");
        try (WebhookReceiver rx = new WebhookReceiver(n -> Reply.of(200))) {
            register(operator(CONSUMER), grant, rx.url()).then().statusCode(201);
            push(code, "330110200102150052", "刘洋");
            Map<String, Object> body = JSON.readValue(rx.await(1).get(0).body(), Map.class);
            assertFalse(body.containsKey("key"), "the grant does not deliver GMSFHM: " + body);
            assertEquals(Map.of("XM", "刘洋"), body.get("record"));
            assertFalse(new String(rx.hits().get(0).body(), StandardCharsets.UTF_8).contains("330110200102150052"));
        } finally {
            given().auth().oauth2(operator(CONSUMER)).delete("/api/exchange/v1/subscriptions/" + grant + "/webhook");
        }
    }

    @Test
    void aFailingWebhookStopsWhenItsGrantEndsAndKeepsNoCopies() throws Exception {
        String code = "330000-01-02/900222";
        long grant = freshGrant(code);
        try (WebhookReceiver rx = new WebhookReceiver(n -> Reply.of(400))) {
            register(operator(CONSUMER), grant, rx.url()).then().statusCode(201);
            push(code, "330110200102150052", "刘洋");
            rx.await(1);
            awaitStatus(grant, "FAILING");
            push(code, "330282196509230044", "王芳"); // queued while failing
            int version = given().auth().oauth2(reviewer()).get("/api/exchange/v1/grants/" + grant).then()
                    .statusCode(200).extract().jsonPath().getInt("version");
            given().auth().oauth2(reviewer()).contentType(ContentType.JSON)
                    .body(Map.of("version", version, "reason", "违规使用未整改"))
                    .post("/api/exchange/v1/grants/" + grant + "/terminate").then().statusCode(200);
            // stopped with the termination, not at a next delivery (a failing webhook is not drained)
            assertEquals("STOPPED", webhook(grant).get("status"));
            String rows = "SELECT count(*) FROM webhook_outbox o JOIN webhook_subscription s "
                    + "ON s.id = o.subscription_id WHERE s.grant_id = " + grant;
            long before = count(rows);
            push(code, "330110200102150052", "刘洋洋");
            push(code, "330106199001010018", "陈晨");
            Thread.sleep(300);
            assertEquals(before, count(rows), "no event is queued for an ended grant");
            assertEquals(0L, count(rows + " AND o.data IS NOT NULL"), "no copy of the provider's records is kept");
            assertEquals(0L, count(rows + " AND o.status = 'PENDING'"));
            assertEquals(1, rx.hits().size());
            given().auth().oauth2(operator(CONSUMER)).get("/api/exchange/v1/notices").then()
                    .body("findAll { it.kind == 'WEBHOOK_STOPPED' }.subjectId",
                            hasItem(((Number) webhook(grant).get("id")).intValue()));
        }
    }

    @Test
    void anUnresolvableReceiverLeavesNoAccessInTheCitizensView() throws Exception {
        String code = "330000-01-02/900223";
        String subject = "330106198807070023";
        long grant = freshGrant(code);
        try (WebhookReceiver rx = new WebhookReceiver(n -> Reply.of(200))) {
            register(operator(CONSUMER), grant, rx.url()).then().statusCode(201);
            // a name that never resolves (RFC 6761), stored as a receiver's name may stop resolving after registration
            sql("UPDATE webhook_subscription SET url = 'http://hooks.receiver.invalid/hook' WHERE grant_id = " + grant);
            push(code, subject, "赵敏");
            awaitStatus(grant, "FAILING");
            Map<String, Object> view = webhook(grant);
            Map<?, ?> event = (Map<?, ?>) ((List<?>) view.get("recent")).get(0);
            assertEquals("GAVE_UP", event.get("status"));
            assertEquals("CONNECT_FAILED", event.get("lastError"));
            assertNull(event.get("usageLogSeq"), "nothing was sealed nor logged: " + event);
            assertEquals(0, rx.hits().size());
            given().auth().oauth2(TestTokens.citizen("zhao", subject, AUD)).get("/api/exchange/v1/me/data-accesses")
                    .then().statusCode(200).body("findAll { it.resourceCode == '" + code + "' }.size()", equalTo(0));
            assertEquals(0L, count("SELECT count(*) FROM usage_log WHERE resource_code = '" + code
                    + "' AND operation = 'WEBHOOK'"));
        } finally {
            given().auth().oauth2(operator(CONSUMER)).delete("/api/exchange/v1/subscriptions/" + grant + "/webhook");
        }
    }

    @Test
    void aRefusedConnectionLeavesNoAccessInTheCitizensView() throws Exception {
        String code = "330000-01-02/900224";
        String subject = "330106198807070031";
        long grant = freshGrant(code);
        try (WebhookReceiver rx = new WebhookReceiver(n -> Reply.of(200))) {
            // nothing listens there: every attempt is logged before connecting, and the connection is refused
            registerRefused(grant, rx);
            push(code, subject, "钱多");
            awaitStatus(grant, "FAILING");
            String entries = "SELECT count(*) FROM usage_log WHERE resource_code = '" + code
                    + "' AND operation = 'WEBHOOK' AND outcome = ";
            assertEquals(4L, count(entries + "'DELIVERED'"));
            assertEquals(4L, count(entries + "'NOT_SENT'"), "each delivery that never left is followed by NOT_SENT");
            given().auth().oauth2(TestTokens.citizen("qian", subject, AUD)).get("/api/exchange/v1/me/data-accesses")
                    .then().statusCode(200).body("findAll { it.resourceCode == '" + code + "' }.size()", equalTo(0));

            // once the receiver answers, the delivery shows
            answeredBy(grant, rx);
            rx.await(1);
            given().auth().oauth2(TestTokens.citizen("qian", subject, AUD)).get("/api/exchange/v1/me/data-accesses")
                    .then().statusCode(200).body("findAll { it.resourceCode == '" + code + "' }.size()", equalTo(1));
        } finally {
            given().auth().oauth2(operator(CONSUMER)).delete("/api/exchange/v1/subscriptions/" + grant + "/webhook");
        }
    }

    @Test
    void aDeliveryThatNeverLeftIsNotTheGrantsFirstDelivery() throws Exception {
        String code = "330000-01-02/900225";
        String subject = "330106198807070058";
        freshEntry(replica, code, "CONDITIONAL");
        long request = RequestWorkflowTest.file(operator(CONSUMER),
                DeliveryMethodTest.body(code, List.of("GMSFHM", "XM"), "SUBSCRIPTION")).then().statusCode(201)
                .body("status", equalTo("PENDING")).extract().jsonPath().getLong("id");
        long grant = DeliveryTest.approve(request).then().statusCode(200).extract().jsonPath().getLong("grantId");
        String provider = operator(PROVIDER);
        try (WebhookReceiver rx = new WebhookReceiver(n -> Reply.of(200))) {
            registerRefused(grant, rx);
            // the records arrive while the grant is suspended (an upload delivers only to grants in force): the
            // webhook is its first delivery once the grant is resumed
            DeliveryTest.governGrant(provider, grant, "suspend", 0, "接口改造暂停").then().statusCode(200);
            push(code, subject, "孙丽");
            DeliveryTest.governGrant(provider, grant, "resume", 1, "改造完成").then().statusCode(200);
            awaitStatus(grant, "FAILING");
            assertEquals(4L, count("SELECT count(*) FROM usage_log WHERE grant_id = " + grant
                    + " AND operation = 'WEBHOOK' AND outcome = 'NOT_SENT'"));
            // nothing left the exchange: the 20 working days still run
            given().auth().oauth2(operator(CONSUMER)).get("/api/exchange/v1/grants/" + grant).then().statusCode(200)
                    .body("firstDeliveredAt", nullValue()).body("deliveryDue", notNullValue());
            assertEquals(1L, count("SELECT count(*) FROM share_grant WHERE id = " + grant
                    + " AND first_delivered_at IS NULL"));

            // once the receiver answers, the delivery is the grant's first
            answeredBy(grant, rx);
            rx.await(1);
            long undelivered = 1;
            for (int i = 0; i < 100 && undelivered > 0; i++) {
                Thread.sleep(50);
                undelivered = count("SELECT count(*) FROM share_grant WHERE id = " + grant
                        + " AND first_delivered_at IS NULL");
            }
            assertEquals(0L, undelivered);
            given().auth().oauth2(operator(CONSUMER)).get("/api/exchange/v1/grants/" + grant).then().statusCode(200)
                    .body("firstDeliveredAt", notNullValue());
        } finally {
            given().auth().oauth2(operator(CONSUMER)).delete("/api/exchange/v1/subscriptions/" + grant + "/webhook");
        }
    }

    @Test
    void aConnectionNotMadeInTimeSentNothing() throws Exception {
        String code = "330000-01-02/900226";
        String subject = "330106198807070074";
        long grant = approvedGrant(code);
        List<java.net.Socket> queued = new ArrayList<>();
        // a server that never accepts, its accept queue filled: the kernel drops further connection attempts, so a
        // connection to it is never made (connect timeout) and no byte of a request leaves
        try (java.net.ServerSocket full = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
                WebhookReceiver rx = new WebhookReceiver(n -> Reply.of(200))) {
            boolean dropped = false;
            for (int i = 0; i < 16 && !dropped; i++) {
                java.net.Socket s = new java.net.Socket();
                try {
                    s.connect(full.getLocalSocketAddress(), 300);
                    queued.add(s);
                } catch (java.net.SocketTimeoutException e) {
                    s.close();
                    dropped = true;
                }
            }
            assertTrue(dropped, "the accept queue is full");
            pointAt(grant, rx, full.getLocalPort());
            pushWhileSuspended(grant, code, subject, "周正");
            // not connected is not a timed-out answer: each delivery never connected is followed by NOT_SENT
            gaveUp(grant, code, "CONNECT_FAILED", 4);
            assertFalse(firstDelivered(grant), "nothing was delivered under the grant");
            assertEquals(0, accessesShown("zhou", subject, code));
        } finally {
            closeAll(queued, grant);
        }
    }

    @Test
    void anAnswerNotGivenInTimeWasSent() throws Exception {
        String code = "330000-01-02/900227";
        String subject = "330106198807070082";
        long grant = approvedGrant(code);
        List<java.net.Socket> held = java.util.Collections.synchronizedList(new ArrayList<>());
        // a server that takes the connection and the request but never answers: the request left the exchange
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
                WebhookReceiver rx = new WebhookReceiver(n -> Reply.of(200))) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(silent.accept());
                    }
                } catch (java.io.IOException closed) {
                    // the test is over
                }
            }, "silent-receiver");
            acceptor.setDaemon(true);
            acceptor.start();
            pointAt(grant, rx, silent.getLocalPort());
            pushWhileSuspended(grant, code, subject, "吴桐");
            // a request sent and not answered was delivered: no NOT_SENT
            gaveUp(grant, code, "TIMEOUT", 0);
            assertTrue(firstDelivered(grant), "the grant's first delivery");
            assertTrue(accessesShown("wu", subject, code) > 0, "the citizen sees the deliveries");
        } finally {
            synchronized (held) {
                closeAll(held, grant);
            }
        }
    }

    @Test
    void oneEventAcceptedAfterRefusalsIsOneAccessInTheCitizensView() throws Exception {
        String code = "330000-01-02/900228";
        String subject = "330106198807070103";
        long grant = freshGrant(code);
        // refused three times (503), then accepted: four requests, one delivery
        try (WebhookReceiver rx = new WebhookReceiver(n -> Reply.of(n <= 3 ? 503 : 204))) {
            register(operator(CONSUMER), grant, rx.url()).then().statusCode(201);
            push(code, subject, "郑和");
            List<Hit> hits = rx.await(4);
            awaitEvents(grant, Map.of("DELIVERED", 1));
            String entries = "SELECT count(*) FROM usage_log WHERE resource_code = '" + code
                    + "' AND operation = 'WEBHOOK' AND outcome = ";
            // every request left with its entry; each one the receiver refused is followed by NOT_ACCEPTED
            assertEquals(4L, count(entries + "'DELIVERED'"));
            assertEquals(3L, count(entries + "'NOT_ACCEPTED'"));
            assertEquals(List.of(hits.get(3).header("X-Exchange-Delivery-Id")), accessIds("zheng", subject, code),
                    "the citizen sees the one accepted delivery");
        } finally {
            given().auth().oauth2(operator(CONSUMER)).delete("/api/exchange/v1/subscriptions/" + grant + "/webhook");
        }
    }

    @Test
    void anEventRefusedToTheLastAttemptIsNoAccessInTheCitizensView() throws Exception {
        String code = "330000-01-02/900229";
        String subject = "330106198807070111";
        long grant = freshGrant(code);
        try (WebhookReceiver rx = new WebhookReceiver(n -> Reply.of(500))) {
            register(operator(CONSUMER), grant, rx.url()).then().statusCode(201);
            push(code, subject, "冯远");
            rx.await(4);
            awaitStatus(grant, "FAILING");
            awaitCount("SELECT count(*) FROM usage_log WHERE resource_code = '" + code
                    + "' AND operation = 'WEBHOOK' AND outcome = 'NOT_ACCEPTED'", 4);
            assertEquals(List.of(), accessIds("feng", subject, code), "no attempt was taken by the receiver");
        } finally {
            given().auth().oauth2(operator(CONSUMER)).delete("/api/exchange/v1/subscriptions/" + grant + "/webhook");
        }
    }

    @Test
    void anEventSentAgainAfterATimeoutIsShownOnceAtItsFirstSending() throws Exception {
        String code = "330000-01-02/900230";
        String subject = "330106198807070138";
        long grant = freshGrant(code);
        // the first request is read and never answered (the receiver may have the record), the second accepted
        try (WebhookReceiver rx = new WebhookReceiver(n -> n == 1 ? Reply.none() : Reply.of(200))) {
            register(operator(CONSUMER), grant, rx.url()).then().statusCode(201);
            push(code, subject, "陈实");
            List<Hit> hits = rx.await(2);
            awaitEvents(grant, Map.of("DELIVERED", 1));
            assertEquals(hits.get(0).header("X-Exchange-Event-Id"), hits.get(1).header("X-Exchange-Event-Id"));
            String second = hits.get(1).header("X-Exchange-Delivery-Id");
            awaitCount("SELECT count(*) FROM usage_log WHERE request_id = '" + second
                    + "' AND operation = 'WEBHOOK' AND outcome = 'REPEATED'", 1);
            assertEquals(List.of(hits.get(0).header("X-Exchange-Delivery-Id")), accessIds("chen", subject, code),
                    "one event, one access: the first time it may have reached the receiver");
        } finally {
            given().auth().oauth2(operator(CONSUMER)).delete("/api/exchange/v1/subscriptions/" + grant + "/webhook");
        }
    }

    /** The request ids of the accesses on the resource the citizens' view shows the subject. */
    private static List<String> accessIds(String citizen, String subject, String code) {
        return given().auth().oauth2(TestTokens.citizen(citizen, subject, AUD)).get("/api/exchange/v1/me/data-accesses")
                .then().statusCode(200).extract().jsonPath()
                .getList("findAll { it.resourceCode == '" + code + "' }.requestId", String.class);
    }

    private void awaitEvents(long grant, Map<String, Object> events) throws InterruptedException {
        for (int i = 0; i < 150 && !events.equals(webhook(grant).get("events")); i++) {
            Thread.sleep(50);
        }
        assertEquals(events, webhook(grant).get("events"));
    }

    private void awaitCount(String query, long expected) throws Exception {
        for (int i = 0; i < 150 && count(query) != expected; i++) {
            Thread.sleep(50);
        }
        assertEquals(expected, count(query), query);
    }

    private boolean firstDelivered(long grant) throws Exception {
        return count("SELECT count(*) FROM share_grant WHERE id = " + grant + " AND first_delivered_at IS NOT NULL")
                == 1;
    }

    /** How many accesses on the resource the citizens' view shows the subject. */
    private static int accessesShown(String citizen, String subject, String code) {
        return given().auth().oauth2(TestTokens.citizen(citizen, subject, AUD)).get("/api/exchange/v1/me/data-accesses")
                .then().statusCode(200).extract().jsonPath()
                .getInt("findAll { it.resourceCode == '" + code + "' }.size()");
    }

    /** Closes the test's sockets and deletes the grant's webhook. */
    private static void closeAll(List<java.net.Socket> sockets, long grant) throws java.io.IOException {
        for (java.net.Socket s : sockets) {
            s.close();
        }
        given().auth().oauth2(operator(CONSUMER)).delete("/api/exchange/v1/subscriptions/" + grant + "/webhook");
    }

    /** A grant the provider approved on a fresh 有条件共享 entry: its first delivery is still to come. */
    private long approvedGrant(String code) {
        freshEntry(replica, code, "CONDITIONAL");
        long request = RequestWorkflowTest.file(operator(CONSUMER),
                DeliveryMethodTest.body(code, List.of("GMSFHM", "XM"), "SUBSCRIPTION")).then().statusCode(201)
                .body("status", equalTo("PENDING")).extract().jsonPath().getLong("id");
        return DeliveryTest.approve(request).then().statusCode(200).extract().jsonPath().getLong("grantId");
    }

    /**
     * Uploads a record while the grant is suspended (an upload to a grant in force would itself be its first
     * delivery), then resumes the grant: its webhook is then the only delivery.
     */
    private void pushWhileSuspended(long grant, String code, String subject, String name) {
        String provider = operator(PROVIDER);
        DeliveryTest.governGrant(provider, grant, "suspend", 0, "接口改造暂停").then().statusCode(200);
        push(code, subject, name);
        DeliveryTest.governGrant(provider, grant, "resume", 1, "改造完成").then().statusCode(200);
    }

    /** Registers a webhook for the grant, then points it at a local port nothing listens on (connection refused). */
    private void registerRefused(long grant, WebhookReceiver rx) throws Exception {
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        pointAt(grant, rx, closed);
    }

    /** Registers a webhook for the grant, then points it at a local port (registration refuses a bare loopback port). */
    private void pointAt(long grant, WebhookReceiver rx, int port) throws Exception {
        register(operator(CONSUMER), grant, rx.url()).then().statusCode(201);
        sql("UPDATE webhook_subscription SET url = 'http://127.0.0.1:" + port + "/hook' WHERE grant_id = " + grant);
    }

    /**
     * The grant's webhook gave up after its four attempts with {@code lastError}: four WEBHOOK entries logged before
     * sending, {@code notSent} of them followed by NOT_SENT.
     */
    private void gaveUp(long grant, String code, String lastError, long notSent) throws Exception {
        awaitStatus(grant, "FAILING", 300);
        Map<?, ?> event = (Map<?, ?>) ((List<?>) webhook(grant).get("recent")).get(0);
        assertEquals("GAVE_UP", event.get("status"));
        assertEquals(lastError, event.get("lastError"));
        String entries = "SELECT count(*) FROM usage_log WHERE resource_code = '" + code
                + "' AND operation = 'WEBHOOK' AND outcome = ";
        assertEquals(4L, count(entries + "'DELIVERED'"));
        assertEquals(notSent, count(entries + "'NOT_SENT'"));
    }

    /** Points the grant's failing webhook back at the receiver and resumes it. */
    private void answeredBy(long grant, WebhookReceiver rx) throws Exception {
        sql("UPDATE webhook_subscription SET url = '" + rx.url() + "' WHERE grant_id = " + grant);
        given().auth().oauth2(operator(CONSUMER)).post("/api/exchange/v1/subscriptions/" + grant + "/webhook/resume")
                .then().statusCode(200);
    }

    private void sql(String... statements) throws Exception {
        try (Connection c = dataSource.getConnection(); java.sql.Statement st = c.createStatement()) {
            for (String s : statements) {
                st.execute(s);
            }
        }
    }

    private long count(String query) throws Exception {
        try (Connection c = dataSource.getConnection(); java.sql.Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void awaitStatus(long grant, String status) throws InterruptedException {
        awaitStatus(grant, status, 150);
    }

    private void awaitStatus(long grant, String status, int polls) throws InterruptedException {
        String now = null;
        for (int i = 0; i < polls && !status.equals(now); i++) {
            Thread.sleep(50);
            now = (String) webhook(grant).get("status");
        }
        assertEquals(status, now);
    }

    private List<Long> retryDelays(long grant) throws Exception {
        List<Long> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT a.retry_in_ms FROM webhook_attempt a JOIN webhook_outbox o ON o.id = a.outbox_id "
                        + "JOIN webhook_subscription s ON s.id = o.subscription_id WHERE s.grant_id = ? "
                        + "ORDER BY a.attempt")) {
            ps.setLong(1, grant);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getObject(1) == null ? null : rs.getLong(1));
                }
            }
        }
        return out;
    }

    private static void assertBetween(long value, long min, long max) {
        assertTrue(value >= min && value <= max, value + " not in [" + min + ", " + max + "]");
    }
}
