package cn.onenet.exchange.service;

import java.util.Arrays;
import java.util.Base64;
import java.util.Set;

import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.jboss.logging.Logger;

import com.goterl.lazysodium.Sodium;
import com.goterl.lazysodium.SodiumJava;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.util.Base64URL;

/**
 * Ed25519 (RFC 8032) seal signers, faster than Nimbus's default (Tink). Ed25519 signatures are deterministic, so
 * every implementation gives the same bytes for the same key and input: libsodium (bundled with lazysodium, about
 * 20 µs per seal here) where it loads, else Bouncy Castle (about 37 µs). Both derive the public point once per key.
 */
public final class Ed25519Seals {

    private static final Logger LOG = Logger.getLogger(Ed25519Seals.class);
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    private Ed25519Seals() {
    }

    /** libsodium, loaded on first use; null where the bundled library cannot load on this platform. */
    private static final class Libsodium {
        static final Sodium SODIUM = load();

        private static Sodium load() {
            try {
                SodiumJava sodium = new SodiumJava();
                if (sodium.sodium_init() >= 0) {
                    return sodium;
                }
                LOG.warn("libsodium failed to initialise: Ed25519 seals are signed with Bouncy Castle");
            } catch (RuntimeException | LinkageError e) {
                LOG.warnf("libsodium unavailable (%s): Ed25519 seals are signed with Bouncy Castle", e.toString());
            }
            return null;
        }
    }

    /** Whether seals can be signed with libsodium in this process. */
    public static boolean nativeAvailable() {
        return Libsodium.SODIUM != null;
    }

    /** A signer for an Ed25519 {@link OctetKeyPair} with its private part: libsodium if allowed and available. */
    public static JWSSigner signer(OctetKeyPair jwk, boolean preferNative) throws JOSEException {
        if (jwk.getD() == null) {
            throw new JOSEException("the Ed25519 key has no private part");
        }
        byte[] seed = jwk.getD().decode();
        return preferNative && nativeAvailable() ? libsodium(seed, jwk.getX().decode()) : bouncyCastle(seed);
    }

    /** The Bouncy Castle signer (also the reference the libsodium one is tested against). */
    public static JWSSigner signer(OctetKeyPair jwk) throws JOSEException {
        return signer(jwk, false);
    }

    private static JWSSigner bouncyCastle(byte[] seed) {
        Ed25519PrivateKeyParameters key = new Ed25519PrivateKeyParameters(seed, 0);
        Ed25519PublicKeyParameters pub = key.generatePublicKey();
        return new Signer() {
            @Override
            byte[] signature(byte[] input) {
                byte[] sig = new byte[Ed25519.SIGNATURE_SIZE];
                key.sign(Ed25519.Algorithm.Ed25519, pub, null, input, 0, input.length, sig, 0);
                return sig;
            }
        };
    }

    private static JWSSigner libsodium(byte[] seed, byte[] publicKey) throws JOSEException {
        Sodium sodium = Libsodium.SODIUM;
        byte[] pk = new byte[32];
        byte[] sk = new byte[64]; // libsodium's secret key: seed || public key
        if (sodium.crypto_sign_seed_keypair(pk, sk, seed) != 0 || !Arrays.equals(pk, publicKey)) {
            throw new JOSEException("the Ed25519 key's public part does not match its private part");
        }
        return new Signer() {
            @Override
            byte[] signature(byte[] input) throws JOSEException {
                byte[] sig = new byte[64];
                if (sodium.crypto_sign_detached(sig, null, input, input.length, sk) != 0) {
                    throw new JOSEException("libsodium could not sign");
                }
                return sig;
            }
        };
    }

    private abstract static class Signer implements JWSSigner {

        abstract byte[] signature(byte[] input) throws JOSEException;

        @Override
        public Base64URL sign(JWSHeader header, byte[] signingInput) throws JOSEException {
            if (!JWSAlgorithm.EdDSA.equals(header.getAlgorithm())) {
                throw new JOSEException("Ed25519 keys sign EdDSA only, not " + header.getAlgorithm());
            }
            // JDK codec: Nimbus's constant-time codec costs more than it protects for a public signature
            return new Base64URL(B64URL.encodeToString(signature(signingInput)));
        }

        @Override
        public Set<JWSAlgorithm> supportedJWSAlgorithms() {
            return Set.of(JWSAlgorithm.EdDSA);
        }

        @Override
        public JCAContext getJCAContext() {
            return new JCAContext();
        }
    }
}
