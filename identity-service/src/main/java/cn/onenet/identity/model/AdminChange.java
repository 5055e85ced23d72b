package cn.onenet.identity.model;

import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * A change of another administrator's account, the creation of an account with the role admin, or the deactivation
 * or reactivation of a department another administrator works in, asked for by one administrator and waiting for a
 * second one (双人复核): which change, with what it would set, who asked, until when it may be confirmed, and how it
 * ended. At most one waits per account, one per login name to be created and one per department.
 */
@Entity
@Table(name = "admin_change")
public class AdminChange extends PanacheEntityBase {

    /** What is to be changed. */
    public enum Kind {
        ROLES,                 // 角色
        LEVEL,                 // 实名等级
        COUNTER_VERIFICATION,  // 柜台核验
        CREATE,                // 新建管理员账户: the account exists once confirmed
        DISABLE,               // 停用
        ENABLE,                // 启用: gives a disabled administrator their power back
        TOTP_RESET,            // 重置动态口令
        DEPARTMENT_DEACTIVATE, // 撤销部门: its administrators' tokens carry no roles while it is deactivated
        DEPARTMENT_REACTIVATE; // 恢复部门: gives them back

        /** A change of a department (no account): {@link AdminChange#departmentCode}, its version, the reason. */
        public boolean department() {
            return this == DEPARTMENT_DEACTIVATE || this == DEPARTMENT_REACTIVATE;
        }
    }

    public enum Status {
        PENDING,   // 待复核
        APPLIED,   // 已复核生效
        REJECTED,  // 已驳回或撤回
        EXPIRED    // 已过期
    }

    @Id
    public UUID id;

    /** The account changed; of a {@link Kind#CREATE} the account created, none until it is confirmed. */
    @Column(name = "account_id")
    public UUID accountId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Kind kind;

    /** {@link Kind#ROLES}: the roles asked for, space separated (none: empty). */
    public String roles;

    /** {@link Kind#LEVEL}: the level, how and by whom it was verified when asked for (the evidence is not kept). */
    public Integer level;

    @Column(name = "level_method")
    public String levelMethod;

    @Column(name = "level_source")
    public String levelSource;

    /** {@link Kind#COUNTER_VERIFICATION}: the contacts given, cleared once decided; the reason (a department's too). */
    public String phone;

    public String email;

    public String reason;

    /** {@link Kind#CREATE}: the account to be created (its roles in {@link #roles}, contacts in phone and email). */
    public String username;

    @Column(name = "display_name")
    public String displayName;

    /** {@link Kind#CREATE}: the new account's department; a department's change: the department. */
    @Column(name = "department_code")
    public String departmentCode;

    /** A department's change: the department's version the requester read; confirmed only while it still is. */
    @Column(name = "department_version")
    public Long departmentVersion;

    /** {@link Kind#CREATE}: the staff member's 公民身份号码 and the password's hash, cleared once decided. */
    @Column(name = "id_number")
    public String idNumber;

    @Column(name = "password_hash")
    public String passwordHash;

    @Column(name = "requested_by", nullable = false)
    public UUID requestedBy;

    @Column(name = "requested_at", nullable = false)
    public OffsetDateTime requestedAt;

    @Column(name = "expires_at", nullable = false)
    public OffsetDateTime expiresAt;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Status status;

    @Column(name = "decided_by")
    public UUID decidedBy;

    @Column(name = "decided_at")
    public OffsetDateTime decidedAt;

    @Version
    public long version;

    /** Pending and not past its time. */
    public boolean open() {
        return status == Status.PENDING && OffsetDateTime.now().isBefore(expiresAt);
    }

    /** The status as it stands now: a pending change past its time reads as expired before the sweep marks it. */
    public Status effectiveStatus() {
        return status == Status.PENDING && !open() ? Status.EXPIRED : status;
    }

    /** Ends it; the contacts, ID number and password hash it carried are not kept past the decision. */
    public void end(Status outcome, UUID by) {
        status = outcome;
        decidedBy = by;
        decidedAt = OffsetDateTime.now();
        phone = null;
        email = null;
        idNumber = null;
        passwordHash = null;
    }
}
