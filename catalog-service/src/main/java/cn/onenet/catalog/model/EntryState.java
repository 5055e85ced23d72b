package cn.onenet.catalog.model;

/** Lifecycle of a catalogue entry (条例 Arts. 13, 16, 17, 27). */
public enum EntryState {
    DRAFT("草稿"),
    SUBMITTED("待审核"),
    RETURNED("退回修改"),
    APPROVED("审核通过"),
    PUBLISHED("已发布"),
    CHANGE_PENDING("变更中"),
    DEREGISTER_PENDING("注销待审"),
    DEREGISTERED("已注销");

    public final String label;

    EntryState(String label) {
        this.label = label;
    }

    /** The states in which the department edits its draft. */
    public boolean editable() {
        return this == DRAFT || this == RETURNED || this == CHANGE_PENDING;
    }
}
