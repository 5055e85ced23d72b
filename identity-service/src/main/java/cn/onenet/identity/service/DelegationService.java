package cn.onenet.identity.service;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import cn.onenet.common.identifiers.ResidentIdNumber;
import cn.onenet.common.problem.ApiException;
import cn.onenet.common.problem.FieldError;

import cn.onenet.identity.model.Account;
import cn.onenet.identity.model.AccountType;
import cn.onenet.identity.model.Delegation;
import cn.onenet.identity.model.DelegationStatus;
import cn.onenet.identity.model.OAuthClient;

/**
 * 经办人授权: the enterprise (its account or its legal representative) authorises a natural person for a period,
 * optionally for named services; the agent accepts or declines; either side can revoke.
 */
@ApplicationScoped
public class DelegationService {

    /** Width of the column keeping the space-separated client ids (delegation.client_ids). */
    static final int MAX_CLIENT_IDS = 500;

    private final AuditService audit;
    private final GrantStore grants;

    public DelegationService(AuditService audit, GrantStore grants) {
        this.audit = audit;
        this.grants = grants;
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

    @Transactional
    public Delegation create(UUID callerId, String uscc, String agentIdNumber, List<String> clientIds,
            OffsetDateTime validFrom, OffsetDateTime validTo) {
        Account enterprise = enterpriseOf(callerId, uscc);
        ResidentIdNumber.problem(agentIdNumber).ifPresent(p -> {
            throw ApiException.field("agentIdNumber", p);
        });
        Account agent = Account.find("idNumber = ?1 and type = ?2", ResidentIdNumber.normalise(agentIdNumber),
                AccountType.NATURAL_PERSON).firstResult();
        if (agent == null) {
            throw ApiException.field("agentIdNumber", "经办人须先注册个人账户 / the agent must have a personal account");
        }
        Instants.outsideRange("validFrom", validFrom).ifPresent(p -> {
            throw ApiException.field("validFrom", p);
        });
        Instants.outsideRange("validTo", validTo).ifPresent(p -> {
            throw ApiException.field("validTo", p);
        });
        OffsetDateTime from = validFrom == null ? OffsetDateTime.now() : validFrom;
        if (validTo == null || !validTo.isAfter(from)) {
            throw ApiException.field("validTo", "截止时间须晚于起始时间 / validTo must be after validFrom");
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
        d.agentId = agent.id;
        d.clientIds = String.join(" ", clients);
        d.validFrom = from;
        d.validTo = validTo;
        d.status = DelegationStatus.PENDING;
        d.createdBy = callerId;
        d.persist();
        audit.recordInTransaction("DELEGATION_CREATED", callerId.toString(), agent.id.toString(), null, null,
                "enterprise=" + enterprise.uscc + " delegation=" + d.id);
        return d;
    }

    @Transactional
    public Delegation respond(UUID callerId, UUID id, boolean accept) {
        Delegation d = get(id);
        if (!d.agentId.equals(callerId)) {
            throw ApiException.forbidden("只有被授权的经办人可以确认 / only the agent may respond");
        }
        if (d.status != DelegationStatus.PENDING) {
            throw ApiException.illegalTransition("授权不在待确认状态 / the authorisation is not pending");
        }
        d.status = accept ? DelegationStatus.ACTIVE : DelegationStatus.DECLINED;
        d.acceptedAt = accept ? OffsetDateTime.now() : null;
        audit.recordInTransaction(accept ? "DELEGATION_ACCEPTED" : "DELEGATION_DECLINED", callerId.toString(),
                d.enterpriseId.toString(), null, null, "delegation=" + d.id);
        return d;
    }

    @Transactional
    public Delegation revoke(UUID callerId, UUID id) {
        Delegation d = get(id);
        boolean agent = d.agentId.equals(callerId);
        boolean enterpriseSide = d.enterpriseId.equals(callerId) || callerId.equals(
                ((Account) Account.findById(d.enterpriseId)).legalRepresentativeId);
        if (!agent && !enterpriseSide) {
            throw ApiException.forbidden("无权撤销此授权 / not a party to this authorisation");
        }
        if (d.status == DelegationStatus.REVOKED || d.status == DelegationStatus.DECLINED) {
            throw ApiException.illegalTransition("授权已失效 / the authorisation is no longer in force");
        }
        d.status = DelegationStatus.REVOKED;
        d.revokedAt = OffsetDateTime.now();
        d.revokedBy = callerId;
        d.persistAndFlush();
        int ended = grants.revokeUncoveredAgentGrants(d.agentId, d.enterpriseId);
        audit.recordInTransaction("DELEGATION_REVOKED", callerId.toString(), d.agentId.toString(), null, null,
                "delegation=" + d.id + " by " + (agent ? "agent" : "enterprise") + ", grants revoked=" + ended);
        return d;
    }

    /**
     * The caller's authorisations: received as the agent, given by the caller's enterprise account, created by the
     * caller, and those of every enterprise the caller is the legal representative of, whoever created them (the
     * representative may revoke them, see {@link #revoke}). Newest first.
     */
    public List<Delegation> mine(UUID callerId) {
        return Delegation.list("agentId = ?1 or enterpriseId = ?1 or createdBy = ?1 or enterpriseId in "
                + "(select a.id from Account a where a.legalRepresentativeId = ?1) order by createdAt desc, id",
                callerId);
    }

    public Delegation get(UUID id) {
        Delegation d = Delegation.findById(id);
        if (d == null) {
            throw ApiException.notFound("授权不存在 / no such authorisation");
        }
        return d;
    }

}
