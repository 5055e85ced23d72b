package cn.onenet.identity.service;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import cn.onenet.identity.config.IdentityConfig;
import cn.onenet.identity.model.Account;
import cn.onenet.identity.model.SsoSession;

/** SSO sessions: a random cookie whose SHA-256 keys the row; the clients that received tokens in it. */
@ApplicationScoped
public class SessionService {

    public static final String COOKIE = "onenet_sso";

    private final IdentityConfig config;
    private final EntityManager em;

    public SessionService(IdentityConfig config, EntityManager em) {
        this.config = config;
        this.em = em;
    }

    public record Created(SsoSession session, String cookie) {
    }

    @Transactional
    public Created create(Account account, int acrLevel, String amr, UUID actingFor) {
        String cookie = Secrets.random(32);
        SsoSession session = new SsoSession();
        session.id = Secrets.sha256(cookie);
        session.sid = Secrets.random(16);
        session.accountId = account.id;
        session.acrLevel = acrLevel;
        session.amr = amr;
        session.actingFor = actingFor;
        session.authTime = OffsetDateTime.now();
        session.expiresAt = session.authTime.plus(config.tokens().sessionLifetime());
        session.persist();
        return new Created(session, cookie);
    }

    /** The live session the cookie names, or null. */
    @Transactional
    public SsoSession find(String cookie) {
        if (cookie == null || cookie.isBlank() || cookie.length() > 100) {
            return null;
        }
        SsoSession session = SsoSession.findById(Secrets.sha256(cookie));
        if (session == null || !session.live()) {
            return null;
        }
        // a disabled account has no session, nor has an agent acting for a disabled enterprise
        return Account.active(session.accountId) && (session.actingFor == null || Account.active(session.actingFor))
                ? session : null;
    }

    @Transactional
    public SsoSession bySid(String sid) {
        return SsoSession.find("sid", sid).firstResult();
    }

    @Transactional
    public void addClient(String sessionId, String clientId) {
        em.createNativeQuery("INSERT INTO session_client (session_id, client_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING")
                .setParameter(1, sessionId).setParameter(2, clientId).executeUpdate();
    }

    @SuppressWarnings("unchecked")
    @Transactional
    public List<String> clients(String sessionId) {
        return em.createNativeQuery("SELECT client_id FROM session_client WHERE session_id = ?1")
                .setParameter(1, sessionId).getResultList();
    }

    /** Notes where the session the cookie opens was signed in from: the address and the browser. */
    @Transactional
    public void noteDevice(String cookie, String ip, String userAgent) {
        String agent = userAgent == null ? null : userAgent.length() > 300 ? userAgent.substring(0, 300) : userAgent;
        em.createNativeQuery("UPDATE sso_session SET ip = ?2, user_agent = ?3 WHERE id = ?1")
                .setParameter(1, Secrets.sha256(cookie)).setParameter(2, ip).setParameter(3, agent).executeUpdate();
    }

    /** Ends the session; returns false when it had already ended. */
    @Transactional
    public boolean end(String sessionId) {
        return em.createNativeQuery("UPDATE sso_session SET ended_at = now() WHERE id = ?1 AND ended_at IS NULL")
                .setParameter(1, sessionId).executeUpdate() == 1;
    }

    /**
     * A fresh authentication of the same account in a live session (prompt=login, max_age, step-up, acting for an
     * enterprise): the session gets a new cookie and id, so a cookie planted or read before the sign-in opens nothing
     * after it. Its {@code sid} (what relying parties know it by), its clients, its grants and the requests waiting in
     * it move with it.
     */
    @Transactional
    public Created reauthenticate(SsoSession live, int acrLevel, String amr, UUID actingFor) {
        String cookie = Secrets.random(32);
        String id = Secrets.sha256(cookie);
        SsoSession session = SsoSession.findById(live.id);
        session.acrLevel = acrLevel;
        session.amr = amr;
        session.actingFor = actingFor;
        session.authTime = OffsetDateTime.now();
        session.expiresAt = session.authTime.plus(config.tokens().sessionLifetime());
        em.flush();
        em.detach(session);
        // session_client follows by ON UPDATE CASCADE (V15)
        em.createNativeQuery("UPDATE sso_session SET id = ?2 WHERE id = ?1").setParameter(1, live.id)
                .setParameter(2, id).executeUpdate();
        em.createNativeQuery("UPDATE token_grant SET session_id = ?2 WHERE session_id = ?1").setParameter(1, live.id)
                .setParameter(2, id).executeUpdate();
        em.createNativeQuery("UPDATE pending_authorization SET session_id = ?2 WHERE session_id = ?1")
                .setParameter(1, live.id).setParameter(2, id).executeUpdate();
        return new Created(SsoSession.findById(id), cookie);
    }
}
