package cn.onenet.identity.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;

class JwsSignersTest {

    private static final String CLAIMS = "{\"iss\":\"https://id.example.gov.cn/oidc\",\"sub\":\"catalog-service\"}";

    @Test
    void theNativeProviderLoadsOnThisPlatform() {
        assertTrue(JwsSigners.nativeAvailable(),
                "Conscrypt's BoringSSL library did not load on this platform (linux-x86_64 expected); tokens would be "
                        + "signed by the slower JDK providers");
    }

    @Test
    void rs256ThroughBoringSslIsTheSameSignatureAsTheJdks() throws Exception {
        RSAKey key = new RSAKeyGenerator(2048).keyID("rs-test").generate();
        JWSObject nativeSigned = sign(JwsSigners.forKey(key, true), JWSAlgorithm.RS256, "rs-test");
        JWSObject jdkSigned = sign(JwsSigners.forKey(key, false), JWSAlgorithm.RS256, "rs-test");

        assertEquals("Conscrypt", JwsSigners.providerName(JwsSigners.forKey(key, true)));
        assertNull(JwsSigners.providerName(JwsSigners.forKey(key, false)));
        // RSASSA-PKCS1-v1_5 is deterministic: both providers must produce the very same bytes
        assertEquals(jdkSigned.serialize(), nativeSigned.serialize());
        assertTrue(JWSObject.parse(nativeSigned.serialize()).verify(new RSASSAVerifier(key.toPublicJWK())));
    }

    @Test
    void es256ThroughBoringSslVerifiesWithThePublicKeyOnlyAndDetectsTampering() throws Exception {
        ECKey key = new ECKeyGenerator(Curve.P_256).keyID("ec-test").generate();
        JWSObject signed = sign(JwsSigners.forKey(key, true), JWSAlgorithm.ES256, "ec-test");

        String[] parts = signed.serialize().split("\\.");
        assertEquals(86, parts[2].length(), "ES256 signature must be the 64-byte R||S form, not DER");
        assertTrue(JWSObject.parse(signed.serialize()).verify(new ECDSAVerifier(key.toPublicJWK())));

        String otherPayload = new Payload(CLAIMS.replace("catalog-service", "gateway")).toBase64URL().toString();
        JWSObject tampered = JWSObject.parse(parts[0] + "." + otherPayload + "." + parts[2]);
        assertFalse(tampered.verify(new ECDSAVerifier(key.toPublicJWK())));
    }

    private static JWSObject sign(com.nimbusds.jose.JWSSigner signer, JWSAlgorithm alg, String kid) throws Exception {
        JWSObject jws = new JWSObject(new JWSHeader.Builder(alg).keyID(kid).build(), new Payload(CLAIMS));
        jws.sign(signer);
        return jws;
    }
}
