package cn.onenet.identity.service;

import java.text.ParseException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;

import cn.onenet.identity.config.IdentityConfig;
import cn.onenet.identity.model.SigningKey;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;

/**
 * Signing keys and their rotation. A new key is published (status NEXT) before it signs anything; once the publish
 * lead has passed it becomes ACTIVE and the previous key RETIRED, which stays in the JWKS until every token it signed
 * has expired. Every replica re-reads the table, so all of them sign with the same key. Private keys are stored
 * sealed with AES-256-GCM ({@link KeyEncryption}). Every replica runs the start-up check and the maintenance; what
 * creates or changes keys runs under one advisory lock ({@link #lockKeys}), so replicas take turns and the later one
 * finds the keys the earlier one made: never two NEXT or two ACTIVE keys of one algorithm (V20 backs this with
 * unique indexes).
 */
@ApplicationScoped
public class KeyService {

    private static final Logger LOG = Logger.getLogger(KeyService.class);
    public static final Set<String> ALGORITHMS = Set.of("RS256", "ES256");

    private final IdentityConfig config;
    private final KeyEncryption encryption;

    private volatile Snapshot snapshot = new Snapshot(new JWKSet(), Map.of(), Map.of());

    public KeyService(IdentityConfig config, KeyEncryption encryption) {
        this.config = config;
        this.encryption = encryption;
    }

    /** The keys as loaded: the published set and, per algorithm, the active key with its signer. */
    record Snapshot(JWKSet published, Map<String, JWK> active, Map<String, JWSSigner> signers) {
    }

    /** A signing key ready to use. */
    public record ActiveKey(JWK jwk, JWSSigner signer, JWSAlgorithm alg) {
    }

    /** At start a key that cannot be opened (wrong key-encryption key) stops the service with a clear message. */
    void onStart(@Observes StartupEvent event) {
        sealStoredKeys();
        ensureKeys();
        load(true);
    }

    /**
     * Seals private keys still stored in clear (rows written before keys were encrypted) and re-seals those sealed
     * under an earlier key-encryption key; returns how many rows changed. Every row is opened first, so a wrong
     * key-encryption key changes nothing and fails.
     */
    @Transactional
    public int sealStoredKeys() {
        int changed = 0;
        for (SigningKey key : SigningKey.<SigningKey>listAll()) {
            if (!encryption.needsSealing(key.jwk)) {
                continue;
            }
            String plain = KeyEncryption.isSealed(key.jwk) ? open(key) : key.jwk;
            key.jwk = encryption.seal(plain, key.kid);
            changed++;
        }
        if (changed > 0) {
            LOG.infof("Sealed %d signing key(s) under key-encryption key id %s", changed, encryption.currentKeyId());
        }
        return changed;
    }

    private String open(SigningKey key) {
        try {
            return encryption.open(key.jwk, key.kid);
        } catch (KeyEncryption.KeyEncryptionException e) {
            throw new KeyEncryption.KeyEncryptionException("Signing key " + key.kid + " " + e.getMessage());
        }
    }

    @Transactional
    public void ensureKeys() {
        lockKeys();
        for (String alg : ALGORITHMS) {
            if (SigningKey.count("alg = ?1 and status = 'ACTIVE'", alg) == 0) {
                SigningKey key = create(alg, "ACTIVE");
                key.activatedAt = OffsetDateTime.now();
                LOG.infof("Created first %s signing key %s", alg, key.kid);
            }
        }
    }

    /** Publishes a new key for every algorithm; it starts signing after the publish lead. */
    @Transactional
    public List<String> rotate() {
        lockKeys();
        List<String> kids = new ArrayList<>();
        for (String alg : ALGORITHMS) {
            if (SigningKey.count("alg = ?1 and status = 'NEXT'", alg) == 0) {
                kids.add(create(alg, "NEXT").kid);
            }
        }
        return kids;
    }

    /**
     * Promotes NEXT keys whose publish lead has passed at {@code now}, retires the keys they replace, drops retired
     * keys whose tokens have all expired, and starts a rotation when the active key is older than the rotation period.
     */
    @Transactional
    public void maintain(OffsetDateTime now) {
        lockKeys();
        OffsetDateTime publishedBefore = now.minus(config.keys().publishLead());
        long keepRetired = Math.max(config.tokens().accessTokenLifetime().toSeconds(),
                config.tokens().idTokenLifetime().toSeconds()) + 120;
        for (String alg : ALGORITHMS) {
            List<SigningKey> next = SigningKey.list("alg = ?1 and status = 'NEXT' and createdAt <= ?2 order by "
                    + "createdAt, kid", alg, publishedBefore);
            if (!next.isEmpty()) {
                for (SigningKey old : SigningKey.<SigningKey>list("alg = ?1 and status = 'ACTIVE'", alg)) {
                    old.status = "RETIRED";
                    old.retiredAt = now;
                    old.removeAfter = now.plusSeconds(keepRetired);
                }
                SigningKey.flush(); // retired before the next one is active: one ACTIVE key per algorithm at a time
                SigningKey promoted = next.get(0);
                promoted.status = "ACTIVE";
                promoted.activatedAt = now;
                LOG.infof("Signing key %s (%s) is now active", promoted.kid, alg);
            } else if (SigningKey.count("alg = ?1 and status = 'ACTIVE' and activatedAt <= ?2", alg,
                    now.minus(config.keys().rotationPeriod())) > 0
                    && SigningKey.count("alg = ?1 and status = 'NEXT'", alg) == 0) {
                create(alg, "NEXT");
            }
        }
        SigningKey.delete("status = 'RETIRED' and removeAfter < ?1", now);
    }

    /**
     * Serialises the changes to the key table between replicas (and threads), until the transaction ends. Taken
     * first in the transaction, so what it reads next includes what the previous holder committed.
     */
    private static void lockKeys() {
        SigningKey.getEntityManager().createNativeQuery("SELECT pg_advisory_xact_lock(hashtext('identity-keys'))")
                .getSingleResult();
    }

    @Scheduled(every = "${identity.keys.reload-interval:PT30S}", delayed = "10s")
    void scheduled() {
        maintain(OffsetDateTime.now());
        reload();
    }

    /** Re-reads the key table; a key that cannot be read is left out (and logged). */
    @Transactional
    public void reload() {
        load(false);
    }

    @Transactional
    void load(boolean strict) {
        List<JWK> published = new ArrayList<>();
        Map<String, JWK> active = new HashMap<>();
        Map<String, JWSSigner> signers = new HashMap<>();
        for (SigningKey key : SigningKey.<SigningKey>listAll()) {
            try {
                JWK jwk = JWK.parse(KeyEncryption.isSealed(key.jwk) ? open(key) : key.jwk);
                published.add(jwk.toPublicJWK());
                if ("ACTIVE".equals(key.status)) {
                    active.put(key.alg, jwk);
                    signers.put(key.alg, JwsSigners.forKey(jwk, config.keys().nativeSigning()));
                }
            } catch (KeyEncryption.KeyEncryptionException e) {
                if (strict) {
                    throw e;
                }
                LOG.errorf("%s; it is left out", e.getMessage());
            } catch (ParseException | JOSEException e) {
                LOG.errorf("Signing key %s cannot be read; it is left out", key.kid);
            }
        }
        snapshot = new Snapshot(new JWKSet(published), Map.copyOf(active), Map.copyOf(signers));
        if (strict) {
            LOG.infof("Tokens are signed through %s", config.keys().nativeSigning() && JwsSigners.nativeAvailable()
                    ? "Conscrypt (BoringSSL)" : "the JDK's providers");
        }
    }

    /** The public keys every relying party should trust: active, next and retired-but-not-expired. */
    public JWKSet publicKeys() {
        return snapshot.published();
    }

    public ActiveKey signingKey(String alg) {
        String chosen = ALGORITHMS.contains(alg) ? alg : "RS256";
        Snapshot current = snapshot;
        JWK jwk = current.active().get(chosen);
        if (jwk == null) {
            throw new IllegalStateException("no active " + chosen + " key");
        }
        return new ActiveKey(jwk, current.signers().get(chosen), JWSAlgorithm.parse(chosen));
    }

    private SigningKey create(String alg, String status) {
        try {
            String kid = alg.toLowerCase() + "-" + UUID.randomUUID().toString().substring(0, 13);
            JWK jwk = "ES256".equals(alg)
                    ? new ECKeyGenerator(Curve.P_256).keyID(kid).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.ES256)
                            .generate()
                    : new RSAKeyGenerator(2048).keyID(kid).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256)
                            .generate();
            SigningKey key = new SigningKey();
            key.kid = kid;
            key.alg = alg;
            key.jwk = encryption.seal(jwk.toJSONString(), kid);
            key.status = status;
            key.createdAt = OffsetDateTime.now();
            key.persist();
            return key;
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
