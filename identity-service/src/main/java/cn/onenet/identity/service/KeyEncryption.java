package cn.onenet.identity.service;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import cn.onenet.identity.config.IdentityConfig;

/**
 * Seals secrets at rest (the private signing keys, the TOTP secrets) with AES-256-GCM under a key-encryption key
 * (KEK) from configuration.
 * A sealed value is {@code enc:v1:<kek id>:<nonce>:<ciphertext+tag>} (base64url), authenticated together with the
 * row it belongs to, so a value copied into another row does not open. The KEK id in the value lets the KEK be
 * rotated: older KEKs stay configured as {@code previous-encryption-keys} until every row is re-sealed (at start).
 */
@Singleton
public class KeyEncryption {

    private static final Logger LOG = Logger.getLogger(KeyEncryption.class);
    static final String PREFIX = "enc:v1:";
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,32}");
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    /** The published key of the demo and test profiles; a deployment that uses it is warned at start. */
    static final String DEMO_KEY = "ZGVtby1vbmx5LWtlay1vbmVuZXQtaWRlbnRpdHktMjA=";

    private final String currentId;
    private final Map<String, SecretKey> keys = new LinkedHashMap<>();

    @Inject
    public KeyEncryption(IdentityConfig config) {
        this(config.keys().encryptionKeyId(), config.keys().encryptionKey(),
                config.keys().previousEncryptionKeys().orElse(List.of()));
    }

    /**
     * @param currentId  id of the KEK that seals new values
     * @param currentKey base64 of 32 random bytes
     * @param previous   older KEKs as {@code id:base64}, used only to open values sealed under them
     */
    public KeyEncryption(String currentId, String currentKey, List<String> previous) {
        this.currentId = checkId(currentId, "identity.keys.encryption-key-id");
        keys.put(currentId, aesKey(currentKey, "identity.keys.encryption-key"));
        for (String entry : previous) {
            int colon = entry.indexOf(':');
            if (colon <= 0) {
                throw new IllegalStateException(
                        "identity.keys.previous-encryption-keys: each entry is <id>:<base64 key>");
            }
            String id = checkId(entry.substring(0, colon).trim(), "identity.keys.previous-encryption-keys");
            if (!keys.containsKey(id)) {
                keys.put(id, aesKey(entry.substring(colon + 1).trim(), "identity.keys.previous-encryption-keys " + id));
            }
        }
        if (DEMO_KEY.equals(currentKey)) {
            LOG.warn("Signing keys are sealed with the published demo key-encryption key; "
                    + "set IDENTITY_KEYS_ENCRYPTION_KEY for any real deployment");
        }
    }

    /** The KEK that seals new values. */
    public String currentKeyId() {
        return currentId;
    }

    public static boolean isSealed(String stored) {
        return stored != null && stored.startsWith(PREFIX);
    }

    /** The KEK id a sealed value names. */
    public static String keyIdOf(String stored) {
        String[] parts = parts(stored);
        return parts[2];
    }

    public String seal(String plaintext, String context) {
        try {
            byte[] nonce = Secrets.randomBytes(NONCE_BYTES);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(currentId), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(aad(currentId, context));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
            return PREFIX + currentId + ":" + b64.encodeToString(nonce) + ":" + b64.encodeToString(sealed);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM is not available", e);
        }
    }

    /**
     * Opens a sealed value.
     *
     * @throws KeyEncryptionException when the value names a KEK that is not configured, or does not open with it
     *                                (wrong KEK, tampered value, value of another row)
     */
    public String open(String stored, String context) {
        String[] parts = parts(stored);
        String id = parts[2];
        SecretKey key = keys.get(id);
        if (key == null) {
            throw new KeyEncryptionException("sealed under key-encryption key id '" + id + "', which is not configured "
                    + "(identity.keys.encryption-key-id / identity.keys.previous-encryption-keys)");
        }
        try {
            Base64.Decoder b64 = Base64.getUrlDecoder();
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, b64.decode(parts[3])));
            cipher.updateAAD(aad(id, context));
            return new String(cipher.doFinal(b64.decode(parts[4])), StandardCharsets.UTF_8);
        } catch (AEADBadTagException | IllegalArgumentException e) {
            throw new KeyEncryptionException("does not open with key-encryption key id '" + id
                    + "': the configured key is wrong or the stored value was altered");
        } catch (GeneralSecurityException e) {
            throw new KeyEncryptionException("cannot be opened: " + e.getMessage());
        }
    }

    /** Whether a stored value should be (re-)sealed: plaintext, or sealed under an older KEK. */
    public boolean needsSealing(String stored) {
        return !isSealed(stored) || !currentId.equals(keyIdOf(stored));
    }

    private static byte[] aad(String kekId, String context) {
        return ("onenet-identity:" + kekId + ":" + context).getBytes(StandardCharsets.UTF_8);
    }

    private static String[] parts(String stored) {
        String[] parts = stored == null ? new String[0] : stored.split(":", -1);
        if (parts.length != 5 || !isSealed(stored)) {
            throw new KeyEncryptionException("is not a sealed value");
        }
        return parts;
    }

    private static String checkId(String id, String setting) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalStateException(setting + ": a key id is 1-32 letters, digits, '-' or '_'");
        }
        return id;
    }

    private static SecretKey aesKey(String base64, String setting) {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(base64 == null ? "" : base64.trim());
        } catch (IllegalArgumentException e) {
            raw = new byte[0];
        }
        if (raw.length != 32) {
            throw new IllegalStateException(setting + " must be base64 of 32 random bytes (AES-256), e.g. the output "
                    + "of: head -c 32 /dev/urandom | base64");
        }
        return new SecretKeySpec(raw, "AES");
    }

    /** A stored value that cannot be opened with the configured key-encryption keys. */
    public static class KeyEncryptionException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        public KeyEncryptionException(String message) {
            super(message);
        }
    }
}
