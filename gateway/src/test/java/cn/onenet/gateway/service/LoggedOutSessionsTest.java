package cn.onenet.gateway.service;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;

import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Test;

import io.quarkus.oidc.IdTokenCredential;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipal;

/** Which console sessions a back-channel logout ends, by its {@code sid} or, without one, by its {@code sub}. */
class LoggedOutSessionsTest {

    private final LoggedOutSessions sessions = new LoggedOutSessions(Duration.ofHours(1), 100);

    @Test
    void aSessionIdEndsThatSessionOnly() {
        SecurityIdentity ended = session("u-1", "sid-a", Instant.now());
        SecurityIdentity other = session("u-1", "sid-b", Instant.now());
        assertFalse(sessions.ended(ended));
        sessions.backChannelLogout("sid-a", "u-1");
        assertTrue(sessions.ended(ended));
        assertFalse(sessions.ended(other), "another session of the same person stays");
    }

    @Test
    void aSubjectAloneEndsTheSessionsItStartedBeforeButNotLaterOnes() {
        SecurityIdentity before = session("u-2", null, Instant.now().minusSeconds(60));
        SecurityIdentity someoneElse = session("u-3", null, Instant.now().minusSeconds(60));
        SecurityIdentity later = session("u-2", null, Instant.now().plusSeconds(5));
        sessions.backChannelLogout(null, "u-2");
        assertTrue(sessions.ended(before));
        assertFalse(sessions.ended(someoneElse));
        assertFalse(sessions.ended(later), "a login after the logout is a new session");
    }

    @Test
    void aBearerCallerIsNoConsoleSession() {
        sessions.backChannelLogout(null, "u-4");
        SecurityIdentity bearer = QuarkusSecurityIdentity.builder()
                .setPrincipal(principal("u-4", null, Instant.now().minusSeconds(60))).build();
        assertFalse(sessions.ended(bearer));
    }

    private static SecurityIdentity session(String sub, String sid, Instant authenticated) {
        return QuarkusSecurityIdentity.builder().setPrincipal(principal(sub, sid, authenticated))
                .addCredential(new IdTokenCredential("id-token-of-" + sub + "-" + sid)).build();
    }

    private static DefaultJWTCallerPrincipal principal(String sub, String sid, Instant authenticated) {
        JwtClaims claims = new JwtClaims();
        claims.setSubject(sub);
        claims.setIssuedAtToNow();
        claims.setClaim("auth_time", authenticated.getEpochSecond());
        if (sid != null) {
            claims.setClaim("sid", sid);
        }
        return new DefaultJWTCallerPrincipal("id-token-of-" + sub + "-" + sid, "JWT", claims);
    }
}
