package cn.onenet.identity.departments;

import static cn.onenet.identity.accounts.RoleRemovalRevocationTest.grantOf;
import static cn.onenet.identity.accounts.RoleRemovalRevocationTest.introspect;
import static cn.onenet.identity.accounts.RoleRemovalRevocationTest.refresh;
import static cn.onenet.identity.accounts.RoleRemovalRevocationTest.revocations;
import static cn.onenet.identity.accounts.RoleRemovalRevocationTest.signIn;
import static cn.onenet.identity.accounts.RoleRemovalRevocationTest.username;
import static cn.onenet.identity.departments.DepartmentRegistryTest.DEPARTMENTS;
import static cn.onenet.identity.departments.DepartmentRegistryTest.admin;
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

import com.nimbusds.oauth2.sdk.token.Tokens;

import cn.onenet.identity.audit.DurableAuditTest;
import cn.onenet.identity.model.AuditEvent;
import cn.onenet.identity.oidc.OidcFlow;
import cn.onenet.identity.oidc.TestClients;
import cn.onenet.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A department deactivated (撤销) ends its staff's tokens at once, as a role taken away does: the catalog and the
 * exchange verify access tokens on their own and would otherwise honour the department and its roles until the
 * tokens expire.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class DepartmentDeactivationRevocationTest {

    @Inject
    TestClients clients;

    @BeforeEach
    void clients() {
        clients.ensure(null);
    }

    /** A new staff member of the department with the role operator; returns its id. */
    private static String staff(String username, String departmentCode) {
        return admin().body(Map.of("type", "CIVIL_SERVANT", "username", username, "displayName", "撤销测试员",
                "departmentCode", departmentCode, "roles", List.of("operator"), "password", OidcFlow.PASSWORD))
                .post("/api/identity/v1/accounts").then().statusCode(201).extract().path("id");
    }

    @Test
    void aDeactivatedDepartmentEndsItsStaffsTokensAndListsThem() throws Exception {
        String code = DepartmentRegistryTest.create("330100", "CITY", DepartmentRegistryTest.PROVINCIAL);
        String other = DepartmentRegistryTest.create("330100", "CITY", DepartmentRegistryTest.PROVINCIAL);
        String first = username("dd.first");
        String second = username("dd.second");
        String outside = username("dd.outside");
        String firstId = staff(first, code);
        String secondId = staff(second, code);
        String outsideId = staff(outside, other);
        Tokens web = signIn(first);
        Tokens again = signIn(first);
        Tokens colleague = signIn(second);
        Tokens elsewhere = signIn(outside);
        revocations().then().statusCode(200).body("grants", not(hasItem(grantOf(web))));

        admin().header("If-Match", "\"0\"").body(Map.of("reason", "机构改革，职责划转"))
                .post(DEPARTMENTS + "/" + code + "/deactivate").then().statusCode(200).body("active", equalTo(false));

        // every grant of its staff: on the list the resource servers fetch, refused at refresh and introspection
        for (Tokens tokens : List.of(web, again, colleague)) {
            revocations().then().statusCode(200).body("grants", hasItem(grantOf(tokens)));
            refresh(tokens).then().statusCode(400).body("error", equalTo("invalid_grant"));
            introspect(tokens.getAccessToken().getValue()).then().statusCode(200).body("active", equalTo(false));
            given().auth().oauth2(tokens.getAccessToken().getValue()).get("/api/identity/v1/me").then()
                    .statusCode(401);
        }
        // another department's staff keep theirs
        revocations().then().body("grants", not(hasItem(grantOf(elsewhere))));
        introspect(elsewhere.getAccessToken().getValue()).then().body("active", equalTo(true));
        refresh(elsewhere).then().statusCode(200);
        assertEquals(List.of(), DurableAuditTest.rows("TOKEN_REVOKED", outsideId));

        // each account's trail names its revoked grants; the department's row counts them
        String admin = DurableAuditTest.adminId();
        AuditEvent mine = DurableAuditTest.rows("TOKEN_REVOKED", firstId).get(0);
        assertEquals(admin, mine.actor);
        assertTrue(mine.detail.startsWith("department=" + code + " deactivated grants=[")
                && mine.detail.contains(grantOf(web)) && mine.detail.contains(grantOf(again)), mine.detail);
        AuditEvent theirs = DurableAuditTest.rows("TOKEN_REVOKED", secondId).get(0);
        assertTrue(theirs.detail.contains(grantOf(colleague)) && !theirs.detail.contains(grantOf(web)),
                theirs.detail);
        String detail = DurableAuditTest.rows("DEPARTMENT_DEACTIVATED", code).get(0).detail;
        assertTrue(detail.contains("grants revoked=3 accounts=2") && detail.endsWith("reason: 机构改革，职责划转"), detail);

        // the staff member still signs in; the new tokens are not on the list and refresh
        Tokens after = signIn(first);
        revocations().then().body("grants", not(hasItem(grantOf(after))));
        refresh(after).then().statusCode(200);
    }

    @Test
    void aRefusedDeactivationRevokesNothing() throws Exception {
        String code = DepartmentRegistryTest.create("330100", "CITY", DepartmentRegistryTest.PROVINCIAL);
        String username = username("dd.kept");
        String id = staff(username, code);
        Tokens tokens = signIn(username);

        // a stale version: 409, nothing changed
        admin().header("If-Match", "\"7\"").body(Map.of("reason", "机构改革"))
                .post(DEPARTMENTS + "/" + code + "/deactivate").then().statusCode(409);

        revocations().then().body("grants", not(hasItem(grantOf(tokens))));
        introspect(tokens.getAccessToken().getValue()).then().body("active", equalTo(true));
        refresh(tokens).then().statusCode(200);
        assertEquals(List.of(), DurableAuditTest.rows("TOKEN_REVOKED", id));
    }
}
