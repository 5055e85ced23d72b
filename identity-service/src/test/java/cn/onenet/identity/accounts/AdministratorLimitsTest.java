package cn.onenet.identity.accounts;

import static cn.onenet.identity.accounts.AccountListTest.RST;
import static cn.onenet.identity.accounts.AccountListTest.as;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import cn.onenet.identity.audit.DurableAuditTest;
import cn.onenet.identity.model.Account;
import cn.onenet.identity.oidc.OidcFlow;
import cn.onenet.identity.oidc.TestClients;
import cn.onenet.testsupport.PostgresTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;

/**
 * What an administrator may not do: hold the role auditor as well (三员分立: who administers does not audit), nor change
 * their own account's roles, real-name level, second factor or contacts (another administrator does that). The
 * administrators these tests add are disabled at the end, so the demo's dsj.admin stays the only one who can act.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class AdministratorLimitsTest {

    private static final String ACCOUNTS = "/api/identity/v1/accounts";

    @Inject
    TestClients clients;

    @BeforeEach
    void clients() {
        clients.ensure(null);
    }

    /** A new enabled civil servant of 人社厅 with {@code roles}; its login name. */
    private static String staff(List<String> roles) {
        String username = "lim." + System.nanoTime() % 1_000_000;
        as("dsj.admin").contentType("application/json").body(Map.of("type", "CIVIL_SERVANT", "username", username,
                "displayName", "权限测试员", "departmentCode", RST, "roles", roles, "password", OidcFlow.PASSWORD))
                .post(ACCOUNTS).then().statusCode(201);
        return username;
    }

    private static String id(String username) {
        return QuarkusTransaction.requiringNew().call(() -> Account.byUsername(username).id.toString());
    }

    private static Set<String> roles(String username) {
        return QuarkusTransaction.requiringNew().call(() -> Set.copyOf(Account.byUsername(username).roles));
    }

    private static void disable(String username) {
        as("dsj.admin").post(ACCOUNTS + "/" + id(username) + "/disable").then().statusCode(200);
    }

    private static void ownAccount(ValidatableResponse response) {
        response.statusCode(403).contentType("application/problem+json")
                .body("detail", containsString("another administrator"));
    }

    @Test
    void adminAndAuditorAreNeverOneAccount() {
        // created with both
        as("dsj.admin").contentType("application/json").body(Map.of("type", "CIVIL_SERVANT", "username",
                "lim.both" + System.nanoTime() % 1_000_000, "displayName", "双角色", "departmentCode", RST, "roles",
                List.of("admin", "auditor"), "password", OidcFlow.PASSWORD)).post(ACCOUNTS).then().statusCode(400)
                .body("field", equalTo("roles")).body("detail", containsString("admin and auditor"));
        // an auditor given admin as well, an administrator given auditor as well
        String auditor = staff(List.of("auditor"));
        String admin = staff(List.of("admin"));
        try {
            for (String who : List.of(auditor, admin)) {
                as("dsj.admin").contentType("application/json").body(List.of("admin", "auditor"))
                        .put(ACCOUNTS + "/" + id(who) + "/roles").then().statusCode(400)
                        .body("field", equalTo("roles"));
            }
            assertEquals(Set.of("auditor"), roles(auditor));
            assertEquals(Set.of("admin"), roles(admin));
            assertTrue(DurableAuditTest.rows("ROLES_CHANGED", id(auditor)).isEmpty());
            // either alone is fine
            as("dsj.admin").contentType("application/json").body(List.of("operator", "auditor"))
                    .put(ACCOUNTS + "/" + id(auditor) + "/roles").then().statusCode(200);
        } finally {
            disable(admin);
        }
    }

    @Test
    void anAdministratorDoesNotGrantThemselvesRolesNorReadTheAuditLogThatWay() {
        String self = staff(List.of("admin"));
        try {
            String selfId = id(self);
            for (List<String> roles : List.of(List.of("admin", "auditor"), List.of("admin", "head"), List.of("admin",
                    "operator", "catalog-editor"))) {
                ValidatableResponse answer = as(self).contentType("application/json").body(roles)
                        .put(ACCOUNTS + "/" + selfId + "/roles").then();
                if (roles.contains("auditor")) {
                    answer.statusCode(400).body("field", equalTo("roles"));
                } else {
                    ownAccount(answer);
                }
            }
            assertEquals(Set.of("admin"), roles(self));
            assertTrue(DurableAuditTest.rows("ROLES_CHANGED", selfId).isEmpty());
            // so the audit log stays closed to them
            as(self).get("/api/identity/v1/audit").then().statusCode(403);
            // another administrator changes them
            as("dsj.admin").contentType("application/json").body(List.of("admin", "head"))
                    .put(ACCOUNTS + "/" + selfId + "/roles").then().statusCode(200);
            assertEquals(1, DurableAuditTest.rows("ROLES_CHANGED", selfId).size());
        } finally {
            disable(self);
        }
    }

    @Test
    void anAdministratorDoesNotRaiseTheirOwnLevelResetTheirFactorOrReplaceTheirContacts() {
        String self = staff(List.of("admin"));
        try {
            String selfId = id(self);
            ownAccount(as(self).contentType("application/json").body(Map.of("level", 4, "method", "certificate",
                    "evidence", "自签证书")).post(ACCOUNTS + "/" + selfId + "/level").then());
            ownAccount(as(self).delete(ACCOUNTS + "/" + selfId + "/totp").then());
            ownAccount(as(self).contentType("application/json").body(Map.of("phone", "13900000000", "reason",
                    "本人")).post(ACCOUNTS + "/" + selfId + "/counter-verification").then());
            Account after = QuarkusTransaction.requiringNew().call(() -> Account.byUsername(self));
            assertEquals(3, after.level);
            assertEquals(null, after.phone);
            assertTrue(DurableAuditTest.rows("LEVEL_CHANGED", selfId).isEmpty());
            assertTrue(DurableAuditTest.rows("COUNTER_VERIFICATION", selfId).isEmpty());
            // the password still signs in: nothing was replaced
            assertTrue(OidcFlow.signsIn(self, OidcFlow.PASSWORD));
            // another administrator may
            as("dsj.admin").contentType("application/json").body(Map.of("level", 4, "method", "certificate",
                    "evidence", "CA-2026-0001")).post(ACCOUNTS + "/" + selfId + "/level").then().statusCode(200)
                    .body("level", equalTo(4));
        } finally {
            disable(self);
        }
    }

    /**
     * The path left to an administrator who wants to audit: a second account with the role auditor. It is not hidden:
     * the creation's audit row names the roles and the department granted, as a later role change does.
     */
    @Test
    void theRolesGrantedAtCreationAreInItsAuditRow() {
        String auditor = staff(List.of("auditor"));
        String detail = DurableAuditTest.rows("ACCOUNT_CREATED", id(auditor)).get(0).detail;
        assertTrue(detail.contains("roles=[auditor]") && detail.contains("department=" + RST), detail);
    }
}
