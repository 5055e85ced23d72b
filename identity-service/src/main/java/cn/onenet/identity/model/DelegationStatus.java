package cn.onenet.identity.model;

/** Life of an agent authorisation (经办人授权). */
public enum DelegationStatus {
    PENDING,  // 待经办人确认
    ACTIVE,   // 生效
    REVOKED,  // 已撤销
    DECLINED  // 经办人拒绝
}
