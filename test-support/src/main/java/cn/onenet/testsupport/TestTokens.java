package cn.onenet.testsupport;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.lang.JoseException;

import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;

/**
 * Signs access tokens with a per-JVM test RSA key, shaped like identity-service's tokens (see
 * docs/token-claims.md), JWS header {@code typ: at+jwt} included. Used with {@link TestOidcResource}, which makes
 * quarkus-oidc trust exactly this key: security stays on, only the issuer is a test one.
 */
public final class TestTokens {

    public static final String ISSUER = "https://issuer.test.onenet";
    /** JWS header {@code typ} of identity-service's access tokens (RFC 9068), the only type services accept. */
    public static final String ACCESS_TOKEN = "at+jwt";
    /** JWS header {@code typ} of its ID tokens. */
    public static final String ID_TOKEN = "JWT";
    /** JWS header {@code typ} of its back-channel logout tokens. */
    public static final String LOGOUT_TOKEN = "logout+jwt";
    private static final KeyPair KEYS = generate();

    private TestTokens() {
    }

    public static String publicKeyBase64() {
        return Base64.getEncoder().encodeToString(KEYS.getPublic().getEncoded());
    }

    /** A civil servant of a department with the given roles. */
    public static String civilServant(String subject, String departmentCode, String audience, String... roles) {
        return builder(subject, audience, Set.of(roles))
                .claim("dept", departmentCode)
                .claim("account_type", "civil_servant")
                .jws().type(ACCESS_TOKEN).sign(KEYS.getPrivate());
    }

    /** A department system authenticated with client credentials. */
    public static String departmentClient(String clientId, String departmentCode, String audience, String... roles) {
        return departmentClientExpiringIn(Duration.ofMinutes(5), clientId, departmentCode, audience, roles);
    }

    /** As {@link #departmentClient}, with a chosen lifetime (tests of what happens when a token runs out). */
    public static String departmentClientExpiringIn(Duration lifetime, String clientId, String departmentCode,
            String audience, String... roles) {
        return builder(clientId, audience, Set.of(roles)).expiresIn(lifetime)
                .claim("client_id", clientId)
                .claim("dept", departmentCode)
                .claim("account_type", "client")
                .jws().type(ACCESS_TOKEN).sign(KEYS.getPrivate());
    }

    public static String citizen(String subject, String idNumber, String audience) {
        return builder(subject, audience, Set.of("citizen"))
                .claim("account_type", "natural_person")
                .claim("cn_id", idNumber)
                .claim("acr", "urn:onenet:loa:3")
                .jws().type(ACCESS_TOKEN).sign(KEYS.getPrivate());
    }

    public static String expired(String subject, String audience, String... roles) {
        Instant past = Instant.now().minus(Duration.ofHours(2));
        return Jwt.issuer(ISSUER).subject(subject).audience(audience).claim("roles", Set.of(roles))
                .issuedAt(past).expiresAt(past.plus(Duration.ofMinutes(5))).jws().type(ACCESS_TOKEN)
                .sign(KEYS.getPrivate());
    }

    /** Any claims, for tests of odd tokens. */
    public static String custom(Map<String, Object> claims) {
        return custom(claims, Duration.ofMinutes(5));
    }

    /** An access token with the given claims that expires {@code lifetime} from now. */
    public static String custom(Map<String, Object> claims, Duration lifetime) {
        return typed(claims, lifetime, ACCESS_TOKEN);
    }

    /**
     * A token with the given claims and JWS header {@code typ} (null: none), e.g. {@link #ID_TOKEN} for an ID token
     * as identity-service signs it, with the same key as its access tokens.
     */
    public static String typed(Map<String, Object> claims, Duration lifetime, String type) {
        JwtClaimsBuilder b = Jwt.claims(claims).issuer(ISSUER).expiresIn(lifetime);
        if (type != null) {
            return b.jws().type(type).sign(KEYS.getPrivate());
        }
        // the builder always writes a typ: sign its payload again with a header that has none
        String payload = b.sign(KEYS.getPrivate()).split("\\.")[1];
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8));
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        jws.setKey(KEYS.getPrivate());
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JwtClaimsBuilder builder(String subject, String audience, Set<String> roles) {
        return Jwt.issuer(ISSUER).subject(subject).audience(audience).claim("roles", List.copyOf(roles))
                .claim("scope", "openid").expiresIn(Duration.ofMinutes(5));
    }

    private static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
