package cn.onenet.exchange.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.Ed25519Signer;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import com.nimbusds.jose.util.Base64URL;

/** Both Ed25519 seal signers (libsodium, Bouncy Castle) give exactly the RFC 8032 signatures Nimbus's own gives. */
class Ed25519SealsTest {

    @Test
    void sameSignaturesAsNimbusAndVerifiable() throws Exception {
        OctetKeyPair key = new OctetKeyPairGenerator(Curve.Ed25519).keyID("k1").generate();
        JWSSigner bc = Ed25519Seals.signer(key);
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.EdDSA).keyID("k1").build();
        for (String text : new String[] { "", "eyJhbGciOiJFZERTQSJ9.e30", "居民户籍信息 330***********001X" }) {
            byte[] input = text.getBytes(StandardCharsets.UTF_8);
            Base64URL sig = bc.sign(header, input);
            assertEquals(new Ed25519Signer(key).sign(header, input), sig, "Ed25519 is deterministic");
            assertTrue(new Ed25519Verifier(key.toPublicJWK()).verify(header, input, sig));
        }
    }

    @Test
    void libsodiumSignsTheSameBytesAsBouncyCastle() throws Exception {
        assertTrue(Ed25519Seals.nativeAvailable(), "the libsodium bundled with lazysodium should load on "
                + System.getProperty("os.name") + "/" + System.getProperty("os.arch") + " (see the log for why not)");
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.EdDSA).keyID("k2").build();
        java.util.Random random = new java.util.Random(42);
        for (int k = 0; k < 5; k++) {
            OctetKeyPair key = new OctetKeyPairGenerator(Curve.Ed25519).keyID("k2").generate();
            JWSSigner sodium = Ed25519Seals.signer(key, true);
            JWSSigner bc = Ed25519Seals.signer(key, false);
            for (int len : new int[] { 0, 1, 64, 700, 5000 }) {
                byte[] input = new byte[len];
                random.nextBytes(input);
                Base64URL sig = sodium.sign(header, input);
                assertEquals(bc.sign(header, input), sig, "Ed25519 is deterministic, length " + len);
                assertTrue(new Ed25519Verifier(key.toPublicJWK()).verify(header, input, sig));
            }
        }
    }

    @Test
    void refusesOtherAlgorithmsPublicOnlyAndMismatchedKeys() throws Exception {
        OctetKeyPair key = new OctetKeyPairGenerator(Curve.Ed25519).generate();
        OctetKeyPair other = new OctetKeyPairGenerator(Curve.Ed25519).generate();
        for (boolean preferNative : new boolean[] { true, false }) {
            JWSSigner signer = Ed25519Seals.signer(key, preferNative);
            assertThrows(JOSEException.class, () -> signer.sign(new JWSHeader(JWSAlgorithm.ES256), new byte[1]));
            assertThrows(JOSEException.class, () -> Ed25519Seals.signer(key.toPublicJWK(), preferNative));
        }
        // a private part with somebody else's public part: libsodium derives the public point and refuses
        OctetKeyPair mixed = new OctetKeyPair.Builder(Curve.Ed25519, other.getX()).d(key.getD()).build();
        assertThrows(JOSEException.class, () -> Ed25519Seals.signer(mixed, true));
    }
}
