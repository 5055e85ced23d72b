package cn.onenet.exchange.service;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;

import cn.onenet.common.problem.ApiException;
import cn.onenet.common.problem.FieldError;
import cn.onenet.common.problem.ProblemType;

/**
 * Idempotency keys on creating POSTs: the same caller repeating the same key gets the resource the first call made.
 * The key is recorded in the transaction that creates the resource, so a retry after a lost answer is safe. The key
 * is recorded with the fingerprint of the request it was first used for ({@link #fingerprint}): the same key with a
 * different body is 422 problem+json naming Idempotency-Key, never the first call's resource (keys recorded before
 * fingerprints were stored are not checked).
 */
@ApplicationScoped
public class IdempotencyService {

    private final EntityManager em;

    public IdempotencyService(EntityManager em) {
        this.em = em;
    }

    public static void validate(String key) {
        if (key != null && (key.isBlank() || key.length() > 200)) {
            throw Fields.IDEMPOTENCY_KEY.error(Fields.IDEMPOTENCY_KEY.mustBe("1–200 个字符", "1-200 characters"));
        }
    }

    /** SHA-256 (hex) of the request's JSON, map entries ordered by key; null for no request. */
    public static String fingerprint(Object request) {
        if (request == null) {
            return null;
        }
        try {
            byte[] json = CANONICAL.writeValueAsBytes(request);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json));
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("request not fingerprinted", e);
        }
    }

    private static final ObjectWriter CANONICAL = Json.MAPPER.writer()
            .with(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    /** 422: the key was first used for a request with another body. */
    static ApiException reusedKey() {
        String detail = "同一幂等键已用于内容不同的请求；新请求请使用新的幂等键 / this Idempotency-Key was used for a request "
                + "with a different body: use a new key for a new request";
        return new ApiException(ProblemType.UNPROCESSABLE, detail, List.of(new FieldError("Idempotency-Key", detail)),
                Map.of(), Map.of());
    }

    /** Whether a stored fingerprint forbids a replay with {@code fingerprint} (both known, and different). */
    static boolean differs(String stored, String fingerprint) {
        return stored != null && fingerprint != null && !stored.equals(fingerprint);
    }

    /** The resource an earlier call with the key made (no request fingerprint checked: uploads). */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<Long> previous(String caller, String operation, String key) {
        return previous(caller, operation, key, null);
    }

    /**
     * The resource an earlier call with the key made, when its request had this fingerprint; 422 when it had another.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<Long> previous(String caller, String operation, String key, String fingerprint) {
        if (key == null) {
            return Optional.empty();
        }
        validate(key);
        List<?> rows = em.createNativeQuery("SELECT resource_id, request_hash FROM idempotency_record "
                + "WHERE caller = ?1 AND operation = ?2 AND idem_key = ?3")
                .setParameter(1, caller).setParameter(2, operation).setParameter(3, key).getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Object[] row = (Object[]) rows.get(0);
        if (differs((String) row[1], fingerprint)) {
            throw reusedKey();
        }
        return Optional.of(((Number) row[0]).longValue());
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void remember(String caller, String operation, String key, long resourceId) {
        remember(caller, operation, key, resourceId, null);
    }

    /** Records the key with the resource it made and the fingerprint of its request. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void remember(String caller, String operation, String key, long resourceId, String fingerprint) {
        if (key == null) {
            return;
        }
        int n = em.createNativeQuery("INSERT INTO idempotency_record (caller, operation, idem_key, resource_id, "
                + "request_hash) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING")
                .setParameter(1, caller).setParameter(2, operation).setParameter(3, key).setParameter(4, resourceId)
                .setParameter(5, fingerprint).executeUpdate();
        if (n == 0) {
            throw ApiException.conflict("同一幂等键的请求正在处理 / a request with this Idempotency-Key is in progress");
        }
    }
}
