package cn.onenet.identity.service;

import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.spec.PKCS8EncodedKeySpec;

import org.conscrypt.Conscrypt;
import org.jboss.logging.Logger;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;

/**
 * Nimbus signers for the active keys. Token signing is most of the token endpoint's CPU, so where Conscrypt's
 * BoringSSL library loads, the private key is imported into it once and Nimbus signs through that provider; elsewhere
 * (or when switched off) the JDK's providers sign. The JWS produced is the same standard RS256/ES256 either way.
 */
final class JwsSigners {

    private static final Logger LOG = Logger.getLogger(JwsSigners.class);

    /** Null when the native library cannot be loaded on this platform. */
    private static final Provider NATIVE = loadNative();

    private JwsSigners() {
    }

    static boolean nativeAvailable() {
        return NATIVE != null;
    }

    static JWSSigner forKey(JWK jwk, boolean preferNative) throws JOSEException {
        boolean useNative = preferNative && NATIVE != null;
        if (jwk instanceof RSAKey rsa) {
            RSASSASigner signer = useNative ? new RSASSASigner(imported(rsa.toPrivateKey(), "RSA")) : new RSASSASigner(rsa);
            if (useNative) {
                signer.getJCAContext().setProvider(NATIVE);
            }
            return signer;
        }
        ECKey ec = (ECKey) jwk;
        ECDSASigner signer = useNative ? new ECDSASigner(imported(ec.toPrivateKey(), "EC"), ec.getCurve())
                : new ECDSASigner(ec);
        if (useNative) {
            signer.getJCAContext().setProvider(NATIVE);
        }
        return signer;
    }

    /** The provider a signer made by {@link #forKey} uses: "Conscrypt" or the JDK's default (null). */
    static String providerName(JWSSigner signer) {
        Provider p = signer.getJCAContext().getProvider();
        return p == null ? null : p.getName();
    }

    private static PrivateKey imported(PrivateKey key, String algorithm) throws JOSEException {
        try {
            return KeyFactory.getInstance(algorithm, NATIVE).generatePrivate(new PKCS8EncodedKeySpec(key.getEncoded()));
        } catch (java.security.GeneralSecurityException e) {
            throw new JOSEException("cannot import the " + algorithm + " key into Conscrypt: " + e.getMessage(), e);
        }
    }

    private static Provider loadNative() {
        try {
            if (Conscrypt.isAvailable()) {
                return Conscrypt.newProvider();
            }
        } catch (Throwable e) { // UnsatisfiedLinkError and friends on a platform without the bundled library
            LOG.debugf("Conscrypt unavailable: %s", e);
        }
        LOG.info("Conscrypt's native library is not available here; tokens are signed with the JDK's providers");
        return null;
    }
}
