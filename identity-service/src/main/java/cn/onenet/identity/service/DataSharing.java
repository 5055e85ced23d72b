package cn.onenet.identity.service;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import cn.onenet.common.problem.ApiException;

/**
 * The applications that received a holder's data: third-party ones the holder consented to (consent page), and
 * first-party (government) ones, which get it without asking. A first-party receipt is recorded whenever such a client
 * is issued tokens with the holder's claims ({@link #received}), so the holder still sees it, labelled
 * {@link #FIRST_PARTY_LABEL}, with every scope received, and can sign out of it ({@link #end}).
 */
@ApplicationScoped
public class DataSharing {

    public static final String FIRST_PARTY_LABEL = "由政府部门应用获取 (无需同意)";
    public static final String CONSENT_LABEL = "经您同意授权";

    private final EntityManager em;
    private final AuditService audit;

    public DataSharing(EntityManager em, AuditService audit) {
        this.em = em;
        this.audit = audit;
    }

    /** One application that received the holder's data. */
    public record Application(String clientId, String clientName, String departmentCode, String departmentName,
            String scope, OffsetDateTime grantedAt, boolean firstParty, String label, OffsetDateTime lastReceivedAt,
            boolean signedIn) {
    }

    /** Records that a first-party client received the subject's claims of {@code scope} (in the issuing transaction). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void received(UUID subject, String clientId, Set<String> scope) {
        em.createNativeQuery("""
                INSERT INTO data_sharing (account_id, client_id, scope) VALUES (?1, ?2, ?3)
                ON CONFLICT (account_id, client_id) DO UPDATE SET last_received_at = now(), times = data_sharing.times + 1,
                  scope = """ + scopeUnion("data_sharing"))
                .setParameter(1, subject).setParameter(2, clientId).setParameter(3, String.join(" ", scope))
                .executeUpdate();
    }

    /**
     * The SQL expression, in an upsert into {@code table}, for the union of the row's space-separated
     * {@code scope} and the one being inserted, each scope once, in alphabetical order.
     */
    static String scopeUnion(String table) {
        return "(SELECT string_agg(DISTINCT s, ' ' ORDER BY s) FROM unnest(regexp_split_to_array(" + table
                + ".scope || ' ' || EXCLUDED.scope, '\\s+')) s WHERE s <> '')";
    }

    /**
     * The holder's consents to third-party clients and the first-party clients that received their data, each with
     * the application's name and department, most recent first.
     */
    @Transactional
    @SuppressWarnings("unchecked")
    public List<Application> of(UUID accountId) {
        List<Object[]> rows = em.createNativeQuery("""
                SELECT x.client_id, o.name, d.code, d.name, x.scope, x.granted_at, x.first_party, x.last_at,
                       EXISTS (SELECT 1 FROM token_grant g WHERE g.account_id = ?1 AND g.client_id = x.client_id
                               AND g.revoked_at IS NULL)
                FROM (SELECT client_id, scope, granted_at, FALSE AS first_party, NULL::timestamptz AS last_at
                        FROM consent WHERE account_id = ?1
                      UNION ALL
                      SELECT s.client_id, s.scope, s.first_received_at, TRUE, s.last_received_at FROM data_sharing s
                        WHERE s.account_id = ?1
                          AND NOT EXISTS (SELECT 1 FROM consent c WHERE c.account_id = ?1 AND c.client_id = s.client_id))
                     x
                JOIN oauth_client o ON o.client_id = x.client_id
                LEFT JOIN department d ON d.id = o.department_id
                ORDER BY COALESCE(x.last_at, x.granted_at) DESC, x.client_id""").setParameter(1, accountId)
                .getResultList();
        List<Application> list = new ArrayList<>();
        for (Object[] r : rows) {
            list.add(new Application((String) r[0], (String) r[1], (String) r[2], (String) r[3], (String) r[4],
                    offset(r[5]), (Boolean) r[6], (Boolean) r[6] ? FIRST_PARTY_LABEL : CONSENT_LABEL, offset(r[7]),
                    (Boolean) r[8]));
        }
        return list;
    }

    /**
     * Ends the holder's use of the application: a consent is withdrawn (the consent page comes back next time); a
     * first-party application is signed out of (its record stays: it did receive the data). Either way every grant of
     * the client for the holder is revoked, so its refresh tokens stop working. 404 when the application never
     * received the holder's data.
     */
    @Transactional
    public void end(UUID accountId, String clientId, String ip) {
        int consents = em.createNativeQuery("DELETE FROM consent WHERE account_id = ?1 AND client_id = ?2")
                .setParameter(1, accountId).setParameter(2, clientId).executeUpdate();
        boolean shared = consents == 0 && !em.createNativeQuery("SELECT 1 FROM data_sharing WHERE account_id = ?1 "
                + "AND client_id = ?2").setParameter(1, accountId).setParameter(2, clientId).getResultList().isEmpty();
        if (consents == 0 && !shared) {
            throw ApiException.notFound("没有对该应用的授权 / no consent for this client");
        }
        String reason = consents > 0 ? "consent_withdrawn" : "signed_out_by_holder";
        int revoked = em.createNativeQuery("UPDATE token_grant SET revoked_at = now(), revoke_reason = ?3 "
                + "WHERE account_id = ?1 AND client_id = ?2 AND revoked_at IS NULL").setParameter(1, accountId)
                .setParameter(2, clientId).setParameter(3, reason).executeUpdate();
        audit.recordInTransaction(consents > 0 ? "CONSENT_WITHDRAWN" : "CONSENT_APPLICATION_SIGNED_OUT",
                accountId.toString(), accountId.toString(), clientId, ip, "grants revoked=" + revoked);
    }

    static OffsetDateTime offset(Object value) {
        if (value instanceof OffsetDateTime o) {
            return o;
        }
        if (value instanceof java.time.Instant i) {
            return i.atOffset(ZoneOffset.UTC);
        }
        if (value instanceof java.sql.Timestamp t) {
            return t.toInstant().atOffset(ZoneOffset.UTC);
        }
        return null;
    }
}
