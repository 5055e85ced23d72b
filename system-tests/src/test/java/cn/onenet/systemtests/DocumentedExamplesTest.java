package cn.onenet.systemtests;

import static io.restassured.RestAssured.given;
import static cn.onenet.systemtests.ConsolePages.DEMO_PASSWORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * An integrator's first call is copied from the OpenAPI document: the documented request bodies for filing a share
 * request, read from the exchange's document as the gateway serves it and sent as written by a demo operator, are
 * accepted by the demo suite (its 居民户籍信息 permits only the purposes its catalogue entry lists).
 */
@ExtendWith(SharedSuite.class)
class DocumentedExamplesTest {

    @Test
    void theDocumentedShareRequestsAreAcceptedByTheDemoSuite() throws Exception {
        String gateway = SharedSuite.gateway();
        JsonPath document = given().accept("application/json").get(gateway + "/api/exchange/openapi").then()
                .statusCode(200).extract().jsonPath();
        Map<String, Map<String, Object>> examples = document.getMap("paths.'/api/exchange/v1/requests'.post"
                + ".requestBody.content.'application/json'.examples");
        assertFalse(examples == null || examples.isEmpty(), "no documented request bodies");
        // 自然资源厅 holds no grant or request on 居民户籍信息 in the demo data
        String operator = new CodeFlowClient(gateway, "gateway", "demo-gateway-secret")
                .accessToken("zrzyt.operator", DEMO_PASSWORD, "openid profile");
        for (Map.Entry<String, Map<String, Object>> example : examples.entrySet()) {
            Response filed = given().auth().oauth2(operator).contentType("application/json")
                    .body(example.getValue().get("value")).post(gateway + "/api/exchange/v1/requests");
            assertEquals(201, filed.statusCode(), example.getKey() + ": " + filed.asString());
        }
    }
}
