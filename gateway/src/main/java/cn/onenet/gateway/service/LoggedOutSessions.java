package cn.onenet.gateway.service;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

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

    private final Cache<String, Boolean> ended;

    public LoggedOutSessions(GatewayConfig config) {
        this.ended = Caffeine.newBuilder().maximumSize(config.console().loggedOutMaxSessions())
                .expireAfterWrite(config.console().loggedOutRetention()).build();
    }

    void onLogout(@Observes SecurityEvent event) {
        if (event.getEventType() == SecurityEvent.Type.OIDC_LOGOUT_RP_INITIATED
                || event.getEventType() == SecurityEvent.Type.OIDC_LOGOUT_RP_INITIATED_SESSION_EXPIRED) {
            String key = key(event.getSecurityIdentity());
            if (key != null) {
                ended.put(key, Boolean.TRUE);
            }
        }
    }

    /** Whether no session is remembered (nothing to check). */
    public boolean none() {
        return ended.estimatedSize() == 0;
    }

    /** Whether the identity is a console session (code flow) that was logged out at this replica. */
    public boolean ended(SecurityIdentity identity) {
        String key = key(identity);
        return key != null && ended.getIfPresent(key) != null;
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
