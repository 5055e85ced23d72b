package cn.onenet.usagelog.verifier;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;

/**
 * The keys an auditor pinned (a JWKS fetched once from a source it trusts) and the check of a detached JWS (RFC 7515
 * Appendix F) with them: Ed25519 with the JDK's own provider, ES256 and RS256 with Nimbus, SM2 with SM3 ({@link Sm2})
 * in plain Java. A key found anywhere else (in an export, a bundle, a seal's header) is never used.
 */
final class PinnedKeys {

    /** The Ed25519 SubjectPublicKeyInfo prefix (RFC 8410): the 32 raw key bytes follow it. */
    private static final byte[] ED25519_SPKI = HexFormat.of().parseHex("302a300506032b6570032100");

    /** A seal that does not verify with the pinned keys; its message says why, naming what was sealed. */
    static class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Signed with a key id the pinned JWKS does not hold. Not a verdict on the content: the key may be newer than the
     * pinned list (a department's seal key is published at its first seal and at each rotation).
     */
    static final class UnknownKey extends Refused {
        private static final long serialVersionUID = 1L;
        private final String kid;

        UnknownKey(String what, String kid) {
            super(what + " is signed with key " + kid + ", which is not among the pinned keys");
            this.kid = kid;
        }

        String kid() {
            return kid;
        }
    }

    /**
     * A seal by a pinned key: its kid and the seal's protected header; {@code checked} false when the key is of a type
     * this verifier does not know (the seal vouches for nothing then).
     */
    record Verified(String kid, JWSHeader header, boolean checked) {
    }

    private final Map<String, JWK> keys = new HashMap<>();
    /** Pinned SM2 keys (kty SM2, the exchange's SM2SM3 seals), by kid. */
    private final Map<String, Sm2.Point> sm2Keys = new HashMap<>();
    /** Pinned keys of a type this verifier does not know, by kid: their type. */
    private final Map<String, String> unusable = new HashMap<>();

    private PinnedKeys() {
    }

    /** The keys of this JWKS (JSON {@code {"keys": [...]}}); an SM2 key off the curve is refused. */
    static PinnedKeys parse(String jwksJson) throws ParseException {
        PinnedKeys p = new PinnedKeys();
        List<Object> keys = JSONObjectUtils.getJSONArray(UsageLogVerifier.object(jwksJson), "keys");
        if (keys == null || keys.isEmpty()) {
            throw new ParseException("the JWKS holds no keys", 0);
        }
        for (Object k : keys) {
            if (!(k instanceof Map<?, ?> m) || !(m.get("kid") instanceof String kid)) {
                throw new ParseException("a pinned key without kid", 0);
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> json = (Map<String, Object>) m;
            if ("SM2".equals(m.get("kty"))) {
                p.sm2Keys.put(kid, sm2Key(kid, json));
                continue;
            }
            try {
                p.keys.put(kid, JWK.parse(json).toPublicJWK());
            } catch (ParseException e) {
                // a key type Nimbus does not know: its seals cannot be checked here
                p.unusable.put(kid, String.valueOf(m.get("kty")));
            }
        }
        return p;
    }

    /** An SM2 public key (crv SM2, x and y base64url, 32 bytes each) that must lie on sm2p256v1. */
    private static Sm2.Point sm2Key(String kid, Map<String, Object> jwk) throws ParseException {
        try {
            Sm2.Point q = new Sm2.Point(new BigInteger(1, Base64URL.from((String) jwk.get("x")).decode()),
                    new BigInteger(1, Base64URL.from((String) jwk.get("y")).decode()));
            if ("SM2".equals(jwk.get("crv")) && q.onCurve()) {
                return q;
            }
        } catch (RuntimeException e) {
            // answered below
        }
        throw new ParseException("pinned SM2 key " + kid + " is not a point of sm2p256v1", 0);
    }

    /** The type of a pinned key this verifier cannot use, or null. */
    String unusableType(String kid) {
        return unusable.get(kid);
    }

    /** {@link #check(String, String, byte[])} over a text's UTF-8 bytes. */
    Verified check(String what, String detached, String payload) throws Refused {
        return check(what, detached, payload.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Checks a detached JWS over {@code payload} with the pinned key its kid names (not checked, for a pinned key of a
     * type this verifier does not know). {@code what} names the sealed thing in the messages ("a checkpoint").
     */
    Verified check(String what, String detached, byte[] payload) throws Refused {
        JWSObject jws;
        try {
            jws = JWSObject.parse(detached, new Payload(payload));
        } catch (ParseException | RuntimeException e) {
            throw new Refused(what + "'s signature is not a compact JWS");
        }
        String kid = jws.getHeader().getKeyID();
        JWSAlgorithm alg = jws.getHeader().getAlgorithm();
        Sm2.Point sm2 = kid == null ? null : sm2Keys.get(kid);
        if (sm2 != null) {
            if (!"SM2SM3".equals(alg.getName())) {
                throw new Refused(what + "'s alg " + alg + " is not its SM2 key's SM2SM3");
            }
            if (!Sm2.verify(sm2, jws.getSigningInput(), jws.getSignature().decode())) {
                throw new Refused(what + "'s signature does not verify with pinned key " + kid);
            }
            return new Verified(kid, jws.getHeader(), true);
        }
        JWK key = kid == null ? null : keys.get(kid);
        if (key == null && kid != null && unusable.containsKey(kid)) {
            return new Verified(kid, jws.getHeader(), false);
        }
        if (key == null) {
            throw kid == null ? new Refused(what + " names no key (kid)") : new UnknownKey(what, kid);
        }
        if (key.getAlgorithm() != null && !key.getAlgorithm().getName().equals(alg.getName())) {
            throw new Refused(what + "'s alg " + alg + " is not its key's " + key.getAlgorithm());
        }
        boolean valid;
        try {
            if (JWSAlgorithm.EdDSA.equals(alg) && key instanceof OctetKeyPair okp
                    && Curve.Ed25519.equals(okp.getCurve())) {
                valid = ed25519(okp, jws.getSigningInput(), jws.getSignature().decode());
            } else if (JWSAlgorithm.ES256.equals(alg) && key instanceof ECKey ec) {
                valid = jws.verify(new ECDSAVerifier(ec));
            } else if (JWSAlgorithm.RS256.equals(alg) && key instanceof RSAKey rsa) {
                valid = jws.verify(new RSASSAVerifier(rsa));
            } else {
                throw new Refused(what + "'s alg " + alg + " is not supported with its key " + kid);
            }
        } catch (JOSEException | GeneralSecurityException e) {
            valid = false;
        }
        if (!valid) {
            throw new Refused(what + "'s signature does not verify with pinned key " + kid);
        }
        return new Verified(kid, jws.getHeader(), true);
    }

    /** Ed25519 with the JDK's own provider (Nimbus would need Tink for it). */
    private static boolean ed25519(OctetKeyPair key, byte[] input, byte[] signature)
            throws GeneralSecurityException {
        byte[] x = key.getX().decode();
        byte[] spki = new byte[ED25519_SPKI.length + x.length];
        System.arraycopy(ED25519_SPKI, 0, spki, 0, ED25519_SPKI.length);
        System.arraycopy(x, 0, spki, ED25519_SPKI.length, x.length);
        PublicKey pk = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
        Signature s = Signature.getInstance("Ed25519");
        s.initVerify(pk);
        s.update(input);
        return s.verify(signature);
    }
}
