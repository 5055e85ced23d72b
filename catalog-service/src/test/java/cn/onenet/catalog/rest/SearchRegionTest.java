package cn.onenet.catalog.rest;

import static cn.onenet.catalog.support.Fixtures.action;
import static cn.onenet.catalog.support.Fixtures.as;
import static cn.onenet.catalog.support.Fixtures.create;
import static cn.onenet.catalog.support.Fixtures.operator;
import static cn.onenet.catalog.support.Fixtures.prepare;
import static cn.onenet.catalog.support.Fixtures.reviewerOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import cn.onenet.catalog.support.FakeExchange;
import cn.onenet.catalog.support.Fixtures;
import cn.onenet.testsupport.PostgresTestResource;
import cn.onenet.testsupport.TestOidcResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** R33: the region filter rolls up (a city finds its districts' entries, a province every entry in it). */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestOidcResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FakeExchange.class, restrictToAnnotatedClass = false)
class SearchRegionTest {

    private static final String S = "/api/catalog/v1/search";
    private static final String Q = "区划汇总检索";

    /** Publishes an entry of a department of another region, reviewed by that region's 主管部门. */
    private static void publishedBy(String dept, String name) {
        String region = Fixtures.regionOf(dept);
        String editor = Fixtures.editorOf(dept);
        long id = create(editor, Fixtures.entryOf(dept, name));
        prepare(editor, id);
        action(editor, id, "submit", Map.of()).statusCode(200);
        String reviewer = reviewerOf("reviewer-" + region, Fixtures.BUREAU, region);
        action(reviewer, id, "approve", Map.of("opinion", "同意")).statusCode(200);
        action(reviewer, id, "publish", Map.of("opinion", "发布")).statusCode(200);
    }

    private static JsonPath inRegion(String region) {
        return as(operator()).queryParam("q", Q).queryParam("region", region).queryParam("size", 200).get(S).then()
                .statusCode(200).extract().jsonPath();
    }

    private static List<String> names(JsonPath page) {
        return page.<String>getList("hits.name").stream().filter(n -> n.startsWith(Q)).sorted().toList();
    }

    @Test
    void aCityFindsItsDistrictsAndAProvinceEveryEntryInIt() {
        String district = Q + "西湖区";
        String otherCity = Q + "宁波市";
        publishedBy(Fixtures.XIHU_CIVIL, district);
        publishedBy(Fixtures.NINGBO_MARKET, otherCity);

        assertEquals(List.of(district), names(inRegion("330100")));
        assertEquals(List.of(district), names(inRegion("330106")));
        assertEquals(List.of(otherCity), names(inRegion("330200")));
        assertEquals(List.of(district, otherCity).stream().sorted().toList(), names(inRegion("330000")));
        assertEquals(List.of(), names(inRegion("330300")));

        // the region facet still counts each entry's own code
        JsonPath province = inRegion("330000");
        List<String> codes = province.getList("facets.region.value");
        assertTrue(codes.contains("330106") && codes.contains("330200"), codes.toString());
        assertTrue(!codes.contains("330100"), codes.toString());
    }
}
