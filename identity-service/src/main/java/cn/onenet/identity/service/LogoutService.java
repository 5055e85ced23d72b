package cn.onenet.identity.service;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import cn.onenet.identity.model.SsoSession;

/**
 * Ends SSO sessions: the session row, every grant issued in it (refresh tokens stop working, access tokens fail
 * introspection) and a back-channel logout token POSTed to every client of the session that registered a URI.
 */
@ApplicationScoped
public class LogoutService {

    private static final Logger LOG = Logger.getLogger(LogoutService.class);

    private final SessionService sessions;
    private final GrantStore grants;
    private final ClientRegistry clients;
    private final TokenService tokens;
    private final AuditService audit;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    public LogoutService(SessionService sessions, GrantStore grants, ClientRegistry clients, TokenService tokens,
            AuditService audit) {
        this.sessions = sessions;
        this.grants = grants;
        this.clients = clients;
        this.tokens = tokens;
        this.audit = audit;
    }

    /**
     * Signs an account out everywhere: ends its live sessions (with back-channel logout to their clients) and revokes
     * all its remaining grants; with {@code agentsToo} also the sessions and grants of agents acting for it. Returns
     * the number of sessions ended and of grants revoked besides.
     */
    @Transactional
    public int[] signOutEverywhere(UUID accountId, boolean agentsToo, String reason, String ip) {
        List<SsoSession> live = SsoSession.list(agentsToo ? "(accountId = ?1 or actingFor = ?1) and endedAt is null"
                : "accountId = ?1 and endedAt is null", accountId);
        for (SsoSession session : live) {
            endSession(session, reason, ip);
        }
        return new int[] {live.size(), grants.revokeAccount(accountId, agentsToo, reason.replace(' ', '_'))};
    }

    /** Ends the session and notifies its clients; the returned future completes when every notification was tried. */
    public CompletableFuture<Void> endSession(SsoSession session, String reason, String ip) {
        if (!sessions.end(session.id)) {
            return CompletableFuture.completedFuture(null);
        }
        int revoked = grants.revokeSession(session.id, "logout");
        audit.record("LOGOUT", true, session.accountId.toString(), session.accountId.toString(), null, ip,
                reason + "; grants revoked=" + revoked);
        String subject = (session.actingFor != null ? session.actingFor : session.accountId).toString();
        List<CompletableFuture<?>> calls = new ArrayList<>();
        for (String clientId : sessions.clients(session.id)) {
            RegisteredClient client = clients.find(clientId).orElse(null);
            if (client == null || client.backchannelLogoutUri() == null || client.backchannelLogoutUri().isBlank()) {
                continue;
            }
            String token = tokens.logoutToken(client, subject, session.sid);
            HttpRequest request = HttpRequest.newBuilder(URI.create(client.backchannelLogoutUri()))
                    .timeout(Duration.ofSeconds(5))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "logout_token=" + URLEncoder.encode(token, StandardCharsets.US_ASCII)))
                    .build();
            calls.add(http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).handle((response, failure) -> {
                boolean ok = failure == null && response.statusCode() / 100 == 2;
                audit.record("BACKCHANNEL_LOGOUT", ok, session.accountId.toString(), subject, clientId, null,
                        failure != null ? "unreachable" : "status=" + response.statusCode());
                if (!ok) {
                    LOG.warnf("Back-channel logout to %s failed", clientId);
                }
                return null;
            }));
        }
        return CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new));
    }
}
