package cn.onenet.catalog.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import org.junit.jupiter.api.Test;

import cn.onenet.catalog.support.FakeExchange;
import cn.onenet.testsupport.OpenApiDocumentCheck;
import cn.onenet.testsupport.PostgresTestResource;
import cn.onenet.testsupport.TestOidcResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Readers of the catalogue's API work from its OpenAPI document: every operation needs a summary and a documented
 * success answer, and every JSON body an example.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestOidcResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FakeExchange.class, restrictToAnnotatedClass = false)
class OpenApiDocumentTest {

    @Test
    void everyOperationHasASummaryAndEveryBodyAnExample() {
        OpenApiDocumentCheck.ofTestApplication().assertComplete();
    }

    @Test
    void freeFormJsonIsDocumentedAsAnyValueNotAsJacksonInternals() {
        given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .body("components.schemas.JsonValue.description", is("any JSON value"))
                .body("components.schemas.EntryView.properties.secrecyAssessment.$ref",
                        is("#/components/schemas/JsonValue"))
                .body(not(containsString("\"valueNode\"")));
    }
}
