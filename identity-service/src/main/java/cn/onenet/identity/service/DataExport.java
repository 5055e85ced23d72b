package cn.onenet.identity.service;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import cn.onenet.identity.model.Account;
import cn.onenet.identity.model.AccountClosure;
import cn.onenet.identity.model.AuditEvent;
import cn.onenet.identity.model.ContactChange;
import cn.onenet.identity.model.Delegation;
import cn.onenet.identity.model.OAuthClient;
import cn.onenet.identity.model.SsoSession;
import cn.onenet.identity.model.TokenGrant;

/**
 * 个人信息副本 (PIPL Art. 45): what this service holds about the holder, in one JSON document. Their own data is shown
 * in full (ID number, contacts, the addresses they signed in from); never a password hash, a second-factor secret, or
 * a token or its hash. Other people appear only as the holder could see them anyway: a delegation's agent as typed
 * (ID number masked), and security events by others (failed logins with the holder's name, administrators) only by
 * network (/24) and without their identity.
 */
@ApplicationScoped
public class DataExport {

    /** Audit events that record how the real-name level was reached or changed (实名等级历史). */
    static final Set<String> LEVEL_EVENTS = Set.of("ACCOUNT_CREATED", "REGISTRATION_CONFIRMED", "LEVEL_CHANGED",
            "LEVEL_VERIFICATION", "COUNTER_VERIFICATION");

    private final DataSharing sharing;
    private final DelegationService delegations;
    private final SessionService sessions;
    private final AuditService audit;
    private final TotpFactor totp;
    private final AuditWords words;

    public DataExport(DataSharing sharing, DelegationService delegations, SessionService sessions, AuditService audit,
            TotpFactor totp, AuditWords words) {
        this.words = words;
        this.sharing = sharing;
        this.delegations = delegations;
        this.sessions = sessions;
        this.audit = audit;
        this.totp = totp;
    }

    public record Export(OffsetDateTime exportedAt, String note, Profile profile, Contacts contacts,
            List<LevelRecord> realNameLevelHistory, List<DataSharing.Application> applications,
            List<GrantRecord> grants, List<DelegationRecord> delegations, List<SessionRecord> sessions,
            List<EventRecord> securityEvents, ClosureRecord pendingClosure) {
    }

    public record Profile(UUID id, String accountType, String username, String displayName, String idNumber,
            String uscc, String englishName, List<String> roles, int level, String levelMethod, String levelSource,
            OffsetDateTime levelVerifiedAt, boolean secondFactor, String status, OffsetDateTime createdAt,
            OffsetDateTime updatedAt) {
    }

    public record Contacts(String phone, String email, PendingContact pendingChange) {
    }

    public record PendingContact(String channel, String newValue, OffsetDateTime requestedAt,
            OffsetDateTime effectiveAt) {
    }

    /** A level event: its detail as recorded, in words (zh-CN) and as fields ({@link AuditWords}). */
    public record LevelRecord(OffsetDateTime at, String event, String outcome, String detail, String summary,
            java.util.Map<String, Object> fields) {
    }

    /** What an application was given in one sign-in; no token or hash of one. */
    public record GrantRecord(String clientId, String scope, int level, String amr, boolean actingForEnterprise,
            OffsetDateTime issuedAt, OffsetDateTime revokedAt, String revokeReason) {
    }

    public record DelegationRecord(UUID id, String side, String enterpriseUscc, String enterpriseName,
            String agentName, String agentIdNumberMasked, List<String> clientIds, OffsetDateTime validFrom,
            OffsetDateTime validTo, String status, OffsetDateTime createdAt, OffsetDateTime acceptedAt,
            OffsetDateTime revokedAt) {
    }

    public record SessionRecord(String sid, OffsetDateTime startedAt, OffsetDateTime expiresAt,
            OffsetDateTime endedAt, int level, String amr, boolean actingForEnterprise, String ip, String userAgent,
            List<String> clients) {
    }

    public record EventRecord(OffsetDateTime at, String type, String outcome, String clientId, String ipMasked,
            boolean byHolder) {
    }

    public record ClosureRecord(OffsetDateTime requestedAt, OffsetDateTime effectiveAt) {
    }

    /**
     * The holder's data. Not in a transaction (reads only): the audit queue is written out first, on a connection of
     * its own, as for the holder's list of security events.
     */
    public Export of(UUID accountId) {
        audit.flush();
        Account a = Account.findById(accountId);
        String me = accountId.toString();
        Profile profile = new Profile(a.id, a.type.name(), a.username, a.displayName, a.idNumber, a.uscc,
                a.englishName, a.roles.stream().sorted().toList(), a.level, a.levelMethod, a.levelSource, a.levelVerifiedAt,
                a.totpSecret != null, a.status, a.createdAt, a.updatedAt);
        ContactChange change = ContactChange.open(accountId);
        Contacts contacts = new Contacts(a.phone, a.email, change == null ? null
                : new PendingContact(change.channel, change.newValue, change.createdAt, change.effectiveAt));
        List<AuditEvent> events = AuditEvent.list("subject = ?1 order by at, id", me);
        List<LevelRecord> levels = events.stream().filter(e -> LEVEL_EVENTS.contains(e.eventType))
                .map(e -> {
                    AuditWords.Words w = words.of(e.detail);
                    return new LevelRecord(e.at, e.eventType, e.outcome, e.detail, w.summary(), w.fields());
                }).toList();
        List<EventRecord> security = events.stream().map(e -> new EventRecord(e.at, e.eventType, e.outcome,
                e.clientId, SelfService.maskIp(e.ip), me.equals(e.actor))).toList();
        List<GrantRecord> grants = TokenGrant.<TokenGrant>list("accountId = ?1 order by createdAt", accountId)
                .stream().map(g -> new GrantRecord(g.clientId, g.scope, g.acrLevel, g.amr, g.actingFor != null,
                        g.createdAt, g.revokedAt, g.revokeReason)).toList();
        List<DelegationRecord> given = delegations.mine(accountId).stream().map(d -> delegation(d, accountId))
                .toList();
        List<SessionRecord> signIns = SsoSession.<SsoSession>list("accountId = ?1 order by authTime", accountId)
                .stream().map(s -> new SessionRecord(s.sid, s.authTime, s.expiresAt, s.endedAt, s.acrLevel, s.amr,
                        s.actingFor != null, s.ip, s.userAgent, sessions.clients(s.id).stream().sorted().toList()))
                .toList();
        AccountClosure closure = AccountClosure.open(accountId);
        return new Export(OffsetDateTime.now(), "本文件为统一身份认证所持有的您的个人信息副本（不含密码、动态口令密钥和令牌）/ "
                + "A copy of the personal data the identity service holds about you (without passwords, second-factor "
                + "secrets or tokens).", profile, contacts, levels, sharing.of(accountId), grants, given, signIns,
                security, closure == null ? null : new ClosureRecord(closure.requestedAt, closure.effectiveAt));
    }

    private DelegationRecord delegation(Delegation d, UUID me) {
        Account enterprise = Account.findById(d.enterpriseId);
        String side = delegations.isAgent(d, me) ? "AGENT" : "ENTERPRISE";
        return new DelegationRecord(d.id, side, enterprise.uscc, enterprise.displayName, d.agentName,
                d.agentIdMasked, OAuthClient.split(d.clientIds), d.validFrom, d.validTo, d.status.name(),
                d.createdAt, d.acceptedAt, d.revokedAt);
    }
}
