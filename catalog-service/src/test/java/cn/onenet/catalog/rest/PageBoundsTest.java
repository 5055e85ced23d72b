package cn.onenet.catalog.rest;

import static cn.onenet.catalog.support.Fixtures.as;
import static cn.onenet.catalog.support.Fixtures.reviewer;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import org.junit.jupiter.api.Test;

import cn.onenet.catalog.support.FakeExchange;
import cn.onenet.testsupport.PostgresTestResource;
import cn.onenet.testsupport.TestOidcResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The paged lists compute their first row, page × size, as an int: a page beyond it is refused with a problem naming
 * {@code page}, and the last page that still fits answers (empty) as any page past the end.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestOidcResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FakeExchange.class, restrictToAnnotatedClass = false)
class PageBoundsTest {

    private static final String MAX = String.valueOf(Integer.MAX_VALUE);

    @Test
    void theWorkListRefusesAPageWhoseFirstRowOverflows() {
        as(reviewer()).queryParam("page", MAX).get("/api/catalog/v1/entries").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("page"));
        as(reviewer()).queryParam("page", Integer.MAX_VALUE / 50 + 1).queryParam("size", 50)
                .get("/api/catalog/v1/entries").then().statusCode(400).body("errors[0].field", equalTo("page"));
        as(reviewer()).queryParam("page", Integer.MAX_VALUE / 50).queryParam("size", 50)
                .get("/api/catalog/v1/entries").then().statusCode(200).body("size()", equalTo(0));
    }

    @Test
    void theDcatCatalogRefusesAPageWhoseFirstRowOverflows() {
        given().accept("text/turtle").queryParam("page", MAX).get("/api/catalog/v1/dcat/catalog").then()
                .statusCode(400).contentType("application/problem+json").body("errors[0].field", equalTo("page"));
        given().accept("text/turtle").queryParam("page", Integer.MAX_VALUE / 100).get("/api/catalog/v1/dcat/catalog")
                .then().statusCode(200);
        // the last page of size 1 has no next page (page + 1 does not wrap around)
        given().accept("text/turtle").queryParam("page", MAX).queryParam("size", 1).get("/api/catalog/v1/dcat/catalog")
                .then().statusCode(200).body(not(containsString("page=-")));
    }
}
