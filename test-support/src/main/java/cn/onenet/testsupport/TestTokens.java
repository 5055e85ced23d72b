package cn.onenet.testsupport;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;

/**
 * Signs access tokens with a per-JVM test RSA key, shaped like identity-service's tokens (see
 * docs/token-claims.md). Used with {@link TestOidcResource}, which makes quarkus-oidc trust exactly this key:
 * security stays on, only the issuer is a test one.
 */
public final class TestTokens {

    public static final String ISSUER = "https://issuer.test.onenet";
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
                .sign(KEYS.getPrivate());
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
                .sign(KEYS.getPrivate());
    }

    public static String citizen(String subject, String idNumber, String audience) {
        return builder(subject, audience, Set.of("citizen"))
                .claim("account_type", "natural_person")
                .claim("cn_id", idNumber)
                .claim("acr", "urn:onenet:loa:3")
                .sign(KEYS.getPrivate());
    }

    public static String expired(String subject, String audience, String... roles) {
        Instant past = Instant.now().minus(Duration.ofHours(2));
        return Jwt.issuer(ISSUER).subject(subject).audience(audience).claim("roles", Set.of(roles))
                .issuedAt(past).expiresAt(past.plus(Duration.ofMinutes(5))).sign(KEYS.getPrivate());
    }

    /** Any claims, for tests of odd tokens. */
    public static String custom(Map<String, Object> claims) {
        return custom(claims, Duration.ofMinutes(5));
    }

    /** A token with the given claims that expires {@code lifetime} from now. */
    public static String custom(Map<String, Object> claims, Duration lifetime) {
        JwtClaimsBuilder b = Jwt.claims(claims).issuer(ISSUER).expiresIn(lifetime);
        return b.sign(KEYS.getPrivate());
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
