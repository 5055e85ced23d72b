package cn.onenet.identity.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The key-encryption component on its own: AES-256-GCM, key ids for rotation, clear errors for wrong keys. */
class KeyEncryptionTest {

    static final String KEK_1 = Base64.getEncoder().encodeToString(Secrets.randomBytes(32));
    static final String KEK_2 = Base64.getEncoder().encodeToString(Secrets.randomBytes(32));
    static final String JWK = "{\"kty\":\"EC\",\"d\":\"secret-scalar\",\"crv\":\"P-256\",\"kid\":\"es256-1\"}";

    @Test
    void sealsAndOpensWithTheKeyIdInTheValue() {
        KeyEncryption kek = new KeyEncryption("1", KEK_1, List.of());
        String sealed = kek.seal(JWK, "es256-1");
        assertTrue(sealed.startsWith("enc:v1:1:"), sealed);
        assertFalse(sealed.contains("secret-scalar") || sealed.contains("\"d\""));
        assertEquals("1", KeyEncryption.keyIdOf(sealed));
        assertEquals(JWK, kek.open(sealed, "es256-1"));
        // a fresh nonce each time
        assertNotEquals(sealed, kek.seal(JWK, "es256-1"));
        assertFalse(kek.needsSealing(sealed));
        assertTrue(kek.needsSealing(JWK));
    }

    @Test
    void aWrongKeyEncryptionKeyIsAClearError() {
        String sealed = new KeyEncryption("1", KEK_1, List.of()).seal(JWK, "es256-1");
        KeyEncryption wrong = new KeyEncryption("1", KEK_2, List.of());
        KeyEncryption.KeyEncryptionException e = assertThrows(KeyEncryption.KeyEncryptionException.class,
                () -> wrong.open(sealed, "es256-1"));
        assertTrue(e.getMessage().contains("does not open with key-encryption key id '1'"), e.getMessage());
        // a key id that is not configured
        KeyEncryption other = new KeyEncryption("2", KEK_2, List.of());
        e = assertThrows(KeyEncryption.KeyEncryptionException.class, () -> other.open(sealed, "es256-1"));
        assertTrue(e.getMessage().contains("key id '1', which is not configured"), e.getMessage());
    }

    @Test
    void aValueMovedToAnotherRowOrAlteredDoesNotOpen() {
        KeyEncryption kek = new KeyEncryption("1", KEK_1, List.of());
        String sealed = kek.seal(JWK, "es256-1");
        assertThrows(KeyEncryption.KeyEncryptionException.class, () -> kek.open(sealed, "rs256-2"));
        char last = sealed.charAt(sealed.length() - 1);
        String altered = sealed.substring(0, sealed.length() - 1) + (last == 'A' ? 'B' : 'A');
        assertThrows(KeyEncryption.KeyEncryptionException.class, () -> kek.open(altered, "es256-1"));
        assertThrows(KeyEncryption.KeyEncryptionException.class, () -> kek.open("enc:v1:1:xx", "es256-1"));
    }

    @Test
    void rotationOpensOldValuesAndMarksThemForResealing() {
        String old = new KeyEncryption("1", KEK_1, List.of()).seal(JWK, "es256-1");
        KeyEncryption rotated = new KeyEncryption("2", KEK_2, List.of("1:" + KEK_1));
        assertEquals(JWK, rotated.open(old, "es256-1"));
        assertTrue(rotated.needsSealing(old));
        String resealed = rotated.seal(rotated.open(old, "es256-1"), "es256-1");
        assertEquals("2", KeyEncryption.keyIdOf(resealed));
        assertFalse(rotated.needsSealing(resealed));
    }

    @Test
    void badConfigurationIsRefusedWithTheSettingNamed() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new KeyEncryption("1", "not base64!", List.of()));
        assertTrue(e.getMessage().contains("identity.keys.encryption-key must be base64 of 32 random bytes"));
        String shortKey = Base64.getEncoder().encodeToString(new byte[16]);
        assertThrows(IllegalStateException.class, () -> new KeyEncryption("1", shortKey, List.of()));
        assertThrows(IllegalStateException.class, () -> new KeyEncryption("1", "", List.of()));
        assertThrows(IllegalStateException.class, () -> new KeyEncryption("a:b", KEK_1, List.of()));
        e = assertThrows(IllegalStateException.class, () -> new KeyEncryption("2", KEK_2, List.of("no-colon")));
        assertTrue(e.getMessage().contains("previous-encryption-keys"));
    }
}
