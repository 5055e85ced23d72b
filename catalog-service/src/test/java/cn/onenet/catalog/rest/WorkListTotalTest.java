package cn.onenet.catalog.rest;

import static cn.onenet.catalog.support.Fixtures.action;
import static cn.onenet.catalog.support.Fixtures.as;
import static cn.onenet.catalog.support.Fixtures.auditor;
import static cn.onenet.catalog.support.Fixtures.create;
import static cn.onenet.catalog.support.Fixtures.editorOf;
import static cn.onenet.catalog.support.Fixtures.entryOf;
import static cn.onenet.catalog.support.Fixtures.prepare;
import static cn.onenet.catalog.support.Fixtures.reviewer;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import cn.onenet.catalog.support.FakeExchange;
import cn.onenet.catalog.support.Fixtures;
import cn.onenet.testsupport.PostgresTestResource;
import cn.onenet.testsupport.TestOidcResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * The work lists answer a page of entries as before, and the X-Total-Count header says how many match the filter on
 * all pages, so that a list shows its total and its last page without asking for one more.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestOidcResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FakeExchange.class, restrictToAnnotatedClass = false)
class WorkListTotalTest {

    private static final String E = "/api/catalog/v1/entries";

    @Test
    void theHeaderCountsEveryEntryMatchingTheFilterOnAllPages() {
        String market = editorOf(Fixtures.MARKET);
        long draftsBefore = total(market, "DRAFT", null, 0, 2);
        long submittedBefore = total(market, "SUBMITTED", null, 0, 2);
        for (int i = 0; i < 3; i++) {
            create(market, marketEntry("合计-草稿-" + i));
        }
        long submitted = create(market, marketEntry("合计-待审"));
        prepare(market, submitted);
        action(market, submitted, "submit", Map.of()).statusCode(200);

        long drafts = total(market, "DRAFT", null, 0, 2);
        assertEquals(draftsBefore + 3, drafts);
        assertEquals(submittedBefore + 1, total(market, "SUBMITTED", null, 0, 2));
        // every page of the filter says the same total, and the pages hold exactly that many entries
        List<Long> ids = new ArrayList<>();
        for (int page = 0; page * 2L < drafts; page++) {
            Response r = list(market, "DRAFT", null, page, 2);
            assertEquals(drafts, count(r));
            ids.addAll(r.jsonPath().getList("id", Long.class));
        }
        assertEquals(drafts, ids.size());
        assertEquals(drafts, ids.stream().distinct().count());
        // past the last page: no entries, the same total
        Response past = list(market, "DRAFT", null, (int) (drafts / 2) + 1, 2);
        assertEquals(0, past.jsonPath().getList("$").size());
        assertEquals(drafts, count(past));

        // the reviewer's and the auditor's lists, filtered by provider and state, count the same entries
        assertEquals(drafts, total(reviewer(), "DRAFT", Fixtures.MARKET, 0, 1));
        assertEquals(drafts, total(auditor(), "DRAFT", Fixtures.MARKET, 0, 50));
        // unfiltered, the department's list counts at least its drafts and the submitted one
        assertTrue(total(market, null, null, 0, 1) >= drafts + 1);
    }

    @Test
    void theOverdueListIsCountedToo() {
        Response r = as(reviewer()).get(E + "/overdue").then().statusCode(200).extract().response();
        assertEquals(r.jsonPath().getList("$").size(), count(r));
    }

    @Test
    void theOpenApiDocumentDescribesTheHeader() {
        given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .body("paths.'/api/catalog/v1/entries'.get.responses.'200'.headers.'X-Total-Count'.schema.type",
                        equalTo("integer"))
                .body("paths.'/api/catalog/v1/entries/overdue'.get.responses.'200'.headers.'X-Total-Count'",
                        notNullValue());
    }

    private static Map<String, Object> marketEntry(String name) {
        return entryOf(Fixtures.MARKET, name);
    }

    private static Response list(String token, String state, String provider, int page, int size) {
        var request = as(token).queryParam("page", page).queryParam("size", size);
        if (state != null) {
            request.queryParam("state", state);
        }
        if (provider != null) {
            request.queryParam("provider", provider);
        }
        return request.get(E).then().statusCode(200).extract().response();
    }

    private static long total(String token, String state, String provider, int page, int size) {
        return count(list(token, state, provider, page, size));
    }

    private static long count(Response r) {
        String header = r.header("X-Total-Count");
        if (header == null) {
            throw new AssertionError("no X-Total-Count header");
        }
        return Long.parseLong(header);
    }
}
