package cn.onenet.exchange.service;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Base64;
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
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;

import cn.onenet.common.identifiers.CreditCode;
import cn.onenet.common.problem.ApiException;
import cn.onenet.exchange.config.ExchangeConfig;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * 电子印章: each provider department's signing key. Responses carry a JWS with a detached payload (RFC 7515
 * Appendix F) over the exact response bytes, so a consumer checks the seal with nothing but the published JWKS.
 * Ed25519 by default (fast); RS256, ES256 and SM2 with SM3 ({@link Sm2Seals}) per department, by configuration
 * ({@code exchange.seal.algorithm."<department>"}) or key rotation.
 */
@ApplicationScoped
public class SealService {

    public static final Set<String> ALGORITHMS = Set.of("EdDSA", "ES256", "RS256", Sm2Seals.ALG);

    /** The outcome of checking a seal against the published keys. */
    public record Check(boolean valid, String kid, String algorithm, String department, String problem) {
    }

    /** A department's active key; the usual protected header is built and encoded once, not per response. */
    private record Sealer(String kid, JWSAlgorithm alg, JWSSigner signer, JWSHeader header, byte[] encodedHeader) {

        Sealer(String department, String kid, JWSAlgorithm alg, JWSSigner signer) {
            this(kid, alg, signer, headerFor(department, kid, alg, Map.of()));
        }

        private Sealer(String kid, JWSAlgorithm alg, JWSSigner signer, JWSHeader header) {
            this(kid, alg, signer, header, header.toBase64URL().toString().getBytes(StandardCharsets.US_ASCII));
        }
    }

    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    private final EntityManager em;
    private final ExchangeConfig config;
    private final Map<String, Sealer> sealers = new ConcurrentHashMap<>();

    public SealService(EntityManager em, ExchangeConfig config) {
        this.em = em;
        this.config = config;
    }

    /** A detached compact JWS ({@code header..signature}) over {@code payload}, sealed for {@code department}. */
    public String seal(String department, byte[] payload) {
        return seal(department, payload, Map.of());
    }

    /** As {@link #seal(String, byte[])}, with more protected header parameters (webhook delivery id, time ...). */
    public String seal(String department, byte[] payload, Map<String, Object> headerParams) {
        // one department, one key, whatever the letter case it is named in
        department = CreditCode.normalise(department);
        Sealer s = sealer(department);
        JWSHeader header = s.header();
        byte[] encodedHeader = s.encodedHeader();
        if (!headerParams.isEmpty()) {
            header = headerFor(department, s.kid(), s.alg(), headerParams);
            encodedHeader = header.toBase64URL().toString().getBytes(StandardCharsets.US_ASCII);
        }
        // RFC 7515 signing input ASCII(BASE64URL(header) '.' BASE64URL(payload)); the payload part is then detached
        byte[] body = B64URL.encode(payload);
        byte[] input = new byte[encodedHeader.length + 1 + body.length];
        System.arraycopy(encodedHeader, 0, input, 0, encodedHeader.length);
        input[encodedHeader.length] = '.';
        System.arraycopy(body, 0, input, encodedHeader.length + 1, body.length);
        try {
            return new String(encodedHeader, StandardCharsets.US_ASCII) + ".." + s.signer().sign(header, input);
        } catch (JOSEException e) {
            throw new IllegalStateException("signing failed", e);
        }
    }

    private static JWSHeader headerFor(String department, String kid, JWSAlgorithm alg, Map<String, Object> params) {
        JWSHeader.Builder header = new JWSHeader.Builder(alg).keyID(kid).customParam("dept", department);
        params.forEach(header::customParam);
        return header.build();
    }

    /** The public keys of every seal, active or retired (old responses stay verifiable). */
    @SuppressWarnings("unchecked")
    public Map<String, Object> jwks() {
        List<String> rows = QuarkusTransaction.requiringNew()
                .call(() -> em.createNativeQuery("SELECT public_jwk FROM seal_key ORDER BY created_at").getResultList());
        List<Map<String, Object>> keys = new ArrayList<>();
        for (String row : rows) {
            Map<String, Object> raw = Json.object(row);
            if (Sm2Seals.isSm2(raw)) {
                keys.add(Sm2Seals.publicPart(raw));
                continue;
            }
            try {
                keys.add(JWK.parse(row).toPublicJWK().toJSONObject());
            } catch (ParseException e) {
                throw new IllegalStateException("stored JWK unreadable", e);
            }
        }
        return Map.of("keys", keys);
    }

    /** Checks a detached seal over {@code payload} with the published key its {@code kid} names (any algorithm). */
    @SuppressWarnings("unchecked")
    public Check verify(String detached, byte[] payload) {
        JWSObject jws;
        try {
            jws = JWSObject.parse(detached, new Payload(payload));
        } catch (ParseException | RuntimeException e) {
            throw ApiException.field("seal", "不是 JWS 紧凑序列化 / not a compact JWS");
        }
        JWSHeader h = jws.getHeader();
        String kid = h.getKeyID();
        String alg = h.getAlgorithm().getName();
        Object dept = h.getCustomParam("dept");
        List<Object[]> rows = kid == null ? List.of() : QuarkusTransaction.requiringNew().call(() -> em
                .createNativeQuery("SELECT public_jwk, department_code FROM seal_key WHERE kid = ?1")
                .setParameter(1, kid).getResultList());
        if (rows.isEmpty()) {
            return new Check(false, kid, alg, dept == null ? null : dept.toString(), "未知的印章密钥 / unknown key");
        }
        String publicJwk = (String) rows.get(0)[0];
        String keyDept = (String) rows.get(0)[1];
        Map<String, Object> raw = Json.object(publicJwk);
        boolean valid;
        try {
            if (Sm2Seals.isSm2(raw)) {
                valid = Sm2Seals.ALG.equals(alg) && Sm2Seals.verify(raw, jws.getSigningInput(),
                        jws.getSignature().decode());
            } else {
                JWK key = JWK.parse(publicJwk);
                if (key.getAlgorithm() == null || !key.getAlgorithm().getName().equals(alg)) {
                    valid = false;
                } else if (key instanceof OctetKeyPair okp) {
                    valid = jws.verify(new Ed25519Verifier(okp.toPublicJWK()));
                } else if (key instanceof ECKey ec) {
                    valid = jws.verify(new ECDSAVerifier(ec.toPublicJWK()));
                } else {
                    valid = jws.verify(new RSASSAVerifier(key.toRSAKey().toPublicJWK()));
                }
            }
        } catch (ParseException | JOSEException | IllegalStateException e) {
            valid = false;
        }
        // seals made before V69 name the department as the catalogue copy had it then, perhaps in lower case
        return new Check(valid && (dept == null || dept.toString().equalsIgnoreCase(keyDept)), kid, alg, keyDept,
                valid ? null : "签名与内容不符 / the seal does not match the content");
    }



    /** Issues a new key for the department with the given algorithm; the old one stays published. */
    public String rotate(String department, String algorithm) {
        department = CreditCode.normalise(department);
        if (!ALGORITHMS.contains(algorithm)) {
            throw ApiException.field("algorithm",
                    "支持 EdDSA、ES256、RS256、SM2SM3 / one of EdDSA, ES256, RS256, SM2SM3");
        }
        String code = department;
        Sealer s = QuarkusTransaction.requiringNew().call(() -> create(code, algorithm));
        sealers.put(code, s);
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
            return fromStored(department, rows.get(0));
        }
        return create(department, configuredAlgorithm(department));
    }

    /** The algorithm configured for the department (its code configured in any letter case), else the default. */
    private String configuredAlgorithm(String department) {
        return config.seal().algorithm().entrySet().stream().filter(e -> department.equalsIgnoreCase(e.getKey()))
                .map(Map.Entry::getValue).findFirst().orElse(config.seal().defaultAlgorithm());
    }

    private Sealer create(String department, String algorithm) {
        String kid = department + "-" + Long.toString(System.currentTimeMillis(), 36);
        if (Sm2Seals.ALG.equals(algorithm)) {
            Map<String, Object> jwk = Sm2Seals.generate(kid);
            store(department, kid, algorithm, Json.write(jwk), Json.write(Sm2Seals.publicPart(jwk)));
            return new Sealer(department, kid, Sm2Seals.JWS_ALG, Sm2Seals.signer(jwk));
        }
        try {
            JWK jwk = switch (algorithm) {
                case "ES256" -> new ECKeyGenerator(Curve.P_256).keyID(kid).keyUse(KeyUse.SIGNATURE)
                        .algorithm(JWSAlgorithm.ES256).generate();
                case "RS256" -> new RSAKeyGenerator(2048).keyID(kid).keyUse(KeyUse.SIGNATURE)
                        .algorithm(JWSAlgorithm.RS256).generate();
                default -> new OctetKeyPairGenerator(Curve.Ed25519).keyID(kid).keyUse(KeyUse.SIGNATURE)
                        .algorithm(JWSAlgorithm.EdDSA).generate();
            };
            store(department, kid, algorithm, jwk.toJSONString(), jwk.toPublicJWK().toJSONString());
            return fromJwk(department, jwk);
        } catch (JOSEException e) {
            throw new IllegalStateException("key generation failed", e);
        }
    }

    private void store(String department, String kid, String algorithm, String privateJwk, String publicJwk) {
        em.createNativeQuery("UPDATE seal_key SET active = FALSE WHERE department_code = ?1")
                .setParameter(1, department).executeUpdate();
        em.createNativeQuery("INSERT INTO seal_key (kid, department_code, algorithm, private_jwk, public_jwk) "
                + "VALUES (?1, ?2, ?3, ?4, ?5)").setParameter(1, kid).setParameter(2, department)
                .setParameter(3, algorithm).setParameter(4, privateJwk).setParameter(5, publicJwk).executeUpdate();
    }

    private Sealer fromStored(String department, String privateJwk) {
        Map<String, Object> raw = Json.object(privateJwk);
        if (Sm2Seals.isSm2(raw)) {
            return new Sealer(department, String.valueOf(raw.get("kid")), Sm2Seals.JWS_ALG, Sm2Seals.signer(raw));
        }
        try {
            return fromJwk(department, JWK.parse(privateJwk));
        } catch (ParseException | JOSEException e) {
            throw new IllegalStateException("stored seal key unreadable", e);
        }
    }

    private Sealer fromJwk(String department, JWK jwk) throws JOSEException {
        JWSAlgorithm alg = JWSAlgorithm.parse(jwk.getAlgorithm().getName());
        JWSSigner signer;
        if (JWSAlgorithm.ES256.equals(alg)) {
            signer = new ECDSASigner(jwk.toECKey());
        } else if (JWSAlgorithm.RS256.equals(alg)) {
            signer = new RSASSASigner(jwk.toRSAKey());
        } else {
            signer = Ed25519Seals.signer(jwk.toOctetKeyPair(), config.seal().nativeEd25519());
        }
        return new Sealer(department, jwk.getKeyID(), alg, signer);
    }
}
