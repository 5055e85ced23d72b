package cn.onenet.identity.service;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import cn.onenet.common.identifiers.CreditCode;
import cn.onenet.common.identifiers.ResidentIdNumber;
import cn.onenet.common.problem.ApiException;
import cn.onenet.common.problem.FieldError;
import cn.onenet.common.problem.PrintableText;
import cn.onenet.common.problem.ProblemType;
import cn.onenet.identity.model.Account;
import cn.onenet.identity.model.AccountType;
import cn.onenet.identity.model.Department;
import io.quarkus.hibernate.orm.panache.Panache;
import io.quarkus.panache.common.Sort;

/**
 * Accounts: creation with identifier checks and the password policy, roles, real-name levels (second factor:
 * {@link TotpFactor}; the holder's own password change: {@link PasswordChange}).
 */
@ApplicationScoped
public class AccountService {

    /** Security notices to the holder (unlock, level, disabling). */
    @jakarta.inject.Inject
    SecurityNotices notices;

    public static final String EDITOR = "catalog-editor";
    public static final String REVIEWER = "reviewer";
    /** 部门负责人: approves its department's catalogue submissions (R4) and share requests (R7) with its own account. */
    public static final String HEAD = "head";
    public static final String AUDITOR = "auditor";
    public static final Set<String> STAFF_ROLES = Set.of("operator", EDITOR, REVIEWER, HEAD, AUDITOR, "admin");

    private final PasswordHasher hasher;
    private final AuditService audit;
    private final LevelVerifier verifier;
    private final LogoutService logouts;
    private final LoginThrottle throttle;
    private final GrantStore grants;

    public AccountService(PasswordHasher hasher, AuditService audit, LevelVerifier verifier, LogoutService logouts,
            LoginThrottle throttle, GrantStore grants) {
        this.hasher = hasher;
        this.audit = audit;
        this.verifier = verifier;
        this.logouts = logouts;
        this.throttle = throttle;
        this.grants = grants;
    }

    /** What a new account needs; which fields apply depends on the type. */
    public record NewAccount(AccountType type, String username, String displayName, String idNumber, String uscc,
            String departmentCode, UUID legalRepresentativeId, Set<String> roles, String password, String email,
            String phone) {
    }

    @Transactional
    public Account create(NewAccount request, String actor) {
        return create(request, null, actor);
    }

    /**
     * Creates the account; with {@code passwordHash} given (a confirmed self-registration, whose password was checked
     * against the policy and hashed when it was submitted) the password in the request is not used.
     */
    @Transactional
    public Account create(NewAccount request, String passwordHash, String actor) {
        Account account = checkNew(request, passwordHash, actor);
        account.persist();
        // what was granted is audited at creation as at a later change: a second account with the role auditor,
        // or an enterprise recorded for a representative, is visible to the auditors
        String granted = account.departmentId != null ? " department=" + request.departmentCode() + " roles="
                + new java.util.TreeSet<>(account.roles)
                : account.legalRepresentativeId != null ? " legalRepresentative=" + account.legalRepresentativeId : "";
        audit.recordInTransaction("ACCOUNT_CREATED", actor, account.id.toString(), null, null,
                "type=" + account.type + " level=" + account.level + granted);
        return account;
    }

    /**
     * The account {@link #create} would create, checked (each refusal as there: {@code 400} naming the field,
     * {@code 409} for a login name or staff ID number taken) and with its password hashed, not stored.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Account checkNew(NewAccount request, String passwordHash, String actor) {
        List<FieldError> errors = new ArrayList<>();
        if (request.type() == null) {
            throw ApiException.field("type", "账户类型必填 / type is required");
        }
        if (!PrintableText.hasVisibleText(request.displayName()) || request.displayName().length() > 200) {
            errors.add(new FieldError("displayName", PrintableText.missingMessage(request.displayName(),
                    "姓名或名称必填，最多200字 / the name is required, at most 200 characters")));
        } else if (!PrintableText.printableLine(request.displayName())) {
            errors.add(new FieldError("displayName", PrintableText.MESSAGE));
        }
        Account account = new Account();
        account.id = UUID.randomUUID();
        account.type = request.type();
        account.displayName = request.displayName() == null ? null : request.displayName().trim();
        // the contacts recovery and notices go to: well formed or none (wider than the columns was a 500)
        account.email = present(request.email());
        account.phone = present(request.phone());
        if (account.email != null && !Contacts.email(account.email)) {
            errors.add(new FieldError("email", Contacts.BAD_EMAIL));
        }
        if (account.phone != null && !Contacts.phone(account.phone)) {
            errors.add(new FieldError("phone", Contacts.BAD_PHONE));
        }
        Department department = null;
        switch (request.type()) {
            case NATURAL_PERSON -> {
                idNumber(request.idNumber()).ifPresent(errors::add);
                if (errors.isEmpty()) {
                    account.idNumber = ResidentIdNumber.normalise(request.idNumber());
                    account.username = account.idNumber;
                    account.level = 2; // format checked (L2); L3+ needs verification
                    account.levelMethod = "format-check";
                    account.levelVerifiedAt = OffsetDateTime.now();
                }
            }
            case LEGAL_PERSON -> {
                Optional<String> problem = CreditCode.problem(request.uscc());
                if (problem.isPresent()) {
                    errors.add(new FieldError("uscc", problem.get()));
                } else {
                    account.uscc = CreditCode.normalise(request.uscc());
                    account.username = account.uscc;
                    account.level = 2;
                    account.levelMethod = "format-check";
                }
                if (request.legalRepresentativeId() != null) {
                    Account rep = Account.findById(request.legalRepresentativeId());
                    if (rep == null || rep.type != AccountType.NATURAL_PERSON || !rep.active()) {
                        // a disabled or closed account cannot act for the enterprise nor be told of its authorisations
                        errors.add(new FieldError("legalRepresentativeId", "法定代表人须为已注册且在用的自然人账户 / the "
                                + "legal representative must be a registered natural person whose account is enabled"));
                    }
                    account.legalRepresentativeId = request.legalRepresentativeId();
                }
            }
            case CIVIL_SERVANT -> {
                if (request.username() == null || !request.username().matches("[a-zA-Z][a-zA-Z0-9._-]{2,63}")) {
                    errors.add(new FieldError("username",
                            "登录名为3-64位字母、数字、点、横线 / username: 3-64 letters, digits, . _ -"));
                } else {
                    account.username = request.username();
                }
                if (request.idNumber() != null) {
                    Optional<FieldError> problem = idNumber(request.idNumber());
                    problem.ifPresent(errors::add);
                    account.idNumber = problem.isEmpty() ? ResidentIdNumber.normalise(request.idNumber()) : null;
                }
                if (request.departmentCode() == null) {
                    errors.add(new FieldError("departmentCode", "工作人员须属于一个部门 / a civil servant's department is required"));
                } else {
                    department = Department.find("code", request.departmentCode()).firstResult();
                    if (department == null) {
                        errors.add(new FieldError("departmentCode", "部门不存在 / unknown department"));
                    } else if (!department.active) {
                        errors.add(new FieldError("departmentCode",
                                "部门已撤销，不能再分配工作人员 / the department is deactivated: no new staff"));
                    }
                }
                Set<String> roles = request.roles() == null ? Set.of() : request.roles();
                errors.addAll(roleProblems(roles));
                competentAuthorityRoles(roles, department).ifPresent(errors::add);
                auditAdminAndAuditor(roles, actor, null, department == null ? "" : " department=" + department.code);
                account.roles = new HashSet<>(roles);
                account.level = 3;
                account.levelMethod = "employer";
                account.levelSource = "department";
            }
            default -> throw new IllegalStateException();
        }
        if (department != null) {
            account.departmentId = department.id;
        }
        if (passwordHash == null) {
            PasswordPolicy.problem(request.password(), account.username)
                    .ifPresent(p -> errors.add(new FieldError("password", p)));
        }
        if (!errors.isEmpty()) {
            throw ApiException.fields(errors);
        }
        // Login names compare without case and staff ID numbers are unique per type: creations of the same name or
        // number wait for each other, so the second finds the first (409) instead of a duplicate or a 500.
        lock("identity-account:" + account.username.toLowerCase());
        if (Account.byUsername(account.username) != null) {
            throw ApiException.conflict("该账户已存在 / an account with this login name already exists");
        }
        if (account.type == AccountType.CIVIL_SERVANT && account.idNumber != null) {
            lock("identity-staff-id:" + account.idNumber);
            if (Account.count("idNumber = ?1 and type = ?2", account.idNumber, AccountType.CIVIL_SERVANT) > 0) {
                // the number itself is not repeated: the problem detail reaches logs and consoles
                String taken = "该公民身份号码已有工作人员账户 / a civil servant account with this ID number exists";
                throw new ApiException(ProblemType.CONFLICT, taken, List.of(new FieldError("idNumber", taken)),
                        Map.of(), Map.of());
            }
        }
        account.passwordHash = passwordHash != null ? passwordHash : hasher.hash(request.password());
        return account;
    }

    private static String present(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static void lock(String key) {
        Panache.getEntityManager().createNativeQuery("SELECT pg_advisory_xact_lock(hashtext(?1))")
                .setParameter(1, key).getSingleResult();
    }

    /** Filters of the account list as given (null: none); {@link #search} checks them. */
    public record AccountQuery(String type, String q, String department, String role, String status,
            String idNumber, Integer page, Integer size) {
    }

    /**
     * Accounts by type, department, role and status, {@code q}: a case-insensitive substring of the display name,
     * or of the login name of staff and enterprises, and {@code idNumber}: a whole 公民身份号码 as stored (see
     * {@link IdNumberLookup}, which audits it). {@code q} never looks at a natural person's login name (their number):
     * a part of a number finds nobody. Ordered by login name; a bad filter, page or size is a 400 naming it.
     */
    public ListPage<Account> search(AccountQuery r) {
        ListFilter filter = new ListFilter();
        if (r.type() != null) {
            // as the rows, GET me and the account_type claim spell it, or as the constant, in any case
            AccountType.parse(r.type()).ifPresentOrElse(type -> filter.and("type = :type", "type", type),
                    () -> filter.error("type", "允许的值：natural_person、legal_person、civil_servant（不区分大小写） / "
                            + "one of natural_person, legal_person, civil_servant (any case)"));
        }
        filter.contains("q", r.q()).ifPresent(q -> filter.and("lower(displayName) like :q escape '!'"
                + " or (type <> :naturalPerson and lower(username) like :q escape '!')",
                Map.of("q", q, "naturalPerson", AccountType.NATURAL_PERSON)));
        if (r.idNumber() != null) {
            // compared whole: the unique index (id_number, account_type) answers it, and no part of a number matches
            ResidentIdNumber.problem(r.idNumber()).ifPresentOrElse(p -> filter.error("idNumber", p),
                    () -> filter.and("idNumber = :idNumber", "idNumber", r.idNumber()));
        }
        filter.department("department", r.department()).ifPresent(id -> filter.and("departmentId = :department",
                "department", id));
        if (r.role() != null) {
            if (STAFF_ROLES.contains(r.role())) {
                filter.and(":role member of roles", "role", r.role());
            } else {
                filter.error("role", "允许的值：" + String.join("、", new java.util.TreeSet<>(STAFF_ROLES)) + " / one of "
                        + new java.util.TreeSet<>(STAFF_ROLES));
            }
        }
        filter.enabled("status", r.status()).ifPresent(enabled -> filter.and("status = :status", "status",
                enabled ? "ACTIVE" : "DISABLED"));
        return filter.page(r.page(), r.size(), (where, params) -> Account.find(where, Sort.by("username").and("id"),
                params));
    }

    /**
     * Each role present and a staff role, and not both {@code catalog-editor} and {@code reviewer}: who drafts a
     * catalogue entry does not review it (separation of duties, 编审分离); nor both {@code admin} and {@code auditor}:
     * who administers the accounts does not audit what was done with them (三员分立, GB/T 22239 management separation),
     * which also keeps the audit log closed to administrators as the gateway intends.
     */
    private static List<FieldError> roleProblems(Set<String> roles) {
        List<FieldError> problems = Elements.problems("roles", roles, STAFF_ROLES::contains,
                role -> "未知角色 / unknown role: " + role);
        if (roles.contains(EDITOR) && roles.contains(REVIEWER)) {
            problems.add(new FieldError("roles", "目录编制与审核不得由同一人承担 / " + EDITOR + " and " + REVIEWER
                    + " exclude each other (separation of duties)"));
        }
        if (roles.contains(Administrators.ROLE) && roles.contains(AUDITOR)) {
            problems.add(new FieldError("roles", "系统管理员与安全审计员不得由同一人承担 / admin and auditor exclude each "
                    + "other (separation of duties)"));
        }
        return problems;
    }

    /**
     * {@code reviewer} and {@code auditor} only for the staff of a 主管部门 (its region's competent authority): the
     * same-level competent authority reviews the catalogue (条例 Art. 16) and supervises and inspects sharing (Art. 29),
     * and the services give both roles province-wide reading.
     */
    private static Optional<FieldError> competentAuthorityRoles(Set<String> roles, Department department) {
        // a null element is roleProblems' to name
        Set<String> reserved = new java.util.TreeSet<>();
        roles.stream().filter(role -> REVIEWER.equals(role) || AUDITOR.equals(role)).forEach(reserved::add);
        if (reserved.isEmpty() || department == null || department.competentAuthority) {
            return Optional.empty();
        }
        return Optional.of(new FieldError("roles", "审核员与审计员只能由政务数据共享主管部门的工作人员担任，" + department.name
                + "（" + department.code + "）不是主管部门 / " + String.join(" and ", reserved) + ": only staff of a "
                + "competent authority (主管部门) review and audit; " + department.code + " is not one"));
    }

    /**
     * A refused grant of both {@code admin} and {@code auditor} (三员分立) is audited as a failed {@code ROLES_CHANGED}
     * (of {@code subject}) or {@code ACCOUNT_CREATED} (no subject yet), through the queue since the refusal rolls the
     * request back: an administrator trying to reach the audit log that way is seen by the auditors.
     */
    private void auditAdminAndAuditor(Set<String> roles, String actor, String subject, String context) {
        if (roles.contains(Administrators.ROLE) && roles.contains(AUDITOR)) {
            // only known role names: whatever else was sent is not repeated into the audit log
            Set<String> known = new java.util.TreeSet<>(roles);
            known.retainAll(STAFF_ROLES);
            audit.record(subject == null ? "ACCOUNT_CREATED" : "ROLES_CHANGED", false, actor, subject, null, null,
                    "refused: admin and auditor exclude each other;" + context + " roles=" + known);
        }
    }

    private static Optional<FieldError> idNumber(String value) {
        return ResidentIdNumber.problem(value).map(p -> new FieldError("idNumber", p));
    }

    public Account get(UUID id) {
        Account account = Account.findById(id);
        if (account == null) {
            throw ApiException.notFound("账户不存在 / no such account");
        }
        return account;
    }

    /**
     * Sets the roles. A role taken away ends the account's grants: their refresh tokens stop working and their access
     * tokens, which still carry the role, go on the revocation list the catalog and the exchange refuse tokens by
     * ({@link RevocationList}); else those would honour the role until the tokens expire. The sign-in sessions stay,
     * so the holder's next code, whose tokens carry the roles as they are now, needs no new login. A role added
     * revokes nothing: the old tokens merely lack it.
     */
    @Transactional
    public Account setRoles(UUID id, Set<String> roles, String actor) {
        Account account = get(id);
        checkRoles(account, roles, actor);
        Set<String> removed = new java.util.TreeSet<>(account.roles);
        removed.removeAll(roles);
        account.roles.clear();
        account.roles.addAll(roles);
        account.updatedAt = OffsetDateTime.now();
        String detail = "roles=" + new java.util.TreeSet<>(roles);
        if (!removed.isEmpty()) {
            detail += " removed=" + removed + "; grants revoked=" + grants.revokeAccount(id, false, "roles_removed");
        }
        audit.recordInTransaction("ROLES_CHANGED", actor, id.toString(), null, null, detail);
        return account;
    }

    /**
     * Refuses what {@link #setRoles} refuses, changing nothing: roles of another account type, unknown or exclusive
     * roles ({@code 400}), one's own account ({@code 403}), the last administrator's role {@code admin} ({@code 409}).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void checkRoles(Account account, Set<String> roles, String actor) {
        UUID id = account.id;
        if (account.type != AccountType.CIVIL_SERVANT) {
            throw ApiException.field("roles", "只有工作人员有部门角色 / only civil servants have department roles");
        }
        List<FieldError> problems = roleProblems(roles);
        competentAuthorityRoles(roles, account.departmentId == null ? null
                : Department.<Department>findById(account.departmentId)).ifPresent(problems::add);
        if (!problems.isEmpty()) {
            auditAdminAndAuditor(roles, actor, id.toString(), "");
            throw ApiException.fields(problems);
        }
        // one's own account first: the refusal and its audit row do not depend on whether others hold the role
        Administrators.notOwn(audit, "ROLES_CHANGED", id, actor, "roles=" + new java.util.TreeSet<>(roles), "角色",
                "changing the roles");
        if (!roles.contains(Administrators.ROLE)) {
            Administrators.requireAnotherThan(account, "收回管理员角色", "taking away its role admin");
        }
    }

    /**
     * Lifts every lock of the account's password login (after the holder's identity was checked): its failures, from
     * every source, are forgotten. Returns whether there was anything to lift.
     */
    @Transactional
    public boolean unlockLogin(UUID id, String actor) {
        Account account = get(id);
        boolean held = throttle.nameHeld(account.username);
        throttle.clearName(account.username);
        account.failedLogins = 0;
        account.lockedUntil = null;
        account.updatedAt = OffsetDateTime.now();
        audit.recordInTransaction("LOGIN_UNLOCKED", actor, id.toString(), null, null, held ? "lock lifted" : "none held");
        notices.loginUnlocked(account);
        return held;
    }

    /** Raises (or lowers) the real-name level through the verification interface. */
    @Transactional
    public Account verifyLevel(UUID id, int level, String method, String evidence, String actor) {
        Account account = get(id);
        return setLevel(account, level, method, checkLevel(account, level, method, evidence, actor).source(), actor);
    }

    /**
     * Checks the level through the verification interface, changing nothing: one's own account ({@code 403}), a level
     * outside 1..4 ({@code 400}), a verification that fails ({@code 422}, audited as a failure). The evidence is not
     * kept; the answer names the register or office that checked it.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public LevelVerifier.Result checkLevel(Account account, int level, String method, String evidence, String actor) {
        UUID id = account.id;
        // the level only: the method and the evidence typed are not checked yet, and evidence is not kept
        Administrators.notOwn(audit, "LEVEL_VERIFICATION", id, actor, "level=" + level, "实名等级",
                "setting the real-name level");
        if (level < 1 || level > 4) {
            throw ApiException.field("level", "实名等级为1-4 / level must be 1..4");
        }
        LevelVerifier.Result result = verifier.verify(account, level, method, evidence);
        if (!result.verified()) {
            audit.record("LEVEL_VERIFICATION", false, actor, id.toString(), null, null, result.reason());
            throw new ApiException(cn.onenet.common.problem.ProblemType.UNPROCESSABLE, result.reason());
        }
        return result;
    }

    /** Sets the level {@link #checkLevel} verified ({@code source}: who checked it), audited and told. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Account setLevel(Account account, int level, String method, String source, String actor) {
        UUID id = account.id;
        int before = account.level;
        account.level = level;
        // L1 and L2 need no check, so whatever method was typed is not what happened (nor does it fit the column)
        account.levelMethod = level <= 2 ? "format-check" : method;
        account.levelSource = source;
        account.levelVerifiedAt = OffsetDateTime.now();
        account.updatedAt = OffsetDateTime.now();
        audit.recordInTransaction("LEVEL_CHANGED", actor, id.toString(), null, null,
                "level=" + level + " method=" + method + " source=" + source);
        if (before != level) {
            notices.levelChanged(account, before, level);
        }
        return account;
    }

    /**
     * Refuses what {@link #setStatus} refuses, changing nothing: a closed account, disabling the last administrator
     * who can act ({@code 409}).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void checkStatus(Account account, boolean enabled) {
        if ("CLOSED".equals(account.status)) {
            // closed by its holder (注销): its personal data is gone and its login name and ID number may be reused
            throw ApiException.illegalTransition("账户已注销，不能启用或停用 / the account is closed");
        }
        if (!enabled) {
            Administrators.requireAnotherThan(account, "停用", "disabling it");
        }
    }

    @Transactional
    public Account setStatus(UUID id, boolean enabled, String actor) {
        Account account = get(id);
        checkStatus(account, enabled);
        account.status = enabled ? "ACTIVE" : "DISABLED";
        String detail = null;
        if (!enabled) {
            // Signed out everywhere, agents acting for it included: enabling it again revives no session or token.
            int[] signedOut = logouts.signOutEverywhere(id, true, "account disabled", null);
            detail = "sessions ended=" + signedOut[0] + ", other grants revoked=" + signedOut[1];
        }
        audit.recordInTransaction(enabled ? "ACCOUNT_ENABLED" : "ACCOUNT_DISABLED", actor, id.toString(), null, null,
                detail);
        if (!enabled) {
            notices.disabled(account);
        }
        return account;
    }
}
