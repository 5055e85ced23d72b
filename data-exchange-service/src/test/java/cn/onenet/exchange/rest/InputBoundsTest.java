package cn.onenet.exchange.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import cn.onenet.exchange.ExchangeTestBase;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Input at the edges: a page far past the end is an empty page (not a 500 from an offset that overflows); the
 * covert-hidings list refuses a page or size out of range as every other list does, instead of quietly bringing it
 * into range; a grant changed to an item named twice holds it once.
 */
@QuarkusTest
class InputBoundsTest extends ExchangeTestBase {

    static final String HIDINGS = "/api/exchange/v1/usage-log/covert-hidings";

    @Test
    void aUsageRecordPageFarPastTheEndIsEmpty() {
        String consumer = operator("11330000MB00000688");
        long grant = GrantDisposalTest.approved(replica, "330000-01-02/906881", consumer, null);
        given().auth().oauth2(consumer).contentType(ContentType.JSON)
                .body(Map.of("kind", "SCENARIO", "description", "用于最低生活保障审核"))
                .post(UsageRecordTest.path(grant)).then().statusCode(201);
        for (String page : List.of("2147483647", "50000000", "42949673")) {
            given().auth().oauth2(consumer).queryParam("page", page).queryParam("size", 50)
                    .get(UsageRecordTest.path(grant)).then().statusCode(200).body("size()", equalTo(0))
                    .header(GrantResource.TOTAL_COUNT, "1");
        }
        given().auth().oauth2(consumer).queryParam("page", 0).get(UsageRecordTest.path(grant)).then()
                .statusCode(200).body("size()", equalTo(1));
    }

    @Test
    void aChangeNamingAnItemTwiceGrantsItOnce() {
        String consumer = operator("11330000MB00000689");
        long grant = GrantDisposalTest.approved(replica, "330000-01-02/906882", consumer, null);
        given().auth().oauth2(operator(RequestWorkflowTest.PROVIDER)).contentType(ContentType.JSON)
                .body(Map.of("version", 0, "reason", "仅需姓名", "items", List.of("XM", "XM")))
                .post("/api/exchange/v1/grants/" + grant + "/change").then().statusCode(200)
                .body("items", equalTo(List.of("XM")));
        given().auth().oauth2(consumer).get("/api/exchange/v1/grants/" + grant + "/history").then().statusCode(200)
                .body("find { it.action == 'CHANGE' }.details.changed.items.to", equalTo(List.of("XM")));
    }

    @Test
    void covertHidingsRefuseAPageOrSizeOutOfRange() {
        for (Map.Entry<String, String> bad : List.of(Map.entry("size", "100000"), Map.entry("size", "0"),
                Map.entry("size", "-3"), Map.entry("page", "-1"), Map.entry("page", "99999999999"))) {
            given().auth().oauth2(auditor()).queryParam(bad.getKey(), bad.getValue()).get(HIDINGS).then()
                    .statusCode(400).contentType("application/problem+json").body("field", equalTo(bad.getKey()))
                    .body("requestId", notNullValue());
        }
        given().auth().oauth2(auditor()).queryParam("size", 200).queryParam("page", 3).get(HIDINGS).then()
                .statusCode(200).body("page", equalTo(3)).body("size", equalTo(200));
    }
}
