package cn.onenet.identity.accounts;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import java.util.List;

import org.junit.jupiter.api.Test;

import cn.onenet.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Client registration reads a department code in any letter case, refuses a configuration that cannot work (a
 * refresh token without the code flow that issues one, a redirect URI twice) and names {@code clientId} when the id is
 * taken — after checking the body, so a bad body gets its 400 first.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class ClientRegistrationRulesTest extends AdminApiTest {

    private static String body(String id, String grantTypes, String redirectUris, String departmentCode) {
        return """
                {"clientId": "%s", "name": "登记规则测试", "grantTypes": %s, "redirectUris": %s, "scopes": ["openid"],
                 "departmentCode": "%s"}""".formatted(id, grantTypes, redirectUris, departmentCode);
    }

    @Test
    void aDepartmentCodeInLowerCaseNamesTheDepartment() {
        String id = "reg-case-" + System.nanoTime();
        admin().body(body(id, "[\"client_credentials\"]", "[]", AccountListTest.GAT.toLowerCase(java.util.Locale.ROOT)))
                .post(CLIENTS).then().statusCode(201).body("client.departmentCode", equalTo(AccountListTest.GAT));
        AccountListTest.as("dsj.admin").get(CLIENTS + "/" + id).then().statusCode(200)
                .body("departmentCode", equalTo(AccountListTest.GAT));
        // an unknown one stays unknown in any case
        refused(admin().body(body(id + "x", "[\"client_credentials\"]", "[]", "11330000002481099z")).post(CLIENTS),
                400, "departmentCode");
        absent(id + "x");
        // only an administrator registers clients
        AccountListTest.as("gat.operator").contentType("application/json")
                .body(body(id + "y", "[\"client_credentials\"]", "[]", AccountListTest.GAT)).post(CLIENTS).then()
                .statusCode(403);
        absent(id + "y");
    }

    @Test
    void aRefreshTokenGrantWithoutTheCodeFlowIsRefused() {
        String id = "reg-refresh-" + System.nanoTime();
        for (String grants : List.of("[\"refresh_token\"]", "[\"client_credentials\", \"refresh_token\"]")) {
            refused(admin().body(body(id, grants, "[]", AccountListTest.GAT)).post(CLIENTS), 400, "grantTypes");
            admin().body(body(id, grants, "[]", AccountListTest.GAT)).post(CLIENTS).then()
                    .body("errors[0].message", containsString("authorization_code"));
            absent(id);
        }
        admin().body(body(id, "[\"authorization_code\", \"refresh_token\"]", "[\"https://rp.example.cn/cb\"]",
                AccountListTest.GAT)).post(CLIENTS).then().statusCode(201);
        // an update to the same inconsistency is refused too, and changes nothing
        refused(admin().body(body(id, "[\"refresh_token\"]", "[]", AccountListTest.GAT)).put(CLIENTS + "/" + id), 400,
                "grantTypes");
        AccountListTest.as("dsj.admin").get(CLIENTS + "/" + id).then().statusCode(200)
                .body("grantTypes", equalTo(List.of("authorization_code", "refresh_token"))).body("version",
                        equalTo(0));
    }

    @Test
    void aRedirectUriListedTwiceIsRefused() {
        String id = "reg-twice-" + System.nanoTime();
        refused(admin().body(body(id, "[\"authorization_code\"]",
                "[\"https://rp.example.cn/cb\", \"https://rp.example.cn/cb\"]", AccountListTest.GAT)).post(CLIENTS),
                400, "redirectUris");
        absent(id);
        admin().body(body(id, "[\"authorization_code\"]", "[\"https://rp.example.cn/cb\", \"https://rp.example.cn/cb2\"]",
                AccountListTest.GAT)).post(CLIENTS).then().statusCode(201)
                .body("client.redirectUris", equalTo(List.of("https://rp.example.cn/cb", "https://rp.example.cn/cb2")));
    }

    @Test
    void aTakenClientIdIsAConflictNamingItAfterTheBodyIsChecked() {
        String id = "reg-taken-" + System.nanoTime();
        admin().body(body(id, "[\"client_credentials\"]", "[]", AccountListTest.GAT)).post(CLIENTS).then()
                .statusCode(201).body("clientSecret", notNullValue());
        // a bad body under the taken id: its 400 first
        refused(admin().body(body(id, "[\"refresh_token\"]", "[]", AccountListTest.GAT)).post(CLIENTS), 400,
                "grantTypes");
        // a good body: 409 naming clientId, the registration unchanged
        refused(admin().body(body(id, "[\"authorization_code\"]", "[\"https://rp.example.cn/cb\"]",
                AccountListTest.GAT)).post(CLIENTS), 409, "clientId");
        AccountListTest.as("dsj.admin").get(CLIENTS + "/" + id).then().statusCode(200)
                .body("grantTypes", equalTo(List.of("client_credentials"))).body("version", equalTo(0));
    }
}
