package cn.onenet.exchange.service;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import cn.onenet.common.problem.ApiException;

/**
 * Idempotency keys on creating POSTs: the same caller repeating the same key gets the resource the first call made.
 * The key is recorded in the transaction that creates the resource, so a retry after a lost answer is safe.
 */
@ApplicationScoped
public class IdempotencyService {

    private final EntityManager em;

    public IdempotencyService(EntityManager em) {
        this.em = em;
    }

    public static void validate(String key) {
        if (key != null && (key.isBlank() || key.length() > 200)) {
            throw ApiException.field("Idempotency-Key", "Idempotency-Key 须为 1–200 个字符 / must be 1-200 characters");
        }
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<Long> previous(String caller, String operation, String key) {
        if (key == null) {
            return Optional.empty();
        }
        validate(key);
        List<?> rows = em.createNativeQuery(
                "SELECT resource_id FROM idempotency_record WHERE caller = ?1 AND operation = ?2 AND idem_key = ?3")
                .setParameter(1, caller).setParameter(2, operation).setParameter(3, key).getResultList();
        return rows.isEmpty() ? Optional.empty() : Optional.of(((Number) rows.get(0)).longValue());
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void remember(String caller, String operation, String key, long resourceId) {
        if (key == null) {
            return;
        }
        int n = em.createNativeQuery("INSERT INTO idempotency_record (caller, operation, idem_key, resource_id) "
                + "VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING")
                .setParameter(1, caller).setParameter(2, operation).setParameter(3, key).setParameter(4, resourceId)
                .executeUpdate();
        if (n == 0) {
            throw ApiException.conflict("同一幂等键的请求正在处理 / a request with this Idempotency-Key is in progress");
        }
    }
}
