package cn.onenet.identity.service;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.quarkus.hibernate.orm.panache.Panache;

import cn.onenet.common.identifiers.CreditCode;
import cn.onenet.common.problem.ApiException;
import cn.onenet.common.problem.FieldError;
import cn.onenet.common.problem.PrintableText;
import cn.onenet.common.problem.ProblemType;
import cn.onenet.identity.model.Account;
import cn.onenet.identity.model.AccountType;
import cn.onenet.identity.model.RegistryStatus;
import cn.onenet.identity.model.RepresentativeChange;

/**
 * 法人自助注册: a natural person registers the enterprise they are the legal representative (法定代表人) of, with
 * their own login at real-name level L3 or above. The enterprise is checked against the legal-person reference
 * ({@link LegalPersonRegistry}): the reference must name the caller as its legal representative, list it as 存续 (in
 * business) and under the name given (brackets compared full- or half-width alike).
 * <p>
 * No oracle: for a caller the reference does not name, an unknown code, a code of someone else's enterprise and a
 * code already registered are all the same 403; only the representative learns that the enterprise is not in
 * business, that the name differs, or that it is registered already (409).
 */
@ApplicationScoped
public class EnterpriseRegistration {

    /** The real-name level registering an enterprise needs, as for authorising agents. */
    static final int MIN_LEVEL = 3;

    static final String NOT_REPRESENTATIVE = "法人库未记载您为该企业的法定代表人 / the legal-person register does not "
            + "name you as the legal representative of this enterprise";

    private final LegalPersonRegistry registry;
    private final AccountService accounts;
    private final PasswordHasher hasher;
    private final AuditService audit;
    private final EnterpriseNotices notices;
    private final DelegationService delegations;

    public EnterpriseRegistration(LegalPersonRegistry registry, AccountService accounts, PasswordHasher hasher,
            AuditService audit, EnterpriseNotices notices, DelegationService delegations) {
        this.registry = registry;
        this.accounts = accounts;
        this.hasher = hasher;
        this.audit = audit;
        this.notices = notices;
        this.delegations = delegations;
    }

    /**
     * The enterprise account, whether it was created ({@code false}: taken over from a former representative), and
     * how many of its delegations the takeover ended (0 when created).
     */
    public record Registered(Account enterprise, boolean created, int delegationsEnded) {
    }

    @Transactional
    public Registered register(UUID callerId, int sessionLevel, String uscc, String name, String englishName) {
        Account caller = Account.findById(callerId);
        if (caller == null || caller.type != AccountType.NATURAL_PERSON || !caller.active()
                || caller.idNumber == null) {
            throw ApiException.forbidden("只有自然人可以本人注册企业 / only a natural person registers an enterprise, "
                    + "with their own account");
        }
        Acr.require(Math.min(sessionLevel, caller.level), MIN_LEVEL, "注册企业", "registering an enterprise");
        List<FieldError> errors = new ArrayList<>();
        CreditCode.problem(uscc == null ? null : uscc.strip()).ifPresent(p -> errors.add(new FieldError("uscc", p)));
        if (!PrintableText.hasVisibleText(name) || name.strip().length() > 200) {
            errors.add(new FieldError("name", PrintableText.missingMessage(name, "企业名称必填，最多200字 / name is required (max 200)")));
        }
        if (englishName != null && englishName.strip().length() > 200) {
            errors.add(new FieldError("englishName", "英文名称最多200字 / the English name is at most 200 characters"));
        } else if (!PrintableText.printableLine(englishName)) {
            errors.add(new FieldError("englishName", PrintableText.MESSAGE));
        }
        if (!errors.isEmpty()) {
            throw ApiException.fields(errors);
        }
        String code = CreditCode.normalise(uscc);
        // one registration of a code at a time: the second waits and then finds the account (409)
        Panache.getEntityManager().createNativeQuery("SELECT pg_advisory_xact_lock(hashtext(?1))")
                .setParameter(1, "identity-enterprise:" + code).getSingleResult();
        Optional<LegalPersonRegistry.Entry> entry = registry.lookup(code, caller.idNumber);
        if (entry.isEmpty() || !entry.get().representative()) {
            // the same answer whether the code is unknown, someone else's or registered: nothing to learn from it
            audit.record("ENTERPRISE_REGISTRATION", false, callerId.toString(), null, null, null, "uscc=" + code + " "
                    + (entry.isEmpty() ? "not in the register" : "the register names another representative"));
            throw ApiException.forbidden(NOT_REPRESENTATIVE);
        }
        LegalPersonRegistry.Entry found = entry.get();
        if (found.status() != RegistryStatus.IN_BUSINESS) {
            audit.record("ENTERPRISE_REGISTRATION", false, callerId.toString(), null, null, null, "uscc=" + code
                    + " status " + found.status());
            throw new ApiException(ProblemType.UNPROCESSABLE, "法人库登记状态为" + found.status().label + "，只有存续企业"
                    + "可以注册 / the register lists the enterprise as " + found.status() + " (" + found.status().label
                    + "): only an enterprise in business (存续) can be registered", List.of(),
                    java.util.Map.of("registryStatus", found.status().name()), java.util.Map.of());
        }
        if (!sameName(found.name(), name)) {
            throw ApiException.field("name", "企业名称与法人库登记的名称不一致 / the name differs from the registered name");
        }
        Account existing = Account.find("uscc", code).firstResult();
        if (existing != null) {
            return takeOver(existing, caller, code);
        }
        Account enterprise = accounts.create(new AccountService.NewAccount(AccountType.LEGAL_PERSON, null,
                found.name().strip(), null, code, null, callerId, null, null, null, null),
                // nobody knows this password: the representative acts with their own login (see README)
                hasher.hash(Secrets.random(32)), callerId.toString());
        enterprise.englishName = PrintableText.hasVisibleText(englishName) ? englishName.strip() : null;
        enterprise.level = 3; // checked against the legal-person register (two elements: code and representative)
        enterprise.levelMethod = "legal-person-registry";
        enterprise.levelSource = found.source();
        enterprise.levelVerifiedAt = OffsetDateTime.now();
        audit.recordInTransaction("ENTERPRISE_REGISTERED", callerId.toString(), enterprise.id.toString(), null, null,
                "uscc=" + code + " by its legal representative, checked against " + found.source());
        notices.registered(enterprise, caller, false);
        return new Registered(enterprise, true, 0);
    }

    /**
     * A registered code: 409, unless a registry load recorded that the register now names the caller instead of the
     * account's representative; then the caller takes it over (their own, explicit act), the former one is told.
     * Authorisations lapse with the change of legal representative (china-rules §4.4): every delegation of the
     * enterprise still pending or active ends here, in the takeover's transaction, never on the load alone.
     */
    private Registered takeOver(Account enterprise, Account caller, String code) {
        RepresentativeChange change = RepresentativeChange.open(enterprise.id);
        if (caller.id.equals(enterprise.legalRepresentativeId) || change == null) {
            throw ApiException.conflict("该企业已注册 / the enterprise is registered already");
        }
        if (!enterprise.active()) {
            throw ApiException.illegalTransition("该企业账户已停用或注销 / the enterprise's account is disabled or closed");
        }
        Account previous = enterprise.legalRepresentativeId == null ? null
                : Account.findById(enterprise.legalRepresentativeId);
        // before the switch: the notices go to the representative the account still records, the former one
        int ended = delegations.endAllOfEnterprise(enterprise, caller.id.toString(), "change of legal representative "
                + "of " + enterprise.id, SecurityNotices.Change.DELEGATION_ENDED_BY_TAKEOVER);
        enterprise.legalRepresentativeId = caller.id;
        enterprise.updatedAt = OffsetDateTime.now();
        LegalPersonRegistryLoader.end(change, RepresentativeChange.TAKEN_OVER);
        audit.recordInTransaction("LEGAL_REPRESENTATIVE_TAKEN_OVER", caller.id.toString(), enterprise.id.toString(),
                null, null, "uscc=" + code + " previous representative=" + (previous == null ? null : previous.id)
                        + "; delegations ended=" + ended);
        notices.registered(enterprise, caller, true);
        notices.replaced(enterprise, previous);
        return new Registered(enterprise, false, ended);
    }

    /** The enterprises the caller is the recorded legal representative of, by code. */
    public List<Account> represented(UUID callerId) {
        return Account.list("type = ?1 and legalRepresentativeId = ?2 order by username", AccountType.LEGAL_PERSON,
                callerId);
    }

    /** Names compare without spaces and with brackets full-width or half-width alike: （） and () are one. */
    static boolean sameName(String registered, String given) {
        return registered != null && given != null && normalName(registered).equals(normalName(given));
    }

    private static String normalName(String name) {
        return name.replaceAll("[\\s\u3000]", "").replace('（', '(').replace('）', ')');
    }
}
