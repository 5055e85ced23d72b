package cn.onenet.identity.service;

import java.text.ParseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.oauth2.sdk.id.Audience;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.JWTID;
import com.nimbusds.oauth2.sdk.id.Subject;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.claims.ACR;
import com.nimbusds.openid.connect.sdk.claims.AMR;
import com.nimbusds.openid.connect.sdk.claims.AccessTokenHash;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.claims.LogoutTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.claims.SessionID;

import cn.onenet.identity.config.IdentityConfig;
import cn.onenet.identity.model.Account;
import cn.onenet.identity.model.AccountType;
import cn.onenet.identity.model.ContactChange;

/** Builds and signs access tokens (RFC 9068), ID tokens and logout tokens; verifies the tokens it signed. */
@ApplicationScoped
public class TokenService {

    public static final String OWN_AUDIENCE = "onenet-identity";
    /** The data exchange's audience: the only API whose access tokens carry {@code cn_id}. */
    public static final String EXCHANGE_AUDIENCE = "onenet-exchange";
    public static final JOSEObjectType AT_JWT = new JOSEObjectType("at+jwt");
    public static final JOSEObjectType LOGOUT_JWT = new JOSEObjectType("logout+jwt");

    private final IdentityConfig config;
    private final KeyService keys;

    private volatile JWKSet processorKeys;
    private volatile DefaultJWTProcessor<SecurityContext> accessProcessor;
    private volatile DefaultJWTProcessor<SecurityContext> hintProcessor;

    public TokenService(IdentityConfig config, KeyService keys) {
        this.config = config;
        this.keys = keys;
    }

    public String issuer() {
        return config.issuer();
    }

    /** A signed JWT access token; {@code jti} starts with the grant id (if any) so revoking a grant can be checked. */
    public String accessToken(RegisteredClient client, Principal principal, UUID grantId, Set<String> scope,
            int acrLevel, Instant authTime, String sid) {
        Instant now = Instant.now();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(config.issuer())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(config.tokens().accessTokenLifetime())))
                .jwtID((grantId == null ? "cc" : grantId.toString()) + "." + Secrets.random(12))
                .claim("client_id", client.clientId())
                .claim("scope", String.join(" ", scope));
        if (principal == null) {
            claims.subject(client.clientId())
                    .audience(audience(client))
                    .claim("roles", ClientService.tokenRoles(client.roles()))
                    .claim("account_type", "client");
            if (client.departmentCode() != null) {
                claims.claim("dept", client.departmentCode()).claim("region", client.regionCode());
            }
        } else {
            // Only the APIs the client is registered for: a token a department's app received at login must not
            // open identity-service's own API (administration, the user's factors, consents and delegations)
            // unless that app is registered for it, as the console is.
            claims.audience(audience(client))
                    .claim("acr", Acr.of(acrLevel))
                    .claim("auth_time", authTime.getEpochSecond());
            if (sid != null) {
                claims.claim("sid", sid);
            }
            userClaims(claims, principal);
            // Access tokens are readable JWTs sent to every API in aud: personal data only where an API needs it.
            // The display name with profile (the services record who acted); cn_id only for the exchange, which
            // keys the citizen's "who used my data" view on it. email and phone_number never: UserInfo serves them.
            Account subject = principal.subject();
            if (scope.contains("profile")) {
                claims.claim("name", subject.displayName);
            }
            if (audience(client).contains(EXCHANGE_AUDIENCE)) {
                Object cnId = disclosed(subject, scope.contains("id_number") ? Set.of("id_number") : Set.of())
                        .get("cn_id");
                if (cnId != null) {
                    claims.claim("cn_id", cnId);
                }
            }
        }
        return sign(claims.build(), AT_JWT, client.signingAlg());
    }

    /**
     * The APIs the client is registered for. A client registered for none gets the UserInfo endpoint as its tokens'
     * audience ({@code aud} is required, RFC 9068 §2.2): such a token serves UserInfo and its own client's
     * introspection, and no API.
     */
    private List<String> audience(RegisteredClient client) {
        List<String> registered = new ArrayList<>(new LinkedHashSet<>(client.audiences()));
        return registered.isEmpty() ? List.of(config.issuer() + "/userinfo") : registered;
    }

    public String idToken(RegisteredClient client, Principal principal, Set<String> scope, int acrLevel,
            List<String> amr, Instant authTime, String nonce, String sid, String accessToken) {
        Instant now = Instant.now();
        IDTokenClaimsSet id = new IDTokenClaimsSet(new Issuer(config.issuer()), new Subject(subjectOf(principal)),
                Audience.create(client.clientId()), Date.from(now.plus(config.tokens().idTokenLifetime())),
                Date.from(now));
        id.setAuthenticationTime(Date.from(authTime));
        id.setACR(new ACR(Acr.of(acrLevel)));
        id.setAMR(amr.stream().map(AMR::new).toList());
        id.setAuthorizedParty(new com.nimbusds.openid.connect.sdk.claims.AuthorizedParty(client.clientId()));
        if (nonce != null) {
            id.setNonce(new Nonce(nonce));
        }
        if (sid != null) {
            id.setSessionID(new SessionID(sid));
        }
        JWSAlgorithm alg = keys.signingKey(client.signingAlg()).alg();
        if (accessToken != null) {
            id.setAccessTokenHash(AccessTokenHash.compute(new com.nimbusds.oauth2.sdk.token.BearerAccessToken(accessToken),
                    alg, null));
        }
        try {
            JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder(id.toJWTClaimsSet());
            userClaims(claims, principal);
            disclosed(principal.subject(), scope).forEach(claims::claim);
            return sign(claims.build(), JOSEObjectType.JWT, client.signingAlg());
        } catch (com.nimbusds.oauth2.sdk.ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    public String logoutToken(RegisteredClient client, String subject, String sid) {
        Instant now = Instant.now();
        LogoutTokenClaimsSet claims = new LogoutTokenClaimsSet(new Issuer(config.issuer()), new Subject(subject),
                Audience.create(client.clientId()), Date.from(now), Date.from(now.plusSeconds(120)),
                new JWTID(Secrets.random(16)), sid == null ? null : new SessionID(sid));
        try {
            return sign(claims.toJWTClaimsSet(), LOGOUT_JWT, client.signingAlg());
        } catch (com.nimbusds.oauth2.sdk.ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The personal data the scopes disclose, as the ID token and UserInfo carry it: {@code name} with
     * {@code profile}, {@code cn_id} (natural persons) with {@code id_number}, {@code email} and
     * {@code email_verified} with {@code email}, {@code phone_number} (E.164) and {@code phone_number_verified} with
     * {@code phone} (OIDC Core §5.1, §5.4; verified as {@link Contacts#verified} says). The consent page names the same (templates/consent.html).
     */
    public static Map<String, Object> disclosed(Account subject, Set<String> scope) {
        Map<String, Object> claims = new java.util.LinkedHashMap<>();
        if (scope.contains("profile") && subject.displayName != null) {
            claims.put("name", subject.displayName);
        }
        if (subject.type == AccountType.NATURAL_PERSON && scope.contains("id_number") && subject.idNumber != null) {
            claims.put("cn_id", subject.idNumber);
        }
        if (scope.contains("email") && subject.email != null) {
            claims.put("email", subject.email);
            claims.put("email_verified", Contacts.verified(subject, ContactChange.EMAIL));
        }
        if (scope.contains("phone") && subject.phone != null) {
            claims.put("phone_number", Contacts.e164(subject.phone));
            claims.put("phone_number_verified", Contacts.verified(subject, ContactChange.PHONE));
        }
        return claims;
    }

    /** The claims the other services rely on (docs/token-claims.md), personal data aside (see {@link #disclosed}). */
    private static void userClaims(JWTClaimsSet.Builder claims, Principal principal) {
        Account subject = principal.subject();
        claims.subject(subject.id.toString())
                .claim("account_type", subject.type.claim());
        List<String> roles = new ArrayList<>();
        switch (subject.type) {
            case NATURAL_PERSON -> roles.add("citizen");
            case LEGAL_PERSON -> roles.add("enterprise");
            case CIVIL_SERVANT -> {
                // Staff roles are held in the department: none while it is deactivated (a reviewer or admin without
                // a dept claim would read as acting for the whole province).
                if (!principal.departmentDeactivated()) {
                    roles.addAll(new java.util.TreeSet<>(subject.roles));
                }
            }
        }
        claims.claim("roles", roles);
        if (subject.type == AccountType.CIVIL_SERVANT && principal.department() != null
                && !principal.departmentDeactivated()) {
            claims.claim("dept", principal.department().code).claim("region", principal.department().regionCode);
            if (principal.department().competentAuthority) {
                // the catalogue lets the 主管部门's reviewers review their own department's entries (R5)
                claims.claim("competent_authority", true);
            }
        }
        if (subject.type == AccountType.LEGAL_PERSON) {
            claims.claim("uscc", subject.uscc);
        }
        if (principal.actor() != null) {
            claims.claim("act", actClaim(principal.actor()));
        }
    }

    /** The RFC 8693 {@code act} claim naming the agent (经办人) who acts for the token's subject. */
    static Map<String, Object> actClaim(Account actor) {
        return Map.of("sub", actor.id.toString(), "name", actor.displayName);
    }

    static String subjectOf(Principal principal) {
        return principal.subject().id.toString();
    }

    private String sign(JWTClaimsSet claims, JOSEObjectType type, String alg) {
        KeyService.ActiveKey key = keys.signingKey(alg);
        JWSHeader header = new JWSHeader.Builder(key.alg()).keyID(key.jwk().getKeyID()).type(type).build();
        SignedJWT jwt = new SignedJWT(header, claims);
        try {
            jwt.sign(key.signer());
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    /**
     * Verifies signature, type, issuer and expiry of an access token this provider issued. No clock skew: the
     * clock that set {@code exp} is this one, so an expired token is refused at once.
     */
    public JWTClaimsSet verifyAccessToken(String token) throws BadTokenException {
        try {
            return processors()[0].process(token, null);
        } catch (ParseException | BadJOSEException | JOSEException e) {
            throw new BadTokenException(e.getMessage());
        }
    }

    /**
     * Verifies the signature and issuer of an ID token this provider issued; an expired one is accepted (hints at
     * authorization and logout). An ID token of this issuer signed with a key no longer held (rotated out since) is
     * a {@link KeyGoneException}, which carries its unverified claims; any other failure a {@link BadTokenException}.
     */
    public JWTClaimsSet verifyIdTokenHint(String token) throws BadTokenException {
        try {
            return processors()[1].process(token, null);
        } catch (BadJOSEException e) {
            KeyGoneException gone = keyGone(token);
            throw gone != null ? gone : new BadTokenException(e.getMessage());
        } catch (ParseException | JOSEException e) {
            throw new BadTokenException(e.getMessage());
        }
    }

    /** The token as a {@link KeyGoneException} when it names a key id this provider does not hold, else null. */
    private KeyGoneException keyGone(String token) {
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            String kid = jwt.getHeader().getKeyID();
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            boolean ours = KeyService.ALGORITHMS.contains(jwt.getHeader().getAlgorithm().getName())
                    && config.issuer().equals(claims.getIssuer()) && claims.getSubject() != null
                    && claims.getAudience() != null && !claims.getAudience().isEmpty();
            return ours && kid != null && keys.publicKeys().getKeyByKeyId(kid) == null ? new KeyGoneException(claims)
                    : null;
        } catch (ParseException | RuntimeException e) {
            return null;
        }
    }

    @SuppressWarnings("unchecked")
    private DefaultJWTProcessor<SecurityContext>[] processors() {
        JWKSet current = keys.publicKeys();
        if (current != processorKeys) {
            ImmutableJWKSet<SecurityContext> source = new ImmutableJWKSet<>(current);
            Set<JWSAlgorithm> algs = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256);
            DefaultJWTProcessor<SecurityContext> access = new DefaultJWTProcessor<>();
            access.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(AT_JWT));
            access.setJWSKeySelector(new JWSVerificationKeySelector<>(algs, source));
            DefaultJWTClaimsVerifier<SecurityContext> accessClaims = new DefaultJWTClaimsVerifier<>(
                    new JWTClaimsSet.Builder().issuer(config.issuer()).build(),
                    new HashSet<>(List.of("sub", "exp", "iat", "jti", "client_id")));
            accessClaims.setMaxClockSkew(0);
            access.setJWTClaimsSetVerifier(accessClaims);
            DefaultJWTProcessor<SecurityContext> hint = new DefaultJWTProcessor<>();
            hint.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT));
            hint.setJWSKeySelector(new JWSVerificationKeySelector<>(algs, source));
            hint.setJWTClaimsSetVerifier((claims, context) -> {
                if (!config.issuer().equals(claims.getIssuer()) || claims.getSubject() == null
                        || claims.getAudience().isEmpty()) {
                    throw new com.nimbusds.jwt.proc.BadJWTException("not an ID token of this issuer");
                }
            });
            accessProcessor = access;
            hintProcessor = hint;
            processorKeys = current;
        }
        return new DefaultJWTProcessor[] {accessProcessor, hintProcessor};
    }

    /** A token that is not one of ours, or no longer valid. */
    public static class BadTokenException extends Exception {
        public BadTokenException(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * An ID token that says it is ours but names a signing key this provider no longer holds: it can be neither
     * verified nor shown to be forged. Its claims are unverified, good only for what anyone could ask anyway.
     */
    public static final class KeyGoneException extends BadTokenException {
        private final transient JWTClaimsSet unverified;

        KeyGoneException(JWTClaimsSet unverified) {
            super("signed with a key no longer held");
            this.unverified = unverified;
        }

        public JWTClaimsSet unverifiedClaims() {
            return unverified;
        }
    }
}
