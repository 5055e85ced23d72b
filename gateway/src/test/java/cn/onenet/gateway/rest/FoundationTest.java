package cn.onenet.gateway.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class FoundationTest {

    @Test
    void healthMetricsAndIndex() {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/metrics").then().statusCode(200).body(containsString("jvm_"));
        given().get("/api").then().statusCode(200).body("catalog.basePath", equalTo("/api/catalog/v1"));
    }

    @Test
    void unknownPathIsProblemJson() {
        given().get("/nowhere").then().statusCode(404).contentType("application/problem+json")
                .body("requestId", notNullValue());
    }
}
