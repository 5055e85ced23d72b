package cn.onenet.exchange.service;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.bouncycastle.asn1.gm.GMNamedCurves;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.signers.PlainDSAEncoding;
import org.bouncycastle.crypto.signers.SM2Signer;
import org.bouncycastle.math.ec.ECPoint;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.util.Base64URL;

/**
 * SM2 seals with the SM3 digest (GB/T 32918.2, GM/T 0009 default user ID {@code 1234567812345678}), through Bouncy
 * Castle. JOSE has no registered name for them, so this service uses:
 * <ul>
 * <li>JWS {@code alg}: {@code SM2SM3}; the signature is r ‖ s, 32 bytes each, big-endian (like ES256);</li>
 * <li>JWK: {@code {"kty":"SM2","crv":"SM2","x":…,"y":…,"alg":"SM2SM3","use":"sig","kid":…}} with the point's
 * coordinates on sm2p256v1 as 32-byte base64url, like an EC JWK. The key type is its own ({@code kty} "SM2", not
 * "EC") because JOSE libraries reject an EC key with an unknown curve and with it the whole JWK Set, whereas they
 * skip key types they do not know (RFC 7517 §5).</li>
 * </ul>
 */
public final class Sm2Seals {

    public static final String ALG = "SM2SM3";
    public static final JWSAlgorithm JWS_ALG = new JWSAlgorithm(ALG);
    public static final String KTY = "SM2";
    private static final X9ECParameters CURVE = GMNamedCurves.getByName("sm2p256v1");
    private static final ECDomainParameters DOMAIN = new ECDomainParameters(CURVE.getCurve(), CURVE.getG(),
            CURVE.getN(), CURVE.getH());
    private static final SecureRandom RANDOM = new SecureRandom();

    private Sm2Seals() {
    }

    /** A new key pair as a private JWK (JSON object with {@code d}). */
    public static Map<String, Object> generate(String kid) {
        ECKeyPairGenerator gen = new ECKeyPairGenerator();
        gen.init(new ECKeyGenerationParameters(DOMAIN, RANDOM));
        AsymmetricCipherKeyPair pair = gen.generateKeyPair();
        ECPoint q = ((ECPublicKeyParameters) pair.getPublic()).getQ().normalize();
        Map<String, Object> jwk = new LinkedHashMap<>();
        jwk.put("kty", KTY);
        jwk.put("crv", "SM2");
        jwk.put("x", b64(q.getAffineXCoord().toBigInteger()));
        jwk.put("y", b64(q.getAffineYCoord().toBigInteger()));
        jwk.put("d", b64(((ECPrivateKeyParameters) pair.getPrivate()).getD()));
        jwk.put("use", "sig");
        jwk.put("alg", ALG);
        jwk.put("kid", kid);
        return jwk;
    }

    public static boolean isSm2(Map<String, Object> jwk) {
        return KTY.equals(jwk.get("kty"));
    }

    public static Map<String, Object> publicPart(Map<String, Object> jwk) {
        Map<String, Object> pub = new LinkedHashMap<>(jwk);
        pub.remove("d");
        return pub;
    }

    /** A Nimbus signer, so SM2 seals go through the same JWS code as the others. */
    public static JWSSigner signer(Map<String, Object> jwk) {
        ECPrivateKeyParameters key = new ECPrivateKeyParameters(num(jwk.get("d")), DOMAIN);
        return new JWSSigner() {
            @Override
            public Base64URL sign(JWSHeader header, byte[] signingInput) throws JOSEException {
                SM2Signer s = new SM2Signer(PlainDSAEncoding.INSTANCE);
                s.init(true, new ParametersWithRandom(key, RANDOM));
                s.update(signingInput, 0, signingInput.length);
                try {
                    return Base64URL.encode(s.generateSignature());
                } catch (org.bouncycastle.crypto.CryptoException e) {
                    throw new JOSEException("SM2 signing failed", e);
                }
            }

            @Override
            public Set<JWSAlgorithm> supportedJWSAlgorithms() {
                return Set.of(JWS_ALG);
            }

            @Override
            public JCAContext getJCAContext() {
                return new JCAContext();
            }
        };
    }

    /** Checks an r ‖ s SM2 signature over {@code signingInput} with a public JWK. */
    public static boolean verify(Map<String, Object> jwk, byte[] signingInput, byte[] signature) {
        try {
            ECPoint q = CURVE.getCurve().createPoint(num(jwk.get("x")), num(jwk.get("y")));
            SM2Signer s = new SM2Signer(PlainDSAEncoding.INSTANCE);
            s.init(false, new ECPublicKeyParameters(q, DOMAIN));
            s.update(signingInput, 0, signingInput.length);
            return s.verifySignature(signature);
        } catch (RuntimeException e) {
            return false; // not a point on the curve, wrong length ...
        }
    }

    private static String b64(BigInteger v) {
        byte[] raw = v.toByteArray();
        byte[] out = new byte[32];
        if (raw.length > 32) {
            raw = Arrays.copyOfRange(raw, raw.length - 32, raw.length);
        }
        System.arraycopy(raw, 0, out, 32 - raw.length, raw.length);
        return Base64URL.encode(out).toString();
    }

    private static BigInteger num(Object b64) {
        return new BigInteger(1, new Base64URL(String.valueOf(b64)).decode());
    }
}
