package cn.onenet.identity.oidc;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import cn.onenet.identity.model.Account;
import cn.onenet.identity.service.ClientRegistry;
import cn.onenet.identity.service.ClientService;
import cn.onenet.identity.service.DelegationService;
import cn.onenet.testsupport.PostgresTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * A change that loses a race with another one on the same versioned row answers 409 stale-version, not 500. Each test
 * holds the other change open (written, not committed) while the request is made, so the request reads the row as it
 * was and finds the conflict when it writes.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class ConcurrentChangeTest {

    private static final String CLIENTS = "/api/identity/v1/clients/";
    private static final String STALE = "urn:onenet:problem:stale-version";

    @Inject
    TestClients testClients;

    @Inject
    ClientService clients;

    @Inject
    ClientRegistry registry;

    @Inject
    DelegationService delegations;

    @Inject
    EntityManager em;

    private ExecutorService pool;

    @BeforeEach
    void setUp() {
        testClients.ensure(null);
        pool = Executors.newFixedThreadPool(2);
    }

    @AfterEach
    void tearDown() {
        pool.shutdownNow();
    }

    @Test
    void aDelegationAcceptedWhileItIsRevokedIsAConflict() throws Exception {
        String rep = OidcFlow.accessToken("test-web", CodeFlowConformanceTest.CITIZEN);
        // accepting needs the agent's own sign-in at L3 or above
        String agent = OidcFlow.accessToken("test-web", DelegationTest.OTHER_AGENT);
        String id = given().auth().oauth2(rep).contentType("application/json")
                .body(Map.of("enterpriseUscc", DelegationTest.USCC, "agentIdNumber", DelegationTest.OTHER_AGENT,
                        "agentName", "王秀英", "clientIds", List.of("test-web"), "validTo", OffsetDateTime.now().plusDays(30).toString()))
                .post("/api/identity/v1/delegations").then().statusCode(201).extract().path("id");
        UUID repId = QuarkusTransaction.requiringNew().call(() -> Account.byUsername(CodeFlowConformanceTest.CITIZEN).id);
        Response accepted = whileHeld(() -> delegations.revoke(repId, 3, UUID.fromString(id)), "delegation",
                () -> given().auth().oauth2(agent).post("/api/identity/v1/delegations/" + id + "/accept"));
        assertEquals(409, accepted.statusCode(), accepted.asString());
        assertEquals(STALE, accepted.path("type"));
        given().auth().oauth2(agent).get("/api/identity/v1/delegations").then().statusCode(200)
                .body("find { it.id == '" + id + "' }.status", org.hamcrest.Matchers.equalTo("REVOKED"));
    }

    @Test
    void aClientChangedWhileAnotherChangeIsUnderWayIsAConflict() throws Exception {
        String admin = OidcFlow.accessToken("test-web", "dsj.admin");
        String clientId = newClient(admin);
        Response disabled = whileHeld(() -> clients.rotateSecret(clientId, null, "test"), "oauth_client",
                () -> given().auth().oauth2(admin).post(CLIENTS + clientId + "/disable"));
        assertEquals(409, disabled.statusCode(), disabled.asString());
        assertEquals(STALE, disabled.path("type"));
        given().auth().oauth2(admin).get(CLIENTS + clientId).then().statusCode(200)
                .body("enabled", org.hamcrest.Matchers.equalTo(true));
    }

    @Test
    void rotatingEnablingAndDisablingCheckTheVersionGiven() {
        String admin = OidcFlow.accessToken("test-web", "dsj.admin");
        String clientId = newClient(admin);
        int version = given().auth().oauth2(admin).get(CLIENTS + clientId).then().statusCode(200).extract()
                .path("version");
        for (String action : List.of("secret", "disable", "enable")) {
            given().auth().oauth2(admin).queryParam("version", version + 7).post(CLIENTS + clientId + "/" + action)
                    .then().statusCode(409).body("type", org.hamcrest.Matchers.equalTo(STALE));
        }
        given().auth().oauth2(admin).queryParam("version", version).post(CLIENTS + clientId + "/disable").then()
                .statusCode(200).body("enabled", org.hamcrest.Matchers.equalTo(false));
        given().auth().oauth2(admin).queryParam("version", version).post(CLIENTS + clientId + "/enable").then()
                .statusCode(409);
    }

    /** A request that reads the client while it is being disabled does not keep the enabled client cached. */
    @Test
    void theClientCacheForgetsAChangeOnlyOnceItIsCommitted() throws Exception {
        String admin = OidcFlow.accessToken("test-web", "dsj.admin");
        String clientId = newClient(admin);
        assertTrue(registry.find(clientId).isPresent());
        CountDownLatch changed = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Future<?> disabling = pool.submit(() -> QuarkusTransaction.requiringNew().run(() -> {
            clients.setEnabled(clientId, false, null, "test");
            em.flush();
            changed.countDown();
            await(release);
        }));
        assertTrue(changed.await(20, TimeUnit.SECONDS));
        // meanwhile another request reads the client: the change is not committed, so it is still enabled
        assertTrue(pool.submit(() -> registry.find(clientId).isPresent()).get(20, TimeUnit.SECONDS));
        release.countDown();
        disabling.get(20, TimeUnit.SECONDS);
        assertFalse(registry.find(clientId).isPresent(), "a disabled client is still served from the cache");
    }

    private static String newClient(String admin) {
        String clientId = "conc-system-" + System.nanoTime();
        given().auth().oauth2(admin).contentType("application/json")
                .body(Map.of("clientId", clientId, "name", "并发测试系统", "grantTypes", List.of("client_credentials"),
                        "scopes", List.of("exchange"), "audiences", List.of("onenet-exchange"), "roles",
                        List.of("system"), "departmentCode", "11330000002481030B"))
                .post("/api/identity/v1/clients").then().statusCode(201);
        return clientId;
    }

    /**
     * Runs {@code change} in a transaction that it leaves written but not committed, makes the request, waits until
     * the request waits for the row of {@code table}, then commits the change; returns the request's answer.
     */
    private Response whileHeld(Runnable change, String table, java.util.concurrent.Callable<Response> request)
            throws Exception {
        CountDownLatch written = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Future<?> holder = pool.submit(() -> QuarkusTransaction.requiringNew().run(() -> {
            change.run();
            em.flush();
            written.countDown();
            await(release);
        }));
        assertTrue(written.await(20, TimeUnit.SECONDS), "the change was not written");
        Future<Response> answer = pool.submit(request);
        long until = System.currentTimeMillis() + 20_000;
        while (!waitingFor(table) && !answer.isDone() && System.currentTimeMillis() < until) {
            Thread.sleep(50);
        }
        release.countDown();
        holder.get(20, TimeUnit.SECONDS);
        return answer.get(20, TimeUnit.SECONDS);
    }

    private boolean waitingFor(String table) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query ILIKE ?1")
                .setParameter(1, "update " + table + " %").getSingleResult()).intValue() > 0);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
