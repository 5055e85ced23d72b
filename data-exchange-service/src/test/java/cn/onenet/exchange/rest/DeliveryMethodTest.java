package cn.onenet.exchange.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import cn.onenet.exchange.ExchangeTestBase;
import cn.onenet.exchange.FakeCatalog;
import cn.onenet.exchange.WebhookReceiver;
import cn.onenet.exchange.WebhookReceiver.Reply;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * A grant is used only the way it was asked for and issued (共享方式): API for lookups and queries, BULK or FILE
 * for exports, SUBSCRIPTION for the change feed and webhooks.
 */
@QuarkusTest
class DeliveryMethodTest extends ExchangeTestBase {

    static final String CODE = "330000-01-02/900042";
    static final String CONSUMER = RequestWorkflowTest.CONSUMER;
    static final String PROVIDER = RequestWorkflowTest.PROVIDER;
    static final String KEY = "330110200102150052";
    static boolean published;

    @Inject
    AgroalDataSource dataSource;

    @BeforeEach
    void entryWithARecord() {
        if (!published) {
            published = true;
            FakeCatalog.add("PUBLISHED", CODE, "共享方式测试目录", PROVIDER, "UNCONDITIONAL", "LEVEL_2",
                    "GMSFHM", List.of(Map.of("code", "GMSFHM", "name", "公民身份号码", "sensitive", true),
                            Map.of("code", "XM", "name", "姓名", "sensitive", true)));
            replica.pollOnce();
            given().urlEncodingEnabled(false).auth().oauth2(operator(PROVIDER)).contentType(ContentType.JSON)
                    .body(List.of(Map.of("GMSFHM", KEY, "XM", "刘洋")))
                    .post("/api/exchange/v1/datasets/" + FakeCatalog.encoded(CODE) + "/records").then()
                    .statusCode(201);
        }
    }

    /** A filing for the items of an entry, asking for the delivery method. */
    static Map<String, Object> body(String resourceCode, List<String> items, String deliveryMethod) {
        Map<String, Object> body = new HashMap<>(RequestWorkflowTest.body(resourceCode, items));
        body.put("deliveryMethod", deliveryMethod);
        return body;
    }

    /** A grant (无条件共享: issued at filing) for the delivery method. */
    static long grant(String method) {
        return RequestWorkflowTest.file(operator(CONSUMER), body(CODE, List.of("GMSFHM", "XM"), method)).then()
                .statusCode(201)
                .body("status", equalTo("GRANTED")).extract().jsonPath().getLong("grantId");
    }

    static Response lookup(long grant) {
        return given().urlEncodingEnabled(false).auth().oauth2(operator(CONSUMER)).header("X-Grant-Id", grant)
                .get(DeliveryTest.path(CODE, KEY));
    }

    static Response export(long grant) {
        return given().auth().oauth2(operator(CONSUMER)).contentType(ContentType.JSON)
                .body(Map.of("grantId", grant, "format", "CSV")).post("/api/exchange/v1/exports");
    }

    static Response feed(long grant) {
        return given().auth().oauth2(operator(CONSUMER))
                .get("/api/exchange/v1/data/subscriptions/" + grant + "/changes?after=0");
    }

    static Response subscribe(long grant, String url) {
        return given().auth().oauth2(operator(CONSUMER)).contentType(ContentType.JSON)
                .body(Map.of("url", url, "after", 0)).put("/api/exchange/v1/subscriptions/" + grant + "/webhook");
    }

    static void refused(Response r, String method) {
        r.then().statusCode(403).contentType("application/problem+json").body("deliveryMethod", equalTo(method))
                .body("detail", containsString("the grant's delivery method is " + method));
    }

    @Test
    void anApiGrantLooksUpButNeitherExportsNorSubscribes() throws Exception {
        long grant = grant("API");
        lookup(grant).then().statusCode(200).body("record.XM", equalTo("刘*"));
        refused(export(grant), "API");
        refused(feed(grant), "API");
        try (WebhookReceiver rx = new WebhookReceiver(n -> Reply.of(204))) {
            // a replay from cursor 0 would push every record of the dataset
            refused(subscribe(grant, rx.url()), "API");
            given().auth().oauth2(operator(CONSUMER)).get("/api/exchange/v1/subscriptions/" + grant + "/webhook")
                    .then().statusCode(404);
            Thread.sleep(300);
            org.junit.jupiter.api.Assertions.assertEquals(List.of(), rx.hits());
        }
    }

    @Test
    void bulkAndFileGrantsExportButDoNotLookUp() {
        for (String method : List.of("BULK", "FILE")) {
            long grant = grant(method);
            export(grant).then().statusCode(202);
            refused(lookup(grant), method);
            refused(feed(grant), method);
            given().urlEncodingEnabled(false).auth().oauth2(operator(CONSUMER)).header("X-Grant-Id", grant)
                    .get("/api/exchange/v1/data/" + FakeCatalog.encoded(CODE) + "/records?XM=x").then().statusCode(403);
        }
    }

    @Test
    void aSubscriptionGrantSubscribesButDoesNotLookUpOrExport() throws Exception {
        long grant = grant("SUBSCRIPTION");
        feed(grant).then().statusCode(200).body("changes.size()", equalTo(1));
        refused(lookup(grant), "SUBSCRIPTION");
        refused(export(grant), "SUBSCRIPTION");
        try (WebhookReceiver rx = new WebhookReceiver(n -> Reply.of(204))) {
            subscribe(grant, rx.url()).then().statusCode(201);
            rx.await(1);
            given().auth().oauth2(operator(CONSUMER)).delete("/api/exchange/v1/subscriptions/" + grant + "/webhook")
                    .then().statusCode(204);
        }
    }

    @Test
    void aLookupNamingNoGrantUsesTheApiGrantAndNothingIsServedOnceTheEntryIsDeregistered() throws Exception {
        String code = "330000-01-02/900043";
        Map<String, Object> entry = FakeCatalog.add("PUBLISHED", code, "共享方式注销测试目录", PROVIDER, "UNCONDITIONAL",
                "LEVEL_2", "GMSFHM", List.of(Map.of("code", "GMSFHM", "name", "公民身份号码", "sensitive", true)));
        replica.pollOnce();
        given().urlEncodingEnabled(false).auth().oauth2(operator(PROVIDER)).contentType(ContentType.JSON)
                .body(List.of(Map.of("GMSFHM", KEY))).post("/api/exchange/v1/datasets/" + FakeCatalog.encoded(code)
                        + "/records").then().statusCode(201);
        long api = RequestWorkflowTest.file(operator(CONSUMER), body(code, List.of("GMSFHM"), "API")).then()
                .statusCode(201).extract().jsonPath().getLong("grantId");
        // the newer grant is for subscription: a call naming no grant still resolves to the API grant
        RequestWorkflowTest.file(operator(CONSUMER), body(code, List.of("GMSFHM"), "SUBSCRIPTION")).then()
                .statusCode(201);
        given().urlEncodingEnabled(false).auth().oauth2(operator(CONSUMER)).get(DeliveryTest.path(code, KEY)).then()
                .statusCode(200).body("grantId", equalTo((int) api));

        FakeCatalog.addItem("DEREGISTERED", entry);
        replica.pollOnce();
        // catalogue facts are re-read within seconds on every replica
        int status = 0;
        for (int i = 0; i < 80 && status != 410; i++) {
            status = given().urlEncodingEnabled(false).auth().oauth2(operator(CONSUMER)).header("X-Grant-Id", api)
                    .get(DeliveryTest.path(code, KEY)).statusCode();
            if (status != 410) {
                Thread.sleep(100);
            }
        }
        given().urlEncodingEnabled(false).auth().oauth2(operator(CONSUMER)).header("X-Grant-Id", api)
                .get(DeliveryTest.path(code, KEY)).then().statusCode(410).contentType("application/problem+json")
                .body("resourceCode", equalTo(code)).body("detail", containsString("deregistered"));
    }

    @Test
    void aWebhookOfAGrantNotForSubscriptionIsStoppedAndItsConsumerTold() throws Exception {
        long grant = grant("SUBSCRIPTION");
        try (WebhookReceiver rx = new WebhookReceiver(n -> Reply.of(204))) {
            subscribe(grant, rx.url()).then().statusCode(201);
            rx.await(1);
            // a webhook registered before delivery methods were enforced, on a grant issued for API lookups
            try (java.sql.Connection c = dataSource.getConnection(); java.sql.PreparedStatement ps = c
                    .prepareStatement("UPDATE share_grant SET delivery_method = 'API' WHERE id = ?")) {
                ps.setLong(1, grant);
                assertEquals(1, ps.executeUpdate());
            }
            Thread.sleep(1100); // grants are re-read within a second
            given().urlEncodingEnabled(false).auth().oauth2(operator(PROVIDER)).contentType(ContentType.JSON)
                    .body(List.of(Map.of("GMSFHM", KEY, "XM", "刘洋洋")))
                    .post("/api/exchange/v1/datasets/" + FakeCatalog.encoded(CODE) + "/records").then()
                    .statusCode(201);
            String status = null;
            for (int i = 0; i < 100 && !"STOPPED".equals(status); i++) {
                Thread.sleep(100);
                status = given().auth().oauth2(operator(CONSUMER))
                        .get("/api/exchange/v1/subscriptions/" + grant + "/webhook").jsonPath().getString("status");
            }
            given().auth().oauth2(operator(CONSUMER)).get("/api/exchange/v1/subscriptions/" + grant + "/webhook")
                    .then().statusCode(200).body("status", equalTo("STOPPED"))
                    .body("statusReason", containsString("not for subscription"));
            assertEquals(1, rx.hits().size(), "nothing more is pushed");
            given().auth().oauth2(operator(CONSUMER)).get("/api/exchange/v1/notices").then().statusCode(200)
                    .body("findAll { it.kind == 'WEBHOOK_STOPPED' }.message", org.hamcrest.Matchers
                            .hasItem(containsString("not for subscription")));
        }
    }
}
