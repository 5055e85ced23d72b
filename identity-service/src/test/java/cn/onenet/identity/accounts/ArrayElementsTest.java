package cn.onenet.identity.accounts;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

import java.time.OffsetDateTime;
import java.util.List;

import org.junit.jupiter.api.Test;

import cn.onenet.identity.oidc.OidcFlow;
import cn.onenet.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A {@code null} or blank element in a JSON array of names (roles, grant types, scopes, audiences, URIs, client ids)
 * is a 400 naming the array, nothing stored; a member of staff is not both catalogue editor and reviewer; and a
 * client's name, which citizens read on the login and consent pages and in their list of consents, is one printable
 * line like every other name.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class ArrayElementsTest extends AdminApiTest {

    private static String staff(String username, String rolesJson) {
        return """
                {"type": "CIVIL_SERVANT", "username": "%s", "displayName": "数组测试员", "departmentCode": "%s",
                 "roles": %s, "password": "%s"}""".formatted(username, AccountListTest.GAT, rolesJson,
                OidcFlow.PASSWORD);
    }

    @Test
    void aNullRoleIsAProblemNamingRolesAndNothingIsStored() {
        String username = "arr.null" + System.nanoTime() % 1_000_000;
        refused(admin().body(staff(username, "[\"operator\", null]")).post(ACCOUNTS), "roles");
        refused(admin().body(staff(username, "[\" \"]")).post(ACCOUNTS), "roles");
        AccountListTest.as("dsj.admin").queryParam("q", username).get(ACCOUNTS).then().statusCode(200)
                .header("X-Total-Count", "0");
        String id = admin().body(staff(username, "[\"operator\"]")).post(ACCOUNTS).then().statusCode(201).extract()
                .path("id");
        refused(admin().body("[\"reviewer\", null]").put(ACCOUNTS + "/" + id + "/roles"), "roles");
        refused(admin().body("[null]").put(ACCOUNTS + "/" + id + "/roles"), "roles");
        AccountListTest.as("dsj.admin").get(ACCOUNTS + "/" + id).then().statusCode(200)
                .body("roles", equalTo(List.of("operator")));
    }

    @Test
    void aNullElementInAnyArrayOfAClientIsAProblemNamingItAndNothingIsStored() {
        String id = "arr-" + System.nanoTime();
        String valid = """
                "grantTypes": ["authorization_code"], "redirectUris": ["http://127.0.0.1:9/cb"],
                "postLogoutRedirectUris": ["http://127.0.0.1:9/bye"], "scopes": ["openid"],
                "audiences": ["onenet-catalog"], "roles": ["system"]""";
        for (String field : List.of("grantTypes", "redirectUris", "postLogoutRedirectUris", "scopes", "audiences",
                "roles")) {
            String body = "{\"clientId\": \"" + id + "\", \"name\": \"数组测试\", "
                    + valid.replaceFirst("\"" + field + "\": \\[", "\"" + field + "\": [null, ") + "}";
            refused(admin().body(body).post(CLIENTS), field);
            AccountListTest.as("dsj.admin").get(CLIENTS + "/" + id).then().statusCode(404);
        }
        String created = "{\"clientId\": \"" + id + "\", \"name\": \"数组测试\", " + valid + "}";
        admin().body(created).post(CLIENTS).then().statusCode(201);
        refused(admin().body(created.replace("\"scopes\": [", "\"scopes\": [null, ")).put(CLIENTS + "/" + id),
                "scopes");
        AccountListTest.as("dsj.admin").get(CLIENTS + "/" + id).then().statusCode(200)
                .body("scopes", equalTo(List.of("openid"))).body("version", equalTo(0));
    }

    @Test
    void anEnterpriseNamingANullServiceIsAProblemNamingClientIds() {
        String enterprise = OidcFlow.accessToken("test-web", "91330106MA2H00001E");
        int before = given().auth().oauth2(enterprise).get("/api/identity/v1/delegations").then().statusCode(200)
                .extract().path("size()");
        for (String clientIds : List.of("[null]", "[\"test-web\", null]", "[\"\"]")) {
            refused(given().auth().oauth2(enterprise).contentType("application/json").header("X-Request-Id", REQUEST_ID)
                    .body("""
                    {"agentIdNumber": "330282196509230044", "agentName": "王秀英", "validTo": "%s", "clientIds": %s}"""
                    .formatted(OffsetDateTime.now().plusDays(30), clientIds)).post("/api/identity/v1/delegations"),
                    "clientIds");
        }
        given().auth().oauth2(enterprise).get("/api/identity/v1/delegations").then().statusCode(200)
                .body("size()", equalTo(before));
    }

    @Test
    void aMemberOfStaffIsNotBothCatalogueEditorAndReviewer() {
        String username = "arr.sod" + System.nanoTime() % 1_000_000;
        refused(admin().body(staff(username, "[\"catalog-editor\", \"reviewer\"]")).post(ACCOUNTS), "roles");
        String id = admin().body(staff(username, "[\"catalog-editor\", \"operator\"]")).post(ACCOUNTS).then()
                .statusCode(201).extract().path("id");
        refused(admin().body("[\"catalog-editor\", \"reviewer\"]").put(ACCOUNTS + "/" + id + "/roles"), "roles");
        AccountListTest.as("dsj.admin").get(ACCOUNTS + "/" + id).then().statusCode(200)
                .body("roles", equalTo(List.of("catalog-editor", "operator")));
        // either alone is fine (reviewer only in a competent authority: CompetentAuthorityRolesTest)
        admin().body("[\"catalog-editor\"]").put(ACCOUNTS + "/" + id + "/roles").then().statusCode(200)
                .body("roles", equalTo(List.of("catalog-editor")));
    }

    private static String client(String id, String name) {
        return "{\"clientId\": \"" + id + "\", \"name\": \"" + name + "\", \"grantTypes\": [\"client_credentials\"], "
                + "\"scopes\": [\"openid\"]}";
    }

    /**
     * A control character, a line break or line separator, or an unpaired surrogate (kept by the database as "?") in a
     * client's name is a 400 naming {@code name}, and nothing is registered or changed.
     */
    @Test
    void aClientNameThatIsNotOnePrintableLineIsRefusedAndNothingIsStored() {
        // JSON escapes, so that the request carries exactly these characters (an unpaired surrogate included)
        List<String> bad = List.of("社保\\u0007应用", "社保\\u0085应用", "社保\\n应用", "社保\\u2028应用", "社保\\ud800应用");
        String id = "name-" + System.nanoTime();
        for (String name : bad) {
            admin().body(client(id, name)).post(CLIENTS).then().statusCode(400)
                    .contentType("application/problem+json").body("errors.field", hasItem("name"))
                    .body("requestId", notNullValue());
            AccountListTest.as("dsj.admin").get(CLIENTS + "/" + id).then().statusCode(404);
        }
        admin().body(client(id, "社保应用")).post(CLIENTS).then().statusCode(201);
        for (String name : bad) {
            admin().queryParam("version", 0).body(client(id, name)).put(CLIENTS + "/" + id).then().statusCode(400)
                    .contentType("application/problem+json").body("errors.field", hasItem("name"));
        }
        AccountListTest.as("dsj.admin").get(CLIENTS + "/" + id).then().statusCode(200).body("name", equalTo("社保应用"))
                .body("version", equalTo(0));
    }
}
