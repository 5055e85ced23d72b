package cn.onenet.exchange.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
class FoundationTest extends cn.onenet.exchange.ExchangeTestBase {

    @Test
    void readinessChecksTheDatabase() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem(containsString("Database")));
    }

    @Test
    void metricsOpenApiAndIndexAreServed() {
        given().get("/q/metrics").then().statusCode(200).body(containsString("jvm_"));
        given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .body(containsString("/api/exchange/v1"))
                // the document names the status an operation answers, not a default 200
                .body("paths.'/api/exchange/v1/requests'.post.responses", hasKey("201"))
                .body("paths.'/api/exchange/v1/requests'.post.responses", not(hasKey("200")))
                .body("paths.'/api/exchange/v1/exports'.post.responses", hasKey("202"))
                .body("paths.'/api/exchange/v1/subscriptions/{grantId}/webhook'.put.responses", hasKey("201"));
        given().get("/api/exchange/v1").then().statusCode(200).body("service", equalTo("data-exchange-service"));
    }

    @Test
    void badInputIsProblemJson() {
        given().get("/api/exchange/v1/no-such-thing").then().statusCode(404)
                .contentType("application/problem+json").body("requestId", notNullValue());
        // RFC 9110 §15.5.6: a 405 names the methods the path does serve; several classes share /api/exchange/v1
        given().contentType(ContentType.JSON).body("{oops").post("/api/exchange/v1").then().statusCode(405)
                .contentType("application/problem+json").header("Allow", "GET, HEAD, OPTIONS")
                .body("requestId", notNullValue());
        given().get("/api/exchange/v1/calendar/2031-03-04").then().statusCode(405)
                .contentType("application/problem+json").header("Allow", "DELETE, OPTIONS, PUT");
    }

    @Test
    void aTokenWhoseDepartmentIsNotACreditCodeIsRefused() {
        // before, a filing under a 19-character dept reached the database and failed there (500)
        RequestWorkflowTest.file(operator("113300000024810109X"), RequestWorkflowTest.body(
                cn.onenet.exchange.FakeCatalog.UNCONDITIONAL, java.util.List.of("XM"))).then().statusCode(403)
                .contentType("application/problem+json")
                .body("detail", org.hamcrest.Matchers.containsString("unified social credit code"))
                .body("requestId", notNullValue());
        // a character no credit code has, in any letter case (a lower-case letter is the code's upper-case one:
        // DepartmentCodeCaseTest)
        given().auth().oauth2(operator("1133000000248101-9")).get("/api/exchange/v1/grants").then().statusCode(403)
                .contentType("application/problem+json");
        given().auth().oauth2(operator(RequestWorkflowTest.CONSUMER)).get("/api/exchange/v1/grants").then()
                .statusCode(200);
    }
}
