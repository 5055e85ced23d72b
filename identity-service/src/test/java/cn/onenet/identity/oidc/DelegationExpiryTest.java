package cn.onenet.identity.oidc;

import static cn.onenet.identity.oidc.Agents.ranOut;
import static cn.onenet.identity.oidc.Agents.refresh;
import static cn.onenet.identity.oidc.Agents.signIn;
import static cn.onenet.identity.oidc.Agents.silently;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.validators.LogoutTokenValidator;

import cn.onenet.identity.audit.DurableAuditTest;
import cn.onenet.identity.model.AuditEvent;
import cn.onenet.identity.model.Delegation;
import cn.onenet.identity.model.DelegationStatus;
import cn.onenet.identity.model.SsoSession;
import cn.onenet.identity.model.TokenGrant;
import cn.onenet.identity.oidc.Agents.Enterprise;
import cn.onenet.identity.oidc.BackchannelLogoutDeliveryTest.Receiver;
import cn.onenet.identity.service.AccountService;
import cn.onenet.identity.service.AuditService;
import cn.onenet.identity.service.BackchannelLogouts;
import cn.onenet.identity.service.DelegationExpiry;
import cn.onenet.testsupport.PostgresTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * An authorisation that runs out ends the agent's sign-ins for the enterprise as a revocation does: the scheduled step
 * (run here by the test) ends the session with back-channel logout to a real relying party, revokes the grants and
 * audits it, once, also when two replicas run it together; an authorisation still in force and the agent's own
 * sign-in are not touched.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class DelegationExpiryTest {

    @Inject
    TestClients clients;
    @Inject
    AccountService accounts;
    @Inject
    DelegationExpiry expiry;
    @Inject
    BackchannelLogouts backchannel;

    private Receiver rp;
    private String clientId;

    @BeforeEach
    void relyingParty() throws IOException {
        clients.ensure(null);
        rp = new Receiver(0, 200);
        clientId = "test-expiry-" + System.nanoTime();
        clients.withBackchannel(clientId,
                "http://127.0.0.1:" + rp.server.getAddress().getPort() + "/backchannel-logout");
    }

    @AfterEach
    void stop() {
        rp.server.stop(0);
    }

    /** An agent's sign-in for the enterprise at the relying party: the browser, its tokens and its sid. */
    private record SignedIn(OidcFlow browser, OIDCTokenResponse tokens, String sid) {
    }

    private SignedIn signedIn(String agent, String uscc) throws Exception {
        OidcFlow flow = new OidcFlow(clientId, TestClients.SECRET);
        OIDCTokenResponse tokens = (OIDCTokenResponse) flow.exchange(signIn(flow, agent, uscc).toSuccessResponse()
                .getAuthorizationCode()).toSuccessResponse();
        return new SignedIn(flow, tokens, tokens.getOIDCTokens().getIDToken().getJWTClaimsSet().getStringClaim("sid"));
    }

    @Test
    void theEndOfTheAuthorisationEndsTheAgentsSignInForTheEnterpriseOnce() throws Exception {
        Enterprise ending = Agents.enterpriseWithAgent(accounts);
        Enterprise lasting = Agents.enterpriseWithAgent(accounts);
        SignedIn forEnding = signedIn(ending.agent(), ending.uscc());
        SignedIn forLasting = signedIn(lasting.agent(), lasting.uscc());
        OidcFlow own = new OidcFlow(clientId, TestClients.SECRET);
        assertTrue(signIn(own, ending.agent(), null).indicatesSuccess());

        ranOut(ending);
        expiry.endExpired();

        // the relying party is told, with a logout token for the session that verifies against the JWKS
        awaitDelivery(() -> !rp.tokens.isEmpty());
        assertEquals(1, rp.tokens.size(), "logout tokens received");
        LogoutTokenValidator validator = new LogoutTokenValidator(new Issuer(CodeFlowConformanceTest.ISSUER),
                new ClientID(clientId), JWSAlgorithm.RS256, OidcFlow.endpoint("jwks").toURL());
        assertEquals(forEnding.sid(), validator.validate(SignedJWT.parse(rp.tokens.get(0))).getSessionID().getValue());
        TokenResponse refused = refresh(forEnding.browser(), forEnding.tokens().getOIDCTokens().getRefreshToken());
        AuditEvent row = expiredRow(ending);
        assertAll(
                () -> assertNotNull(session(forEnding.sid()).endedAt, "the session for the enterprise ended"),
                () -> assertTrue(grants(ending).stream().allMatch(g -> g.revokedAt != null), "grants revoked"),
                () -> assertEquals("invalid_grant", refused.indicatesSuccess() ? "tokens issued"
                        : refused.toErrorResponse().getErrorObject().getCode()),
                () -> assertEquals("login_required", silently(forEnding.browser())),
                () -> assertEquals(AuditService.SYSTEM, row.actor),
                () -> assertEquals(agentId(ending), row.subject),
                () -> assertTrue(row.detail.contains("sessions ended=1"), row.detail),
                () -> assertNotNull(delegation(ending).expiryHandledAt),
                // the agent's own sign-in stays
                () -> assertEquals("code", silently(own)));
        // an authorisation in force is not touched: its session, refresh token and delegation
        assertAll(
                () -> assertNull(session(forLasting.sid()).endedAt),
                () -> assertTrue(refresh(forLasting.browser(), forLasting.tokens().getOIDCTokens().getRefreshToken())
                        .indicatesSuccess()),
                () -> assertNull(delegation(lasting).expiryHandledAt),
                () -> assertTrue(DurableAuditTest.rows("DELEGATION_EXPIRED", agentId(lasting)).isEmpty()));

        // a second run finds nothing more to do
        OffsetDateTime handled = delegation(ending).expiryHandledAt;
        expiry.endExpired();
        for (int i = 0; i < 5; i++) {
            backchannel.deliverDue();
        }
        assertEquals(1, rp.tokens.size(), "logout tokens received");
        assertEquals(1, DurableAuditTest.rows("DELEGATION_EXPIRED", agentId(ending)).size());
        assertEquals(handled, delegation(ending).expiryHandledAt);
        // the delegation keeps its status: it ran out, nobody revoked it
        assertEquals(DelegationStatus.ACTIVE, delegation(ending).status);
    }

    /** Two replicas running the step at the same moment act on each end once between them. */
    @Test
    void twoReplicasRunningTogetherEndEachSignInOnce() throws Exception {
        List<Enterprise> ending = new ArrayList<>();
        List<String> sids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Enterprise e = Agents.enterpriseWithAgent(accounts);
            sids.add(signedIn(e.agent(), e.uscc()).sid());
            ending.add(e);
        }
        ending.forEach(Agents::ranOut);

        Together.run(2, i -> String.valueOf(expiry.endExpired()));

        awaitDelivery(() -> rp.tokens.size() >= sids.size());
        for (int i = 0; i < 5; i++) {
            backchannel.deliverDue();
        }
        assertEquals(sids.size(), rp.tokens.size(), "one logout token per session");
        for (int i = 0; i < ending.size(); i++) {
            assertEquals(1, DurableAuditTest.rows("DELEGATION_EXPIRED", agentId(ending.get(i))).size());
            assertNotNull(session(sids.get(i)).endedAt);
        }
    }

    /** Runs the retry queue (as the scheduled run does) until the condition holds; fails after 20 s. */
    private void awaitDelivery(BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no back-channel logout received within 20 s");
            }
            backchannel.deliverDue();
            Thread.sleep(50);
        }
    }

    private static AuditEvent expiredRow(Enterprise e) {
        List<AuditEvent> rows = DurableAuditTest.rows("DELEGATION_EXPIRED", agentId(e));
        assertEquals(1, rows.size(), "DELEGATION_EXPIRED rows");
        assertTrue(rows.get(0).detail.contains("delegation=" + e.delegation()), rows.get(0).detail);
        return rows.get(0);
    }

    private static String agentId(Enterprise e) {
        return QuarkusTransaction.requiringNew().call(() -> cn.onenet.identity.model.Account.byUsername(e.agent()).id
                .toString());
    }

    private static SsoSession session(String sid) {
        return QuarkusTransaction.requiringNew().call(() -> SsoSession.<SsoSession>find("sid", sid).firstResult());
    }

    private static Delegation delegation(Enterprise e) {
        return QuarkusTransaction.requiringNew().call(() -> Delegation.findById(UUID.fromString(e.delegation())));
    }

    private static List<TokenGrant> grants(Enterprise e) {
        return QuarkusTransaction.requiringNew().call(() -> TokenGrant.<TokenGrant>list("actingFor",
                UUID.fromString(e.id())));
    }
}
