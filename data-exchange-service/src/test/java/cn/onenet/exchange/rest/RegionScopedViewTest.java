package cn.onenet.exchange.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;

import org.junit.jupiter.api.Test;

import cn.onenet.exchange.ExchangeTestBase;
import cn.onenet.exchange.service.CatalogReplicaService;
import cn.onenet.exchange.service.DemoData;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A single grant or share request, and its history, is shown to a reviewer exactly when the reviewer's list shows it:
 * a matter of its own region or of its own department; to a reviewer of another region it does not exist (404).
 * Admins, auditors and the parties read as before.
 */
@QuarkusTest
class RegionScopedViewTest extends ExchangeTestBase {

    /** A city's catalogue entry, its providing and consuming departments and a reviewer of its 主管部门. */
    record City(String region, String code, String provider, String consumer, String reviewer) {

        /** Publishes the entry and files the consumer's request, granted at once; returns [request id, grant id]. */
        long[] grantedRequest(CatalogReplicaService replica) {
            RegionScopedListTest.publish(code, provider, region);
            replica.pollOnce();
            return RegionScopedListTest.granted(RegionScopedListTest.operatorIn(consumer, region), code);
        }
    }

    static final City HANGZHOU = new City("330100", "330100-01-02/900841", "11330100MB00000281", "11330100MB00000282",
            reviewerIn("reviewer-hz-view", "11330100MB00000291", "330100"));
    static final City NINGBO = new City("330200", "330200-01-02/900842", "11330200MB00000283", "11330200MB00000284",
            reviewerIn("reviewer-nb-view", "11330200MB00000292", "330200"));

    /** The four single views of a grant and its request: the grant, its history, the request, its history. */
    static List<String> views(long[] requestAndGrant) {
        return List.of("/api/exchange/v1/grants/" + requestAndGrant[1],
                "/api/exchange/v1/grants/" + requestAndGrant[1] + "/history",
                "/api/exchange/v1/requests/" + requestAndGrant[0],
                "/api/exchange/v1/requests/" + requestAndGrant[0] + "/history");
    }

    static void reads(String token, long[] requestAndGrant) {
        for (String path : views(requestAndGrant)) {
            given().auth().oauth2(token).get(path).then().statusCode(200);
        }
    }

    static void answers(int status, String token, long[] requestAndGrant) {
        for (String path : views(requestAndGrant)) {
            given().auth().oauth2(token).get(path).then().statusCode(status)
                    .contentType("application/problem+json").body("status", equalTo(status));
        }
    }

    @Test
    void aReviewerReadsOneGrantOrRequestExactlyWhenItsListShowsIt() {
        long[] hz = HANGZHOU.grantedRequest(replica);
        long[] nb = NINGBO.grantedRequest(replica);

        // each city's reviewer reads its own city's grant and request with their histories, not the other city's
        reads(HANGZHOU.reviewer(), hz);
        answers(404, HANGZHOU.reviewer(), nb);
        reads(NINGBO.reviewer(), nb);
        answers(404, NINGBO.reviewer(), hz);
        given().auth().oauth2(HANGZHOU.reviewer()).get("/api/exchange/v1/grants/" + hz[1]).then()
                .body("id", equalTo((int) hz[1])).body("consumerDepartmentCode", equalTo(HANGZHOU.consumer()));
        given().auth().oauth2(NINGBO.reviewer()).get("/api/exchange/v1/requests/" + nb[0] + "/history").then()
                .body("[0].action", equalTo("FILE"));
        // the province's reviewer lists neither city's matters and reads neither
        answers(404, reviewer(), hz);
        answers(404, reviewer(), nb);
        // a reviewer of another region reads its own department's grant and request, as its list shows them
        String hzConsumersReviewerInNingbo = reviewerIn("reviewer-hz-consumer", HANGZHOU.consumer(), "330200");
        reads(hzConsumersReviewerInNingbo, hz);
        reads(hzConsumersReviewerInNingbo, nb);
        // a grant or request that does not exist: 404 as well
        answers(404, HANGZHOU.reviewer(), new long[] { Long.MAX_VALUE, Long.MAX_VALUE });
        // admins and auditors read every region's
        for (String all : List.of(admin(), auditor())) {
            reads(all, hz);
            reads(all, nb);
        }
        // the parties read their own, not another's
        reads(RegionScopedListTest.operatorIn(HANGZHOU.provider(), "330100"), hz);
        reads(RegionScopedListTest.operatorIn(NINGBO.consumer(), "330200"), nb);
        answers(404, RegionScopedListTest.operatorIn(HANGZHOU.consumer(), "330100"), nb);
        // a reviewer token without region reads none, existing or not (403), as for the lists
        String noRegion = reviewerIn("reviewer-no-region-view", DemoData.AUTHORITY, null);
        answers(403, noRegion, hz);
        answers(403, noRegion, new long[] { Long.MAX_VALUE, Long.MAX_VALUE });
    }
}
