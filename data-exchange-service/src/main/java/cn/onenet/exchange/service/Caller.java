package cn.onenet.exchange.service;

import java.util.Set;

/**
 * Who is calling, from the access token (docs/token-claims.md); {@code name} is the display name (claim {@code name},
 * else {@code preferred_username}), null for department systems; {@code competentAuthority} is the
 * {@code competent_authority} claim: the caller's department is its region's 政务数据共享主管部门.
 */
public record Caller(String subject, String clientId, String department, Set<String> roles, String cnId,
        String uscc, String region, String name, boolean competentAuthority) {

    /** Without region and name claims (demo and internal callers). */
    public Caller(String subject, String clientId, String department, Set<String> roles, String cnId, String uscc) {
        this(subject, clientId, department, roles, cnId, uscc, null, null, false);
    }

    /** Of a department that is not a 主管部门. */
    public Caller(String subject, String clientId, String department, Set<String> roles, String cnId, String uscc,
            String region, String name) {
        this(subject, clientId, department, roles, cnId, uscc, region, name, false);
    }

    public boolean has(String role) {
        return roles.contains(role);
    }

    /**
     * Roles that read as the 主管部门 does (reviewers, admins, auditors of any department); deciding as the 主管部门
     * takes more ({@link #decidesAsAuthority}).
     */
    public boolean isAuthority() {
        return roles.contains("reviewer") || roles.contains("admin") || roles.contains("auditor");
    }

    /**
     * Whether the caller takes the 主管部门's decisions (R14, R17, R8 extensions, complaints, incidents): a
     * {@code reviewer} whose department is its region's 主管部门 ({@code competent_authority} claim). Not an
     * {@code admin}, who runs the platform and is not the 主管部门; not a reviewer of another department. Which region
     * it decides for is {@link Jurisdiction}'s business.
     */
    public boolean decidesAsAuthority() {
        return roles.contains("reviewer") && competentAuthority;
    }

    /**
     * The data subject a citizen (its 公民身份号码, {@code cn_id}) or an enterprise account (its 统一社会信用代码,
     * {@code uscc}) speaks for in the citizens' view and in complaints; null for other callers.
     */
    public String dataSubject() {
        String subject = has("citizen") && cnId != null ? cnId : has("enterprise") ? uscc : null;
        return subject == null || subject.isBlank() ? null : subject;
    }

    public String departmentOrFail() {
        if (department == null || department.isBlank()) {
            throw cn.onenet.common.problem.ApiException.forbidden("令牌缺少部门 (dept) / the token names no department");
        }
        return department;
    }
}
