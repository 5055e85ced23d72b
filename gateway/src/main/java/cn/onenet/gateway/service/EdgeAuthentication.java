package cn.onenet.gateway.service;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

import org.eclipse.microprofile.jwt.JsonWebToken;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import cn.onenet.common.security.RequestBoundIdentities;
import cn.onenet.common.security.RevokedTokenRefusal;
import cn.onenet.common.security.RevokedTokens;
import cn.onenet.gateway.config.GatewayConfig;
import cn.onenet.gateway.rest.ProblemWriter;
import io.netty.util.concurrent.FastThreadLocal;
import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.oidc.IdTokenCredential;
import io.quarkus.oidc.runtime.OidcAuthenticationMechanism;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AnonymousAuthenticationRequest;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpCredentialTransport;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/**
 * Edge authentication: quarkus-oidc validates every bearer token it has not seen (signature via JWKS, expiry,
 * issuer, audience); an identity it accepted is remembered by its exact token until the token expires, so a client
 * repeating its token does not pay a signature check per request. A token on identity's revocation list
 * ({@link RevokedTokens}) is refused whether it is new or remembered, checked on every request by the keys read once
 * from its claims. Refusals are problem+json.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class EdgeAuthentication implements HttpAuthenticationMechanism {

    private static final String BEARER = "Bearer ";

    private final OidcAuthenticationMechanism oidc;
    private final ProblemWriter problems;
    private final LoggedOutSessions loggedOut;
    private final RevokedTokens revocations;
    /** Path prefixes of the routes whose credentials the upstream judges ({@code edge-authentication=false}). */
    private final List<String> unchecked;
    /** How long an accepted token is believed without a new check (keys may have been withdrawn meanwhile). */
    private static final Duration REMEMBERED = Duration.ofMinutes(5);

    /** The revocation keys of console sessions' access tokens, each decoded once (not on every request). */
    private final SessionTokenKeys sessionKeys = new SessionTokenKeys(50_000);

    private final Cache<String, Verified> validated = Caffeine.newBuilder().maximumSize(50_000)
            .expireAfterWrite(REMEMBERED).build();
    /**
     * Each thread's last hit: a client keeps sending the same token, and comparing it costs less than hashing its
     * 800 characters and updating the cache's access order on every request. Same validity as the cache entry.
     */
    private final FastThreadLocal<Recent> recent = new FastThreadLocal<>() {
        @Override
        protected Recent initialValue() {
            return new Recent();
        }
    };

    /** A verified caller and until when it may be believed: its token's expiry, at most {@link #REMEMBERED}. */
    private record Verified(Caller caller, long validUntilMillis) {
    }

    private static final class Recent {
        String authorization;
        Verified verified;
    }

    public EdgeAuthentication(OidcAuthenticationMechanism oidc, ProblemWriter problems,
            LoggedOutSessions loggedOut, RevokedTokens revocations, GatewayConfig config) {
        this.oidc = oidc;
        this.problems = problems;
        this.loggedOut = loggedOut;
        this.revocations = revocations;
        this.unchecked = config.routes().values().stream().filter(route -> !route.edgeAuthentication())
                .map(route -> route.path().endsWith("/") ? route.path().substring(0, route.path().length() - 1)
                        : route.path())
                .toList();
    }

    /** Whether the (normalised) path belongs to a route whose upstream judges the caller's credentials itself. */
    boolean unchecked(String path) {
        if (path == null) {
            return false;
        }
        for (String prefix : unchecked) {
            if (path.startsWith(prefix) && (path.length() == prefix.length() || path.charAt(prefix.length()) == '/')) {
                return true;
            }
        }
        return false;
    }

    /**
     * quarkus-oidc's answer, minus console sessions that ended at this replica ({@code /console/logout}, a
     * back-channel logout) and sessions whose access token identity has revoked (its revocation list, as for bearer
     * tokens): a copy of their cookies counts as no session, so the console's pages send the browser to a new sign-in
     * and API calls get 401 problem+json.
     */
    private Uni<SecurityIdentity> oidcAuthenticate(RoutingContext rc, IdentityProviderManager identityProviderManager) {
        Uni<SecurityIdentity> identity = oidc.authenticate(rc, identityProviderManager);
        if (loggedOut.none() && revocations.none()) {
            return identity;
        }
        if (ConsoleTenantResolver.consolePath(rc.normalizedPath())) {
            // no identity: the console's pages send the browser to the login page, as without a session
            return identity.onItem().transform(i -> sessionEnded(i) ? null : i);
        }
        // an API call: 401 problem+json
        return identity.onItem().transformToUni(i -> sessionEnded(i)
                ? Uni.createFrom().failure(new AuthenticationFailedException("the session was logged out"))
                : Uni.createFrom().item(i));
    }

    /** Whether a console session (code flow) ended at this replica or carries an access token identity revoked. */
    private boolean sessionEnded(SecurityIdentity identity) {
        if (identity == null || identity.getCredential(IdTokenCredential.class) == null) {
            return false;
        }
        return loggedOut.ended(identity) || revokedSession(identity);
    }

    /**
     * Whether the session's access token, the one relayed to the services, is on identity's revocation list (its
     * grant revoked by a role change, a password change or a disabled account; the token itself; the client).
     */
    boolean revokedSession(SecurityIdentity identity) {
        if (revocations.none()) {
            return false;
        }
        AccessTokenCredential access = identity.getCredential(AccessTokenCredential.class);
        return access != null && revocations.revoked(sessionKeys.of(access.getToken()));
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext rc, IdentityProviderManager identityProviderManager) {
        if (unchecked(rc.normalizedPath())) {
            // identity's protocol endpoints: the token goes upstream as sent, and the caller counts as anonymous here
            // (an identity, not null, so that no other mechanism goes on to check the token)
            return identityProviderManager.authenticate(AnonymousAuthenticationRequest.INSTANCE);
        }
        String authorization = rc.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return oidcAuthenticate(rc, identityProviderManager);
        }
        Caller known = verified(authorization);
        if (known != null) {
            if (revoked(known)) {
                return refuseRevoked(rc);
            }
            Caller bound = known.withIdentity(RequestBoundIdentities.boundTo(known.identity(), rc).build());
            rc.put(Caller.KEY, bound);
            return Uni.createFrom().item(bound.identity());
        }
        return oidcAuthenticate(rc, identityProviderManager).onFailure(AuthenticationFailedException.class)
                .invoke(failure -> {
                    if (RevokedTokenRefusal.REVOKED.equals(failure.getMessage())) {
                        // common's refusal, ahead of every other augmentor: named as such in the challenge
                        rc.put(ProblemWriter.REVOKED_KEY, Boolean.TRUE);
                    }
                }).onItem().transformToUni(identity -> {
                    if (identity != null && !identity.isAnonymous()
                            && identity.getPrincipal() instanceof JsonWebToken) {
                        Caller caller = Caller.of(identity);
                        if (revoked(caller)) {
                            return refuseRevoked(rc);
                        }
                        rc.put(Caller.KEY, caller);
                        if (caller.expiresAtMillis() > 0 && verifiedFrom(identity, authorization)) {
                            validated.put(authorization, new Verified(
                                    caller.withIdentity(RequestBoundIdentities.detached(identity)),
                                    Math.min(caller.expiresAtMillis(),
                                            System.currentTimeMillis() + REMEMBERED.toMillis())));
                        }
                    }
                    return Uni.createFrom().item(identity);
                });
    }

    /**
     * Whether identity's revocation list names the caller's token: three lookups in the list's sets by the keys read
     * when the token was verified, no allocation. Always false while no list is fetched.
     */
    public boolean revoked(Caller caller) {
        return caller.revocation() != null && revocations.active() && revocations.revoked(caller.revocation());
    }

    private static Uni<SecurityIdentity> refuseRevoked(RoutingContext rc) {
        rc.put(ProblemWriter.REVOKED_KEY, Boolean.TRUE);
        return Uni.createFrom().failure(new AuthenticationFailedException(RevokedTokenRefusal.REVOKED));
    }

    /**
     * The caller quarkus-oidc verified earlier for exactly this {@code Authorization} value, while its token has not
     * expired; null otherwise (then the request must go through {@link #authenticate}).
     */
    public Caller verified(String authorization) {
        Recent last = recent.get();
        Verified known;
        if (authorization.equals(last.authorization)) {
            known = last.verified;
        } else {
            known = validated.getIfPresent(authorization);
            if (known == null) {
                return null;
            }
            last.authorization = authorization;
            last.verified = known;
        }
        if (known.validUntilMillis() <= System.currentTimeMillis()) {
            validated.invalidate(authorization);
            last.authorization = null;
            last.verified = null;
            return null;
        }
        return known.caller();
    }

    /**
     * Only an identity built from this very bearer token is remembered under it: a console session (code flow,
     * cookie) that came with some other Authorization header must not make that header a key to the session.
     */
    private static boolean verifiedFrom(SecurityIdentity identity, String authorization) {
        if (identity.getCredential(IdTokenCredential.class) != null) {
            return false;
        }
        AccessTokenCredential access = identity.getCredential(AccessTokenCredential.class);
        return access != null && access.getToken() != null
                && access.getToken().equals(authorization.substring(BEARER.length()).trim());
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext rc) {
        return oidc.getChallenge(rc);
    }

    @Override
    public Uni<Boolean> sendChallenge(RoutingContext rc) {
        if (ConsoleTenantResolver.consolePath(rc.normalizedPath())) {
            // Browsers of the console are sent to the login page by the code flow.
            if (!ProblemWriter.navigation(rc.request())) {
                return oidc.sendChallenge(rc);
            }
            return oidc.sendChallenge(rc).invoke(() -> {
                if (!rc.response().ended() && rc.response().getStatusCode() == 401) {
                    // quarkus-oidc's empty 401 for a browser without the console's cookies coming from the login page
                    // (a reload after its session ended, or cookies lost), where a redirect could loop: a page
                    // linking to a new sign-in
                    problems.signInAgain(rc);
                }
            });
        }
        problems.unauthorized(rc);
        return Uni.createFrom().item(Boolean.TRUE);
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return oidc.getCredentialTypes();
    }

    @Override
    public Uni<HttpCredentialTransport> getCredentialTransport(RoutingContext rc) {
        return oidc.getCredentialTransport(rc);
    }

    @Override
    public int getPriority() {
        return oidc.getPriority() + 1;
    }
}
