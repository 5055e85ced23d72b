package cn.onenet.identity.rest;

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
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void metricsAndOpenApiAreServed() {
        given().get("/q/metrics").then().statusCode(200).body(containsString("http_server_requests"));
        given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .body("paths", notNullValue())
                .body(containsString("/api/identity/v1/departments"))
                // the document names the status an operation answers, not a default 200
                .body("paths.'/api/identity/v1/accounts'.post.responses", hasKey("201"))
                .body("paths.'/api/identity/v1/accounts'.post.responses", not(hasKey("200")))
                .body("paths.'/api/identity/v1/me/consents/{clientId}'.delete.responses", hasKey("204"));
        given().get("/q/swagger-ui/").then().statusCode(200);
    }

    @Test
    void departmentRegistryHoldsTheDemoProvince() {
        given().get("/api/identity/v1/departments").then().statusCode(200)
                .body("name", hasItem("浙江省公安厅"))
                .body("find { it.competentAuthority && it.regionCode == '330000' }.name", equalTo("浙江省大数据发展管理局"));
        given().get("/api/identity/v1/departments/123300004701410402").then().statusCode(200)
                .body("parentCode", equalTo("11330000002481030B"));
        given().get("/api/identity/v1/regions/330106").then().statusCode(200).body("parentCode", equalTo("330100"));
    }

    @Test
    void requestIdIsEchoedAndMadeWhenMissing() {
        given().header("X-Request-Id", "abc-123").get("/api/identity/v1/regions").then()
                .header("X-Request-Id", "abc-123");
        given().get("/api/identity/v1/regions").then().header("X-Request-Id", notNullValue());
        // A forged id with a line break is replaced, not logged.
        given().header("X-Request-Id", "evil\tvalue").get("/api/identity/v1/regions").then()
                .header("X-Request-Id", not(equalTo("evil\tvalue")));
    }

    @Test
    void malformedJsonIsAProblem400() {
        given().contentType(ContentType.JSON).header("X-Request-Id", "req-malformed").body("{\"type\": ")
                .post("/api/identity/v1/identifiers/check").then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:onenet:problem:malformed-body"))
                .body("requestId", equalTo("req-malformed"))
                .body(not(containsString("Exception")));
        given().contentType(ContentType.JSON).body("{not json at all")
                .post("/api/identity/v1/identifiers/check").then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:onenet:problem:malformed-body"))
                .body(not(containsString("com.fasterxml")));
    }

    @Test
    void unknownEnumValueNamesTheField() {
        given().contentType(ContentType.JSON).body("{\"type\":\"PASSPORT\",\"value\":\"x\"}")
                .post("/api/identity/v1/identifiers/check").then().statusCode(400)
                .contentType("application/problem+json")
                .body("field", equalTo("type"))
                .body("detail", containsString("RESIDENT_ID"));
    }

    @Test
    void wrongJsonTypeNamesTheField() {
        given().contentType(ContentType.JSON).body("{\"type\":\"RESIDENT_ID\",\"value\":{\"a\":1}}")
                .post("/api/identity/v1/identifiers/check").then().statusCode(400)
                .contentType("application/problem+json")
                .body("field", equalTo("value"));
    }

    @Test
    void missingFieldIsAValidationProblem() {
        given().contentType(ContentType.JSON).body("{\"type\":\"CREDIT_CODE\"}")
                .post("/api/identity/v1/identifiers/check").then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:onenet:problem:validation"))
                .body("field", equalTo("value"))
                .body("requestId", notNullValue());
    }

    @Test
    void wrongContentTypeIs415() {
        given().contentType(ContentType.TEXT).body("hello").post("/api/identity/v1/identifiers/check").then()
                .statusCode(415).contentType("application/problem+json")
                .body("type", equalTo("urn:onenet:problem:unsupported-media-type"));
    }

    @Test
    void unknownPathAndMethodAreProblems() {
        given().get("/api/identity/v1/no-such-thing").then().statusCode(404)
                .contentType("application/problem+json").body("type", equalTo("urn:onenet:problem:not-found"));
        given().get("/nothing-here").then().statusCode(404).contentType("application/problem+json");
        // RFC 9110 §15.5.6: a 405 names the methods the path does serve
        given().header("X-Request-Id", "allow-regions").delete("/api/identity/v1/regions").then().statusCode(405)
                .contentType("application/problem+json").header("Allow", "GET, HEAD, OPTIONS")
                .body("type", equalTo("urn:onenet:problem:method-not-allowed"))
                .body("requestId", equalTo("allow-regions"));
        given().options("/api/identity/v1/regions/330000").then().statusCode(200).header("Allow", "GET, HEAD, OPTIONS");
    }

    @Test
    void oversizedBodyIsAProblem413AndNothingIsRead() {
        byte[] big = new byte[11 * 1024 * 1024];
        java.util.Arrays.fill(big, (byte) 'a');
        given().contentType(ContentType.JSON).header("X-Request-Id", "req-big").body(big)
                .post("/api/identity/v1/identifiers/check").then().statusCode(413)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:onenet:problem:payload-too-large"))
                .body("requestId", equalTo("req-big"));
    }

    @Test
    void identifierChecksExplainWhatIsWrong() {
        given().contentType(ContentType.JSON).body("{\"type\":\"RESIDENT_ID\",\"value\":\"110105194912310021\"}")
                .post("/api/identity/v1/identifiers/check").then().statusCode(200)
                .body("valid", equalTo(false)).body("reason", containsString("校验码"));
        given().contentType(ContentType.JSON).body("{\"type\":\"CREDIT_CODE\",\"value\":\"91440300708461136T\"}")
                .post("/api/identity/v1/identifiers/check").then().statusCode(200).body("valid", equalTo(true));
        given().get("/api/identity/v1/departments/91440300708461136U").then().statusCode(400)
                .contentType("application/problem+json").body("field", equalTo("code"));
    }

    @Test
    void englishTitlesOnRequest() {
        given().header("Accept-Language", "en-US").get("/api/identity/v1/departments/113300000024810100").then()
                .statusCode(400).body("title", equalTo("Request validation failed"));
        given().get("/api/identity/v1/departments/113300000024810100").then()
                .statusCode(400).body("title", equalTo("请求参数校验失败"));
    }
}
