package cn.onenet.exchange.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import cn.onenet.exchange.ExchangeTestBase;
import cn.onenet.exchange.FakeCatalog;
import cn.onenet.exchange.service.DemoData;
import cn.onenet.testsupport.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Grants and share requests are listed to a reviewer for its own region only — the region whose 主管部门 acts on them,
 * as for their governance — and to admins and auditors for every region; the parties keep seeing their own.
 */
@QuarkusTest
class RegionScopedListTest extends ExchangeTestBase {

    static final String HZ_CODE = "330100-01-02/900821";
    static final String NB_CODE = "330200-01-02/900822";
    static final String HZ_PROVIDER = "11330100MB00000181"; // departments of 杭州市
    static final String HZ_CONSUMER = "11330100MB00000182";
    static final String NB_PROVIDER = "11330200MB00000183"; // departments of 宁波市
    static final String NB_CONSUMER = "11330200MB00000184";

    static final String HZ_REVIEWER = reviewerIn("reviewer-hz-list", "11330100MB00000191", "330100");
    static final String NB_REVIEWER = reviewerIn("reviewer-nb-list", "11330200MB00000192", "330200");

    static String operatorIn(String dept, String region) {
        return TestTokens.custom(Map.of("sub", "op-" + dept, "aud", AUD, "roles", List.of("operator", "head"), "dept",
                dept, "region", region, "account_type", "civil_servant"));
    }

    /** Publishes an unconditional entry of the region in the catalogue's feed; the entry as the feed serves it. */
    static Map<String, Object> publish(String code, String provider, String region) {
        Map<String, Object> entry = FakeCatalog.add("PUBLISHED", code, "分区列表测试目录 " + code, provider,
                "UNCONDITIONAL", "LEVEL_2", "GMSFHM",
                List.of(Map.of("code", "GMSFHM", "name", "公民身份号码", "sensitive", true),
                        Map.of("code", "XM", "name", "姓名", "sensitive", true)));
        entry.put("regionCode", region);
        return entry;
    }

    /** Files a request granted at once; returns [request id, grant id]. */
    static long[] granted(String consumer, String code) {
        Response r = RequestWorkflowTest.file(consumer, RequestWorkflowTest.body(code, List.of("GMSFHM", "XM")));
        r.then().statusCode(201).body("status", equalTo("GRANTED"));
        return new long[] { r.jsonPath().getLong("id"), r.jsonPath().getLong("grantId") };
    }

    static Response grants(String token, String code) {
        return given().auth().oauth2(token).get("/api/exchange/v1/grants?resourceCode=" + code);
    }

    static long total(Response r) {
        r.then().statusCode(200);
        return Long.parseLong(r.header("X-Total-Count"));
    }

    static Response requests(String token) {
        return given().auth().oauth2(token).get("/api/exchange/v1/requests?size=200");
    }

    @Test
    void aReviewerListsTheGrantsAndRequestsOfItsRegionAnAdminOfEvery() {
        publish(HZ_CODE, HZ_PROVIDER, "330100");
        publish(NB_CODE, NB_PROVIDER, "330200");
        replica.pollOnce();
        long[] hz = granted(operatorIn(HZ_CONSUMER, "330100"), HZ_CODE);
        long[] nb = granted(operatorIn(NB_CONSUMER, "330200"), NB_CODE);

        // 杭州市's reviewer: 杭州's grant and request, not 宁波's (the count follows the filter)
        assertEquals(1, total(grants(HZ_REVIEWER, HZ_CODE)));
        grants(HZ_REVIEWER, HZ_CODE).then().body("id", equalTo(List.of((int) hz[1])));
        assertEquals(0, total(grants(HZ_REVIEWER, NB_CODE)));
        grants(HZ_REVIEWER, NB_CODE).then().body("size()", equalTo(0));
        requests(HZ_REVIEWER).then().statusCode(200).body("id", hasItem((int) hz[0]))
                .body("id", not(hasItem((int) nb[0])));
        // 宁波市's reviewer: the other way round
        assertEquals(1, total(grants(NB_REVIEWER, NB_CODE)));
        assertEquals(0, total(grants(NB_REVIEWER, HZ_CODE)));
        requests(NB_REVIEWER).then().statusCode(200).body("id", hasItem((int) nb[0]))
                .body("id", not(hasItem((int) hz[0])));
        // the province's reviewer acts on neither city's matters, and lists neither
        assertEquals(0, total(grants(reviewer(), HZ_CODE)));
        assertEquals(0, total(grants(reviewer(), NB_CODE)));
        requests(reviewer()).then().statusCode(200).body("id", not(hasItem((int) hz[0])))
                .body("id", not(hasItem((int) nb[0])));
        // admins and auditors list every region's
        for (String all : List.of(admin(), auditor())) {
            assertEquals(1, total(grants(all, HZ_CODE)));
            assertEquals(1, total(grants(all, NB_CODE)));
            requests(all).then().statusCode(200).body("id", hasItem((int) hz[0])).body("id", hasItem((int) nb[0]));
        }
        // the parties keep seeing their own, and only their own
        assertEquals(1, total(grants(operatorIn(HZ_PROVIDER, "330100"), HZ_CODE)));
        assertEquals(0, total(grants(operatorIn(HZ_CONSUMER, "330100"), NB_CODE)));
        requests(operatorIn(NB_CONSUMER, "330200")).then().statusCode(200).body("id", hasItem((int) nb[0]))
                .body("id", not(hasItem((int) hz[0])));
        // a reviewer token without region reads no region's lists
        String noRegion = reviewerIn("reviewer-no-region-list", DemoData.AUTHORITY, null);
        grants(noRegion, HZ_CODE).then().statusCode(403).contentType("application/problem+json");
        requests(noRegion).then().statusCode(403).contentType("application/problem+json");
    }
}
