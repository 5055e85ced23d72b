package cn.onenet.identity.accounts;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.token.Tokens;

import cn.onenet.identity.audit.DurableAuditTest;
import cn.onenet.identity.model.AuditEvent;
import cn.onenet.identity.oidc.OidcFlow;
import cn.onenet.identity.oidc.TestClients;
import cn.onenet.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * A role an administrator takes away stops working at once, not when the tokens carrying it expire: the catalog and
 * the exchange verify access tokens on their own and learn of it only from the revocation list.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
public class RoleRemovalRevocationTest {

    private static final String ACCOUNTS = "/api/identity/v1/accounts/";

    @Inject
    TestClients clients;

    @BeforeEach
    void clients() {
        clients.ensure(null);
    }

    /** A new civil servant of 人社厅 with the roles given; returns its id. */
    private static String staff(String username, List<String> roles) {
        return AccountListTest.as("dsj.admin").contentType("application/json")
                .body(Map.of("type", "CIVIL_SERVANT", "username", username, "displayName", "角色测试员",
                        "departmentCode", AccountListTest.RST, "roles", roles, "password", OidcFlow.PASSWORD))
                .post(ACCOUNTS).then().statusCode(201).extract().path("id");
    }

    private static void setRoles(String id, List<String> roles) {
        AccountListTest.as("dsj.admin").contentType("application/json").body(roles).put(ACCOUNTS + id + "/roles")
                .then().statusCode(200);
    }

    public static Tokens signIn(String username) {
        return new OidcFlow("test-web", TestClients.SECRET).tokens(username, "openid").getOIDCTokens();
    }

    public static String grantOf(Tokens tokens) throws Exception {
        String jti = SignedJWT.parse(tokens.getAccessToken().getValue()).getJWTClaimsSet().getJWTID();
        return jti.substring(0, jti.indexOf('.'));
    }

    public static Response revocations() {
        return given().auth().preemptive().basic("catalog-service", "demo-catalog-secret").get("/oidc/revocations");
    }

    public static Response refresh(Tokens tokens) {
        return given().auth().preemptive().basic("test-web", TestClients.SECRET)
                .formParam("grant_type", "refresh_token")
                .formParam("refresh_token", tokens.getRefreshToken().getValue()).post("/oidc/token");
    }

    public static Response introspect(String token) {
        return given().auth().preemptive().basic("test-web", TestClients.SECRET).formParam("token", token)
                .post("/oidc/introspect");
    }

    public static String username(String prefix) {
        return prefix + (System.nanoTime() % 1_000_000_000L);
    }

    @Test
    void aRemovedRoleEndsTheAccountsTokensAndListsThem() throws Exception {
        String username = username("rr.editor");
        String id = staff(username, List.of("operator", "catalog-editor"));
        Tokens web = signIn(username);
        Tokens second = signIn(username);
        revocations().then().statusCode(200).body("grants", not(hasItem(grantOf(web))))
                .body("grants", not(hasItem(grantOf(second))));

        setRoles(id, List.of("operator"));

        // every grant of the account: the resource servers refuse its access tokens from their next fetch
        revocations().then().statusCode(200).body("grants", hasItem(grantOf(web)))
                .body("grants", hasItem(grantOf(second)));
        refresh(web).then().statusCode(400).body("error", equalTo("invalid_grant"));
        refresh(second).then().statusCode(400).body("error", equalTo("invalid_grant"));
        introspect(web.getAccessToken().getValue()).then().body("active", equalTo(false));
        given().auth().oauth2(web.getAccessToken().getValue()).get("/api/identity/v1/me").then().statusCode(401);

        AuditEvent row = DurableAuditTest.rows("ROLES_CHANGED", id).get(0);
        assertEquals("SUCCESS", row.outcome);
        assertTrue(row.detail.contains("roles=[operator]") && row.detail.contains("removed=[catalog-editor]")
                && row.detail.contains("grants revoked=2"), row.detail);

        // the holder signs in again and the new tokens carry the roles as they are now
        Tokens again = signIn(username);
        assertEquals(List.of("operator"), SignedJWT.parse(again.getAccessToken().getValue()).getJWTClaimsSet()
                .getStringListClaim("roles"));
        revocations().then().body("grants", not(hasItem(grantOf(again))));
        refresh(again).then().statusCode(200);
    }

    @Test
    void anAddedRoleRevokesNothing() throws Exception {
        String username = username("rr.operator");
        String id = staff(username, List.of("operator"));
        Tokens tokens = signIn(username);

        setRoles(id, List.of("operator", "catalog-editor"));

        revocations().then().statusCode(200).body("grants", not(hasItem(grantOf(tokens))));
        introspect(tokens.getAccessToken().getValue()).then().body("active", equalTo(true));
        refresh(tokens).then().statusCode(200);
        String detail = DurableAuditTest.rows("ROLES_CHANGED", id).get(0).detail;
        assertEquals("roles=[catalog-editor, operator]", detail);
    }
}
