package cn.onenet.exchange.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import cn.onenet.exchange.ExchangeTestBase;
import cn.onenet.exchange.FakeCatalog;
import cn.onenet.exchange.model.Objection;
import cn.onenet.exchange.model.ShareRequest;
import cn.onenet.exchange.service.DemoData;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/**
 * A JSON body naming a field its type does not have is refused with 400 naming the field (its path inside the body),
 * not read as if the field were absent: a misspelt {@code purpse} would otherwise file a request without its
 * purpose's check, a {@code status} the workflow alone sets would be dropped without a word. Nothing is stored.
 */
@QuarkusTest
class UnknownBodyFieldTest extends ExchangeTestBase {

    private static final String EXCHANGE = "/api/exchange/v1";

    private static long count(Class<?> entity) {
        return QuarkusTransaction.requiringNew().call(() -> entity == ShareRequest.class ? ShareRequest.count()
                : Objection.count());
    }

    private static void refusedNaming(ValidatableResponse r, String field, String requestId) {
        r.statusCode(400).contentType(startsWith("application/problem+json"))
                .body("type", equalTo("urn:onenet:problem:validation")).body("field", equalTo(field))
                .body("errors[0].field", equalTo(field)).body("detail", containsString(field))
                .body("requestId", equalTo(requestId));
    }

    private static ValidatableResponse post(String token, String path, Object body, String requestId) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).header("X-Request-Id", requestId)
                .body(body).post(EXCHANGE + path).then();
    }

    @Test
    void aShareRequestWithAnUnknownFieldIsRefusedAndNotFiled() {
        String consumer = operator(RequestWorkflowTest.CONSUMER);
        long before = count(ShareRequest.class);
        Map<String, Object> misspelt = RequestWorkflowTest.body(FakeCatalog.UNCONDITIONAL, List.of("GMSFHM", "XM"));
        misspelt.put("purpse", misspelt.remove("purpose"));
        String requestId = UUID.randomUUID().toString();
        refusedNaming(post(consumer, "/requests", misspelt, requestId), "purpse", requestId);

        Map<String, Object> withStatus = RequestWorkflowTest.body(FakeCatalog.UNCONDITIONAL, List.of("GMSFHM", "XM"));
        withStatus.put("status", "GRANTED");
        requestId = UUID.randomUUID().toString();
        refusedNaming(post(consumer, "/requests", withStatus, requestId), "status", requestId);

        Map<String, Object> nested = RequestWorkflowTest.body(FakeCatalog.UNCONDITIONAL, List.of("GMSFHM", "XM"));
        nested.put("attestation", Map.of("truthful", true, "lawful", true, "necessary", true, "signed", true));
        requestId = UUID.randomUUID().toString();
        refusedNaming(post(consumer, "/requests", nested, requestId), "attestation.signed", requestId);
        assertEquals(before, count(ShareRequest.class));

        // the body the API documents is filed
        post(consumer, "/requests", RequestWorkflowTest.body(FakeCatalog.UNCONDITIONAL, List.of("GMSFHM", "XM")),
                UUID.randomUUID().toString()).statusCode(201).body("purpose", equalTo("社会保障待遇资格认证"));
        assertEquals(before + 1, count(ShareRequest.class));
    }

    @Test
    void anObjectionOrAnAnswerWithAnUnknownFieldChangesNothing() {
        String consumer = operator(DemoData.HUMAN_RESOURCES); // holds the demo grant on 居民户籍信息
        String provider = operator(DemoData.POLICE);
        long before = count(Objection.class);
        Map<String, Object> body = new HashMap<>(Map.of("resourceCode", FakeCatalog.POPULATION, "recordKey",
                "33010619850312001X", "description", "户籍地址已变更", "status", "ANSWERED"));
        String requestId = UUID.randomUUID().toString();
        refusedNaming(post(consumer, "/objections", body, requestId), "status", requestId);
        assertEquals(before, count(Objection.class));

        body.remove("status");
        long id = post(consumer, "/objections", body, UUID.randomUUID().toString()).statusCode(201)
                .body("status", equalTo("OPEN")).extract().jsonPath().getLong("id");
        requestId = UUID.randomUUID().toString();
        refusedNaming(post(provider, "/objections/" + id + "/answer", Map.of("version", 0, "outcome", "CORRECTED", "reasn", "已更正"),
                requestId), "reasn", requestId);
        given().auth().oauth2(provider).get(EXCHANGE + "/objections/" + id).then().statusCode(200)
                .body("status", equalTo("OPEN")).body("version", equalTo(0));
        try (var upload = CorrectedUpload.of(FakeCatalog.POPULATION, "33010619850312001X", "HJDZ")) {
            post(provider, "/objections/" + id + "/answer", Map.of("version", 0, "outcome", "CORRECTED", "reason", "经核实，户籍地址已更正"),
                    UUID.randomUUID().toString()).statusCode(200).body("status", equalTo("ANSWERED"));
        }
    }
}
