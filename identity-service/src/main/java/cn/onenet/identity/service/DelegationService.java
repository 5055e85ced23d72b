package cn.onenet.identity.service;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import cn.onenet.common.identifiers.ResidentIdNumber;
import cn.onenet.common.problem.ApiException;
import cn.onenet.common.problem.FieldError;
import cn.onenet.common.problem.PrintableText;

import cn.onenet.identity.config.IdentityConfig;
import cn.onenet.identity.model.Account;
import cn.onenet.identity.model.AccountType;
import cn.onenet.identity.model.Delegation;
import cn.onenet.identity.model.DelegationStatus;
import cn.onenet.identity.model.OAuthClient;
import cn.onenet.identity.model.SsoSession;

/**
 * 经办人授权: the enterprise (its account or its legal representative) authorises a natural person for a period,
 * optionally for named services; the agent accepts or declines; either side can revoke.
 * <p>
 * Creating one tells nothing about the person named: the caller gives the agent's ID number and name, and whether or
 * not they match an account the answer is the same &mdash; a PENDING invitation showing only what the caller typed (the
 * ID number masked). The ID number is kept only as a keyed digest ({@link Pseudonyms}). The invitation is bound to an
 * account only when the person with that ID number and name responds to it; when they have an account, they are told
 * it has arrived. Until the agent has accepted, neither the agent's account id nor anything from their account is shown
 * to the enterprise's side.
 * <p>
 * Authority needs a verified identity: creating a delegation, and revoking it for the enterprise, needs a sign-in at
 * real-name level L3 or above ({@code acr}); so does the agent's acceptance (declining or giving one up does not).
 * Below it the answer is a 403 problem saying so, with {@code requiredAcr} and the session's {@code acr}.
 */
@ApplicationScoped
public class DelegationService {

    /** Width of the column keeping the space-separated client ids (delegation.client_ids). */
    static final int MAX_CLIENT_IDS = 500;

    private final AuditService audit;
    private final GrantStore grants;
    private final Pseudonyms pseudonyms;
    private final NotificationOutbox outbox;
    private final SecurityNotices notices;

    @jakarta.inject.Inject
    LogoutService logouts;

    /** Beijing time: the console states an authorisation's period in Beijing days. */

    private final java.time.Period maxPeriod;

    public DelegationService(AuditService audit, GrantStore grants, Pseudonyms pseudonyms, NotificationOutbox outbox,
            SecurityNotices notices, IdentityConfig config) {
        this.maxPeriod = config.delegation().maxPeriod();
        this.audit = audit;
        this.grants = grants;
        this.pseudonyms = pseudonyms;
        this.outbox = outbox;
        this.notices = notices;
    }

    /** The enterprise the caller may manage: its own legal-person account, or the one it legally represents. */
    public Account enterpriseOf(UUID callerId, String uscc) {
        Account caller = Account.findById(callerId);
        if (caller == null) {
            throw ApiException.forbidden("未知调用者 / unknown caller");
        }
        if (caller.type == AccountType.LEGAL_PERSON) {
            return caller;
        }
        Account enterprise = uscc == null ? null : Account.find("uscc", uscc).firstResult();
        if (enterprise == null || !callerId.equals(enterprise.legalRepresentativeId)) {
            throw ApiException.forbidden("只有企业或其法定代表人可以授权经办人 / only the enterprise or its legal representative may authorise agents");
        }
        return enterprise;
    }

    /**
     * The first instant an authorisation from {@code from} may not reach: the start of the Beijing day after the one
     * {@code from + maxPeriod} falls on, so "until the same date next year, inclusive" is allowed.
     */
    OffsetDateTime latestEnd(OffsetDateTime from) {
        return from.atZoneSameInstant(DelegationLimits.BEIJING).toLocalDate().plus(maxPeriod).plusDays(1)
                .atStartOfDay(DelegationLimits.BEIJING).toOffsetDateTime();
    }

    @Transactional
    public Delegation create(UUID callerId, int callerLevel, String uscc, String agentIdNumber, String agentName,
            List<String> clientIds, OffsetDateTime validFrom, OffsetDateTime validTo) {
        Account enterprise = enterpriseOf(callerId, uscc);
        requireLevel(callerLevel, "授权经办人", "authorising an agent");
        List<FieldError> agentProblems = new java.util.ArrayList<>();
        ResidentIdNumber.problem(agentIdNumber).ifPresent(p -> agentProblems.add(new FieldError("agentIdNumber", p)));
        if (!PrintableText.hasVisibleText(agentName) || agentName.strip().length() > 200) {
            agentProblems.add(new FieldError("agentName", PrintableText.missingMessage(agentName,
                    "请填写经办人姓名（与身份证件一致，最多200字） / enter the agent's name as on their ID card (max 200)")));
        } else if (!PrintableText.printableLine(agentName)) {
            agentProblems.add(new FieldError("agentName", PrintableText.MESSAGE));
        }
        if (!agentProblems.isEmpty()) {
            throw ApiException.fields(agentProblems);
        }
        String idNumber = ResidentIdNumber.normalise(agentIdNumber);
        Instants.outsideRange("validFrom", validFrom).ifPresent(p -> {
            throw ApiException.field("validFrom", p);
        });
        Instants.outsideRange("validTo", validTo).ifPresent(p -> {
            throw ApiException.field("validTo", p);
        });
        OffsetDateTime from = validFrom == null ? OffsetDateTime.now() : validFrom;
        if (validTo == null || !validTo.isAfter(from)) {
            throw ApiException.field("validTo", "截止时间须晚于起始时间 / the end must be after the start");
        }
        if (!validTo.isAfter(OffsetDateTime.now())) {
            // a period already over would be announced, accepted and listed as if in force, for nothing
            throw ApiException.field("validTo", "截止时间须晚于当前时间 / the end must be in the future");
        }
        OffsetDateTime latest = latestEnd(from);
        if (!validTo.isBefore(latest)) {
            // an authorisation for ever would never be reviewed: the enterprise renews it when the period ends
            throw ApiException.field("validTo", "授权期限最长 " + maxPeriod + "，截止时间须早于 " + latest + " / the "
                    + "period may be at most " + maxPeriod + " (identity.delegation.max-period): the end must be before "
                    + latest);
        }
        // a service named twice is named once
        List<String> clients = clientIds == null ? List.of() : Elements.distinct(clientIds);
        List<FieldError> problems = Elements.problems("clientIds", clients, id -> OAuthClient.findById(id) != null,
                id -> "未知服务 / unknown client: " + id);
        problems.addAll(Elements.tooLong("clientIds", clients, MAX_CLIENT_IDS));
        if (!problems.isEmpty()) {
            throw ApiException.fields(problems);
        }
        Delegation d = new Delegation();
        d.id = UUID.randomUUID();
        d.enterpriseId = enterprise.id;
        d.agentId = null; // bound when the person named responds
        d.agentName = agentName.strip();
        d.agentIdMasked = masked(idNumber);
        d.agentIdDigest = pseudonyms.of(DIGEST_PURPOSE, idNumber);
        d.clientIds = String.join(" ", clients);
        d.validFrom = from;
        d.validTo = validTo;
        d.status = DelegationStatus.PENDING;
        d.createdBy = callerId;
        d.persist();
        Account invited = Account.find("idNumber = ?1 and type = ?2", idNumber, AccountType.NATURAL_PERSON)
                .<Account>list().stream().filter(a -> sameName(a.displayName, d.agentName)).findFirst().orElse(null);
        notices.delegation(d, SecurityNotices.Change.DELEGATION_CREATED, enterprise, null);
        if (invited != null && invited.active()
                && outbox.withinDailyQuota(NotificationOutbox.Kind.DELEGATION_INVITED, invited.id, INVITES_PER_DAY)) {
            outbox.send(NotificationOutbox.Kind.DELEGATION_INVITED, invited.id, invited.email, invited.phone,
                    new NotificationOutbox.Text("统一身份认证经办授权邀请 / Agent authorisation",
                            enterprise.displayName + "（" + enterprise.uscc + "）邀请您作为其经办人。请登录统一身份认证"
                                    + "“我的账户—经办人授权”确认或拒绝。如您不认识该企业，请拒绝。\n"
                                    + enterprise.displayName + " (" + enterprise.uscc + ") invites you to act as its "
                                    + "agent. Sign in and accept or decline it under My account, Agent "
                                    + "authorisations. If you do not know this enterprise, decline it."),
                    d.validTo);
        }
        // the audit trail (auditors only) records whom it reached
        audit.recordInTransaction("DELEGATION_CREATED", callerId.toString(),
                invited == null ? null : invited.id.toString(), null, null, "enterprise=" + enterprise.uscc
                        + " delegation=" + d.id + " agent=" + d.agentIdMasked
                        + (invited == null ? " (no matching account)" : " (agent notified)"));
        return d;
    }

    static final String DIGEST_PURPOSE = "delegation-agent-id";

    /** The real-name level authority over delegations needs. */
    static final int MIN_LEVEL = 3;

    /** 403 unless the session's level (from its {@code acr}) is at least {@link #MIN_LEVEL}. */
    private static void requireLevel(int level, String zh, String en) {
        Acr.require(level, MIN_LEVEL, zh, en);
    }

    /** Invitation notices to one person a day: more invitations are still listed, just not announced. */
    static final int INVITES_PER_DAY = 5;

    /** Whether the caller is the agent: the bound one, or the person an unbound invitation names. */
    public boolean isAgent(Delegation d, UUID callerId) {
        if (d.agentId != null) {
            return d.agentId.equals(callerId);
        }
        Account caller = Account.findById(callerId);
        return caller != null && caller.type == AccountType.NATURAL_PERSON && caller.idNumber != null
                && d.agentIdDigest != null && d.agentIdDigest.equals(pseudonyms.of(DIGEST_PURPOSE,
                        caller.idNumber.toUpperCase()))
                && sameName(caller.displayName, d.agentName);
    }

    /** Names compare without spaces (全角 or not) and with the middle dot written either way. */
    static boolean sameName(String a, String b) {
        return a != null && b != null && normalName(a).equals(normalName(b));
    }

    private static String normalName(String name) {
        return name.replaceAll("[\\s\u3000]", "").replace('•', '·').replace('・', '·').replace('．', '·');
    }

    static String masked(String idNumber) {
        return idNumber.substring(0, 6) + "*".repeat(idNumber.length() - 10) + idNumber.substring(idNumber.length() - 4);
    }

    @Transactional
    public Delegation respond(UUID callerId, int callerLevel, UUID id, boolean accept) {
        Delegation d = get(id);
        if (!isAgent(d, callerId)) {
            throw ApiException.forbidden("只有被授权的经办人可以确认 / only the agent may respond");
        }
        if (accept) {
            Account agent = Account.findById(callerId);
            requireLevel(Math.min(callerLevel, agent.level), "接受经办授权", "accepting an authorisation");
        }
        if (d.status != DelegationStatus.PENDING) {
            throw ApiException.illegalTransition("授权不在待确认状态 / the authorisation is not pending");
        }
        if (accept && !d.validTo.isAfter(OffsetDateTime.now())) {
            // declining stays possible: it closes the invitation
            throw ApiException.illegalTransition("授权期限已过，不能接受 / the authorisation's period is over (validTo "
                    + d.validTo + "): it cannot be accepted");
        }
        d.agentId = callerId; // bound to the person named
        d.status = accept ? DelegationStatus.ACTIVE : DelegationStatus.DECLINED;
        d.acceptedAt = accept ? OffsetDateTime.now() : null;
        audit.recordInTransaction(accept ? "DELEGATION_ACCEPTED" : "DELEGATION_DECLINED", callerId.toString(),
                d.enterpriseId.toString(), null, null, "delegation=" + d.id);
        notices.delegation(d, accept ? SecurityNotices.Change.DELEGATION_ACCEPTED
                : SecurityNotices.Change.DELEGATION_DECLINED, Account.findById(d.enterpriseId),
                Account.findById(callerId));
        return d;
    }

    @Transactional
    public Delegation revoke(UUID callerId, int callerLevel, UUID id) {
        Delegation d = get(id);
        boolean agent = isAgent(d, callerId);
        boolean enterpriseSide = d.enterpriseId.equals(callerId) || callerId.equals(
                ((Account) Account.findById(d.enterpriseId)).legalRepresentativeId);
        if (!agent && !enterpriseSide) {
            throw ApiException.forbidden("无权撤销此授权 / not a party to this authorisation");
        }
        if (!agent) {
            requireLevel(callerLevel, "撤销经办授权", "revoking an authorisation");
        }
        if (d.status == DelegationStatus.REVOKED || d.status == DelegationStatus.DECLINED) {
            throw ApiException.illegalTransition("授权已失效 / the authorisation is no longer in force");
        }
        d.status = DelegationStatus.REVOKED;
        d.revokedAt = OffsetDateTime.now();
        d.revokedBy = callerId;
        d.persistAndFlush();
        int ended = d.agentId == null ? 0 : grants.revokeUncoveredAgentGrants(d.agentId, d.enterpriseId);
        endAgentSessions(d);
        audit.recordInTransaction("DELEGATION_REVOKED", callerId.toString(),
                d.agentId == null ? null : d.agentId.toString(), null, null,
                "delegation=" + d.id + " by " + (agent ? "agent" : "enterprise") + ", grants revoked=" + ended);
        notices.delegation(d, SecurityNotices.Change.DELEGATION_REVOKED, Account.findById(d.enterpriseId),
                d.agentId != null ? Account.findById(d.agentId) : agent ? Account.findById(callerId) : null);
        return d;
    }

    /**
     * The caller's authorisations: received as the agent (also invitations naming the caller's ID number and name,
     * not yet responded to), given by the caller's enterprise account, created by the caller, and those of every
     * enterprise the caller is the legal representative of, whoever created them (the representative may revoke
     * them, see {@link #revoke}). Newest first.
     */
    public List<Delegation> mine(UUID callerId) {
        List<Delegation> list = new java.util.ArrayList<>(Delegation.list("agentId = ?1 or enterpriseId = ?1 or "
                + "createdBy = ?1 or enterpriseId in (select a.id from Account a where a.legalRepresentativeId = ?1)",
                callerId));
        Account caller = Account.findById(callerId);
        if (caller != null && caller.type == AccountType.NATURAL_PERSON && caller.idNumber != null) {
            Delegation.<Delegation>list("agentId is null and agentIdDigest = ?1",
                    pseudonyms.of(DIGEST_PURPOSE, caller.idNumber.toUpperCase())).stream()
                    .filter(d -> sameName(caller.displayName, d.agentName))
                    .filter(d -> list.stream().noneMatch(known -> known.id.equals(d.id))).forEach(list::add);
        }
        list.sort(java.util.Comparator.comparing((Delegation d) -> d.createdAt).reversed()
                .thenComparing(d -> d.id));
        return list;
    }

    /**
     * Revokes every delegation the account gave or received that is still pending or active, and the invitations
     * naming its ID number not yet answered (whoever held the account may have seen them); {@code actor} (an account
     * id, or an administrator's name) and {@code why} go into the audit trail. The other side of each (the enterprise
     * and its legal representative, or the agent) is told, with {@code step} saying why; the account itself is not,
     * its own notice says what happened to it. Returns how many.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public int revokeAllOf(Account account, String actor, String why, SecurityNotices.Change step) {
        List<Delegation> live = new java.util.ArrayList<>(Delegation.list(
                "(agentId = ?1 or enterpriseId = ?1) and status in ?2", account.id,
                List.of(DelegationStatus.PENDING, DelegationStatus.ACTIVE)));
        if (account.idNumber != null) {
            live.addAll(Delegation.list("agentId is null and agentIdDigest = ?1 and status = ?2",
                    pseudonyms.of(DIGEST_PURPOSE, account.idNumber.toUpperCase()), DelegationStatus.PENDING));
        }
        return end(live, actor, why, step, account);
    }

    /**
     * Ends every delegation of the enterprise that is pending or active: on a change of legal representative
     * (法定代表人变更) the authorisations given in the enterprise's name lapse (china-rules §4.4). Told as at a
     * revocation: the agent once bound, the enterprise's account and the legal representative it records, so call
     * this before the account records the new one, and the former representative is told. Returns how many.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public int endAllOfEnterprise(Account enterprise, String actor, String why, SecurityNotices.Change step) {
        return end(Delegation.list("enterpriseId = ?1 and status in ?2", enterprise.id,
                List.of(DelegationStatus.PENDING, DelegationStatus.ACTIVE)), actor, why, step, null);
    }

    /**
     * Revokes each: the agent's grants in the enterprise's name that nothing else covers, an audit row, and the
     * notices. {@code closed} is the account whose closure or counter check ends them (it is not told, and an unbound
     * invitation found by its ID number names it as the agent); null when none is.
     */
    private int end(List<Delegation> live, String actor, String why, SecurityNotices.Change step, Account closed) {
        UUID by = uuidOrNull(actor);
        for (Delegation d : live) {
            d.status = DelegationStatus.REVOKED;
            d.revokedAt = OffsetDateTime.now();
            d.revokedBy = by;
            d.persistAndFlush();
            int ended = d.agentId == null ? 0 : grants.revokeUncoveredAgentGrants(d.agentId, d.enterpriseId);
            endAgentSessions(d);
            UUID subject = d.agentId != null ? d.agentId : closed != null ? closed.id : d.enterpriseId;
            audit.recordInTransaction("DELEGATION_REVOKED", actor, subject.toString(), null, null,
                    "delegation=" + d.id + " by " + why + ", grants revoked=" + ended);
            Account agent = d.agentId != null ? Account.findById(d.agentId)
                    : closed == null || d.enterpriseId.equals(closed.id) ? null : closed;
            notices.delegation(d, step, Account.findById(d.enterpriseId), agent, closed == null ? null : closed.id);
        }
        return live.size();
    }

    private void endAgentSessions(Delegation ended) {
        if (ended.agentId != null) {
            endAgentSessions(ended.agentId, ended.enterpriseId);
        }
    }

    /**
     * Ends the agent's SSO sessions acting for the enterprise (back-channel logout to their applications, grants
     * revoked) once no delegation between the two is in force any more: such a session could open nothing, and the
     * applications signed in through it would keep the agent signed in for the enterprise until they next refresh.
     * The agent's own sessions, and those for other enterprises, stay. Returns how many ended.
     */
    int endAgentSessions(UUID agentId, UUID enterpriseId) {
        OffsetDateTime now = OffsetDateTime.now();
        boolean stillInForce = Delegation.<Delegation>list("agentId = ?1 and enterpriseId = ?2 and status = ?3",
                agentId, enterpriseId, DelegationStatus.ACTIVE).stream()
                .anyMatch(d -> !now.isBefore(d.validFrom) && now.isBefore(d.validTo));
        if (stillInForce) {
            return 0;
        }
        List<SsoSession> live = SsoSession.list("accountId = ?1 and actingFor = ?2 and endedAt is null", agentId,
                enterpriseId);
        for (SsoSession session : live) {
            logouts.endSession(session, "agent authorisation ended", null);
        }
        return live.size();
    }

    private static UUID uuidOrNull(String value) {
        try {
            return value == null ? null : UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    public Delegation get(UUID id) {
        Delegation d = Delegation.findById(id);
        if (d == null) {
            throw ApiException.notFound("授权不存在 / no such authorisation");
        }
        return d;
    }

}
