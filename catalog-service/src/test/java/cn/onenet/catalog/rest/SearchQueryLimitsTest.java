package cn.onenet.catalog.rest;

import static cn.onenet.catalog.support.Fixtures.as;
import static cn.onenet.catalog.support.Fixtures.operator;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import org.junit.jupiter.api.Test;

import cn.onenet.catalog.support.FakeExchange;
import cn.onenet.testsupport.PostgresTestResource;
import cn.onenet.testsupport.TestOidcResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The longest query a reader may type (200 characters) is answered whatever it holds: each abbreviation of the
 * synonym list makes a variant of the whole text, and their ranking terms together pass Lucene's clause limit.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestOidcResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FakeExchange.class, restrictToAnnotatedClass = false)
class SearchQueryLimitsTest {

    private static final String S = "/api/catalog/v1/search";

    /** The eight abbreviations the service ships (社保, 公积金, …), then distinct Chinese characters up to 200. */
    private static String longQueryWithSynonyms() {
        StringBuilder q = new StringBuilder("社保公积金低保医保工商户口营业执照房产");
        for (int c = 0x4e00; q.length() < 200; c += 7) {
            q.appendCodePoint(c);
        }
        return q.toString();
    }

    @Test
    void aLongQueryHoldingEveryAbbreviationIsAnsweredForEveryReader() {
        String q = longQueryWithSynonyms();
        given().queryParam("q", q).get(S).then().statusCode(200).body("total", equalTo(0));
        as(operator()).queryParam("q", q).get(S).then().statusCode(200).body("total", equalTo(0));
        // a query of the same length naming an entry still finds it
        String named = "住房公积金缴存信息 " + "公积金 缴存 ".repeat(30);
        as(operator()).queryParam("q", named.substring(0, 200)).get(S).then().statusCode(200)
                .body("hits.name", hasItem("住房公积金缴存信息"));
    }
}
