package cn.onenet.identity.audit;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import cn.onenet.identity.model.Account;
import cn.onenet.identity.model.AuditEvent;
import cn.onenet.identity.oidc.OidcFlow;
import cn.onenet.identity.oidc.TestClients;
import cn.onenet.identity.service.AccountService;
import cn.onenet.identity.service.AuditService;
import cn.onenet.testsupport.PostgresTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Administrative changes are audited in their own transaction: the row is in the database when the call returns
 * (nothing queued that a crash could lose), and a change that fails or rolls back leaves none.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
public class DurableAuditTest {

    /** 浙江省公安厅 of the demo data. */
    private static final String DEPARTMENT = "11330000002481020A";

    @Inject
    TestClients clients;
    @Inject
    AccountService accounts;
    @Inject
    AuditService audit;

    @BeforeEach
    void clients() {
        clients.ensure(null);
    }

    /** The rows of {@code type} about {@code subject}, read straight from the table (the queue is not flushed). */
    public static List<AuditEvent> rows(String type, String subject) {
        return QuarkusTransaction.requiringNew().call(() -> AuditEvent.<AuditEvent>list(
                "eventType = ?1 and subject = ?2 order by id", type, subject));
    }

    /** The actor recorded for what the demo administrator does: the account id (the token's subject). */
    public static String adminId() {
        return QuarkusTransaction.requiringNew().call(() -> Account.byUsername("dsj.admin").id.toString());
    }

    private static String staff(String admin) {
        return given().auth().oauth2(admin).contentType("application/json")
                .body(Map.of("type", "CIVIL_SERVANT", "username", "audit.test" + System.nanoTime() % 1_000_000,
                        "displayName", "审计测试员", "departmentCode", DEPARTMENT, "roles", List.of("operator"),
                        "password", OidcFlow.PASSWORD))
                .post("/api/identity/v1/accounts").then().statusCode(201).extract().path("id");
    }

    @Test
    void anAdministratorsChangesAreInTheAuditTableWhenTheCallReturns() {
        String admin = OidcFlow.accessToken("test-web", "dsj.admin");
        // account administration: created, roles, disabled
        String id = staff(admin);
        List<AuditEvent> created = rows("ACCOUNT_CREATED", id);
        assertEquals(1, created.size(), "written with the account, not queued");
        assertEquals(adminId(), created.get(0).actor, "who");
        assertEquals("SUCCESS", created.get(0).outcome);
        assertTrue(created.get(0).requestId != null && !created.get(0).requestId.isBlank(), "the request id is kept");
        given().auth().oauth2(admin).contentType("application/json").body(List.of("operator", "catalog-editor"))
                .put("/api/identity/v1/accounts/" + id + "/roles").then().statusCode(200);
        assertEquals(1, rows("ROLES_CHANGED", id).size());
        given().auth().oauth2(admin).post("/api/identity/v1/accounts/" + id + "/disable").then().statusCode(200);
        assertEquals(1, rows("ACCOUNT_DISABLED", id).size());

        // client administration
        String clientId = "audit-test-" + System.nanoTime() % 1_000_000;
        given().auth().oauth2(admin).contentType("application/json")
                .body(Map.of("clientId", clientId, "name", "审计测试系统", "grantTypes", List.of("client_credentials"),
                        "scopes", List.of("catalog"), "audiences", List.of("onenet-catalog"), "roles",
                        List.of("system")))
                .post("/api/identity/v1/clients").then().statusCode(201);
        assertEquals(1, rows("CLIENT_REGISTERED", clientId).size());
        given().auth().oauth2(admin).post("/api/identity/v1/clients/" + clientId + "/secret").then().statusCode(200);
        assertEquals(1, rows("CLIENT_SECRET_ROTATED", clientId).size());
        given().auth().oauth2(admin).post("/api/identity/v1/clients/" + clientId + "/disable").then().statusCode(200);
        assertEquals(1, rows("CLIENT_DISABLED", clientId).size());
    }

    @Test
    void aChangeThatFailsValidationWritesNoRow() {
        String admin = OidcFlow.accessToken("test-web", "dsj.admin");
        String id = staff(admin);
        given().auth().oauth2(admin).contentType("application/json").body(List.of("operator", "emperor"))
                .put("/api/identity/v1/accounts/" + id + "/roles").then().statusCode(400)
                .contentType("application/problem+json");
        audit.flush(); // nothing queued either
        assertEquals(List.of(), rows("ROLES_CHANGED", id));
    }

    @Test
    void aRolledBackChangeLeavesNoAuditRowAndACommittedOneAlwaysHasOne() {
        UUID id = UUID.fromString(staff(OidcFlow.accessToken("test-web", "dsj.admin")));
        QuarkusTransaction.begin();
        accounts.setRoles(id, Set.of("catalog-editor"), "test");
        QuarkusTransaction.rollback(); // e.g. a later step of the same change failed
        audit.flush();
        assertEquals(List.of(), rows("ROLES_CHANGED", id.toString()));
        assertEquals(Set.of("operator"),
                QuarkusTransaction.requiringNew().call(() -> Set.copyOf(accounts.get(id).roles)));

        QuarkusTransaction.requiringNew().run(() -> accounts.setRoles(id, Set.of("catalog-editor"), "test"));
        assertEquals(1, rows("ROLES_CHANGED", id.toString()).size());
    }
}
