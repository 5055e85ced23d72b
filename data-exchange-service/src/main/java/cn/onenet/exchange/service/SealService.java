package cn.onenet.exchange.service;

import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.Ed25519Signer;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;

import cn.onenet.common.problem.ApiException;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * 电子印章: each provider department's signing key. Responses carry a JWS with a detached payload (RFC 7515
 * Appendix F) over the exact response bytes, so a consumer checks the seal with nothing but the published JWKS.
 * Ed25519 by default (fast); RS256 and ES256 per department on request.
 */
@ApplicationScoped
public class SealService {

    public static final Set<String> ALGORITHMS = Set.of("EdDSA", "ES256", "RS256");

    private record Sealer(String kid, JWSAlgorithm alg, JWSSigner signer) {
    }

    private final EntityManager em;
    private final Map<String, Sealer> sealers = new ConcurrentHashMap<>();

    public SealService(EntityManager em) {
        this.em = em;
    }

    /** A detached compact JWS ({@code header..signature}) over {@code payload}, sealed for {@code department}. */
    public String seal(String department, byte[] payload) {
        Sealer s = sealer(department);
        JWSObject jws = new JWSObject(new JWSHeader.Builder(s.alg()).keyID(s.kid())
                .customParam("dept", department).build(), new Payload(payload));
        try {
            jws.sign(s.signer());
        } catch (JOSEException e) {
            throw new IllegalStateException("signing failed", e);
        }
        return jws.serialize(true);
    }

    /** The public keys of every seal, active or retired (old responses stay verifiable). */
    @SuppressWarnings("unchecked")
    public Map<String, Object> jwks() {
        List<String> rows = QuarkusTransaction.requiringNew()
                .call(() -> em.createNativeQuery("SELECT public_jwk FROM seal_key ORDER BY created_at").getResultList());
        List<JWK> keys = new ArrayList<>();
        for (String row : rows) {
            try {
                keys.add(JWK.parse(row));
            } catch (ParseException e) {
                throw new IllegalStateException("stored JWK unreadable", e);
            }
        }
        return new JWKSet(keys).toJSONObject(true);
    }

    /** Issues a new key for the department with the given algorithm; the old one stays published. */
    public String rotate(String department, String algorithm) {
        if (!ALGORITHMS.contains(algorithm)) {
            throw ApiException.field("algorithm", "支持 EdDSA、ES256、RS256 / one of EdDSA, ES256, RS256");
        }
        Sealer s = QuarkusTransaction.requiringNew().call(() -> create(department, algorithm));
        sealers.put(department, s);
        return s.kid();
    }

    private Sealer sealer(String department) {
        Sealer s = sealers.get(department);
        if (s == null) {
            s = sealers.computeIfAbsent(department, d -> QuarkusTransaction.requiringNew().call(() -> loadOrCreate(d)));
        }
        return s;
    }

    @SuppressWarnings("unchecked")
    private Sealer loadOrCreate(String department) {
        // One key creation at a time per department, across replicas too.
        em.createNativeQuery("SELECT pg_advisory_xact_lock(hashtext(?1))").setParameter(1, "seal:" + department)
                .getSingleResult();
        List<String> rows = em.createNativeQuery("SELECT private_jwk FROM seal_key WHERE department_code = ?1 "
                + "AND active ORDER BY created_at DESC LIMIT 1").setParameter(1, department).getResultList();
        if (!rows.isEmpty()) {
            try {
                return fromJwk(JWK.parse(rows.get(0)));
            } catch (ParseException | JOSEException e) {
                throw new IllegalStateException("stored seal key unreadable", e);
            }
        }
        return create(department, "EdDSA");
    }

    private Sealer create(String department, String algorithm) {
        String kid = department + "-" + Long.toString(System.currentTimeMillis(), 36);
        try {
            JWK jwk = switch (algorithm) {
                case "ES256" -> new ECKeyGenerator(Curve.P_256).keyID(kid).keyUse(KeyUse.SIGNATURE)
                        .algorithm(JWSAlgorithm.ES256).generate();
                case "RS256" -> new RSAKeyGenerator(2048).keyID(kid).keyUse(KeyUse.SIGNATURE)
                        .algorithm(JWSAlgorithm.RS256).generate();
                default -> new OctetKeyPairGenerator(Curve.Ed25519).keyID(kid).keyUse(KeyUse.SIGNATURE)
                        .algorithm(JWSAlgorithm.EdDSA).generate();
            };
            em.createNativeQuery("UPDATE seal_key SET active = FALSE WHERE department_code = ?1")
                    .setParameter(1, department).executeUpdate();
            em.createNativeQuery("INSERT INTO seal_key (kid, department_code, algorithm, private_jwk, public_jwk) "
                    + "VALUES (?1, ?2, ?3, ?4, ?5)").setParameter(1, kid).setParameter(2, department)
                    .setParameter(3, algorithm).setParameter(4, jwk.toJSONString())
                    .setParameter(5, jwk.toPublicJWK().toJSONString()).executeUpdate();
            return fromJwk(jwk);
        } catch (JOSEException e) {
            throw new IllegalStateException("key generation failed", e);
        }
    }

    private static Sealer fromJwk(JWK jwk) throws JOSEException {
        JWSAlgorithm alg = JWSAlgorithm.parse(jwk.getAlgorithm().getName());
        JWSSigner signer;
        if (JWSAlgorithm.ES256.equals(alg)) {
            signer = new ECDSASigner(jwk.toECKey());
        } else if (JWSAlgorithm.RS256.equals(alg)) {
            signer = new RSASSASigner(jwk.toRSAKey());
        } else {
            signer = new Ed25519Signer(jwk.toOctetKeyPair());
        }
        return new Sealer(jwk.getKeyID(), alg, signer);
    }
}
