package cn.onenet.identity.service;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/** Random values and one-way digests for codes, tokens, cookies and client secrets. */
public final class Secrets {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Secrets() {
    }

    /** A URL-safe random string carrying {@code bytes} bytes of entropy. */
    public static String random(int bytes) {
        byte[] value = new byte[bytes];
        RANDOM.nextBytes(value);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
    }

    public static byte[] randomBytes(int bytes) {
        byte[] value = new byte[bytes];
        RANDOM.nextBytes(value);
        return value;
    }

    /** SHA-256, base64url: how codes, refresh tokens and session cookies are stored (they are high-entropy). */
    public static String sha256(String value) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The stored form of a one-time token a person typed or pasted; null when it cannot be one of ours. */
    public static String tokenHash(String token) {
        return token == null || token.isBlank() || token.length() > 100 ? null : sha256(token.trim());
    }

    /** A salted digest of a client secret: {@code s256$salt$digest}. Secrets we generate carry 256 bits. */
    public static String hashClientSecret(String secret) {
        String salt = random(16);
        return "s256$" + salt + "$" + sha256(salt + secret);
    }

    public static boolean matchesClientSecret(String secret, String stored) {
        if (secret == null || stored == null) {
            return false;
        }
        String[] parts = stored.split("\\$");
        if (parts.length != 3 || !"s256".equals(parts[0])) {
            return false;
        }
        return MessageDigest.isEqual(sha256(parts[1] + secret).getBytes(StandardCharsets.US_ASCII),
                parts[2].getBytes(StandardCharsets.US_ASCII));
    }
}
