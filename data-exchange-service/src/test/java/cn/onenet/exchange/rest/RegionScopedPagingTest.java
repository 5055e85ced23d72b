package cn.onenet.exchange.rest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.Test;

import cn.onenet.exchange.ExchangeTestBase;
import cn.onenet.exchange.FakeCatalog;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * A reviewer's lists of grants and requests are filtered by region and paged in the database: page after page over
 * a region holding more matters than a page, with the matters of a neighbouring region filed in between, each
 * matter once, newest first, and the count of all pages; when the catalogue moves an entry to another region, or
 * reclassifies it there, the lists and single views follow at once; matters whose departments say nowhere where they
 * are belong to the configured 主管部门's region.
 */
@QuarkusTest
class RegionScopedPagingTest extends ExchangeTestBase {

    static final String GRANTS = "/api/exchange/v1/grants";
    static final String REQUESTS = "/api/exchange/v1/requests";

    static Response get(String token, String path) {
        return given().auth().oauth2(token).get(path);
    }

    static List<Long> ids(Response r) {
        r.then().statusCode(200);
        return r.jsonPath().getList("id", Long.class);
    }

    /** Every page of {@code size} of a list, each page's total checked against {@code total}; the ids in order. */
    static List<Long> allPages(String token, String list, int size, long total) {
        List<Long> seen = new ArrayList<>();
        for (int page = 0; page * size < total + size; page++) {
            Response r = get(token, list + "?size=" + size + "&page=" + page);
            assertEquals(total, RegionScopedListTest.total(r), list + " page " + page);
            List<Long> onPage = ids(r);
            assertEquals(Math.max(0, Math.min(size, total - (long) page * size)), onPage.size(), list + " page " + page);
            seen.addAll(onPage);
        }
        return seen;
    }

    @Test
    void aReviewerPagesThroughItsRegionsMattersEachOnceNewestFirstWithTheTotal() {
        String ruian = "330381";
        String yueqing = "330382";
        String code = "330381-01-02/900861";
        String neighbourCode = "330382-01-02/900862";
        RegionScopedListTest.publish(code, "11330381MB00000401", ruian);
        RegionScopedListTest.publish(neighbourCode, "11330382MB00000403", yueqing);
        replica.pollOnce();
        String consumer = RegionScopedListTest.operatorIn("11330381MB00000402", ruian);
        String neighbour = RegionScopedListTest.operatorIn("11330382MB00000404", yueqing);
        List<Long> grants = new ArrayList<>();
        List<Long> requests = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            long[] mine = RegionScopedListTest.granted(consumer, code);
            requests.add(0, mine[0]);
            grants.add(0, mine[1]);
            RegionScopedListTest.granted(neighbour, neighbourCode);
        }

        for (String region : List.of(ruian, ruian + "000000")) {
            String reviewer = reviewerIn("reviewer-ruian-" + region.length(), "11330381MB00000409", region);
            assertEquals(grants, allPages(reviewer, GRANTS, 3, 7));
            assertEquals(requests, allPages(reviewer, REQUESTS, 3, 7));
            assertEquals(grants, allPages(reviewer, GRANTS, 2, 7));
        }
        // the neighbouring county's reviewer pages through its own seven, none of these
        String yueqingReviewer = reviewerIn("reviewer-yueqing", "11330382MB00000410", yueqing);
        List<Long> theirs = allPages(yueqingReviewer, GRANTS, 5, 7);
        assertTrue(theirs.stream().noneMatch(grants::contains), theirs.toString());
        // filters narrow the count the same way
        String reviewer = reviewerIn("reviewer-ruian-filter", "11330381MB00000409", ruian);
        assertEquals(7, RegionScopedListTest.total(get(reviewer, GRANTS + "?status=ACTIVE&size=1")));
        assertEquals(0, RegionScopedListTest.total(get(reviewer, GRANTS + "?status=SUSPENDED")));
        assertEquals(0, RegionScopedListTest.total(get(reviewer, REQUESTS + "?status=PENDING")));
        assertEquals(7, RegionScopedListTest.total(get(reviewer, GRANTS + "?resourceCode=" + code)));
        assertEquals(0, RegionScopedListTest.total(get(reviewer, GRANTS + "?resourceCode=" + neighbourCode)));
    }

    @Test
    void theListsFollowAnEntryTheCatalogueMovesToAnotherRegionOrReclassifiesThere() {
        String code = "330100-01-02/900863";
        String hzConsumer = "11330100MB00000412";
        Map<String, Object> doc = new LinkedHashMap<>(
                RegionScopedListTest.publish(code, "11330100MB00000411", "330100"));
        replica.pollOnce();
        long[] hz = RegionScopedListTest.granted(RegionScopedListTest.operatorIn(hzConsumer, "330100"), code);
        String hzReviewer = reviewerIn("reviewer-hz-follow", "11330100MB00000419", "330100");
        sees(hzReviewer, code, hz);
        seesNot(reviewer(), code, hz);

        // the catalogue now places the entry in 宁波市: between a 杭州 consumer and it, the province's 主管部门 acts
        FakeCatalog.addItem("CHANGED", changed(doc, 2, "330200"));
        replica.pollOnce();
        sees(reviewer(), code, hz);
        seesNot(hzReviewer, code, hz);

        // reclassified under a new code, back in 杭州市: the grant and request follow to the new code and region
        String moved = "330100-02-01/900863";
        Map<String, Object> reclassified = changed(doc, 3, "330100");
        reclassified.put("resourceCode", moved);
        reclassified.put("previousResourceCode", code);
        FakeCatalog.addItem("CHANGED", reclassified);
        replica.pollOnce();
        sees(hzReviewer, moved, hz);
        seesNot(reviewer(), moved, hz);
    }

    static Map<String, Object> changed(Map<String, Object> doc, int version, String region) {
        Map<String, Object> item = new LinkedHashMap<>(doc);
        item.put("version", version);
        item.put("regionCode", region);
        return item;
    }

    /** The reviewer lists, counts and reads the grant and the request. */
    static void sees(String reviewer, String code, long[] requestAndGrant) {
        assertEquals(List.of(requestAndGrant[1]), ids(get(reviewer, GRANTS + "?resourceCode=" + code)));
        assertEquals(1, RegionScopedListTest.total(get(reviewer, GRANTS + "?resourceCode=" + code)));
        assertTrue(ids(get(reviewer, REQUESTS + "?size=200")).contains(requestAndGrant[0]));
        RegionScopedViewTest.reads(reviewer, requestAndGrant);
    }

    /** The reviewer neither lists nor counts nor reads them (404). */
    static void seesNot(String reviewer, String code, long[] requestAndGrant) {
        assertEquals(0, RegionScopedListTest.total(get(reviewer, GRANTS + "?resourceCode=" + code)));
        assertFalse(ids(get(reviewer, REQUESTS + "?size=200")).contains(requestAndGrant[0]));
        RegionScopedViewTest.answers(404, reviewer, requestAndGrant);
    }

    @Test
    void mattersOfDepartmentsThatSayNowhereWhereTheyAreBelongToTheConfiguredAuthoritysRegion() {
        String code = "330000-01-02/900864";
        // credit codes whose characters 3–8 name no region
        String provider = "12NONENOMB" + String.format("%08d", ThreadLocalRandom.current().nextInt(100_000_000));
        RegionScopedListTest.publish(code, provider, null);
        replica.pollOnce();
        String consumer = "11NONENOMB" + String.format("%08d", ThreadLocalRandom.current().nextInt(100_000_000));
        long[] nowhere = RegionScopedListTest.granted(operator(consumer), code);

        // the configured 主管部门 (113300000024810109) is of 浙江省 (330000)
        sees(reviewer(), code, nowhere);
        seesNot(reviewerIn("reviewer-hz-nowhere", "11330100MB00000429", "330100"), code, nowhere);
    }
}
