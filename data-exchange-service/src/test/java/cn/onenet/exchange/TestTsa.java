package cn.onenet.exchange;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

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
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.bc.BcDigestCalculatorProvider;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.tsp.TSPAlgorithms;
import org.bouncycastle.tsp.TSPException;
import org.bouncycastle.tsp.TimeStampRequest;
import org.bouncycastle.tsp.TimeStampRequestGenerator;
import org.bouncycastle.tsp.TimeStampResponseGenerator;
import org.bouncycastle.tsp.TimeStampTokenGenerator;

import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * An RFC 3161 time-stamp authority on a random port of 127.0.0.1, made with Bouncy Castle's
 * {@link TimeStampTokenGenerator} and a self-signed ECDSA certificate with the time-stamping key usage. Its URL is the
 * exchange's {@code exchange.usage-log.tsa.url} in the tests; {@link #failing} makes it answer 503.
 */
public class TestTsa implements QuarkusTestResourceLifecycleManager {

    /** When set, the TSA answers 503 (the exchange keeps checkpoints without time-stamp). */
    public static volatile boolean failing;
    /** The TSA's certificate: what a verifier of its tokens trusts. */
    public static volatile X509CertificateHolder certificate;

    private static final AtomicLong SERIAL = new AtomicLong();
    private HttpServer server;

    /**
     * A time-stamping key and its self-signed ECDSA certificate (serial 1, valid from a day ago for ten years) with the
     * time-stamping key usage, and Bouncy Castle's token generator; its tokens carry the certificate. Tests also make
     * a second one under the same name, as a forger would.
     */
    public static final class Authority {
        public final X509CertificateHolder certificate;
        final TimeStampTokenGenerator tokens;

        public Authority(String name) throws GeneralSecurityException, OperatorCreationException, TSPException {
            KeyPair keys = KeyPairGenerator.getInstance("EC").generateKeyPair();
            X500Name subject = new X500Name("CN=" + name);
            long now = System.currentTimeMillis();
            X509v3CertificateBuilder builder = new X509v3CertificateBuilder(subject, BigInteger.ONE,
                    new Date(now - 86_400_000L), new Date(now + 3_650L * 86_400_000L), subject,
                    SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded()));
            try {
                // RFC 3161 §2.3: the only, critical, extended key usage is time-stamping
                builder.addExtension(Extension.extendedKeyUsage, true,
                        new ExtendedKeyUsage(KeyPurposeId.id_kp_timeStamping));
                builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            certificate = builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));
            X509Certificate cert = new JcaX509CertificateConverter().getCertificate(certificate);
            // ESSCertIDv2 names the certificate by its SHA-256; the policy is a test one
            tokens = new TimeStampTokenGenerator(new JcaSimpleSignerInfoGeneratorBuilder()
                    .build("SHA256withECDSA", keys.getPrivate(), cert), new BcDigestCalculatorProvider()
                            .get(new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256)),
                    new ASN1ObjectIdentifier("1.2.3.4.1"));
            tokens.addCertificates(new JcaCertStore(List.of(cert)));
        }

        /**
         * A DER token over SHA-256 of {@code data}, now, as the exchange's request would get it (asking for the
         * certificate, which the token then carries).
         */
        public byte[] stamp(byte[] data) throws GeneralSecurityException, TSPException, IOException {
            TimeStampRequestGenerator request = new TimeStampRequestGenerator();
            request.setCertReq(true);
            return tokens.generate(request.generate(TSPAlgorithms.SHA256, MessageDigest.getInstance("SHA-256")
                    .digest(data)), BigInteger.valueOf(SERIAL.incrementAndGet()), new Date()).getEncoded();
        }
    }

    @Override
    public Map<String, String> start() {
        try {
            Authority authority = new Authority("onenet test TSA");
            certificate = authority.certificate;
            TimeStampTokenGenerator tokens = authority.tokens;
            TimeStampResponseGenerator responses = new TimeStampResponseGenerator(tokens, TSPAlgorithms.ALLOWED);
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/tsa", exchange -> {
                try (InputStream in = exchange.getRequestBody(); OutputStream out = exchange.getResponseBody()) {
                    if (failing) {
                        exchange.sendResponseHeaders(503, -1);
                        return;
                    }
                    TimeStampRequest request = new TimeStampRequest(in.readAllBytes());
                    byte[] body = responses.generate(request, BigInteger.valueOf(SERIAL.incrementAndGet()), new Date())
                            .getEncoded();
                    exchange.getResponseHeaders().add("Content-Type", "application/timestamp-reply");
                    exchange.sendResponseHeaders(200, body.length);
                    out.write(body);
                } catch (Exception e) {
                    exchange.sendResponseHeaders(500, -1);
                }
            });
            server.start();
            return Map.of("exchange.usage-log.tsa.url",
                    "http://127.0.0.1:" + server.getAddress().getPort() + "/tsa");
        } catch (IOException | GeneralSecurityException | OperatorCreationException | TSPException e) {
            throw new IllegalStateException("test TSA not started", e);
        }
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
