package cn.onenet.catalog.service;

import java.util.Set;

/**
 * Who is calling: the token's subject, roles, department (the {@code dept} claim), the department's GB/T 2260
 * region code (the {@code region} claim), the person's display name (the {@code name} claim, else
 * {@code preferred_username}; none for department systems), recorded beside the subject in an entry's history, and
 * whether the department is its region's 主管部门 (the {@code competent_authority} claim, from identity-service's
 * department register).
 */
public record Caller(String subject, Set<String> roles, String department, String region, String name,
        boolean competentAuthority) {

    /** A caller whose department is not a 主管部门. */
    public Caller(String subject, Set<String> roles, String department, String region, String name) {
        this(subject, roles, department, region, name, false);
    }

    public static final String EDITOR = "catalog-editor";
    public static final String REVIEWER = "reviewer";
    public static final String ADMIN = "admin";
    public static final String SYSTEM = "system";
    /** 审计: reads everything (every region, state, draft and record) and changes nothing. */
    public static final String AUDITOR = "auditor";
    /**
     * 部门负责人: the head of a department, who approves its catalogue entries before submission (R4, 条例 Art. 13)
     * with their own account, and reads the department's drafts to do so.
     */
    public static final String HEAD = "head";

    /** A caller without a display name. */
    public Caller(String subject, Set<String> roles, String department, String region) {
        this(subject, roles, department, region, null);
    }

    /** A caller without a region (reviewers need one to review, R5). */
    public Caller(String subject, Set<String> roles, String department) {
        this(subject, roles, department, null);
    }

    public static Caller anonymous() {
        return new Caller(null, Set.of(), null, null);
    }

    public boolean anonymousCaller() {
        return subject == null;
    }

    /** 业务办理人员: requests and provides data through the exchange. */
    public static final String OPERATOR = "operator";

    /** The roles of government staff and department systems (citizens and enterprises hold none of them). */
    private static final Set<String> GOVERNMENT_ROLES = Set.of(OPERATOR, EDITOR, HEAD, REVIEWER, ADMIN, AUDITOR,
            SYSTEM);

    /**
     * Whether the caller reads the government view of the published catalogue (entries not open to the public, their
     * older versions): a token naming a department (civil servants, department systems) or holding a government role.
     * Citizens (role {@code citizen}) and enterprises (role {@code enterprise}) get exactly the open view anonymous
     * callers get, and so do civil servants of a deactivated department, whose tokens carry neither.
     */
    public boolean governmentCaller() {
        return (department != null && !department.isBlank()) || roles.stream().anyMatch(GOVERNMENT_ROLES::contains);
    }

    /** Reads the open-data view only (entries open to the public): everyone who is not a {@link #governmentCaller}. */
    public boolean openViewOnly() {
        return !governmentCaller();
    }

    public boolean has(String role) {
        return roles.contains(role);
    }

    /** The role under which an action is recorded. */
    public String mainRole() {
        for (String r : new String[] {ADMIN, REVIEWER, EDITOR, SYSTEM, AUDITOR, HEAD}) {
            if (roles.contains(r)) {
                return r;
            }
        }
        return roles.isEmpty() ? null : roles.iterator().next();
    }

    /**
     * May see unpublished drafts, review states and history of the entries of this provider and region: admins and
     * auditors all, reviewers those of their own region (the entries they review, R5), editors and heads their
     * department's.
     */
    public boolean mayReadDrafts(String providerCode, String regionCode) {
        return has(ADMIN) || has(AUDITOR) || (has(REVIEWER) && region != null && region.equals(regionCode))
                || ((has(EDITOR) || has(HEAD)) && providerCode.equals(department));
    }

    /**
     * Sees who published a version by name: the reviewers, admins and auditors of the 主管部门. Everyone else learns
     * the publishing body and the time only; the publisher's account id is shown to nobody.
     */
    public boolean seesPublisherName() {
        return has(REVIEWER) || has(ADMIN) || has(AUDITOR);
    }

    /** Reads the work lists of every region (admins and auditors; reviewers see their own region's). */
    public boolean readsEveryRegion() {
        return has(ADMIN) || has(AUDITOR);
    }
}
