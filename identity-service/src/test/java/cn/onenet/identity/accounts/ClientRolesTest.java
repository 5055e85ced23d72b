package cn.onenet.identity.accounts;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.nimbusds.jwt.SignedJWT;

import cn.onenet.identity.model.AuditEvent;
import cn.onenet.identity.model.OAuthClient;
import cn.onenet.identity.oidc.TestClients;
import cn.onenet.identity.service.AuditService;
import cn.onenet.testsupport.PostgresTestResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * The audit and administration powers belong to named people (三员分立, 双人复核): an OAuth client, registered by one
 * administrator in one step, holds neither {@code admin} nor {@code auditor}, and not {@code catalog-editor} with
 * {@code reviewer} either (编审分离, as for accounts). A client holding them from before loses them (V31), and no
 * client-credentials token carries them.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class ClientRolesTest {

    private static final String CLIENTS = "/api/identity/v1/clients";

    @Inject
    TestClients clients;

    @Inject
    AuditService audit;

    @Inject
    AgroalDataSource db;

    @BeforeEach
    void clients() {
        clients.ensure(null);
    }

    private static Map<String, Object> registration(String clientId, List<String> roles) {
        return Map.of("clientId", clientId, "name", "角色测试", "authMethod", "client_secret_basic", "grantTypes",
                List.of("client_credentials"), "audiences", List.of("onenet-identity", "onenet-exchange"),
                "roles", roles, "firstParty", true);
    }

    private static Response asAdmin(String requestId, Map<String, Object> body, boolean update) {
        var request = AccountListTest.as("dsj.admin").header("X-Request-Id", requestId)
                .contentType("application/json").body(body);
        return update ? request.put(CLIENTS + "/" + body.get("clientId")) : request.post(CLIENTS);
    }

    private static void refusedNamingRoles(Response response) {
        response.then().statusCode(400).contentType("application/problem+json").body("field", equalTo("roles"))
                .body("errors.field", hasItem("roles"));
    }

    static OAuthClient stored(String clientId) {
        return QuarkusTransaction.requiringNew().call(() -> OAuthClient.findById(clientId));
    }

    private List<AuditEvent> rowsOf(String requestId) {
        audit.flush();
        return QuarkusTransaction.requiringNew().call(() -> AuditEvent.<AuditEvent>list("requestId = ?1 order by id",
                requestId));
    }

    @Test
    void aClientCannotBeGivenTheAuditorOrTheAdminRole() {
        for (List<String> roles : List.of(List.of("auditor"), List.of("system", "auditor"), List.of("admin"))) {
            String clientId = "shadow-" + System.nanoTime();
            String request = UUID.randomUUID().toString();
            Response refused = asAdmin(request, registration(clientId, roles), false);
            refusedNamingRoles(refused);
            assertTrue(refused.asString().contains("named people") && !refused.asString().contains("clientSecret"),
                    refused.asString());
            assertNull(stored(clientId), "no client registered");
            // the attempt is on the audit trail the auditors read, although nothing was registered
            List<AuditEvent> rows = rowsOf(request);
            assertEquals(1, rows.size(), "audit rows of the refused registration");
            assertEquals(List.of("CLIENT_REGISTERED", "FAILURE", clientId), List.of(rows.get(0).eventType,
                    rows.get(0).outcome, rows.get(0).subject));
            assertTrue(rows.get(0).detail.contains(roles.contains("admin") ? "admin" : "auditor"), rows.get(0).detail);
        }
        // nor later, by an update
        String clientId = "upd-" + System.nanoTime();
        asAdmin(UUID.randomUUID().toString(), registration(clientId, List.of("system")), false).then().statusCode(201);
        String request = UUID.randomUUID().toString();
        refusedNamingRoles(asAdmin(request, registration(clientId, List.of("system", "auditor")), true));
        assertEquals("system", stored(clientId).roles);
        List<AuditEvent> rows = rowsOf(request);
        assertEquals(List.of("CLIENT_UPDATED", "FAILURE"), List.of(rows.get(0).eventType, rows.get(0).outcome));
        assertEquals(1, rows.size());
    }

    @Test
    void aClientCannotBothEditAndReview() {
        String clientId = "selfreview-" + System.nanoTime();
        refusedNamingRoles(asAdmin(UUID.randomUUID().toString(), registration(clientId,
                List.of("catalog-editor", "reviewer")), false));
        assertNull(stored(clientId));
        asAdmin(UUID.randomUUID().toString(), registration(clientId, List.of("catalog-editor")), false).then()
                .statusCode(201).body("client.roles", equalTo(List.of("catalog-editor")));
        refusedNamingRoles(asAdmin(UUID.randomUUID().toString(), registration(clientId,
                List.of("catalog-editor", "reviewer")), true));
        assertEquals("catalog-editor", stored(clientId).roles);
        asAdmin(UUID.randomUUID().toString(), registration(clientId, List.of("reviewer")), true).then()
                .statusCode(200).body("client.roles", equalTo(List.of("reviewer")));
    }

    /**
     * A client given {@code auditor} or {@code admin} before the rule (or in the table by hand) gets client-credentials
     * tokens without them, so its token opens neither the audit log nor administration; V31 takes the roles away,
     * and {@code reviewer} from a client that also edits, each with an audit row the auditors read.
     */
    @Test
    void aClientHoldingThePowersOfNamedPeopleFromBeforeLosesThem() throws Exception {
        String clientId = "before-" + System.nanoTime();
        String secret = asAdmin(UUID.randomUUID().toString(), registration(clientId, List.of("system")), false)
                .then().statusCode(201).extract().path("clientSecret");
        String both = "both-" + System.nanoTime();
        asAdmin(UUID.randomUUID().toString(), registration(both, List.of("catalog-editor")), false).then()
                .statusCode(201);
        QuarkusTransaction.requiringNew().run(() -> {
            OAuthClient.update("roles = 'system auditor admin' where clientId = ?1", clientId);
            OAuthClient.update("roles = 'catalog-editor reviewer' where clientId = ?1", both);
        });
        String token = given().auth().preemptive().basic(clientId, secret).formParam("grant_type",
                "client_credentials").post("/oidc/token").then().statusCode(200).extract().path("access_token");
        assertEquals(List.of("system"), SignedJWT.parse(token).getJWTClaimsSet().getStringListClaim("roles"));
        given().auth().oauth2(token).get("/api/identity/v1/audit").then().statusCode(403);
        given().auth().oauth2(token).get(CLIENTS).then().statusCode(403);

        String migration;
        try (var in = getClass().getResourceAsStream("/db/migration/V31__client_roles_of_named_people.sql")) {
            migration = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute(migration);
        }
        assertEquals("system", stored(clientId).roles);
        assertEquals("catalog-editor", stored(both).roles);
        for (String[] client : new String[][] { { clientId, "\"system auditor admin\" reduced to \"system\"" },
                { both, "\"catalog-editor reviewer\" reduced to \"catalog-editor\"" } }) {
            List<AuditEvent> rows = QuarkusTransaction.requiringNew().call(() -> AuditEvent.<AuditEvent>list(
                    "eventType = 'CLIENT_UPDATED' and subject = ?1 and actor = 'migration V31'", client[0]));
            assertEquals(1, rows.size(), client[0]);
            assertTrue(rows.get(0).detail.contains(client[1]), rows.get(0).detail);
        }
        // run again, it changes nothing more
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute(migration);
        }
        assertEquals(1L, (long) QuarkusTransaction.requiringNew().call(() -> AuditEvent.count(
                "eventType = 'CLIENT_UPDATED' and subject = ?1 and actor = 'migration V31'", clientId)));
    }
}
