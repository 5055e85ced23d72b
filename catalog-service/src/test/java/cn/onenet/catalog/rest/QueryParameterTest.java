package cn.onenet.catalog.rest;

import static cn.onenet.catalog.support.Fixtures.admin;
import static cn.onenet.catalog.support.Fixtures.as;
import static cn.onenet.catalog.support.Fixtures.editor;
import static cn.onenet.catalog.support.Fixtures.reviewer;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import cn.onenet.catalog.support.FakeExchange;
import cn.onenet.testsupport.PostgresTestResource;
import cn.onenet.testsupport.TestOidcResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Query parameters an operation does not read, and search filters with values no entry can have, are refused with
 * 400 naming them: answering them as if they had been applied (an unsorted list for {@code sort=}, the unfiltered
 * catalogue for a misspelt facet, an empty page for {@code shareAttribute=FOO}) would mislead the caller.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestOidcResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FakeExchange.class, restrictToAnnotatedClass = false)
class QueryParameterTest {

    private static final String S = "/api/catalog/v1/search";

    private static void refused(Response r, String field, String detail) {
        r.then().statusCode(400).contentType("application/problem+json").body("field", equalTo(field))
                .body("errors[0].field", equalTo(field)).body("detail", containsString(detail))
                .body("requestId", notNullValue());
    }

    @Test
    void anUnknownQueryParameterIsA400NamingItWithTheParametersTheOperationReads() {
        refused(given().get(S + "?q=户籍&sort=name"), "sort", "shareAttribute");
        refused(given().get(S + "?q=户籍&order=desc"), "order", "cursor");
        // a misspelt facet would otherwise answer with the whole catalogue
        refused(given().get(S + "?shareattribute=UNCONDITIONAL"), "shareattribute", "shareAttribute");
        refused(as(editor()).get("/api/catalog/v1/entries?sort=name"), "sort", "state");
        refused(as(editor()).get("/api/catalog/v1/entries?stat=DRAFT"), "stat", "state");
        refused(given().accept("application/ld+json").get("/api/catalog/v1/dcat/catalog?format=jsonld"), "format",
                "page");
        refused(as(reviewer()).get("/api/catalog/v1/entries/overdue?region=330000"), "region", "none");
        // the parameters an operation reads still work, the facet filters of the search included
        given().get(S + "?q=户籍&size=5&facets=false&shareAttribute=CONDITIONAL&region=330000").then()
                .statusCode(200);
        as(editor()).get("/api/catalog/v1/entries?state=DRAFT&size=5&page=0").then().statusCode(200);
        as(admin()).get("/api/catalog/v1/calendar?year=2026").then().statusCode(200);
    }

    @Test
    void aQueryOfIdeographicSpacesIsNoQueryAsOneOfSpacesIs() {
        int all = given().get(S + "?q=").then().statusCode(200).extract().path("total");
        assertTrue(all > 0, "the open catalogue has entries");
        given().queryParam("q", "  ").get(S).then().statusCode(200).body("total", equalTo(all));
        // U+3000, which Chinese input methods type for a space, found nothing instead of everything
        given().queryParam("q", "\u3000\u3000").get(S).then().statusCode(200).body("total", equalTo(all));
    }

    @Test
    void aSearchFilterValueNoEntryCanHaveIsA400NamingTheFacetWithItsValues() {
        refused(given().get(S + "?shareAttribute=FOO"), "shareAttribute", "UNCONDITIONAL");
        refused(given().get(S + "?updateCycle=每日"), "updateCycle", "DAILY");
        refused(given().get(S + "?grade=x"), "grade", "LEVEL_3");
        refused(given().get(S + "?resourceClass=base"), "resourceClass", "BASE");
        refused(given().get(S + "?openAttribute=yes"), "openAttribute", "OPEN");
        refused(given().get(S + "?format=pdf"), "format", "DATABASE");
        refused(given().get(S + "?region=33"), "region", "six-digit");
        refused(given().get(S + "?region=abc"), "region", "six-digit");
        // codes are read as typed: a full-width region code is the code
        given().get(S + "?region=３３００００").then().statusCode(200);
        given().get(S + "?grade=LEVEL_3&updateCycle=DAILY&resourceClass=BASE&openAttribute=OPEN&format=DATABASE")
                .then().statusCode(200);
        // free-text facets (the provider's name, the category) match as typed
        given().get(S + "?provider=没有这个部门&category=人口").then().statusCode(200).body("total", equalTo(0));
    }
}
