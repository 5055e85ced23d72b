package cn.onenet.identity.departments;

import static cn.onenet.identity.departments.DepartmentRegistryTest.DEPARTMENTS;
import static cn.onenet.identity.departments.DepartmentRegistryTest.PROVINCIAL;
import static cn.onenet.identity.departments.DepartmentRegistryTest.admin;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.Test;

import cn.onenet.common.security.RevokedTokens;
import cn.onenet.identity.audit.DurableAuditTest;
import cn.onenet.identity.oidc.WithTestClients;
import cn.onenet.identity.service.ClientCredentialsGrants;
import cn.onenet.testsupport.PostgresTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A department system's client-credentials tokens end with its department's deactivation (撤销) and with the client's
 * disabling, at identity and on the revocation list, looked up by the keys the gateway, the catalog and the exchange
 * read a token by ({@link RevokedTokens}); reactivating or enabling again revives none of them. A new secret ends
 * the tokens obtained with the old one in the same way.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class ClientTokenRevocationTest extends WithTestClients {

    @Inject
    EntityManager em;

    @Inject
    ClientCredentialsGrants clientCredentials;

    /**
     * Whether the gateway, having fetched the list now (with its own client), refuses the token: the token read as the
     * gateway reads it ({@link RevokedTokens#keyOf}), looked up in the list's jti, grant and client sets as
     * {@link RevokedTokens#revoked(RevokedTokens.Key)} does.
     */
    private static boolean refusedAtTheEdge(String token) {
        io.restassured.path.json.JsonPath list = given().auth().preemptive().basic("gateway", "demo-gateway-secret")
                .get("/oidc/revocations").then().statusCode(200).extract().jsonPath();
        RevokedTokens.Key key = RevokedTokens.keyOf(token);
        return key.clientId() != null && list.getList("clients").contains(key.clientId())
                || key.jti() != null && list.getList("tokens").contains(key.jti())
                || key.grant() != null && list.getList("grants").contains(key.grant());
    }

    /** Whether the catalog, whose API the token is for, is told the token is active. */
    private static boolean activeForTheCatalog(String token) {
        return given().auth().preemptive().basic("catalog-service", "demo-catalog-secret")
                .contentType("application/x-www-form-urlencoded").formParam("token", token).post("/oidc/introspect")
                .then().statusCode(200).extract().path("active");
    }

    /** Registers a department system (client credentials for the catalog's API); returns its secret. */
    private static String register(String clientId, String departmentCode) {
        return admin().body(DepartmentReactivationTest.systemClient(clientId, departmentCode)).post(CLIENTS).then().statusCode(201).extract().path("clientSecret");
    }

    private static String token(String clientId, String secret) {
        return given().auth().preemptive().basic(clientId, secret).contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "client_credentials").post("/oidc/token").then().statusCode(200).extract()
                .path("access_token");
    }

    private static void departmentChange(String code, int version, String action) {
        admin().header("If-Match", "\"" + version + "\"").body(Map.of("reason", "机构改革，职责划转"))
                .post(DEPARTMENTS + "/" + code + "/" + action).then().statusCode(200);
    }

    @Test
    void aDeactivatedDepartmentsSystemsLoseTheirTokensAtOnceAndReactivationRevivesNone() throws Exception {
        String code = DepartmentRegistryTest.create("330100", "CITY", PROVINCIAL);
        String other = DepartmentRegistryTest.create("330100", "CITY", PROVINCIAL);
        String clientId = "dd-sys-" + System.nanoTime() % 1_000_000;
        String secret = register(clientId, code);
        String elsewhereId = clientId + "-x";
        String elsewhereSecret = register(elsewhereId, other);
        String before = token(clientId, secret);
        String elsewhere = token(elsewhereId, elsewhereSecret);
        assertFalse(refusedAtTheEdge(before));
        assertTrue(activeForTheCatalog(before));

        departmentChange(code, 0, "deactivate");

        // the token issued before is refused at once, at the edge and by identity, not at its exp
        assertTrue(refusedAtTheEdge(before), "a deactivated department's system token refused at the edge");
        assertFalse(activeForTheCatalog(before));
        // another department's system keeps its token
        assertFalse(refusedAtTheEdge(elsewhere));
        assertTrue(activeForTheCatalog(elsewhere));
        String detail = DurableAuditTest.rows("DEPARTMENT_DEACTIVATED", code).get(0).detail;
        assertTrue(detail.contains("accounts=0 client grants revoked=1"), detail);

        departmentChange(code, 1, "reactivate");

        // the old token stays refused; a new one is accepted
        assertTrue(refusedAtTheEdge(before), "reactivation revives no token");
        assertFalse(activeForTheCatalog(before));
        String after = token(clientId, secret);
        assertFalse(refusedAtTheEdge(after));
        assertTrue(activeForTheCatalog(after));
    }

    @Test
    void aClientDisabledAndEnabledAgainKeepsItsEarlierTokensRefused() throws Exception {
        String clientId = "dis-sys-" + System.nanoTime() % 1_000_000;
        String secret = register(clientId, PROVINCIAL);
        String before = token(clientId, secret);
        assertFalse(refusedAtTheEdge(before));

        admin().post(CLIENTS + "/" + clientId + "/disable").then().statusCode(200).body("enabled", equalTo(false));
        assertTrue(refusedAtTheEdge(before));
        assertFalse(activeForTheCatalog(before));

        admin().post(CLIENTS + "/" + clientId + "/enable").then().statusCode(200).body("enabled", equalTo(true));
        assertTrue(refusedAtTheEdge(before), "enabling the client again revives no token");
        assertFalse(activeForTheCatalog(before));
        String after = token(clientId, secret);
        assertFalse(refusedAtTheEdge(after));
        assertTrue(activeForTheCatalog(after));
    }

    /**
     * A secret is replaced because it leaked: the tokens anyone obtained with the old one end at once, at identity and
     * on the revocation list; the old secret gets no new one, the new secret does, under a new grant.
     */
    @Test
    void aNewSecretEndsTheTokensObtainedWithTheOldOne() {
        String clientId = "rot-sys-" + System.nanoTime() % 1_000_000;
        String old = register(clientId, PROVINCIAL);
        String before = token(clientId, old);
        assertTrue(activeForTheCatalog(before));
        assertFalse(refusedAtTheEdge(before));

        String fresh = admin().post(CLIENTS + "/" + clientId + "/secret").then().statusCode(200).extract()
                .path("clientSecret");

        assertFalse(activeForTheCatalog(before), "a token of the old secret is inactive after the rotation");
        assertTrue(refusedAtTheEdge(before), "a token of the old secret is on the revocation list");
        var refused = tokenRequest(clientId, old);
        assertEquals(401, refused.statusCode(), refused.asString());
        assertEquals("invalid_client", refused.path("error"));
        String after = token(clientId, fresh);
        assertTrue(activeForTheCatalog(after));
        assertFalse(refusedAtTheEdge(after));
        assertFalse(activeForTheCatalog(before), "the new grant revives no token of the old one");
        String detail = DurableAuditTest.rows("CLIENT_SECRET_ROTATED", clientId).get(0).detail;
        assertTrue(detail.contains("client-credentials grant revoked: 1"), detail);
    }

    /**
     * A secret replaced on another replica: this replica's cached registration still takes the old secret for a few
     * seconds, and must not start a grant for it that the rotation's revocation does not reach.
     */
    @Test
    void aRotationThisReplicaHasNotSeenYetGivesTheOldSecretNoToken() {
        String clientId = "rot-stale-" + System.nanoTime() % 1_000_000;
        String old = register(clientId, PROVINCIAL);
        token(clientId, old); // caches the registration with the old secret's hash

        QuarkusTransaction.requiringNew().run(() -> {
            em.createNativeQuery("UPDATE oauth_client SET secret_hash = ?2 WHERE client_id = ?1")
                    .setParameter(1, clientId)
                    .setParameter(2, cn.onenet.identity.service.Secrets.hashClientSecret("another-replica's-secret"))
                    .executeUpdate();
            clientCredentials.revokeClient(clientId, "secret_rotated");
        });

        var answer = tokenRequest(clientId, old);
        assertEquals(401, answer.statusCode(), answer.asString());
        assertEquals("invalid_client", answer.path("error"));
        assertEquals(0L, grantsInForce(clientId), "no grant started for the old secret");
    }

    /** The token endpoint's answer to a client-credentials request: its status and error code. */
    private static io.restassured.response.ExtractableResponse<io.restassured.response.Response> tokenRequest(
            String clientId, String secret) {
        return given().auth().preemptive().basic(clientId, secret).contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "client_credentials").post("/oidc/token").then().extract();
    }

    /**
     * A deactivation committed by another replica leaves this replica's cached registration stale for a few seconds:
     * a token asked for meanwhile must not start a new grant that no revocation reaches.
     */
    @Test
    void aDeactivationThisReplicaHasNotSeenYetGivesNoLiveToken() {
        String code = DepartmentRegistryTest.create("330100", "CITY", PROVINCIAL);
        String clientId = "dd-stale-" + System.nanoTime() % 1_000_000;
        String secret = register(clientId, code);
        token(clientId, secret); // caches the registration with its department active

        // what another replica's deactivation writes, without this replica's cache hearing of it
        QuarkusTransaction.requiringNew().run(() -> {
            em.createNativeQuery("UPDATE department SET active = false, deactivated_at = now() WHERE code = ?1")
                    .setParameter(1, code).executeUpdate();
            Long id = ((Number) em.createNativeQuery("SELECT id FROM department WHERE code = ?1").setParameter(1, code)
                    .getSingleResult()).longValue();
            clientCredentials.revokeDepartment(id, "department_deactivated");
        });

        var answer = tokenRequest(clientId, secret);
        assertEquals(400, answer.statusCode(), answer.asString());
        assertEquals("unauthorized_client", answer.path("error"));
        assertEquals(0L, grantsInForce(clientId), "no grant started for the deactivated department's client");
    }

    /** The same for a client disabled on another replica: no grant that enabling it again would bring back. */
    @Test
    void aDisablingThisReplicaHasNotSeenYetGivesNoLiveToken() {
        String clientId = "dis-stale-" + System.nanoTime() % 1_000_000;
        String secret = register(clientId, PROVINCIAL);
        token(clientId, secret);

        QuarkusTransaction.requiringNew().run(() -> {
            em.createNativeQuery("UPDATE oauth_client SET enabled = false WHERE client_id = ?1")
                    .setParameter(1, clientId).executeUpdate();
            clientCredentials.revokeClient(clientId, "client_disabled");
        });

        var answer = tokenRequest(clientId, secret);
        // answered as a disabled client is once the registration is read again: its authentication fails
        assertEquals(401, answer.statusCode(), answer.asString());
        assertEquals("invalid_client", answer.path("error"));
        assertEquals(0L, grantsInForce(clientId), "no grant started for the disabled client");
    }

    private long grantsInForce(String clientId) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "SELECT count(*) FROM client_credentials_grant WHERE client_id = ?1 AND revoked_at IS NULL")
                .setParameter(1, clientId).getSingleResult()).longValue());
    }
}
