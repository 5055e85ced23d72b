package cn.onenet.usagelog.verifier;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.time.Instant;
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
 * one (RFC 3161 §2.3) and was valid at the token's genTime. A certificate the token carries is not trusted: with
 * pinned certificates it must be the pinned one; without, a token is checked with it, and the callers say so (the token
 * is then shown intact and over the seal, not made by a TSA the auditor trusts).
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
        // read first: a directory or an unreadable file is named as such, not as a certificate parse error
        byte[] bytes = Files.readAllBytes(file);
        certs = CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(bytes));
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
     * A token over the seal whose CMS signature verified: its genTime and the certificate it verified with, a pinned
     * one ({@code pinned}) or, when none is pinned, the one the token carries ({@code signer} null when it carries
     * none: then only its imprint was checked).
     */
    record Verified(Instant genTime, X509CertificateHolder signer, boolean pinned) {

        /** The signer's subject, serial and SHA-256 fingerprint, to compare with what the TSA publishes. */
        String signerDescription() {
            return signer == null ? "none" : describe(signer);
        }
    }

    /**
     * Checks a base64 DER token over {@code sealed} (a checkpoint's seal): its message imprint is the hash of those
     * bytes, and its CMS signature verifies ({@link TimeStampToken#validate}: the ESSCertID names the certificate, which
     * is a time-stamping one valid at genTime) with a pinned certificate; a signer certificate the token carries must
     * then be that pinned one. With none pinned it must verify with the certificate it carries (noted as not pinned by
     * the callers: anyone can make a token with a certificate of their own).
     */
    static Verified check(String base64Token, byte[] sealed, List<X509CertificateHolder> pinned) throws Refused {
        TimeStampToken token = parse(base64Token);
        TimeStampTokenInfo info = token.getTimeStampInfo();
        if (!Arrays.equals(imprint(info, sealed), info.getMessageImprintDigest())) {
            throw new Refused("is over other data: its message imprint is not the hash of the checkpoint's signature");
        }
        SignerId signer = token.getSID();
        Collection<X509CertificateHolder> carried = carried(token);
        if (pinned.isEmpty()) {
            if (carried.isEmpty()) {
                return new Verified(info.getGenTime().toInstant(), null, false);
            }
            X509CertificateHolder own = carried.iterator().next();
            String problem = verify(token, own);
            if (problem != null) {
                throw new Refused("does not verify with the certificate it carries, " + describe(own) + ": "
                        + problem);
            }
            return new Verified(info.getGenTime().toInstant(), own, false);
        }
        List<X509CertificateHolder> candidates = pinned.stream().filter(signer::match).toList();
        if (candidates.isEmpty()) {
            throw new Refused("is not signed by a pinned TSA certificate (its signer: " + describe(signer) + ")");
        }
        String problem = null;
        for (X509CertificateHolder tsa : candidates) {
            String why = verify(token, tsa);
            if (why == null) {
                for (X509CertificateHolder c : carried) {
                    if (!c.equals(tsa)) {
                        // the certificates a token carries are outside its signature: one that differs was put there
                        throw new Refused("verifies with pinned TSA certificate " + tsa.getSubject() + " but carries "
                                + "another certificate under its name, " + describe(c) + ": the certificate was "
                                + "swapped");
                    }
                }
                return new Verified(info.getGenTime().toInstant(), tsa, true);
            }
            problem = "does not verify with pinned TSA certificate " + tsa.getSubject() + ": " + why;
        }
        throw new Refused(problem);
    }

    /** Why the token does not verify with this certificate; null when it does. */
    private static String verify(TimeStampToken token, X509CertificateHolder certificate) {
        try {
            token.validate(new JcaSimpleSignerInfoVerifierBuilder().setProvider(BC).build(certificate));
            return null;
        } catch (TSPException | OperatorCreationException | CertificateException | RuntimeException e) {
            // TSPValidationException: another certificate under the signer's name (ESSCertID), no time-stamping key
            // usage, a certificate not valid at genTime, a bad signature
            return String.valueOf(e.getMessage());
        }
    }

    /** The certificates the token carries that name its signer (outside the signature: never trusted as such). */
    @SuppressWarnings("unchecked")
    private static Collection<X509CertificateHolder> carried(TimeStampToken token) {
        return token.getCertificates().getMatches(token.getSID());
    }

    /**
     * The genTime of a token over {@code sealed} whose CMS signature verifies with the certificate the token itself
     * carries (as the exchange reads its {@code timestampedAt}); null for anything else. Says nothing about who the
     * signer is.
     */
    static Instant selfSignedGenTime(String base64Token, byte[] sealed) {
        try {
            Verified v = check(base64Token, sealed, List.of());
            return v.signer() == null ? null : v.genTime();
        } catch (Refused | RuntimeException e) {
            return null;
        }
    }

    /** A certificate by subject, serial and SHA-256 fingerprint (as {@code openssl x509 -fingerprint -sha256}). */
    static String describe(X509CertificateHolder certificate) {
        String fingerprint;
        try {
            fingerprint = HexFormat.ofDelimiter(":").withUpperCase().formatHex(java.security.MessageDigest
                    .getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (GeneralSecurityException | IOException e) {
            fingerprint = "unknown";
        }
        return certificate.getSubject() + " (serial " + certificate.getSerialNumber() + ", SHA-256 fingerprint "
                + fingerprint + ")";
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
