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

/** The Bouncy Castle Ed25519 seal signer gives exactly the RFC 8032 signatures Nimbus's own signer gives. */
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
    void refusesOtherAlgorithmsAndPublicOnlyKeys() throws Exception {
        OctetKeyPair key = new OctetKeyPairGenerator(Curve.Ed25519).generate();
        JWSSigner bc = Ed25519Seals.signer(key);
        assertThrows(JOSEException.class, () -> bc.sign(new JWSHeader(JWSAlgorithm.ES256), new byte[1]));
        assertThrows(JOSEException.class, () -> Ed25519Seals.signer(key.toPublicJWK()));
    }
}
