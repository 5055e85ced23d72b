package cn.onenet.catalog.model;

/**
 * Where the provider's 备案 for a change that narrows what is shared stands (条例 Art. 27 ¶3): filed and waiting for
 * the 主管部门 to accept it (备案待接收), or accepted. A work-list filter.
 */
public enum FilingStatus {
    AWAITING_ACCEPTANCE,
    ACCEPTED
}
