package cn.onenet.exchange.service;

import java.util.Set;

/** Who is calling, from the access token (docs/token-claims.md). */
public record Caller(String subject, String clientId, String department, Set<String> roles, String cnId,
        String uscc, String region) {

    /** Without a region claim (demo and internal callers). */
    public Caller(String subject, String clientId, String department, Set<String> roles, String cnId, String uscc) {
        this(subject, clientId, department, roles, cnId, uscc, null);
    }

    public boolean has(String role) {
        return roles.contains(role);
    }

    /** 主管部门 roles. */
    public boolean isAuthority() {
        return roles.contains("reviewer") || roles.contains("admin") || roles.contains("auditor");
    }

    public String departmentOrFail() {
        if (department == null || department.isBlank()) {
            throw cn.onenet.common.problem.ApiException.forbidden("令牌缺少部门 (dept) / the token names no department");
        }
        return department;
    }
}
