package cn.onenet.exchange.service;

import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.tsp.TSPAlgorithms;
import org.bouncycastle.tsp.TSPException;
import org.bouncycastle.tsp.TimeStampRequest;
import org.bouncycastle.tsp.TimeStampRequestGenerator;
import org.bouncycastle.tsp.TimeStampResponse;
import org.bouncycastle.tsp.TimeStampToken;
import org.bouncycastle.tsp.TimeStampTokenInfo;
import org.jboss.logging.Logger;

import cn.onenet.exchange.config.UsageLogTsaConfig;

/**
 * RFC 3161 time-stamps (时间戳) of usage-log checkpoints from a configured TSA: a third party's word that a checkpoint's
 * seal existed at a time, beside the exchange's own signed time. Off unless {@code exchange.usage-log.tsa.url} is set.
 * A TSA that fails or does not answer in time costs the checkpoint its time-stamp, never the checkpoint.
 */
@ApplicationScoped
public class UsageLogTimestamps {

    private static final Logger LOG = Logger.getLogger(UsageLogTimestamps.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Optional<URI> url;
    private final Duration timeout;
    private final HttpClient http;

    public UsageLogTimestamps(UsageLogTsaConfig config) {
        this.url = config.url();
        this.timeout = config.timeout();
        // a JDK HTTP client keeps a selector thread: only when a TSA is configured
        this.http = url.isPresent() ? HttpClient.newBuilder().connectTimeout(timeout).build() : null;
    }

    /** The DER time-stamp token over SHA-256 of {@code data}, or null when off or when the TSA failed (logged). */
    public byte[] stamp(byte[] data) {
        if (url.isEmpty()) {
            return null;
        }
        try {
            TimeStampRequestGenerator generator = new TimeStampRequestGenerator();
            generator.setCertReq(true);
            TimeStampRequest request = generator.generate(TSPAlgorithms.SHA256, sha256(data),
                    new BigInteger(64, RANDOM));
            HttpResponse<byte[]> answer = http.send(HttpRequest.newBuilder(url.get()).timeout(timeout)
                    .header("Content-Type", "application/timestamp-query")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(request.getEncoded())).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (answer.statusCode() != 200) {
                throw new IOException("the TSA answered " + answer.statusCode());
            }
            TimeStampResponse response = new TimeStampResponse(answer.body());
            // the nonce, the imprint and the status: an answer to this request, and a granted one
            response.validate(request);
            TimeStampToken token = response.getTimeStampToken();
            if (token == null) {
                throw new TSPException("the TSA refused: " + response.getStatusString());
            }
            return token.getEncoded();
        } catch (IOException | TSPException | RuntimeException e) {
            LOG.warnf("usage-log checkpoint kept without time-stamp: %s", e.getMessage());
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /**
     * When {@code token} says it was made, if it is a time-stamp over SHA-256 of {@code data} signed by the certificate
     * it carries (with the time-stamping key usage); else null.
     */
    public static Instant stampedAt(byte[] token, byte[] data) {
        try {
            TimeStampToken t = new TimeStampToken(new CMSSignedData(token));
            TimeStampTokenInfo info = t.getTimeStampInfo();
            if (!TSPAlgorithms.SHA256.equals(info.getMessageImprintAlgOID())
                    || !Arrays.equals(info.getMessageImprintDigest(), sha256(data))) {
                return null;
            }
            @SuppressWarnings("unchecked")
            Collection<X509CertificateHolder> certs = t.getCertificates().getMatches(t.getSID());
            if (certs.isEmpty()) {
                return null;
            }
            t.validate(new JcaSimpleSignerInfoVerifierBuilder().build(certs.iterator().next()));
            return info.getGenTime().toInstant();
        } catch (CMSException | TSPException | IOException | OperatorCreationException | GeneralSecurityException
                | RuntimeException e) {
            return null;
        }
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
