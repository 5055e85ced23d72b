package cn.onenet.identity.service;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;

import cn.onenet.identity.config.IdentityConfig;

/**
 * Keyed digests (HMAC-SHA256, keyed from the key-encryption key) of identifiers that must be matched later but not
 * kept in clear: an ID number typed for an agent who may have no account, a login name typed that matches no account.
 * A digest is 43 base64url characters; without the key it cannot be reversed by trying every ID number (their space
 * is small). A new key-encryption key changes every digest.
 */
@ApplicationScoped
public class Pseudonyms {

    private final byte[] key;

    public Pseudonyms(IdentityConfig config) {
        try {
            this.key = MessageDigest.getInstance("SHA-256").digest(("onenet-pseudonym:" + config.keys()
                    .encryptionKey()).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The digest of {@code value} for one use ({@code purpose}: digests of different uses never match). */
    public String of(String purpose, String value) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    mac.doFinal((purpose + ":" + value).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
