package cn.onenet.exchange.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import cn.onenet.exchange.ExchangeTestBase;
import cn.onenet.exchange.FakeCatalog;
import cn.onenet.testsupport.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** History rows name the actor as its token did (claim name, else preferred_username); null without one. */
@QuarkusTest
class ActorNameTest extends ExchangeTestBase {

    static final String CONSUMER = "11330000002481130M"; // a department of its own

    static String named(String dept, String claim, String name, String... roles) {
        return TestTokens.custom(Map.of("sub", "op-named-" + dept, "aud", AUD, "roles", List.of(roles), "dept", dept,
                "account_type", "civil_servant", claim, name));
    }

    static long fileUnconditional(String token) {
        return RequestWorkflowTest.file(token, RequestWorkflowTest.body(FakeCatalog.UNCONDITIONAL, List.of("XM")))
                .then().statusCode(201).extract().jsonPath().getLong("id");
    }

    @Test
    void historyRowsCarryTheActorsDisplayName() {
        long request = fileUnconditional(named(CONSUMER, "name", "张三", "operator", "head"));
        given().auth().oauth2(operator(CONSUMER)).get("/api/exchange/v1/requests/" + request + "/history").then()
                .statusCode(200).body("[0].action", equalTo("FILE")).body("[0].actorName", equalTo("张三"))
                .body("[0].actor.subject", equalTo("op-named-" + CONSUMER));
        given().auth().oauth2(operator(CONSUMER)).get("/api/exchange/v1/requests/" + request).then()
                .body("lastDecision.actorName", equalTo("张三"));
        long grant = given().auth().oauth2(operator(CONSUMER)).get("/api/exchange/v1/requests/" + request).then()
                .extract().jsonPath().getLong("grantId");

        // a provider without name but with preferred_username (another OpenID provider's tokens)
        given().auth().oauth2(reviewerNamed("wang.reviewer")).contentType(ContentType.JSON)
                .body(Map.of("version", 0, "reason", "核查调用情况")).post("/api/exchange/v1/grants/" + grant + "/suspend")
                .then().statusCode(200);
        // a token without a name: null, as in rows written before names were kept
        given().auth().oauth2(reviewer()).contentType(ContentType.JSON).body(Map.of("version", 1, "reason", "核查完毕"))
                .post("/api/exchange/v1/grants/" + grant + "/resume").then().statusCode(200);
        given().auth().oauth2(admin()).get("/api/exchange/v1/grants/" + grant + "/history").then().statusCode(200)
                .body("action", equalTo(List.of("CREATE", "SUSPEND", "RESUME")))
                .body("actorName", equalTo(java.util.Arrays.asList("张三", "wang.reviewer", null)));
    }

    @Test
    void aNameLongerThanTheColumnsIsCutNotA500() {
        // an operator who holds head approves its own filing: the name is kept as the approving head's
        String dept = "11330000MB00000799";
        String name = "长".repeat(150) + "𠀀".repeat(100);
        long request = fileUnconditional(named(dept, "name", name, "operator", "head"));
        String kept = name.substring(0, name.offsetByCodePoints(0, 200));
        given().auth().oauth2(operator(dept)).get("/api/exchange/v1/requests/" + request).then().statusCode(200)
                .body("officeHeadApprover", equalTo(kept));
        given().auth().oauth2(operator(dept)).get("/api/exchange/v1/requests/" + request + "/history").then()
                .statusCode(200).body("[0].actorName", equalTo(kept));
    }

    @Test
    void aSubjectOrClientLongerThanTheColumnsIsRefusedNotA500() {
        String dept = "11330000MB00000798";
        for (String claim : List.of("sub", "client_id")) {
            Map<String, Object> claims = new java.util.HashMap<>(Map.of("sub", "op-" + dept, "aud", AUD, "roles",
                    List.of("operator", "head"), "dept", dept, "account_type", "civil_servant"));
            claims.put(claim, "x".repeat(201));
            RequestWorkflowTest.file(TestTokens.custom(claims),
                    RequestWorkflowTest.body(FakeCatalog.UNCONDITIONAL, List.of("XM"))).then().statusCode(403)
                    .contentType("application/problem+json");
        }
        given().auth().oauth2(operator(dept)).get("/api/exchange/v1/requests").then().statusCode(200)
                .body("size()", equalTo(0));
    }

    static String reviewerNamed(String preferredUsername) {
        return TestTokens.custom(Map.of("sub", "reviewer-named", "aud", AUD, "roles", List.of("reviewer"),
                "dept", "113300000024810109", "region", "330000", "account_type", "civil_servant",
                "competent_authority", true, "preferred_username", preferredUsername));
    }

    @Test
    void aComplainantsNameIsNotShownToTheDepartment() {
        String rid = "name-" + UUID.randomUUID();
        UsageLogTest.lookup(FakeCatalog.POPULATION, ComplaintTest.WANG_ID, rid).then().statusCode(200);
        String wang = TestTokens.custom(Map.of("sub", "wang-named", "aud", AUD, "roles", List.of("citizen"),
                "cn_id", ComplaintTest.WANG_ID, "account_type", "natural_person", "name", "王芳",
                "acr", "urn:onenet:loa:3"));
        long id = ComplaintTest.fileComplaint(wang, Map.of("requestId", rid, "description", "无正当理由查询"))
                .then().statusCode(201).extract().jsonPath().getLong("id");
        String history = "/api/exchange/v1/complaints/" + id + "/history";
        given().auth().oauth2(wang).get(history).then().body("[0].actorName", equalTo("王芳"));
        given().auth().oauth2(reviewer()).get(history).then().body("[0].actorName", equalTo("王芳"));
        given().auth().oauth2(operator(ComplaintTest.HR)).get(history).then().statusCode(200)
                .body("[0].actorName", nullValue()).body("[0].actor.subject", nullValue());
        // and the department's staff are not named to the complainant
        given().auth().oauth2(named(ComplaintTest.HR, "name", "赵科长", "operator")).contentType(ContentType.JSON)
                .body(Map.of("version", 0, "reason", "系核验身份所需")).post("/api/exchange/v1/complaints/" + id + "/answer")
                .then().statusCode(200);
        given().auth().oauth2(wang).get(history).then().body("[1].actorName", nullValue());
        given().auth().oauth2(auditor()).get(history).then().body("[1].actorName", equalTo("赵科长"));
    }
}
