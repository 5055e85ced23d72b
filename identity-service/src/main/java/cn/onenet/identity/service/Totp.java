package cn.onenet.identity.service;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.time.Instant;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.bouncycastle.util.encoders.Base32;

/** RFC 6238 time-based one-time passwords (HMAC-SHA1, 30 s steps, 6 digits), one step of clock drift allowed. */
public final class Totp {

    private Totp() {
    }

    public static String newSecret() {
        return Base32.toBase32String(Secrets.randomBytes(20));
    }

    public static String code(String secret, long step) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(Base32.decode(secret), "HmacSHA1"));
            byte[] hash = mac.doFinal(ByteBuffer.allocate(8).putLong(step).array());
            int offset = hash[hash.length - 1] & 0xf;
            int binary = ((hash[offset] & 0x7f) << 24) | ((hash[offset + 1] & 0xff) << 16)
                    | ((hash[offset + 2] & 0xff) << 8) | (hash[offset + 3] & 0xff);
            return String.format("%06d", binary % 1_000_000);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String codeNow(String secret) {
        return code(secret, Instant.now().getEpochSecond() / 30);
    }

    public static boolean verify(String secret, String code) {
        if (secret == null || code == null || !code.matches("\\d{6}")) {
            return false;
        }
        long step = Instant.now().getEpochSecond() / 30;
        for (long s = step - 1; s <= step + 1; s++) {
            if (java.security.MessageDigest.isEqual(code(secret, s).getBytes(), code.getBytes())) {
                return true;
            }
        }
        return false;
    }
}
