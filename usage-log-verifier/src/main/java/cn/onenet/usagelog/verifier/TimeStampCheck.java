package cn.onenet.usagelog.verifier;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;

import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerId;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.DigestCalculator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.bc.BcDigestCalculatorProvider;
import org.bouncycastle.tsp.TSPException;
import org.bouncycastle.tsp.TSPUtil;
import org.bouncycastle.tsp.TSPValidationException;
import org.bouncycastle.tsp.TimeStampToken;
import org.bouncycastle.tsp.TimeStampTokenInfo;

/**
 * RFC 3161 time-stamp tokens (时间戳) on checkpoint seals, checked with Bouncy Castle against TSA certificates the
 * auditor pinned: the token's message imprint is the hash of the seal's UTF-8 bytes, its CMS signature verifies with a
 * pinned certificate (named by the token's signer identifier and its ESSCertID), that certificate is a time-stamping
 * one (RFC 3161 §2.3) and was valid at the token's genTime. A certificate the token carries is never trusted.
 */
final class TimeStampCheck {

    /** Why a token does not verify; the message completes "its time-stamp token …". */
    static final class Refused extends Exception {
        Refused(String problem) {
            super(problem, null, false, false);
        }
    }

    /** An instance, not registered: SM2 and other TSA keys the JDK does not know verify too. */
    private static final BouncyCastleProvider BC = new BouncyCastleProvider();

    private TimeStampCheck() {
    }

    /**
     * The certificates of a PEM (or DER) file, each checked to be a time-stamping certificate: its only extended key
     * usage is id-kp-timeStamping, marked critical.
     */
    static List<X509CertificateHolder> readPinned(Path file) throws IOException, GeneralSecurityException {
        Collection<? extends Certificate> certs;
        try (InputStream in = Files.newInputStream(file)) {
            certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
        }
        if (certs.isEmpty()) {
            throw new CertificateException("it holds no certificate");
        }
        List<X509CertificateHolder> pinned = new ArrayList<>();
        for (Certificate c : certs) {
            X509CertificateHolder holder = holder(c);
            try {
                TSPUtil.validateCertificate(holder);
            } catch (TSPValidationException e) {
                throw new CertificateException(holder.getSubject() + " is not a time-stamping certificate: "
                        + e.getMessage());
            }
            pinned.add(holder);
        }
        return pinned;
    }

    private static X509CertificateHolder holder(Certificate c) throws CertificateEncodingException {
        try {
            return new X509CertificateHolder(c.getEncoded());
        } catch (IOException e) {
            throw new CertificateEncodingException(e.getMessage());
        }
    }

    /**
     * Checks a base64 DER token over {@code sealed}, the seal of the checkpoint at {@code seq}, against the pinned
     * certificates.
     */
    static UsageLogVerifier.TimeStamp check(long seq, String base64Token, byte[] sealed,
            List<X509CertificateHolder> pinned) throws Refused {
        TimeStampToken token = parse(base64Token);
        TimeStampTokenInfo info = token.getTimeStampInfo();
        if (!Arrays.equals(imprint(info, sealed), info.getMessageImprintDigest())) {
            throw new Refused("is over other data: its message imprint is not the hash of the checkpoint's signature");
        }
        SignerId signer = token.getSID();
        List<X509CertificateHolder> candidates = pinned.stream().filter(signer::match).toList();
        if (candidates.isEmpty()) {
            throw new Refused("is not signed by a pinned TSA certificate (its signer: " + describe(signer) + ")");
        }
        String problem = null;
        for (X509CertificateHolder tsa : candidates) {
            try {
                token.validate(new JcaSimpleSignerInfoVerifierBuilder().setProvider(BC).build(tsa));
                return new UsageLogVerifier.TimeStamp(seq, info.getGenTime().toInstant(), tsa.getSubject().toString());
            } catch (TSPException | OperatorCreationException | CertificateException | RuntimeException e) {
                // TSPValidationException: another certificate under the pinned name, a bad signature, a certificate
                // not valid at genTime
                problem = "does not verify with pinned TSA certificate " + tsa.getSubject() + ": " + e.getMessage();
            }
        }
        throw new Refused(problem);
    }

    /**
     * The genTime of a token over {@code sealed} whose CMS signature verifies with the certificate the token itself
     * carries (as the exchange reads its {@code timestampedAt}); null for anything else. Says nothing about who the
     * signer is.
     */
    static java.time.Instant selfSignedGenTime(String base64Token, byte[] sealed) {
        try {
            TimeStampToken token = parse(base64Token);
            TimeStampTokenInfo info = token.getTimeStampInfo();
            if (!Arrays.equals(imprint(info, sealed), info.getMessageImprintDigest())) {
                return null;
            }
            @SuppressWarnings("unchecked")
            Collection<X509CertificateHolder> carried = token.getCertificates().getMatches(token.getSID());
            if (carried.isEmpty()) {
                return null;
            }
            token.validate(new JcaSimpleSignerInfoVerifierBuilder().setProvider(BC).build(carried.iterator().next()));
            return info.getGenTime().toInstant();
        } catch (Refused | TSPException | OperatorCreationException | CertificateException | RuntimeException e) {
            return null;
        }
    }

    private static TimeStampToken parse(String base64Token) throws Refused {
        byte[] der;
        try {
            der = Base64.getDecoder().decode(base64Token);
        } catch (IllegalArgumentException e) {
            throw new Refused("is not base64");
        }
        try {
            return new TimeStampToken(new CMSSignedData(der));
        } catch (CMSException | TSPException | IOException | RuntimeException e) {
            throw new Refused("is not an RFC 3161 time-stamp token: " + e.getMessage());
        }
    }

    /** The hash of {@code sealed} with the algorithm the token names (SHA-256 from the exchange; SM3 works too). */
    private static byte[] imprint(TimeStampTokenInfo info, byte[] sealed) throws Refused {
        try {
            DigestCalculator digest = new BcDigestCalculatorProvider().get(info.getHashAlgorithm());
            try (OutputStream out = digest.getOutputStream()) {
                out.write(sealed);
            }
            return digest.getDigest();
        } catch (OperatorCreationException | IOException e) {
            throw new Refused("names an unknown imprint hash algorithm " + info.getMessageImprintAlgOID());
        }
    }

    private static String describe(SignerId signer) {
        if (signer.getIssuer() != null) {
            return "issuer " + signer.getIssuer() + ", serial " + signer.getSerialNumber();
        }
        return signer.getSubjectKeyIdentifier() == null ? "unnamed"
                : "key id " + HexFormat.of().formatHex(signer.getSubjectKeyIdentifier());
    }
}
