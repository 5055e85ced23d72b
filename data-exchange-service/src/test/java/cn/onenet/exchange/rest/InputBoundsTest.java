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
 * Query parameters at the edges of their range: a page far past the end is an empty page (not a 500 from an offset
 * that overflows), and the covert-hidings list refuses a page or size out of range as every other list does, instead
 * of quietly bringing it into range.
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
