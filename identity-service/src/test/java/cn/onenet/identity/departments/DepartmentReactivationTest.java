package cn.onenet.identity.departments;

import static cn.onenet.identity.departments.DepartmentRegistryTest.DEPARTMENTS;
import static cn.onenet.identity.departments.DepartmentRegistryTest.PROVINCIAL;
import static cn.onenet.identity.departments.DepartmentRegistryTest.admin;
import static cn.onenet.identity.departments.DepartmentRegistryTest.create;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;

import cn.onenet.identity.audit.DurableAuditTest;
import cn.onenet.identity.model.AuditEvent;
import cn.onenet.identity.oidc.OidcFlow;
import cn.onenet.identity.oidc.TestClients;
import cn.onenet.identity.service.AuditService;
import cn.onenet.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;

/**
 * A deactivated (撤销) department: reactivated by an administrator, refused for new and changed clients, and never
 * claimed by a token while it is deactivated: its staff's tokens carry neither it nor their staff roles, its clients
 * get no client-credentials tokens.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class DepartmentReactivationTest {

    private static final String CLIENTS = "/api/identity/v1/clients";

    @Inject
    TestClients clients;
    @Inject
    AuditService audit;

    @BeforeEach
    void clients() {
        clients.ensure(null);
    }

    private static ValidatableResponse deactivate(String code, Object version) {
        return admin().header("If-Match", "\"" + version + "\"").body(Map.of("reason", "机构改革，职责划转"))
                .post(DEPARTMENTS + "/" + code + "/deactivate").then();
    }

    private static ValidatableResponse reactivate(String code, Object version, String reason) {
        Map<String, Object> body = new HashMap<>();
        body.put("reason", reason);
        return admin().header("If-Match", "\"" + version + "\"").body(body)
                .post(DEPARTMENTS + "/" + code + "/reactivate").then();
    }

    /** A department system's registration: client credentials for the catalog's API, role {@code system}. */
    static Map<String, Object> systemClient(String clientId, String departmentCode) {
        Map<String, Object> body = new HashMap<>();
        body.put("clientId", clientId);
        body.put("name", "部门测试系统 " + clientId);
        body.put("grantTypes", List.of("client_credentials"));
        body.put("scopes", List.of("catalog"));
        body.put("audiences", List.of("onenet-catalog"));
        body.put("roles", List.of("system"));
        body.put("departmentCode", departmentCode);
        return body;
    }

    private static String staff(String departmentCode) {
        String username = "react.test" + System.nanoTime() % 1_000_000;
        admin().body(Map.of("type", "CIVIL_SERVANT", "username", username, "displayName", "恢复测试员",
                "departmentCode", departmentCode, "roles", List.of("operator", "auditor"), "password",
                OidcFlow.PASSWORD)).post("/api/identity/v1/accounts").then().statusCode(201);
        return username;
    }

    private static ValidatableResponse introspect(String token) {
        return given().auth().preemptive().basic("test-web", TestClients.SECRET)
                .contentType("application/x-www-form-urlencoded").formParam("token", token).post("/oidc/introspect")
                .then().statusCode(200).body("active", equalTo(true));
    }

    private static io.restassured.response.Response clientCredentials(String clientId, String secret) {
        return given().auth().preemptive().basic(clientId, secret).contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "client_credentials").post("/oidc/token");
    }

    /** The claims of a token this provider signed (introspection answers only the token's own client). */
    private static Map<String, Object> claims(String token) {
        try {
            return SignedJWT.parse(token).getJWTClaimsSet().getClaims();
        } catch (java.text.ParseException e) {
            throw new AssertionError(e);
        }
    }

    private static AccessTokenResponse refresh(RefreshToken refreshToken) {
        OidcFlow flow = new OidcFlow("test-web", TestClients.SECRET);
        TokenResponse response = OidcFlow.send(new TokenRequest(OidcFlow.endpoint("token"), flow.auth(),
                new RefreshTokenGrant(refreshToken)));
        assertTrue(response.indicatesSuccess(), () -> response.toErrorResponse().getErrorObject().toString());
        return response.toSuccessResponse();
    }

    @Test
    void aDeactivatedDepartmentIsClaimedByNoTokenUntilAnAdministratorReactivatesIt() {
        // the region's competent authority (海曙区 has none in the demo data): its staff may hold auditor
        String code = DepartmentRegistryTest.newCode("330203");
        Map<String, Object> authority = DepartmentRegistryTest.department(code, "330203", "COUNTY", null);
        authority.put("competentAuthority", true);
        admin().body(authority).post(DEPARTMENTS).then().statusCode(201);
        String username = staff(code);
        String clientId = "react-sys-" + System.nanoTime() % 1_000_000;
        String secret = admin().body(systemClient(clientId, code)).post(CLIENTS).then().statusCode(201)
                .body("client.departmentCode", equalTo(code)).extract().path("clientSecret");
        // while active: the staff member's token and the client's token name the department
        OIDCTokenResponse before = new OidcFlow("test-web", TestClients.SECRET).tokens(username, "openid");
        introspect(before.getOIDCTokens().getAccessToken().getValue()).body("dept", equalTo(code))
                .body("region", equalTo("330203")).body("roles", hasItem("auditor"));
        given().auth().oauth2(before.getOIDCTokens().getAccessToken().getValue()).get("/api/identity/v1/accounts")
                .then().statusCode(200);
        assertEquals(code, claims(clientCredentials(clientId, secret).then().statusCode(200).extract()
                .path("access_token")).get("dept"));

        deactivate(code, 0).statusCode(200).body("active", equalTo(false)).body("version", equalTo(1));

        // the staff member still signs in, but a new token does not claim the department or the staff roles held
        // in it; the tokens issued before were revoked with the deactivation (DepartmentDeactivationRevocationTest)
        String during = OidcFlow.accessToken("test-web", username);
        introspect(during).body("dept", nullValue()).body("region", nullValue()).body("roles", empty())
                .body("account_type", equalTo("civil_servant"));
        OIDCTokenResponse signedInDuring = new OidcFlow("test-web", TestClients.SECRET).tokens(username, "openid");
        String refreshed = refresh(signedInDuring.getTokens().getRefreshToken()).getTokens().getAccessToken()
                .getValue();
        introspect(refreshed).body("dept", nullValue()).body("roles", empty());
        // …so that token no longer opens what the roles did (here: the account list, open to auditors), but is the
        // holder's own login still
        given().auth().oauth2(during).get("/api/identity/v1/accounts").then().statusCode(403);
        given().auth().oauth2(during).get("/api/identity/v1/me").then().statusCode(200);
        // the department's client gets no client-credentials token
        clientCredentials(clientId, secret).then().statusCode(400).body("error", equalTo("unauthorized_client"))
                .body("error_description", containsString("department is deactivated"));
        // no new client names it, and a changed client cannot keep it (400, field departmentCode)
        admin().body(systemClient("react-new-" + System.nanoTime() % 1_000_000, code)).post(CLIENTS).then()
                .statusCode(400).contentType("application/problem+json").body("errors.field", hasItem("departmentCode"))
                .body("detail", containsString(code));
        Map<String, Object> changed = systemClient(clientId, code);
        changed.put("name", "改名的系统");
        admin().body(changed).put(CLIENTS + "/" + clientId).then().statusCode(400)
                .contentType("application/problem+json").body("errors.field", hasItem("departmentCode"));
        admin().get(CLIENTS + "/" + clientId).then().statusCode(200).body("name", equalTo("部门测试系统 " + clientId));
        // …but may move to an active department, and then gets tokens in that department's name
        admin().body(systemClient(clientId, PROVINCIAL)).put(CLIENTS + "/" + clientId).then().statusCode(200)
                .body("client.departmentCode", equalTo(PROVINCIAL));
        assertEquals(PROVINCIAL, claims(clientCredentials(clientId, secret).then().statusCode(200).extract()
                .path("access_token")).get("dept"));
        admin().body(systemClient(clientId, code)).put(CLIENTS + "/" + clientId).then().statusCode(400);
        // no new staff either
        admin().body(Map.of("type", "CIVIL_SERVANT", "username", "react.late" + System.nanoTime() % 100000,
                "displayName", "迟到者", "departmentCode", code, "password", OidcFlow.PASSWORD))
                .post("/api/identity/v1/accounts").then().statusCode(400).body("errors.field", hasItem("departmentCode"));

        // reactivation: a reason and the version read are needed, a stale version loses
        reactivate(code, 1, null).statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("reason"));
        admin().body(Map.of("reason", "恢复")).post(DEPARTMENTS + "/" + code + "/reactivate").then().statusCode(400)
                .body("errors.field", hasItem("If-Match"));
        reactivate(code, 0, "恢复").statusCode(409).body("type", equalTo("urn:onenet:problem:stale-version"));
        reactivate(code, 1, "撤销决定撤回").statusCode(200).contentType("application/json")
                .body("active", equalTo(true)).body("version", equalTo(2)).body("code", equalTo(code));
        given().get(DEPARTMENTS).then().body("code", hasItem(code));
        // an active department is not reactivated again
        reactivate(code, 2, "再次恢复").statusCode(409).contentType("application/problem+json")
                .body("type", equalTo("urn:onenet:problem:illegal-transition"));

        // the department is claimed again, the roles are back, and the client is accepted again
        introspect(OidcFlow.accessToken("test-web", username)).body("dept", equalTo(code))
                .body("roles", hasItem("operator"));
        admin().body(systemClient(clientId, code)).put(CLIENTS + "/" + clientId).then().statusCode(200);
        assertEquals(code, claims(clientCredentials(clientId, secret).then().statusCode(200).extract()
                .path("access_token")).get("dept"));

        // audited in the change's transaction: who, what, why
        List<AuditEvent> rows = DurableAuditTest.rows("DEPARTMENT_REACTIVATED", code);
        assertEquals(1, rows.size(), "one row for the one reactivation, none for the refused ones");
        assertEquals(DurableAuditTest.adminId(), rows.get(0).actor);
        assertTrue(rows.get(0).detail.contains("reason: 撤销决定撤回"), rows.get(0).detail);
    }

    @Test
    void aDepartmentUnderADeactivatedParentIsReactivatedOnlyAfterIt() {
        String parent = create("330000", "PROVINCE", PROVINCIAL);
        String child = create("330100", "CITY", parent);
        deactivate(child, 0).statusCode(200);
        deactivate(parent, 0).statusCode(200);
        reactivate(child, 1, "恢复下级").statusCode(409).contentType("application/problem+json")
                .body("type", equalTo("urn:onenet:problem:illegal-transition"))
                .body("parentCode", equalTo(parent)).body("detail", containsString(parent));
        given().get(DEPARTMENTS + "/" + child).then().body("active", equalTo(false)).body("version", equalTo(1));
        audit.flush();
        assertEquals(List.of(), DurableAuditTest.rows("DEPARTMENT_REACTIVATED", child));
        reactivate(parent, 1, "恢复上级").statusCode(200).body("active", equalTo(true));
        reactivate(child, 1, "恢复下级").statusCode(200).body("active", equalTo(true))
                .body("parentCode", equalTo(parent));
    }

    @Test
    void onlyAdministratorsReactivate() {
        String code = create("330100", "CITY", null);
        deactivate(code, 0).statusCode(200);
        given().contentType("application/json").header("If-Match", "1").body(Map.of("reason", "x"))
                .post(DEPARTMENTS + "/" + code + "/reactivate").then().statusCode(401)
                .contentType("application/problem+json");
        for (String user : List.of("gat.operator", "dsj.auditor", "dsj.reviewer")) {
            given().auth().oauth2(OidcFlow.accessToken("test-web", user)).contentType("application/json")
                    .header("If-Match", "1").body(Map.of("reason", "x")).post(DEPARTMENTS + "/" + code + "/reactivate")
                    .then().statusCode(403).contentType("application/problem+json");
        }
        given().get(DEPARTMENTS + "/" + code).then().body("active", equalTo(false)).body("version", equalTo(1));
        reactivate(code, 1, "管理员恢复").statusCode(200).body("active", equalTo(true)).body("version", notNullValue());
    }
}
