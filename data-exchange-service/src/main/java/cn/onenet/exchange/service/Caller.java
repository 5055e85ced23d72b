package cn.onenet.exchange.service;

import java.util.Set;

/**
 * Who is calling, from the access token (docs/token-claims.md); {@code name} is the display name (claim {@code name},
 * else {@code preferred_username}), null for department systems.
 */
public record Caller(String subject, String clientId, String department, Set<String> roles, String cnId,
        String uscc, String region, String name) {

    /** Without region and name claims (demo and internal callers). */
    public Caller(String subject, String clientId, String department, Set<String> roles, String cnId, String uscc) {
        this(subject, clientId, department, roles, cnId, uscc, null, null);
    }

    public boolean has(String role) {
        return roles.contains(role);
    }

    /** 主管部门 roles. */
    public boolean isAuthority() {
        return roles.contains("reviewer") || roles.contains("admin") || roles.contains("auditor");
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
