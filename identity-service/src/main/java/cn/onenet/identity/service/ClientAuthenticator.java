package cn.onenet.identity.service;

import java.net.MalformedURLException;
import java.net.URI;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.AsymmetricJWK;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;

import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.auth.JWTAuthenticationClaimsSet;
import com.nimbusds.oauth2.sdk.auth.PlainClientSecret;
import com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.auth.verifier.ClientAuthenticationVerifier;
import com.nimbusds.oauth2.sdk.auth.verifier.ClientCredentialsSelector;
import com.nimbusds.oauth2.sdk.auth.verifier.Context;
import com.nimbusds.oauth2.sdk.auth.verifier.InvalidClientException;
import com.nimbusds.oauth2.sdk.auth.verifier.JWTAudienceCheck;
import com.nimbusds.oauth2.sdk.id.Audience;
import com.nimbusds.oauth2.sdk.id.ClientID;

import cn.onenet.identity.config.IdentityConfig;

/**
 * Authenticates clients at the token, introspection and revocation endpoints: {@code client_secret_basic} and
 * {@code client_secret_post} against the stored secret hash, {@code private_key_jwt} with the Nimbus verifier
 * (a single-valued audience: the issuer identifier or the token endpoint URL; expiry at most 5 minutes ahead,
 * signature against the client's JWKS or JWKS URL) and a required, single-use {@code jti}.
 */
@ApplicationScoped
public class ClientAuthenticator {

    /**
     * The signature algorithms a {@code private_key_jwt} assertion may use, at every endpoint that authenticates
     * clients (token, introspection, revocation); discovery advertises exactly these.
     */
    public static final List<JWSAlgorithm> ASSERTION_ALGS = List.of(JWSAlgorithm.RS256, JWSAlgorithm.PS256,
            JWSAlgorithm.ES256);

    /** Longest a client assertion may be valid: {@code exp} at most this far ahead (plus the allowed clock skew). */
    public static final Duration ASSERTION_MAX_LIFETIME = Duration.ofMinutes(5);

    private final ClientRegistry registry;
    private final EntityManager em;
    private final ClientAuthenticationVerifier<RegisteredClient> jwtVerifier;
    private final Map<String, JWKSource<SecurityContext>> remoteKeys = new ConcurrentHashMap<>();

    public ClientAuthenticator(ClientRegistry registry, EntityManager em, IdentityConfig config) {
        this.registry = registry;
        this.em = em;
        String issuer = config.issuer();
        // The issuer identifier (draft-ietf-oauth-rfc7523bis) or, as RFC 7523 let clients write, the token
        // endpoint; authenticate() first requires the audience to be that one value.
        Set<Audience> audiences = Set.of(new Audience(issuer), new Audience(issuer + "/token"));
        // The replay check is ours (remember), after the signature: it needs the assertion's expiry, and Nimbus's
        // hook would skip an assertion without jti.
        this.jwtVerifier = new ClientAuthenticationVerifier<>(new Selector(), null, audiences, JWTAudienceCheck.LEGACY,
                null, ASSERTION_MAX_LIFETIME.toSeconds() + DefaultJWTClaimsVerifier.DEFAULT_MAX_CLOCK_SKEW_SECONDS);
    }

    /** The description of every failure that could otherwise tell whether a client id exists. */
    static final String FAILED = "client authentication failed";

    /**
     * The authenticated client, or an {@code invalid_client} failure. An unknown client id, a client authenticating
     * by another method than it is registered for, a wrong secret and an assertion that does not verify all get the
     * same description ({@link #FAILED}), so the answer does not tell which client ids exist; the failure's
     * {@link OAuthFailure#detail() detail} keeps the precise reason for the audit trail. What is wrong with an
     * assertion whatever its client (algorithm, {@code jti}, audience) is said, and checked before the client is looked
     * up.
     */
    public RegisteredClient authenticate(ClientAuthentication auth) throws OAuthFailure {
        if (auth == null) {
            throw new OAuthFailure(OAuth2Error.INVALID_CLIENT.setDescription("client authentication required"));
        }
        if (auth instanceof PrivateKeyJWT assertion) {
            wellFormed(assertion);
        }
        String clientId = auth.getClientID().getValue();
        RegisteredClient client = registry.find(clientId).orElseThrow(() -> failed("unknown client " + clientId));
        if (!client.authMethod().equals(auth.getMethod().getValue())) {
            throw failed("client is registered for " + client.authMethod() + ", not " + auth.getMethod().getValue());
        }
        if (auth instanceof PlainClientSecret secret) {
            if (!Secrets.matchesClientSecret(secret.getClientSecret().getValue(), client.secretHash())) {
                throw failed("wrong client secret");
            }
            return client;
        }
        if (auth instanceof PrivateKeyJWT assertion) {
            JWTAuthenticationClaimsSet claims = assertion.getJWTAuthenticationClaimsSet();
            Context<RegisteredClient> context = new Context<>();
            context.set(client);
            try {
                jwtVerifier.verify(auth, null, context);
                // accepted until exp plus the clock skew the verifier allows: remembered that long, so never replayable
                Instant acceptedUntil = claims.getExpirationTime().toInstant()
                        .plusSeconds(DefaultJWTClaimsVerifier.DEFAULT_MAX_CLOCK_SKEW_SECONDS);
                if (!remember(client.clientId(), claims.getJWTID().getValue(), acceptedUntil)) {
                    throw new OAuthFailure(OAuth2Error.INVALID_CLIENT.setDescription("client assertion already used"));
                }
                return client;
            } catch (InvalidClientException e) {
                throw failed("client assertion refused: " + e.getMessage());
            } catch (JOSEException e) {
                throw failed("client assertion cannot be verified: " + e.getMessage());
            }
        }
        throw failed("unsupported client authentication method " + auth.getMethod().getValue());
    }

    /** Refuses an assertion that no client could be authenticated by: its algorithm, {@code jti} or audience. */
    private static void wellFormed(PrivateKeyJWT assertion) throws OAuthFailure {
        if (!ASSERTION_ALGS.contains(assertion.getClientAssertion().getHeader().getAlgorithm())) {
            throw new OAuthFailure(OAuth2Error.INVALID_CLIENT.setDescription(
                    "client assertion must be signed with one of " + ASSERTION_ALGS));
        }
        JWTAuthenticationClaimsSet claims = assertion.getJWTAuthenticationClaimsSet();
        if (claims.getJWTID() == null) {
            throw new OAuthFailure(OAuth2Error.INVALID_CLIENT.setDescription("client assertion must have a jti"));
        }
        if (claims.getAudience() == null || claims.getAudience().size() != 1) {
            // one value only: an assertion for several audiences could be played at another of them
            throw new OAuthFailure(OAuth2Error.INVALID_CLIENT.setDescription(
                    "client assertion audience must be the issuer identifier alone"));
        }
    }

    private static OAuthFailure failed(String detail) {
        return new OAuthFailure(OAuth2Error.INVALID_CLIENT.setDescription(FAILED), detail);
    }

    private final class Selector implements ClientCredentialsSelector<RegisteredClient> {

        @Override
        public List<Secret> selectClientSecrets(ClientID clientID, ClientAuthenticationMethod method,
                Context<RegisteredClient> context) throws InvalidClientException {
            throw InvalidClientException.NOT_REGISTERED_FOR_AUTH_METHOD;
        }

        @Override
        public List<? extends PublicKey> selectPublicKeys(ClientID clientID, ClientAuthenticationMethod method,
                JWSHeader header, boolean forceRefresh, Context<RegisteredClient> context)
                throws InvalidClientException {
            RegisteredClient client = context.get();
            if (client == null || !client.clientId().equals(clientID.getValue())) {
                throw InvalidClientException.BAD_ID;
            }
            List<JWK> candidates = new ArrayList<>();
            JWKSelector selector = new JWKSelector(JWKMatcher.forJWSHeader(header));
            if (client.jwks() != null) {
                candidates.addAll(selector.select(client.jwks()));
            } else if (client.jwksUri() != null) {
                try {
                    JWKSource<SecurityContext> source = remoteKeys.computeIfAbsent(client.jwksUri(), uri -> {
                        try {
                            return JWKSourceBuilder.create(URI.create(uri).toURL()).build();
                        } catch (MalformedURLException e) {
                            throw new IllegalArgumentException(e);
                        }
                    });
                    candidates.addAll(source.get(selector, null));
                } catch (RuntimeException | com.nimbusds.jose.KeySourceException e) {
                    throw InvalidClientException.NO_MATCHING_JWK;
                }
            } else {
                throw InvalidClientException.NO_REGISTERED_JWK_SET;
            }
            List<PublicKey> keys = new ArrayList<>();
            for (JWK jwk : candidates) {
                if (jwk instanceof AsymmetricJWK asymmetric) {
                    try {
                        keys.add(asymmetric.toPublicKey());
                    } catch (JOSEException e) {
                        // unusable key: skip it
                    }
                }
            }
            return keys;
        }
    }

    /**
     * Records a used assertion id in PostgreSQL until {@code acceptedUntil}; the insert itself decides, so a replay
     * fails even when it races the first use.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    boolean remember(String clientId, String jti, Instant acceptedUntil) {
        if (jti.length() > 200) {
            return false;
        }
        int inserted = em.createNativeQuery("INSERT INTO client_assertion_jti (client_id, jti, expires_at) "
                + "VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING").setParameter(1, clientId).setParameter(2, jti)
                .setParameter(3, OffsetDateTime.ofInstant(acceptedUntil, ZoneOffset.UTC)).executeUpdate();
        return inserted == 1;
    }

}
