package cn.onenet.catalog.rest;

import static cn.onenet.catalog.support.Fixtures.as;
import static cn.onenet.catalog.support.Fixtures.create;
import static cn.onenet.catalog.support.Fixtures.editor;
import static cn.onenet.catalog.support.Fixtures.entry;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import cn.onenet.catalog.model.CatalogEntry;
import cn.onenet.catalog.support.FakeExchange;
import cn.onenet.testsupport.PostgresTestResource;
import cn.onenet.testsupport.TestOidcResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;

/**
 * A JSON body naming a field its type does not have is refused with 400 naming the field (its path inside the body),
 * not read as if the field were absent: a {@code state} the workflow alone sets, a misspelt item property or a
 * misspelt workflow field would otherwise be dropped without a word. Nothing is stored.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestOidcResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FakeExchange.class, restrictToAnnotatedClass = false)
class UnknownBodyFieldTest {

    private static final String E = "/api/catalog/v1/entries";

    private static long named(String name) {
        return QuarkusTransaction.requiringNew().call(() -> CatalogEntry.count("name", name));
    }

    private static void refusedNaming(ValidatableResponse r, String field, String requestId) {
        r.statusCode(400).contentType(startsWith("application/problem+json"))
                .body("type", equalTo("urn:onenet:problem:validation")).body("field", equalTo(field))
                .body("errors[0].field", equalTo(field)).body("detail", containsString(field))
                .body("requestId", equalTo(requestId));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aNewEntryWithAnUnknownFieldIsRefusedAndNotStored() {
        String name = "未知字段-新建";
        Map<String, Object> body = entry(name);
        body.put("state", "PUBLISHED");
        String requestId = UUID.randomUUID().toString();
        refusedNaming(as(editor()).header("X-Request-Id", requestId).body(body).post(E).then(), "state", requestId);
        assertEquals(0, named(name));

        body.remove("state");
        ((List<Map<String, Object>>) body.get("items")).get(1).put("sensitve", false);
        requestId = UUID.randomUUID().toString();
        refusedNaming(as(editor()).header("X-Request-Id", requestId).body(body).post(E).then(), "items[1].sensitve",
                requestId);
        assertEquals(0, named(name));

        // the body the API documents is stored
        ((List<Map<String, Object>>) body.get("items")).get(1).remove("sensitve");
        as(editor()).body(body).post(E).then().statusCode(201).body("draft.name", equalTo(name));
        assertEquals(1, named(name));
    }

    @Test
    void aDraftEditOrAWorkflowStepWithAnUnknownFieldChangesNothing() {
        long id = create(editor(), entry("未知字段-修改"));
        Map<String, Object> edit = entry("未知字段-已修改");
        edit.put("lockVersion", 5);
        String requestId = UUID.randomUUID().toString();
        refusedNaming(as(editor()).header("If-Match", "0").header("X-Request-Id", requestId).body(edit)
                .put(E + "/" + id).then(), "lockVersion", requestId);
        as(editor()).get(E + "/" + id).then().statusCode(200).body("draft.name", equalTo("未知字段-修改"))
                .body("lockVersion", equalTo(0));

        // a misspelt reason of a deregistration request is not an empty one
        requestId = UUID.randomUUID().toString();
        refusedNaming(as(editor()).header("X-Request-Id", requestId).body(Map.of("reasn", "拟并入统一提供"))
                .post(E + "/" + id + "/deregistration").then(), "reasn", requestId);
        as(editor()).get(E + "/" + id + "/history").then().statusCode(200)
                .body("action", not(hasItem("REQUEST_DEREGISTRATION")));

        edit.remove("lockVersion");
        as(editor()).header("If-Match", "0").body(edit).put(E + "/" + id).then().statusCode(200)
                .body("draft.name", equalTo("未知字段-已修改"));
    }
}
