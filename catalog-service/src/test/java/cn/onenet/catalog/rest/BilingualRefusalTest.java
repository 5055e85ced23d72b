package cn.onenet.catalog.rest;

import static cn.onenet.catalog.support.Fixtures.as;
import static cn.onenet.catalog.support.Fixtures.create;
import static cn.onenet.catalog.support.Fixtures.editor;
import static cn.onenet.catalog.support.Fixtures.entry;
import static cn.onenet.catalog.support.Fixtures.operator;
import static org.hamcrest.Matchers.equalTo;

import java.util.Map;

import org.junit.jupiter.api.Test;

import cn.onenet.catalog.support.FakeExchange;
import cn.onenet.catalog.support.Fixtures;
import cn.onenet.testsupport.PostgresTestResource;
import cn.onenet.testsupport.TestOidcResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Refusals say what is wrong in Chinese and in English, as every other refusal of the API does. */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestOidcResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FakeExchange.class, restrictToAnnotatedClass = false)
class BilingualRefusalTest {

    @Test
    void anUnknownAssessmentKind() {
        long id = create(editor(), entry("双语-评估类型"));
        as(editor()).body(Map.of("reference", "BM-1", "conclusion", "不涉密", "assessedOn",
                Fixtures.registrationDay(id))).post("/api/catalog/v1/entries/" + id + "/assessments/other").then()
                .statusCode(400).body("errors[0].field", equalTo("kind"))
                .body("errors[0].message", equalTo("评估类型应为 secrecy 或 personal-information / kind must be "
                        + "secrecy or personal-information"));
    }

    @Test
    void anUnservedDcatFormat() {
        // a type the resource produces, refused by quality 0 (RFC 9110 §12.4.2): the resource itself answers
        as(operator()).accept("text/turtle;q=0").get("/api/catalog/v1/dcat/catalog").then().statusCode(406)
                .body("detail", equalTo("仅支持 text/turtle 和 application/ld+json / only text/turtle and "
                        + "application/ld+json are served"));
    }
}
