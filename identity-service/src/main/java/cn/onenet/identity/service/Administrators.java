package cn.onenet.identity.service;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import cn.onenet.common.problem.ApiException;
import cn.onenet.identity.model.Account;
import cn.onenet.identity.model.AccountType;
import cn.onenet.identity.model.Department;
import io.quarkus.hibernate.orm.panache.Panache;

/**
 * The suite always keeps an administrator who can act: an enabled civil servant with the role {@code admin} in an
 * active department (a deactivated department's staff get no roles in their tokens). Deactivating a department,
 * disabling an account or taking away its role {@code admin} is refused ({@code 409}) when it would leave none, since
 * nobody could then reactivate, enable or grant anything again.
 */
final class Administrators {

    static final String ROLE = "admin";

    /** Excludes nothing: no department and no account has these ids. */
    private static final long NO_DEPARTMENT = -1L;
    private static final UUID NO_ACCOUNT = new UUID(0L, 0L);

    private Administrators() {
    }

    /** Whether {@code account} is one of the administrators who can act. */
    static boolean counts(Account account) {
        if (account.type != AccountType.CIVIL_SERVANT || !account.active() || !account.roles.contains(ROLE)
                || account.departmentId == null) {
            return false;
        }
        Department department = Department.findById(account.departmentId);
        return department != null && department.active;
    }

    /** The administrators who can act, by login name. */
    static List<Account> acting() {
        return Account.<Account>list("type = ?1 and status = 'ACTIVE' and ?2 member of roles order by username",
                AccountType.CIVIL_SERVANT, ROLE).stream().filter(Administrators::counts).toList();
    }

    /**
     * The enabled civil servants with the role admin in {@code department}: those who act through it while it is
     * active, and would again once it is reactivated.
     */
    static List<Account> of(Department department) {
        return Account.list("type = ?1 and status = 'ACTIVE' and ?2 member of roles and departmentId = ?3",
                AccountType.CIVIL_SERVANT, ROLE, department.id);
    }

    /** Refuses when deactivating {@code department} would leave no administrator who can act. */
    static void requireOneOutside(Department department) {
        require(NO_ACCOUNT, department.id, "撤销该部门后将没有在用部门中启用的管理员账户，无人能再恢复它 / deactivating "
                + "this department would leave no enabled account with role admin in an active department, so nobody "
                + "could reactivate it: give an enabled account of another department the role admin first");
    }

    /** Refuses when {@code account} is the last administrator who can act and {@code zh}/{@code en} would end that. */
    static void requireAnotherThan(Account account, String zh, String en) {
        if (counts(account)) {
            require(account.id, NO_DEPARTMENT, "这是最后一个在用部门中启用的管理员账户，" + zh + "后将无人能管理 / this is "
                    + "the last enabled account with role admin in an active department: " + en + " would leave "
                    + "nobody to administer the suite; give another account the role admin first");
        }
    }

    /**
     * Refuses ({@code 403}) when {@code actor} (an account id, the token's subject) acts on their own {@code account}:
     * roles, real-name level, second factor and contacts of an administrator's own account are changed by another
     * administrator (四眼原则), so one stolen session cannot raise its own rights nor strip its own factor. The attempt
     * is audited as a failed {@code event} naming {@code attempted} (no personal data): through the queue, since the
     * refusal rolls the request's transaction back.
     */
    static void notOwn(AuditService audit, String event, UUID account, String actor, String attempted, String zh,
            String en) {
        if (account.toString().equals(actor)) {
            audit.record(event, false, actor, account.toString(), null, null, "refused: own account, done by "
                    + "another administrator" + (attempted == null ? "" : "; attempted " + attempted));
            throw ApiException.forbidden("管理员不能办理本人账户的" + zh + "，须由另一名管理员办理 / " + en + " of one's own "
                    + "account is done by another administrator");
        }
    }

    private static void require(UUID withoutAccount, long withoutDepartment, String detail) {
        // Serialises the changes that can remove an administrator: two at once cannot each leave only the other.
        Panache.getEntityManager().createNativeQuery("SELECT pg_advisory_xact_lock(hashtext('identity-admins'))")
                .getSingleResult();
        long remaining = Account.count("type = :type and status = 'ACTIVE' and :role member of roles and id <> :account"
                + " and departmentId in (select d.id from Department d where d.active = true and d.id <> :department)",
                Map.of("type", AccountType.CIVIL_SERVANT, "role", ROLE, "account", withoutAccount, "department",
                        withoutDepartment));
        if (remaining == 0) {
            throw ApiException.conflict(detail);
        }
    }
}
