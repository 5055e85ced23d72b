package cn.onenet.catalog.rest;

import static cn.onenet.catalog.support.Fixtures.as;
import static cn.onenet.catalog.support.Fixtures.editor;
import static cn.onenet.catalog.support.Fixtures.entry;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import cn.onenet.catalog.support.FakeExchange;
import cn.onenet.testsupport.PostgresTestResource;
import cn.onenet.testsupport.TestOidcResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A parameter or body field of the wrong type answers 400 problem+json naming it (the shared rules of common), not
 * the JAX-RS default 404 or a silently rounded value.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestOidcResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FakeExchange.class, restrictToAnnotatedClass = false)
class WrongTypeParameterTest {

    private static final String E = "/api/catalog/v1/entries";

    @Test
    void aNonNumericQueryParameterIsA400NamingIt() {
        as(editor()).get(E + "?size=abc").then().statusCode(400).contentType("application/problem+json")
                .body("field", equalTo("size")).body("errors[0].field", equalTo("size"))
                .body("requestId", notNullValue());
        as(editor()).get(E + "?page=x").then().statusCode(400).body("field", equalTo("page"));
    }

    @Test
    void anUnknownEnumValueIsA400NamingItWithTheAllowedValues() {
        as(editor()).get(E + "?state=FOO").then().statusCode(400).contentType("application/problem+json")
                .body("field", equalTo("state")).body("detail", containsString("DRAFT"))
                .body("requestId", notNullValue());
    }

    @Test
    void aNonNumericPathIdIsA400NamingIt() {
        as(editor()).get(E + "/abc").then().statusCode(400).contentType("application/problem+json")
                .body("field", equalTo("id"));
        // an unknown path stays 404
        as(editor()).get("/api/catalog/v1/no-such-thing").then().statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void aFractionForAnIntegerFieldIsA400NamingIt() throws Exception {
        Map<String, Object> body = entry("类型-小数长度");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> items = (List<Map<String, Object>>) body.get("items");
        items.get(0).put("length", 1.5);
        as(editor()).body(body).post(E).then().statusCode(400).contentType("application/problem+json")
                .body("field", equalTo("items[0].length")).body("requestId", notNullValue());
        as(editor()).get(E + "?size=200").then().statusCode(200)
                .body("findAll { it.name == '类型-小数长度' }.size()", equalTo(0));
    }

    @Test
    void trailingContentAfterTheBodyIsA400() throws Exception {
        String json = new ObjectMapper().writeValueAsString(entry("类型-多余内容"));
        as(editor()).body(json + " {\"name\": \"x\"}").post(E).then().statusCode(400)
                .contentType("application/problem+json").body("requestId", notNullValue());
        as(editor()).body(json + " garbage").post(E).then().statusCode(400)
                .contentType("application/problem+json");
        as(editor()).get(E + "?size=200").then().statusCode(200)
                .body("findAll { it.name == '类型-多余内容' }.size()", equalTo(0));
    }
}
