package cn.onenet.identity.service;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;

import cn.onenet.identity.config.IdentityConfig;

/**
 * The trusted-device cookie (OWASP "device cookie"): set after a successful password login, it names the login and a
 * random device id, with its issue time, under an HMAC-SHA256 keyed from the key-encryption key. A browser presenting
 * a valid one for the name it logs in with is counted as its own source: failures from elsewhere never hold it.
 * Value: {@code base64url(login) "." device "." issuedEpochSeconds "." base64url(mac)}.
 */
@ApplicationScoped
public class DeviceCookie {

    public static final String COOKIE = "onenet_device";

    private final IdentityConfig config;
    private final byte[] key;

    public DeviceCookie(IdentityConfig config) {
        this.config = config;
        try {
            this.key = MessageDigest.getInstance("SHA-256").digest(("onenet-device-cookie:" + config.keys()
                    .encryptionKey()).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A new cookie value for the login name. */
    public String issue(String username) {
        return issue(username, Secrets.random(16), Instant.now().getEpochSecond());
    }

    String issue(String username, String device, long issued) {
        String login = Base64.getUrlEncoder().withoutPadding().encodeToString(normal(username)
                .getBytes(StandardCharsets.UTF_8));
        String payload = login + "." + device + "." + issued;
        return payload + "." + mac(payload);
    }

    /** The device id, when the value is a valid, unexpired cookie of this login name. */
    public Optional<String> device(String value, String username) {
        if (value == null || value.length() > 400 || username == null) {
            return Optional.empty();
        }
        String[] parts = value.split("\\.");
        if (parts.length != 4) {
            return Optional.empty();
        }
        String payload = parts[0] + "." + parts[1] + "." + parts[2];
        if (!MessageDigest.isEqual(mac(payload).getBytes(StandardCharsets.US_ASCII),
                parts[3].getBytes(StandardCharsets.US_ASCII))) {
            return Optional.empty();
        }
        try {
            String login = new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8);
            long issued = Long.parseLong(parts[2]);
            if (!login.equals(normal(username))
                    || Instant.ofEpochSecond(issued).plus(config.login().deviceCookieLifetime()).isBefore(Instant.now())) {
                return Optional.empty();
            }
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return Optional.of(parts[1]);
    }

    public long maxAgeSeconds() {
        return config.login().deviceCookieLifetime().toSeconds();
    }

    private static String normal(String username) {
        return username.trim().toLowerCase();
    }

    private String mac(String payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    mac.doFinal(payload.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
