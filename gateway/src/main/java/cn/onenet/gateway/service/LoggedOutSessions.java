package cn.onenet.gateway.service;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.jwt.JsonWebToken;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import cn.onenet.gateway.config.GatewayConfig;
import io.quarkus.oidc.IdTokenCredential;
import io.quarkus.oidc.SecurityEvent;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * Console sessions ended with {@code /console/logout} (退出登录). The session's cookies are encrypted tokens, not a
 * server-side record, so a copy of them would authenticate until identity-service's back-channel logout reaches the
 * gateway (only after the browser has followed the end-session redirect) or the refresh token runs out. The ended
 * session is remembered here at once and refused from then on.
 * <p>
 * Kept in this replica's memory, bounded and expiring: with several replicas the others learn of the logout only
 * from identity-service's back-channel logout (see the README).
 */
@ApplicationScoped
public class LoggedOutSessions {

    /** Session key → when it ended; a subject's key ends every session of it authenticated until then. */
    private final Cache<String, Instant> ended;

    @Inject
    public LoggedOutSessions(GatewayConfig config) {
        this(config.console().loggedOutRetention(), config.console().loggedOutMaxSessions());
    }

    LoggedOutSessions(Duration retention, long maxSessions) {
        this.ended = Caffeine.newBuilder().maximumSize(maxSessions).expireAfterWrite(retention).build();
    }

    void onLogout(@Observes SecurityEvent event) {
        if (event.getEventType() == SecurityEvent.Type.OIDC_LOGOUT_RP_INITIATED
                || event.getEventType() == SecurityEvent.Type.OIDC_LOGOUT_RP_INITIATED_SESSION_EXPIRED) {
            String key = key(event.getSecurityIdentity());
            if (key != null) {
                ended.put(key, Instant.now());
            }
        }
    }

    /**
     * A back-channel logout token quarkus-oidc has verified and accepted: with a {@code sid} it ends that session;
     * with only a {@code sub} (OpenID Connect Back-Channel Logout §2.4) every session of that subject authenticated
     * before the current second, not the ones it starts later.
     */
    public void backChannelLogout(String sid, String sub) {
        if (sid != null && !sid.isEmpty()) {
            ended.put("sid:" + sid, Instant.now());
        } else if (sub != null && !sub.isEmpty()) {
            ended.put("sub:" + sub, Instant.now());
        }
    }

    /** Whether no session is remembered (nothing to check). */
    public boolean none() {
        return ended.estimatedSize() == 0;
    }

    /** Whether the identity is a console session (code flow) that was logged out at this replica. */
    public boolean ended(SecurityIdentity identity) {
        String key = key(identity);
        if (key == null) {
            return false;
        }
        if (ended.getIfPresent(key) != null) {
            return true;
        }
        JsonWebToken idToken = (JsonWebToken) identity.getPrincipal();
        Instant subjectEnded = idToken.getSubject() == null ? null : ended.getIfPresent("sub:" + idToken.getSubject());
        // whole seconds: a login in the very second of the logout is not taken for an older one
        return subjectEnded != null && authenticatedAt(idToken).getEpochSecond() < subjectEnded.getEpochSecond();
    }

    /** When the person logged in: {@code auth_time}, which a refresh keeps; {@code iat} without one. */
    private static Instant authenticatedAt(JsonWebToken idToken) {
        Object authTime = idToken.getClaim("auth_time");
        if (authTime instanceof Number n) {
            return Instant.ofEpochSecond(n.longValue());
        }
        if (authTime != null && authTime.toString().matches("[0-9]{1,12}")) {
            return Instant.ofEpochSecond(Long.parseLong(authTime.toString()));
        }
        return Instant.ofEpochSecond(idToken.getIssuedAtTime());
    }

    /**
     * The session's key: identity-service's session id ({@code sid}), the same in every ID token of the session, also
     * after a refresh; without one, the ID token itself (a copy carries the very same token).
     */
    static String key(SecurityIdentity identity) {
        if (identity == null || identity.isAnonymous() || identity.getCredential(IdTokenCredential.class) == null
                || !(identity.getPrincipal() instanceof JsonWebToken idToken)) {
            return null;
        }
        Object sid = idToken.getClaim("sid");
        if (sid != null && !sid.toString().isEmpty()) {
            return "sid:" + sid;
        }
        String raw = idToken.getRawToken();
        return raw == null ? null : "id:" + sha256(raw);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
