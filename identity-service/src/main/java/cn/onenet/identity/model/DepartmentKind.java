package cn.onenet.identity.model;

/** 条例 Art. 2: only these two kinds of body take part in sharing. */
public enum DepartmentKind {
    GOVERNMENT_DEPARTMENT,   // 政府部门
    AUTHORISED_ORGANISATION  // 法律法规授权的具有管理公共事务职能的组织
}
