package cn.onenet.catalog.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import org.junit.jupiter.api.Test;

import cn.onenet.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class FoundationTest {

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
                .body(containsString("/api/catalog/v1"))
                // the document names the status an operation answers, not a default 200
                .body("paths.'/api/catalog/v1/entries'.post.responses", hasKey("201"))
                .body("paths.'/api/catalog/v1/entries'.post.responses", not(hasKey("200")));
        given().get("/api/catalog/v1").then().statusCode(200).body("service", equalTo("catalog-service"));
    }

    @Test
    void badInputIsProblemJson() {
        given().get("/api/catalog/v1/no-such-thing").then().statusCode(404)
                .contentType("application/problem+json").body("requestId", notNullValue());
        given().contentType(ContentType.JSON).body("{oops").post("/api/catalog/v1").then().statusCode(405)
                .contentType("application/problem+json");
    }
}
