package cn.onenet.exchange.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import cn.onenet.exchange.ExchangeTestBase;
import cn.onenet.exchange.FakeCatalog;
import cn.onenet.exchange.service.DemoData;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/**
 * A filtered query may not filter on an item the grant delivers masked: matching on the stored value would let the
 * consumer guess the hidden characters one query at a time. The key item, and items granted in clear, may be filters.
 */
@QuarkusTest
class MaskedFilterTest extends ExchangeTestBase {

    static final String CODE = "330000-01-02/900951";
    static final String PROVIDER = RequestWorkflowTest.PROVIDER;
    static final String ID = "330110200102150052";
    static final String PHONE = "13800005678";

    @Test
    void aMaskedItemIsNoFilterTheKeyAndClearItemsAre() {
        FakeCatalog.add("PUBLISHED", CODE, "测试脱敏筛选目录", PROVIDER, "CONDITIONAL", "LEVEL_3", "GMSFHM",
                List.of(Map.of("code", "GMSFHM", "name", "公民身份号码", "sensitive", true),
                        Map.of("code", "XM", "name", "姓名", "sensitive", true),
                        Map.of("code", "SJHM", "name", "手机号码", "sensitive", true),
                        Map.of("code", "ZY", "name", "职业", "sensitive", false)));
        replica.pollOnce();
        given().urlEncodingEnabled(false).auth().oauth2(operator(PROVIDER)).contentType(ContentType.JSON)
                .body(List.of(Map.of("GMSFHM", ID, "XM", "刘洋", "SJHM", PHONE, "ZY", "教师")))
                .post("/api/exchange/v1/datasets/" + FakeCatalog.encoded(CODE) + "/records").then().statusCode(201);
        String masked = DemoData.CIVIL_AFFAIRS;
        String clear = DemoData.HUMAN_RESOURCES;
        grant(masked, List.of());
        grant(clear, List.of("SJHM"));

        // the phone number goes out masked under the first grant: no guessing it through a filter
        query(masked, "GMSFHM=" + ID + "&SJHM=" + PHONE).statusCode(400).contentType("application/problem+json")
                .body("field", equalTo("SJHM"));
        query(masked, "GMSFHM=" + ID + "&SJHM=13800000000").statusCode(400).body("field", equalTo("SJHM"));
        query(masked, "XM=" + FakeCatalog.encoded("刘洋")).statusCode(400).body("field", equalTo("XM"));
        // the key item (masked in the answer too) and items that are not sensitive remain filters
        query(masked, "GMSFHM=" + ID).statusCode(200).body("records", hasSize(1))
                .body("records[0].SJHM", equalTo("138****5678"));
        query(masked, "ZY=" + FakeCatalog.encoded("教师")).statusCode(200).body("records", hasSize(1));
        // granted in clear: a filter like any other
        query(clear, "GMSFHM=" + ID + "&SJHM=" + PHONE).statusCode(200).body("records", hasSize(1))
                .body("records[0].SJHM", equalTo(PHONE));
        query(clear, "XM=" + FakeCatalog.encoded("刘洋")).statusCode(400).body("field", equalTo("XM"));
    }

    private static void grant(String consumer, List<String> clearItems) {
        long request = RequestWorkflowTest.file(operator(consumer),
                RequestWorkflowTest.body(CODE, List.of("GMSFHM", "XM", "SJHM", "ZY"))).then().statusCode(201)
                .extract().jsonPath().getLong("id");
        DeliveryTest.approve(PROVIDER, request, 50, 1000, clearItems);
    }

    private static ValidatableResponse query(String consumer, String filters) {
        return given().urlEncodingEnabled(false).auth().oauth2(operator(consumer))
                .get("/api/exchange/v1/data/" + FakeCatalog.encoded(CODE) + "/records?" + filters).then();
    }
}
