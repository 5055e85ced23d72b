package cn.onenet.identity.service;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.OptionalLong;

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
        return code(secret, currentStep());
    }

    /**
     * The otpauth URI authenticator apps take (as a link or QR code): {@code otpauth://totp/<issuer>:<account>?secret=…}
     * with this class's parameters.
     */
    public static String uri(String issuer, String account, String secret) {
        return "otpauth://totp/" + encode(issuer + ":" + account) + "?secret=" + secret + "&issuer=" + encode(issuer)
                + "&algorithm=SHA1&digits=6&period=30";
    }

    private static String encode(String text) {
        return java.net.URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The RFC 6238 time step (30 s) now. */
    public static long currentStep() {
        return Instant.now().getEpochSecond() / 30;
    }

    /**
     * The time step whose code this is, {@code step} or one step either side of it (clock drift); empty when it is
     * none of them. Whether that step was used before is the caller's business ({@link TotpFactor#accept}).
     */
    public static OptionalLong matchingStep(String secret, String code, long step) {
        if (secret == null || code == null || !code.matches("\\d{6}")) {
            return OptionalLong.empty();
        }
        for (long s = step - 1; s <= step + 1; s++) {
            if (MessageDigest.isEqual(code(secret, s).getBytes(StandardCharsets.US_ASCII),
                    code.getBytes(StandardCharsets.US_ASCII))) {
                return OptionalLong.of(s);
            }
        }
        return OptionalLong.empty();
    }
}
