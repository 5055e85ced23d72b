package cn.onenet.catalog.rest;

import static cn.onenet.catalog.support.Fixtures.editor;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.Test;

import cn.onenet.catalog.support.FakeExchange;
import cn.onenet.testsupport.PostgresTestResource;
import cn.onenet.testsupport.TestOidcResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A method a path does not serve is a 405 whose {@code Allow} names the methods it does serve (RFC 9110 §15.5.6),
 * as problem+json with the request id; OPTIONS names the same methods for that path, not every method of the
 * resource class.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestOidcResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FakeExchange.class, restrictToAnnotatedClass = false)
class AllowHeaderTest {

    @Test
    void aMethodThePathDoesNotServeIsA405NamingTheMethodsItDoes() {
        given().header("X-Request-Id", "allow-search").delete("/api/catalog/v1/search").then().statusCode(405)
                .contentType("application/problem+json").header("Allow", "GET, HEAD, OPTIONS")
                .body("type", equalTo("urn:onenet:problem:method-not-allowed"))
                .body("requestId", equalTo("allow-search"));
        // an entry is read, changed and (a draft) deleted, never posted to
        given().auth().oauth2(editor()).post("/api/catalog/v1/entries/1").then().statusCode(405)
                .contentType("application/problem+json").header("Allow", "DELETE, GET, HEAD, OPTIONS, PUT");
        given().auth().oauth2(editor()).put("/api/catalog/v1/entries").then().statusCode(405)
                .header("Allow", "GET, HEAD, OPTIONS, POST");
        // two resource classes share /api/catalog/v1: each path names the methods of whichever serves it
        given().post("/api/catalog/v1").then().statusCode(405).header("Allow", "GET, HEAD, OPTIONS");
        given().post("/api/catalog/v1/calendar/2031-03-04").then().statusCode(405)
                .contentType("application/problem+json").header("Allow", "DELETE, OPTIONS, PUT");
    }

    @Test
    void optionsNamesTheMethodsOfThePathAsked() {
        // the class serves GET, POST and PUT on its paths, but not all of them on each
        given().options("/api/catalog/v1/entries").then().statusCode(200)
                .header("Allow", "GET, HEAD, OPTIONS, POST");
        given().options("/api/catalog/v1/entries/1").then().statusCode(200)
                .header("Allow", "DELETE, GET, HEAD, OPTIONS, PUT");
        given().options("/api/catalog/v1/entries/1/submit").then().statusCode(200)
                .header("Allow", "OPTIONS, POST");
    }
}
