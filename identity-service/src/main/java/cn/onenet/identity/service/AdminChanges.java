package cn.onenet.identity.service;

import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import cn.onenet.common.identifiers.CreditCode;
import cn.onenet.common.problem.ApiException;
import cn.onenet.identity.config.IdentityConfig;
import cn.onenet.identity.model.Account;
import cn.onenet.identity.model.AccountType;
import cn.onenet.identity.model.AdminChange;
import cn.onenet.identity.model.AdminChange.Kind;
import cn.onenet.identity.model.AdminChange.Status;
import cn.onenet.identity.model.Department;
import cn.onenet.identity.model.OAuthClient;
import io.quarkus.panache.common.Sort;
import io.quarkus.scheduler.Scheduled;

/**
 * 双人复核 (four-eyes) for what raises, reshapes or removes another administrator's power: the roles, the real-name
 * level, the counter verification (柜台核验, which gives the account to whoever holds the contacts typed), the disabling,
 * the enabling and the second-factor reset of an account holding the role {@code admin}, the creation of an account with the
 * role {@code admin} or the grant of the role to an account without it, and the deactivation (which takes their roles
 * from their tokens) and reactivation of a department another administrator works in. One administrator's request is
 * checked as the
 * single-step change would be (the same {@code 400}, {@code 403}, {@code 404}, {@code 409} and {@code 422}), then
 * waits as an {@link AdminChange} until a second administrator confirms it, which applies it, or rejects it, or until
 * it expires ({@code IDENTITY_ADMIN_CHANGE_LIFETIME}). Neither the requester nor the account's holder confirms, and the
 * holder does not reject either ({@code 403}, audited as a failure) — of a department's change, its administrators are
 * the holders —; the requester may withdraw their own request. So one stolen administrator session cannot take over,
 * promote, strip, disable, re-enable or make another administrator alone.
 * Accounts without the role {@code admin} keep the single-step path; an administrator's own account stays refused as
 * before ({@link Administrators#notOwn}), except disabling it, which stays single-step.
 *
 * <p>While the requester is the only administrator who can act ({@link Administrators#counts}) nobody could confirm:
 * then the change is applied at once, as in a new installation whose bootstrapped administrator creates the second,
 * and audited {@code ADMIN_CHANGE_APPLIED_ALONE} besides its own row. Every step is audited in its transaction:
 * {@code ADMIN_CHANGE_REQUESTED}, {@code _CONFIRMED} (followed by the change's own row, which names the requester as its
 * actor), {@code _REJECTED}, {@code _EXPIRED}.
 */
@ApplicationScoped
public class AdminChanges {

    /** The change applied at once, or the one now waiting for a second administrator. */
    public record Outcome(Account applied, AdminChange pending) {
    }

    /** A department deactivated or reactivated at once, or the change now waiting for a second administrator. */
    public record DepartmentOutcome(Department applied, AdminChange pending) {
    }

    /** How a request goes: at once (no other administrator concerned), at once by the only one who can act, waits. */
    private enum Route {
        AT_ONCE, ALONE, WAITS
    }

    private final AccountService accounts;
    private final DepartmentService departments;
    private final CounterVerification counter;
    private final TotpFactor totp;
    private final AuditService audit;
    private final IdentityConfig config;
    private final EntityManager em;

    public AdminChanges(AccountService accounts, DepartmentService departments, CounterVerification counter,
            TotpFactor totp, AuditService audit, IdentityConfig config, EntityManager em) {
        this.accounts = accounts;
        this.departments = departments;
        this.counter = counter;
        this.totp = totp;
        this.audit = audit;
        this.config = config;
        this.em = em;
    }

    /**
     * Whether a change of {@code account} asked for by {@code actor} waits: the account holds the role admin, or the
     * change gives it ({@code grantsAdmin}), it is not the actor's own, and another administrator who can act exists.
     */
    private static Route route(Account account, boolean grantsAdmin, String actor) {
        if (account == null || account.id.toString().equals(actor)
                || !(grantsAdmin || account.roles.contains(Administrators.ROLE))) {
            return Route.AT_ONCE;
        }
        return alone(actor) ? Route.ALONE : Route.WAITS;
    }

    /**
     * Whether deactivating or reactivating {@code department}, asked for by {@code actor}, waits: it takes the power
     * of, or gives it back to, an enabled administrator of that department other than the actor (one deactivating
     * the department only they administer from loses only their own, as when disabling their own account).
     */
    private static Route route(Department department, String actor) {
        if (Administrators.of(department).stream().allMatch(admin -> admin.id.toString().equals(actor))) {
            return Route.AT_ONCE;
        }
        return alone(actor) ? Route.ALONE : Route.WAITS;
    }

    /** No administrator who can act but {@code actor}: nobody could confirm a request of theirs. */
    private static boolean alone(String actor) {
        return Administrators.acting().stream().allMatch(admin -> admin.id.toString().equals(actor));
    }

    /** The change applied at once; by the only administrator who can act, that is on record as such. */
    private Outcome atOnce(Route route, Kind kind, Account applied, String actor) {
        appliedAlone(route, kind, applied.id.toString(), actor);
        return new Outcome(applied, null);
    }

    private void appliedAlone(Route route, Kind kind, String subject, String actor) {
        if (route == Route.ALONE) {
            audit.recordInTransaction("ADMIN_CHANGE_APPLIED_ALONE", actor, subject, null, null,
                    "kind=" + kind + ": applied at once, as no other administrator who can act could confirm it");
        }
    }

    /**
     * A new account: one with the role admin (a civil servant's) waits for a second administrator before it exists;
     * any other is created at once.
     */
    @Transactional
    public Outcome create(AccountService.NewAccount request, String actor) {
        boolean grantsAdmin = request.type() == AccountType.CIVIL_SERVANT && request.roles() != null
                && request.roles().contains(Administrators.ROLE);
        if (!grantsAdmin) {
            return new Outcome(accounts.create(request, actor), null);
        }
        if (alone(actor)) {
            return atOnce(Route.ALONE, Kind.CREATE, accounts.create(request, actor), actor);
        }
        Account checked = accounts.checkNew(request, null, actor);
        AdminChange change = open(null, checked.username, Kind.CREATE, actor);
        change.username = checked.username;
        change.displayName = checked.displayName;
        change.departmentCode = request.departmentCode();
        change.idNumber = checked.idNumber;
        change.passwordHash = checked.passwordHash;
        change.phone = checked.phone;
        change.email = checked.email;
        change.roles = String.join(" ", new TreeSet<>(request.roles()));
        // no password, ID number nor contact values
        return requested(change, "department=" + change.departmentCode + " roles=" + new TreeSet<>(request.roles()));
    }

    @Transactional
    public Outcome roles(UUID id, Set<String> roles, String actor) {
        Account account = accounts.get(id);
        Route route = route(account, roles.contains(Administrators.ROLE), actor);
        if (route != Route.WAITS) {
            return atOnce(route, Kind.ROLES, accounts.setRoles(id, roles, actor), actor);
        }
        accounts.checkRoles(account, roles, actor);
        AdminChange change = open(account.id, null, Kind.ROLES, actor);
        change.roles = String.join(" ", new TreeSet<>(roles));
        return requested(change, "roles=" + new TreeSet<>(roles));
    }

    @Transactional
    public Outcome level(UUID id, int level, String method, String evidence, String actor) {
        Account account = accounts.get(id);
        Route route = route(account, false, actor);
        if (route != Route.WAITS) {
            return atOnce(route, Kind.LEVEL, accounts.verifyLevel(id, level, method, evidence, actor), actor);
        }
        // verified now, with the evidence the requester has; the evidence is not kept for the confirmation
        LevelVerifier.Result verified = accounts.checkLevel(account, level, method, evidence, actor);
        AdminChange change = open(account.id, null, Kind.LEVEL, actor);
        change.level = level;
        change.levelMethod = level <= 2 ? "format-check" : method;
        change.levelSource = verified.source();
        return requested(change, "level=" + level + " method=" + change.levelMethod + " source=" + verified.source());
    }

    @Transactional
    public Outcome counterVerification(UUID id, String phone, String email, String reason, String actor) {
        Account account = Account.findById(id);
        Route route = route(account, false, actor);
        if (route != Route.WAITS) {
            return atOnce(route, Kind.COUNTER_VERIFICATION, counter.apply(id, phone, email, reason, actor), actor);
        }
        counter.check(id, phone, email, reason, actor);
        AdminChange change = open(account.id, null, Kind.COUNTER_VERIFICATION, actor);
        change.phone = present(phone);
        change.email = present(email);
        change.reason = reason.trim();
        // which contacts were given, never their values
        return requested(change, "reason=" + change.reason + "; contacts:" + (change.phone != null ? " phone" : "")
                + (change.email != null ? " email" : ""));
    }

    /** Disables the account; an enabled administrator's, not the caller's own, waits for a second administrator. */
    @Transactional
    public Outcome disable(UUID id, String actor) {
        Account account = accounts.get(id);
        // one already disabled or closed loses nothing more: the single-step answer (or refusal) stands
        Route route = account.active() ? route(account, false, actor) : Route.AT_ONCE;
        if (route != Route.WAITS) {
            return atOnce(route, Kind.DISABLE, accounts.setStatus(id, false, actor), actor);
        }
        accounts.checkStatus(account, false);
        return requested(open(account.id, null, Kind.DISABLE, actor), "");
    }

    /**
     * Enables the account; a disabled administrator's waits for a second administrator, as it gives their power back.
     */
    @Transactional
    public Outcome enable(UUID id, String actor) {
        Account account = accounts.get(id);
        // one enabled already gains nothing, a closed one is refused: the single-step answer (or refusal) stands
        Route route = "DISABLED".equals(account.status) ? route(account, false, actor) : Route.AT_ONCE;
        if (route != Route.WAITS) {
            return atOnce(route, Kind.ENABLE, accounts.setStatus(id, true, actor), actor);
        }
        accounts.checkStatus(account, true);
        return requested(open(account.id, null, Kind.ENABLE, actor), "");
    }

    /** Resets the second factor; another administrator's waits for a second administrator. */
    @Transactional
    public Outcome totpReset(UUID id, String actor) {
        Account account = Account.findById(id);
        Route route = route(account, false, actor);
        if (route != Route.WAITS) {
            totp.reset(id, actor);
            return atOnce(route, Kind.TOTP_RESET, account, actor);
        }
        totp.checkReset(id, actor);
        return requested(open(account.id, null, Kind.TOTP_RESET, actor), "");
    }

    /**
     * Deactivates (撤销) the department; one another enabled administrator works in waits for a second administrator,
     * as it takes their roles from their tokens. Checked first exactly as the single-step deactivation.
     */
    @Transactional
    public DepartmentOutcome deactivateDepartment(String code, long version, String reason, String actor) {
        return changeDepartment(Kind.DEPARTMENT_DEACTIVATE, code, version, reason, actor);
    }

    /**
     * Reactivates (恢复) the department; one with enabled administrators waits for a second administrator, as it gives
     * their power back.
     */
    @Transactional
    public DepartmentOutcome reactivateDepartment(String code, long version, String reason, String actor) {
        return changeDepartment(Kind.DEPARTMENT_REACTIVATE, code, version, reason, actor);
    }

    private DepartmentOutcome changeDepartment(Kind kind, String code, long version, String reason, String actor) {
        Department department = departments.department(code);
        Route route = route(department, actor);
        if (route != Route.WAITS) {
            Department applied = applyTo(kind, code, version, reason, actor);
            appliedAlone(route, kind, applied.code, actor);
            return new DepartmentOutcome(applied, null);
        }
        if (kind == Kind.DEPARTMENT_DEACTIVATE) {
            departments.checkDeactivation(code, version, reason);
        } else {
            departments.checkReactivation(code, version, reason);
        }
        AdminChange change = open(null, null, department.code, kind, actor);
        change.departmentCode = department.code;
        change.departmentVersion = version;
        change.reason = reason.trim();
        return new DepartmentOutcome(null, requested(change, "version=" + version + " reason=" + change.reason)
                .pending());
    }

    /** Deactivates or reactivates the department (every rule checked as it stands now), on behalf of {@code actor}. */
    private Department applyTo(Kind kind, String code, long version, String reason, String actor) {
        return kind == Kind.DEPARTMENT_DEACTIVATE ? departments.deactivate(code, version, reason, actor)
                : departments.reactivate(code, version, reason, actor);
    }

    /** A second administrator applies the change, as the requester asked for it. */
    @Transactional
    public AdminChange confirm(UUID id, String actor) {
        AdminChange change = get(id);
        if (actor.equals(change.requestedBy.toString())) {
            refuse(change, "ADMIN_CHANGE_CONFIRMED", actor, "own request", "提出变更的管理员不能自行确认，须由另一位管理员确认",
                    "the administrator who asked for a change does not confirm it: another administrator does");
        }
        notHolder(change, "ADMIN_CHANGE_CONFIRMED", actor);
        requireOpen(change);
        Account requestedBy = Account.findById(change.requestedBy);
        if (requestedBy == null || !Administrators.counts(requestedBy)) {
            // a request of an administrator disabled or stripped since (perhaps for misuse) is not carried out
            throw ApiException.illegalTransition("提出变更的管理员已不再是在用的管理员，请驳回 / the administrator who asked "
                    + "for the change is no longer an administrator who can act: reject it");
        }
        String requester = change.requestedBy.toString();
        switch (change.kind) {
            case CREATE -> change.accountId = accounts.create(new AccountService.NewAccount(AccountType.CIVIL_SERVANT,
                    change.username, change.displayName, change.idNumber, null, change.departmentCode, null,
                    Set.copyOf(OAuthClient.split(change.roles)), null, change.email, change.phone),
                    change.passwordHash, requester).id;
            case DISABLE -> accounts.setStatus(change.accountId, false, requester);
            case ENABLE -> accounts.setStatus(change.accountId, true, requester);
            case TOTP_RESET -> totp.reset(change.accountId, requester);
            case ROLES -> accounts.setRoles(change.accountId, Set.copyOf(OAuthClient.split(change.roles)),
                    requester);
            case LEVEL -> accounts.setLevel(accounts.get(change.accountId), change.level, change.levelMethod,
                    change.levelSource, requester);
            case COUNTER_VERIFICATION -> counter.apply(change.accountId, change.phone, change.email, change.reason,
                    requester);
            // checked again as they stand now: the version read, the last administrator, sub-departments, parent
            case DEPARTMENT_DEACTIVATE, DEPARTMENT_REACTIVATE -> applyTo(change.kind, change.departmentCode,
                    change.departmentVersion, change.reason, requester);
        }
        change.end(Status.APPLIED, actorId(actor));
        audit.recordInTransaction("ADMIN_CHANGE_CONFIRMED", actor, subject(change), null, null,
                describe(change) + " requested by " + requester);
        return change;
    }

    /** A second administrator turns the change down, or its requester withdraws it; nothing is applied. */
    @Transactional
    public AdminChange reject(UUID id, String actor) {
        AdminChange change = get(id);
        notHolder(change, "ADMIN_CHANGE_REJECTED", actor);
        requireOpen(change);
        boolean withdrawn = actor.equals(change.requestedBy.toString());
        change.end(Status.REJECTED, actorId(actor));
        audit.recordInTransaction("ADMIN_CHANGE_REJECTED", actor, subject(change), null, null,
                describe(change) + (withdrawn ? " withdrawn by the requester" : " requested by " + change.requestedBy));
        return change;
    }

    public AdminChange get(UUID id) {
        AdminChange change = AdminChange.findById(id);
        if (change == null) {
            throw ApiException.notFound("没有这项待复核的变更 / no such change");
        }
        return change;
    }

    /**
     * One page of the changes, newest first, and how many match on all pages; {@code status} as it stands now (a
     * pending change past its time is {@code EXPIRED}), {@code account} one account's, {@code department} those naming
     * the department (its deactivation or reactivation, the creation of an administrator in it). Page and size as for the
     * account list (size 1..200, default 50). A bad filter, page or size is a {@code 400} naming it.
     */
    public ListPage<AdminChange> list(String status, String account, String department, Integer page,
            Integer size) {
        ListFilter filter = new ListFilter();
        if (status != null && !status.isBlank()) {
            Arrays.stream(Status.values()).filter(v -> v.name().equalsIgnoreCase(status.strip())).findFirst()
                    .ifPresentOrElse(wanted -> byStatus(filter, wanted), () -> filter.error("status", "状态为 PENDING、"
                            + "APPLIED、REJECTED 或 EXPIRED / status is PENDING, APPLIED, REJECTED or EXPIRED"));
        }
        if (account != null && !account.isBlank()) {
            try {
                filter.and("accountId = :account", "account", UUID.fromString(account.strip()));
            } catch (IllegalArgumentException e) {
                filter.error("account", "不是有效的账户编号 / not a valid account id");
            }
        }
        if (department != null && !department.isBlank()) {
            CreditCode.problem(department.strip()).ifPresentOrElse(problem -> filter.error("department", problem),
                    () -> filter.and("departmentCode = :department", "department",
                            CreditCode.normalise(department.strip())));
        }
        return filter.page(page, size, (where, params) -> AdminChange.find(where,
                Sort.descending("requestedAt").and("id"), params));
    }

    /** The changes in {@code wanted} as they stand now: a pending one past its time reads as expired. */
    private static void byStatus(ListFilter filter, Status wanted) {
        OffsetDateTime now = OffsetDateTime.now();
        switch (wanted) {
            case PENDING -> filter.and("status = :status and expiresAt > :now", Map.of("status", wanted, "now", now));
            case EXPIRED -> filter.and("status = :status or (status = :pending and expiresAt <= :now)",
                    Map.of("status", wanted, "pending", Status.PENDING, "now", now));
            default -> filter.and("status = :status", "status", wanted);
        }
    }

    @Scheduled(every = "${identity.admin-change.expire-interval:10m}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        expireDue();
    }

    /** Marks the changes past their time expired, each audited; returns how many. */
    @Transactional
    @SuppressWarnings("unchecked")
    public int expireDue() {
        List<UUID> due = em.createNativeQuery("SELECT id FROM admin_change WHERE status = 'PENDING' AND expires_at <= ?1"
                + " ORDER BY expires_at FOR UPDATE SKIP LOCKED").setParameter(1, OffsetDateTime.now()).getResultList();
        due.forEach(id -> expire(AdminChange.findById(id)));
        return due.size();
    }

    private void expire(AdminChange change) {
        change.end(Status.EXPIRED, null);
        audit.recordInTransaction("ADMIN_CHANGE_EXPIRED", AuditService.SYSTEM, subject(change), null, null,
                describe(change) + " requested by " + change.requestedBy + ": nobody confirmed it in time");
    }

    private AdminChange open(UUID accountId, String username, Kind kind, String actor) {
        return open(accountId, username, null, kind, actor);
    }

    /**
     * A new change of the account ({@code accountId}), creation of the login name {@code username} or change of the
     * department ({@code departmentCode}), waiting; one already waiting (not past its time) is a {@code 409}.
     */
    private AdminChange open(UUID accountId, String username, String departmentCode, Kind kind, String actor) {
        String name = username == null ? null : username.toLowerCase(Locale.ROOT);
        // requests for one account (login name, department) wait for each other: one waits at most (unique indexes)
        em.createNativeQuery("SELECT pg_advisory_xact_lock(hashtext(?1))")
                .setParameter(1, "identity-admin-change:" + (accountId != null ? accountId
                        : departmentCode != null ? "department:" + departmentCode : "create:" + name))
                .getSingleResult();
        List<AdminChange> pending = accountId != null
                ? AdminChange.list("accountId = ?1 and status = ?2", accountId, Status.PENDING)
                : departmentCode != null
                        ? AdminChange.list("kind in ?1 and departmentCode = ?2 and status = ?3",
                                List.of(Kind.DEPARTMENT_DEACTIVATE, Kind.DEPARTMENT_REACTIVATE), departmentCode,
                                Status.PENDING)
                        : AdminChange.list("kind = ?1 and lower(username) = ?2 and status = ?3", Kind.CREATE, name,
                                Status.PENDING);
        for (AdminChange waiting : pending) {
            if (waiting.open()) {
                throw ApiException.conflict(accountId != null
                        ? "该账户已有一项变更（" + waiting.id + "）等待另一位管理员确认，请先确认或驳回 / a change of this "
                                + "account (" + waiting.id + ") already waits for another administrator: confirm or "
                                + "reject it first"
                        : departmentCode != null
                                ? "该部门的撤销或恢复（" + waiting.id + "）已在等待另一位管理员确认，请先确认或驳回 / the "
                                        + "deactivation or reactivation of this department (" + waiting.id + ") already "
                                        + "waits for another administrator: confirm or reject it first"
                                : "该登录名的管理员账户新建（" + waiting.id + "）已在等待另一位管理员确认，请先确认或驳回 / "
                                        + "the creation of an administrator with this login name (" + waiting.id
                                        + ") already waits for another administrator: confirm or reject it first");
            }
            expire(waiting);
        }
        em.flush();
        AdminChange change = new AdminChange();
        change.id = UUID.randomUUID();
        change.accountId = accountId;
        change.kind = kind;
        change.requestedBy = actorId(actor);
        change.requestedAt = OffsetDateTime.now();
        change.expiresAt = change.requestedAt.plus(config.adminChange().lifetime());
        change.status = Status.PENDING;
        return change;
    }

    private Outcome requested(AdminChange change, String what) {
        change.persist();
        audit.recordInTransaction("ADMIN_CHANGE_REQUESTED", change.requestedBy.toString(), subject(change), null,
                null, describe(change) + (what.isEmpty() ? "" : " " + what) + "; waits for another administrator until "
                        + change.expiresAt);
        return new Outcome(null, change);
    }

    /**
     * The audit subject: the account, none for a creation not (yet) confirmed; of a department's change the
     * department's code, as its own audit rows name it.
     */
    private static String subject(AdminChange change) {
        if (change.kind.department()) {
            return change.departmentCode;
        }
        return change.accountId == null ? null : change.accountId.toString();
    }

    /** The change for the audit detail: a creation by the login name asked for, a department's change by its code. */
    private static String describe(AdminChange change) {
        return "change=" + change.id + " kind=" + change.kind
                + (change.kind == Kind.CREATE ? " username=" + change.username : "")
                + (change.kind.department() ? " department=" + change.departmentCode : "");
    }

    /**
     * The account's holder neither confirms nor rejects a change of their own account; nor does an administrator of
     * the department a department's change is about (whose power it takes or gives back), unless withdrawing their
     * own request.
     */
    private void notHolder(AdminChange change, String event, String actor) {
        if (change.accountId != null && actor.equals(change.accountId.toString())) {
            refuse(change, event, actor, "change of own account", "本人账户的变更须由其他管理员复核",
                    "a change of one's own account is decided by other administrators");
        }
        if (change.kind.department() && !actor.equals(change.requestedBy.toString())
                && worksIn(actor, change.departmentCode)) {
            refuse(change, event, actor, "change of own department", "本部门的撤销或恢复须由其他部门的管理员复核",
                    "the deactivation or reactivation of one's own department is decided by administrators of other "
                            + "departments");
        }
    }

    /** Whether the account {@code actor} is staff of the department {@code code}. */
    private static boolean worksIn(String actor, String code) {
        Account account = Account.findById(actorId(actor));
        Department department = Department.find("code", code).firstResult();
        return account != null && department != null && department.id.equals(account.departmentId);
    }

    private void refuse(AdminChange change, String event, String actor, String why, String zh, String en) {
        // through the queue: the refusal rolls the request back, the attempt stays on record
        audit.record(event, false, actor, subject(change), null, null, "refused: " + why + "; " + describe(change));
        throw ApiException.forbidden(zh + " / " + en);
    }

    private static void requireOpen(AdminChange change) {
        if (change.status != Status.PENDING) {
            throw ApiException.illegalTransition("该变更已处理（" + change.status + "） / the change was already decided: "
                    + change.status);
        }
        if (!change.open()) {
            throw ApiException.illegalTransition("该变更已过期，请重新提出 / the change has expired: ask for it again");
        }
    }

    /** The administrator's account id (the token's subject). */
    private static UUID actorId(String actor) {
        try {
            return UUID.fromString(actor);
        } catch (IllegalArgumentException e) {
            throw ApiException.forbidden("只有管理员账户可以办理 / only an administrator's account may do this");
        }
    }

    private static String present(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
