package cn.onenet.usagelog.verifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.security.cert.CertificateException;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.bc.BcDigestCalculatorProvider;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.tsp.TSPAlgorithms;
import org.bouncycastle.tsp.TimeStampRequestGenerator;
import org.bouncycastle.tsp.TimeStampTokenGenerator;
import org.bouncycastle.util.CollectionStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.nimbusds.jose.util.JSONObjectUtils;

import cn.onenet.usagelog.verifier.UsageLogVerifierTest.EdKey;
import cn.onenet.usagelog.verifier.UsageLogVerifierTest.Export;

/** RFC 3161 time-stamp tokens on checkpoint seals, made by a Bouncy Castle TSA here, checked against pinned certs. */
class UsageLogVerifierTimeStampTest {

    static final Instant NOT_BEFORE = Instant.parse("2026-01-01T00:00:00Z");
    static final Instant NOT_AFTER = Instant.parse("2030-01-01T00:00:00Z");
    static final Instant STAMPED_15 = Instant.parse("2026-12-03T00:00:01Z");
    static final Instant STAMPED_20 = Instant.parse("2026-12-05T00:00:02Z");

    /**
     * A time-stamp authority: a self-signed ECDSA certificate and Bouncy Castle's token generator. Its tokens carry its
     * certificate, as its answer to a request asking for it (the exchange asks); {@link #stampWithoutCertificate}
     * answers one that does not.
     */
    static final class Tsa {
        final KeyPair keys;
        final X509CertificateHolder certificate;
        private final TimeStampTokenGenerator tokens;

        /** A TSA whose certificate has the time-stamping key usage (RFC 3161 §2.3: the only one, critical). */
        Tsa(String name, long serial) throws Exception {
            this(name, serial, true);
        }

        Tsa(String name, long serial, boolean timeStamping) throws Exception {
            keys = KeyPairGenerator.getInstance("EC").generateKeyPair();
            X500Name subject = new X500Name("CN=" + name);
            X509v3CertificateBuilder builder = new X509v3CertificateBuilder(subject, BigInteger.valueOf(serial),
                    Date.from(NOT_BEFORE), Date.from(NOT_AFTER), subject,
                    SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded()));
            if (timeStamping) {
                builder.addExtension(Extension.extendedKeyUsage, true,
                        new ExtendedKeyUsage(KeyPurposeId.id_kp_timeStamping));
            }
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            certificate = builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));
            X509Certificate cert = new JcaX509CertificateConverter().getCertificate(certificate);
            tokens = !timeStamping ? null : new TimeStampTokenGenerator(new JcaSimpleSignerInfoGeneratorBuilder()
                    .build("SHA256withECDSA", keys.getPrivate(), cert),
                    new BcDigestCalculatorProvider().get(new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256)),
                    new ASN1ObjectIdentifier("1.2.3.4.1"));
            if (timeStamping) {
                // included in a token when its request asks for the certificate (certReq)
                tokens.addCertificates(new JcaCertStore(List.of(cert)));
            }
        }

        /** A base64 DER token over SHA-256 of {@code data} at {@code at}, as the exchange stores it. */
        String stamp(byte[] data, Instant at) throws Exception {
            return stamp(data, at, true);
        }

        /** The same, but the token carries no certificate (a request that did not ask for it). */
        String stampWithoutCertificate(byte[] data, Instant at) throws Exception {
            return stamp(data, at, false);
        }

        private String stamp(byte[] data, Instant at, boolean withCertificate) throws Exception {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(data);
            TimeStampRequestGenerator request = new TimeStampRequestGenerator();
            request.setCertReq(withCertificate);
            return Base64.getEncoder().encodeToString(tokens.generate(request.generate(TSPAlgorithms.SHA256, digest),
                    BigInteger.valueOf(at.getEpochSecond()), Date.from(at)).getEncoded());
        }

        /** The token with the certificates it carries replaced by {@code others} (outside its signature). */
        static String withCertificates(String token, X509CertificateHolder... others) throws Exception {
            CMSSignedData signed = new CMSSignedData(Base64.getDecoder().decode(token));
            return Base64.getEncoder().encodeToString(CMSSignedData.replaceCertificatesAndCRLs(signed,
                    new CollectionStore<>(List.of(others)), null, null).getEncoded());
        }

        Path pem(Path dir, String file) throws Exception {
            return Files.writeString(dir.resolve(file), "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                            .encodeToString(certificate.getEncoded())
                    + "\n-----END CERTIFICATE-----\n");
        }
    }

    static String signature(String checkpointLine) throws Exception {
        return (String) JSONObjectUtils.parse(checkpointLine).get("signature");
    }

    /** The checkpoint line with this time-stamp token added, as the exchange's export writes it. */
    static String withToken(String checkpointLine, String token) throws Exception {
        Map<String, Object> o = JSONObjectUtils.parse(checkpointLine);
        o.put("timestampToken", token);
        return JSONObjectUtils.toJSONString(o);
    }

    /** The checkpoint line time-stamped over its own signature by {@code tsa} at {@code at}. */
    static String stamped(String checkpointLine, Tsa tsa, Instant at) throws Exception {
        return withToken(checkpointLine, tsa.stamp(signature(checkpointLine).getBytes(StandardCharsets.UTF_8), at));
    }

    final EdKey authority = EdKey.generate("113300000024810109-k1");
    final String pinned = UsageLogVerifierTest.jwks(authority.publicJwk());
    final Tsa tsa = new Tsa("onenet test TSA", 1);
    final Export export = new Export(11, 20);
    final String checkpoint15 = export.checkpoint(authority, 15, "2026-12-03T00:00:00Z");
    final String checkpoint20 = export.checkpoint(authority, 20, "2026-12-05T00:00:00Z");

    UsageLogVerifierTimeStampTest() throws Exception {
    }

    UsageLogVerifier.Result check(String text, Tsa... pinnedTsas) throws Exception {
        Path dir = Files.createTempDirectory("tsa");
        UsageLogVerifier v = UsageLogVerifier.pinning(pinned);
        for (int i = 0; i < pinnedTsas.length; i++) {
            v.pinningTsa(pinnedTsas[i].pem(dir, "tsa-" + i + ".pem"));
        }
        return v.verify(new java.io.BufferedReader(new java.io.StringReader(text)));
    }

    /** Runs the command line; returns the exit code and what it printed on stdout and stderr. */
    static Object[] run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = UsageLogVerifier.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Object[] { code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8) };
    }

    @Test
    void aTokenVerifiesWithThePinnedTsaCertificateAndItsGenTimeIsReported(@TempDir Path dir) throws Exception {
        String text = export.text(List.of(stamped(checkpoint15, tsa, STAMPED_15),
                stamped(checkpoint20, tsa, STAMPED_20)));
        UsageLogVerifier.Result r = check(text, tsa);
        assertTrue(r.valid(), r.describe());
        assertEquals(List.of(new UsageLogVerifier.TimeStamp(15, STAMPED_15, "CN=onenet test TSA"),
                new UsageLogVerifier.TimeStamp(20, STAMPED_20, "CN=onenet test TSA")), r.timeStamps());
        assertTrue(r.notes().contains("2 checkpoint time-stamps verify with pinned TSA certificates (CN=onenet test "
                + "TSA): genTime 2026-12-03T00:00:01Z (seq 15) to 2026-12-05T00:00:02Z (seq 20)"),
                r.notes().toString());

        // through the command line, with a second pinned TSA beside (a PEM file may hold several)
        Path keys = Files.writeString(dir.resolve("keys.json"), pinned);
        Path file = Files.writeString(dir.resolve("export.ndjson"), text);
        Object[] result = run("--tsa-cert", new Tsa("other TSA", 7).pem(dir, "other.pem").toString(), "--tsa-cert",
                tsa.pem(dir, "tsa.pem").toString(), keys.toString(), file.toString());
        assertEquals(0, result[0], result[1] + " " + result[2]);
        assertTrue(((String) result[1]).contains("genTime 2026-12-03T00:00:01Z (seq 15) to 2026-12-05T00:00:02Z "
                + "(seq 20)"), (String) result[1]);
    }

    @Test
    void aTokenOverAnotherSealFails(@TempDir Path dir) throws Exception {
        // the token of checkpoint 15 moved onto checkpoint 20: its imprint is not the hash of 20's signature
        String moved = withToken(checkpoint20, tsa.stamp(signature(checkpoint15).getBytes(StandardCharsets.UTF_8),
                STAMPED_20));
        String text = export.text(List.of(stamped(checkpoint15, tsa, STAMPED_15), moved));
        UsageLogVerifier.Result r = check(text, tsa);
        assertFalse(r.valid());
        assertEquals(3, r.line(), r.describe());
        assertEquals("checkpoint at seq 20: its time-stamp token is over other data: its message imprint is not the "
                + "hash of the checkpoint's signature", r.problem());

        Path keys = Files.writeString(dir.resolve("keys.json"), pinned);
        Path file = Files.writeString(dir.resolve("export.ndjson"), text);
        Object[] result = run("--tsa-cert", tsa.pem(dir, "tsa.pem").toString(), keys.toString(), file.toString());
        assertEquals(1, result[0]);
        assertTrue(((String) result[1]).startsWith("INVALID: line 3: checkpoint at seq 20: its time-stamp token is "
                + "over other data"), (String) result[1]);

        // nor is a token that is no time-stamp at all taken
        r = check(export.text(List.of(withToken(checkpoint20, "AAAA"))), tsa);
        assertFalse(r.valid());
        assertTrue(r.problem().startsWith("checkpoint at seq 20: its time-stamp token is not an RFC 3161 time-stamp"
                + " token"), r.problem());
    }

    @Test
    void aTokenOfAnotherTsaThanThePinnedOneFails() throws Exception {
        String text = export.text(List.of(stamped(checkpoint20, tsa, STAMPED_20)));
        UsageLogVerifier.Result r = check(text, new Tsa("other TSA", 7));
        assertFalse(r.valid());
        assertEquals(2, r.line());
        assertEquals("checkpoint at seq 20: its time-stamp token is not signed by a pinned TSA certificate (its "
                + "signer: issuer CN=onenet test TSA, serial 1)", r.problem());

        // another key under the pinned certificate's name and serial: the token names that certificate, but neither
        // its hash (ESSCertIDv2) nor the signature fit the pinned one
        r = check(text, new Tsa("onenet test TSA", 1));
        assertFalse(r.valid());
        assertTrue(r.problem().startsWith("checkpoint at seq 20: its time-stamp token does not verify with pinned TSA "
                + "certificate CN=onenet test TSA: "), r.problem());

        // a token made after the pinned certificate expired
        r = check(export.text(List.of(stamped(checkpoint20, tsa, NOT_AFTER.plusSeconds(86_400)))), tsa);
        assertFalse(r.valid());
        assertTrue(r.problem().contains("does not verify with pinned TSA certificate"), r.problem());
    }

    @Test
    void withoutAPinnedTsaCertificateATokenIsCheckedWithTheCertificateItCarriesAndSaidNotToBePinned()
            throws Exception {
        UsageLogVerifier.Result r = check(export.text(List.of(stamped(checkpoint15, tsa, STAMPED_15),
                stamped(checkpoint20, tsa, STAMPED_20))));
        assertTrue(r.valid(), r.describe());
        // only tokens verified with a pinned certificate count as the TSA's word
        assertTrue(r.timeStamps().isEmpty());
        assertTrue(r.notes().contains("2 checkpoint time-stamp tokens are over their checkpoint's signature and verify "
                + "with the certificate each carries (" + TimeStampCheck.describe(tsa.certificate) + "), which is not "
                + "pinned: this shows the tokens are intact, not that a TSA you trust made them (anyone can make a "
                + "token with a certificate of their own); pin the TSA's certificate, obtained from the TSA, with "
                + "--tsa-cert"), r.notes().toString());
        assertTrue(TimeStampCheck.describe(tsa.certificate).matches("CN=onenet test TSA \\(serial 1, SHA-256 "
                + "fingerprint ([0-9A-F]{2}:){31}[0-9A-F]{2}\\)"), TimeStampCheck.describe(tsa.certificate));

        // a token over other data is wrong whoever signed it: the token of checkpoint 15 moved onto checkpoint 20
        String moved = withToken(checkpoint20, tsa.stamp(signature(checkpoint15).getBytes(StandardCharsets.UTF_8),
                STAMPED_20));
        r = check(export.text(List.of(stamped(checkpoint15, tsa, STAMPED_15), moved)));
        assertFalse(r.valid());
        assertEquals(3, r.line(), r.describe());
        assertEquals("checkpoint at seq 20: its time-stamp token is over other data: its message imprint is not the "
                + "hash of the checkpoint's signature", r.problem());

        // the certificate it carries swapped for another key's under the same name: the token names its own
        // certificate by hash (ESSCertIDv2), so it does not verify with the one it now carries
        Tsa forger = new Tsa("onenet test TSA", 1);
        String swapped = Tsa.withCertificates(tsa.stamp(signature(checkpoint20).getBytes(StandardCharsets.UTF_8),
                STAMPED_20), forger.certificate);
        r = check(export.text(List.of(withToken(checkpoint20, swapped))));
        assertFalse(r.valid());
        assertTrue(r.problem().startsWith("checkpoint at seq 20: its time-stamp token does not verify with the "
                + "certificate it carries, " + TimeStampCheck.describe(forger.certificate) + ": "), r.problem());
        // with the TSA's certificate pinned the token's signature holds, but what it carries is not what signed it
        r = check(export.text(List.of(withToken(checkpoint20, swapped))), tsa);
        assertFalse(r.valid());
        assertEquals("checkpoint at seq 20: its time-stamp token verifies with pinned TSA certificate CN=onenet test "
                + "TSA but carries another certificate under its name, " + TimeStampCheck.describe(forger.certificate)
                + ": the certificate was swapped", r.problem());

        // a token that carries no certificate: its imprint is checked, its signer cannot be without a pin
        r = check(export.text(List.of(withToken(checkpoint20, tsa.stampWithoutCertificate(
                signature(checkpoint20).getBytes(StandardCharsets.UTF_8), STAMPED_20)))));
        assertTrue(r.valid(), r.describe());
        assertTrue(r.notes().contains("1 checkpoint time-stamp tokens are over their checkpoint's signature but carry "
                + "no certificate of their signer: who signed them was not checked; pin the TSA's certificate with "
                + "--tsa-cert"), r.notes().toString());

        // with a pinned TSA, a checkpoint without token is counted, not refused (a TSA outage costs only the stamp)
        r = check(export.text(List.of(checkpoint15, stamped(checkpoint20, tsa, STAMPED_20))), tsa);
        assertTrue(r.valid(), r.describe());
        assertEquals(1, r.timeStamps().size());
        assertTrue(r.notes().contains("1 checkpoints carry no time-stamp token"), r.notes().toString());
    }

    @Test
    void aPinnedCertificateThatIsNoTsaCertificateIsRefused(@TempDir Path dir) throws Exception {
        Path plain = new Tsa("not a TSA", 3, false).pem(dir, "plain.pem");
        CertificateException e = assertThrows(CertificateException.class,
                () -> UsageLogVerifier.pinning(pinned).pinningTsa(plain));
        assertTrue(e.getMessage().startsWith("CN=not a TSA is not a time-stamping certificate"), e.getMessage());

        Path keys = Files.writeString(dir.resolve("keys.json"), pinned);
        Path file = Files.writeString(dir.resolve("export.ndjson"), export.text(List.of(checkpoint20)));
        Object[] result = run("--tsa-cert", plain.toString(), keys.toString(), file.toString());
        assertEquals(2, result[0]);
        assertTrue(((String) result[2]).startsWith("cannot read the pinned TSA certificate " + plain),
                (String) result[2]);
        // a file holding no certificate, an option without its file, an unknown option
        Path empty = Files.writeString(dir.resolve("empty.pem"), "");
        assertEquals(2, run("--tsa-cert", empty.toString(), keys.toString(), file.toString())[0]);
        Object[] usage = run(keys.toString(), file.toString(), "--tsa-cert");
        assertEquals(2, usage[0]);
        assertTrue(((String) usage[2]).startsWith("usage:"), (String) usage[2]);
        assertEquals(2, run("--tsa", "x.pem", keys.toString(), file.toString())[0]);
        // and without the option the same export is valid
        assertEquals(0, run(keys.toString(), file.toString())[0]);
    }
}
