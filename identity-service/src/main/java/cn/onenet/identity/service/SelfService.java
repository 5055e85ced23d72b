package cn.onenet.identity.service;

import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import cn.onenet.common.problem.ApiException;
import cn.onenet.identity.model.AuditEvent;
import cn.onenet.identity.model.OAuthClient;
import cn.onenet.identity.model.SsoSession;
import cn.onenet.identity.model.TokenGrant;

/**
 * What holders see and end of their own sign-ins: their live SSO sessions (where from, in which applications, at
 * which level), ending one or all but the current one (with back-channel logout, as a password change does), and the
 * security events about their account of the last {@link #HISTORY_DAYS} days.
 */
@ApplicationScoped
public class SelfService {

    public static final int HISTORY_DAYS = 90;
    /** At most this many events are listed, newest first. */
    public static final int MAX_EVENTS = 200;
    private static final Set<String> EVENTS = Set.of("LOGIN", "LOGIN_LOCKOUT", "LOGOUT", "SIGNED_OUT_ELSEWHERE",
            "COUNTER_VERIFICATION", "RECOVERY_REQUESTED", "ACCOUNT_DISABLED", "ACCOUNT_ENABLED", "LOGIN_UNLOCKED",
            "LEVEL_CHANGED", "DATA_EXPORTED", "ACCOUNT_CLOSURE_REQUESTED", "ACCOUNT_CLOSURE_CANCELLED");
    private static final List<String> EVENT_PREFIXES = List.of("PASSWORD_", "TOTP_", "DELEGATION_", "CONSENT_",
            "CONTACT_");

    private final SessionService sessions;
    private final LogoutService logouts;
    private final AuditService audit;

    public SelfService(SessionService sessions, LogoutService logouts, AuditService audit) {
        this.sessions = sessions;
        this.logouts = logouts;
        this.audit = audit;
    }

    /** The account's live sessions, newest sign-in first. */
    @Transactional
    public List<SsoSession> sessions(UUID accountId) {
        return SsoSession.list("accountId = ?1 and endedAt is null and expiresAt > ?2 order by authTime desc, sid",
                accountId, OffsetDateTime.now());
    }

    /** The client ids that received tokens in the session. */
    public List<String> clients(SsoSession session) {
        return sessions.clients(session.id);
    }

    /** Ends one of the account's live sessions, named by its {@code sid}; 404 for any other. */
    @Transactional
    public void end(UUID accountId, String sid, String ip) {
        SsoSession session = sid == null || sid.length() > 64 ? null : sessions.bySid(sid);
        if (session == null || !session.accountId.equals(accountId) || !session.live()) {
            throw ApiException.notFound("没有该登录会话 / no such session");
        }
        logouts.endSession(session, "ended by the holder", ip);
    }

    /** Ends every sign-in of the account but the caller's ({@code kept}); returns sessions ended, grants revoked. */
    @Transactional
    public int[] endOthers(UUID accountId, TokenGrant kept, String ip) {
        int[] ended = logouts.signOutEverywhereBut(kept, accountId, false, "signed out elsewhere by the holder", ip);
        audit.recordInTransaction("SIGNED_OUT_ELSEWHERE", accountId.toString(), accountId.toString(),
                kept == null ? null : kept.clientId, ip, "sessions ended=" + ended[0] + ", other grants revoked="
                        + ended[1]);
        return ended;
    }

    /**
     * The security events about the account of the last {@link #HISTORY_DAYS} days, newest first. Not in a
     * transaction: the audit queue is written out first, on a connection of its own.
     */
    public List<AuditEvent> events(UUID accountId) {
        audit.flush();
        StringBuilder types = new StringBuilder("(eventType in ?3");
        for (String prefix : EVENT_PREFIXES) {
            types.append(" or eventType like '").append(prefix).append("%'");
        }
        types.append(')');
        return AuditEvent.<AuditEvent>find("subject = ?1 and at > ?2 and " + types + " order by at desc, id desc",
                accountId.toString(), OffsetDateTime.now().minusDays(HISTORY_DAYS), EVENTS).page(0, MAX_EVENTS)
                .list();
    }

    /**
     * The display names of the registered clients among {@code clientIds}, by client id: a holder knows an application
     * by its name (浙里办, 社保查询), not by its id. A client no longer registered has no entry.
     */
    public Map<String, String> clientNames(Collection<String> clientIds) {
        Set<String> ids = clientIds.stream().filter(id -> id != null).collect(Collectors.toSet());
        if (ids.isEmpty()) {
            return Map.of();
        }
        return OAuthClient.<OAuthClient>list("clientId in ?1", ids).stream()
                .collect(Collectors.toMap(c -> c.clientId, c -> c.name));
    }

    /** 10.33.12.45 → 10.33.12.0/24, 2409:8a1e:6a31:5c20::1 → 2409:8a1e:6a31::/48: the network, not the device. */
    public static String maskIp(String ip) {
        if (ip == null || ip.isBlank()) {
            return null;
        }
        String value = ip.trim();
        if (value.matches("\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}")) {
            return value.substring(0, value.lastIndexOf('.')) + ".0/24";
        }
        if (value.contains(":")) {
            String[] groups = value.replace("[", "").replace("]", "").split(":", -1);
            StringBuilder prefix = new StringBuilder();
            for (int i = 0; i < 3 && i < groups.length && !groups[i].isEmpty(); i++) {
                prefix.append(groups[i]).append(':');
            }
            return prefix + ":/48";
        }
        return null;
    }
}
