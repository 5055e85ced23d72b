package cn.onenet.identity.service;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import cn.onenet.identity.model.SsoSession;
import cn.onenet.identity.model.TokenGrant;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Ends SSO sessions: the session row, every grant issued in it (refresh tokens stop working, access tokens fail
 * introspection) and a back-channel logout token for every client of the session that registered a URI, queued in
 * the same transaction and delivered, with retries, after it commits ({@link BackchannelLogouts}).
 */
@ApplicationScoped
public class LogoutService {

    private final SessionService sessions;
    private final GrantStore grants;
    private final ClientRegistry clients;
    private final BackchannelLogouts backchannel;
    private final AuditService audit;

    public LogoutService(SessionService sessions, GrantStore grants, ClientRegistry clients,
            BackchannelLogouts backchannel, AuditService audit) {
        this.sessions = sessions;
        this.grants = grants;
        this.clients = clients;
        this.backchannel = backchannel;
        this.audit = audit;
    }

    /**
     * Signs an account out everywhere: ends its live sessions (with back-channel logout to their clients) and revokes
     * all its remaining grants; with {@code agentsToo} also the sessions and grants of agents acting for it. Returns
     * the number of sessions ended and of grants revoked besides.
     */
    @Transactional
    public int[] signOutEverywhere(UUID accountId, boolean agentsToo, String reason, String ip) {
        return signOutEverywhereBut(null, accountId, agentsToo, reason, ip);
    }

    /**
     * As {@link #signOutEverywhere}, but the sign-in of {@code kept} (the caller's own grant) stays: its session and
     * the grants issued in it, or, when it has no session, the grant alone. Null keeps nothing.
     */
    @Transactional
    public int[] signOutEverywhereBut(TokenGrant kept, UUID accountId, boolean agentsToo, String reason, String ip) {
        List<SsoSession> live = SsoSession.list(agentsToo ? "(accountId = ?1 or actingFor = ?1) and endedAt is null"
                : "accountId = ?1 and endedAt is null", accountId);
        int ended = 0;
        for (SsoSession session : live) {
            if (kept == null || !session.id.equals(kept.sessionId)) {
                endSession(session, reason, ip);
                ended++;
            }
        }
        return new int[] {ended, grants.revokeAccount(accountId, agentsToo, kept, reason.replace(' ', '_'))};
    }

    /**
     * Ends the session, revokes its grants and queues a back-channel logout token for every client of the session
     * with a registered URI, all in one transaction (the caller's, if there is one). The deliveries start when that
     * transaction commits ({@link BackchannelLogouts}); the returned future completes when each has had its first
     * attempt (retries, if any, come later).
     */
    public CompletableFuture<Void> endSession(SsoSession session, String reason, String ip) {
        // not @Transactional: the interceptor would hold the commit until the returned future completes
        return QuarkusTransaction.joiningExisting().call(() -> end(session, reason, ip));
    }

    private CompletableFuture<Void> end(SsoSession session, String reason, String ip) {
        if (!sessions.end(session.id)) {
            return CompletableFuture.completedFuture(null);
        }
        int revoked = grants.revokeSession(session.id, "logout");
        audit.record("LOGOUT", true, session.accountId.toString(), session.accountId.toString(), null, ip,
                reason + "; grants revoked=" + revoked);
        String subject = (session.actingFor != null ? session.actingFor : session.accountId).toString();
        List<Long> queued = new ArrayList<>();
        for (String clientId : sessions.clients(session.id)) {
            RegisteredClient client = clients.find(clientId).orElse(null);
            if (client == null || client.backchannelLogoutUri() == null || client.backchannelLogoutUri().isBlank()) {
                continue;
            }
            queued.add(backchannel.queue(clientId, session.accountId, subject, session.sid));
        }
        return backchannel.deliverAfterCommit(queued);
    }
}
