package cn.onenet.catalog.model;

/** 共享属性 (条例 Art. 14), declared from the widest to the strictest. */
public enum ShareAttribute {
    UNCONDITIONAL("无条件共享"),
    CONDITIONAL("有条件共享"),
    NOT_SHARED("不予共享");

    public final String label;

    ShareAttribute(String label) {
        this.label = label;
    }

    /** Whether sharing under this attribute is narrower than under {@code other}. */
    public boolean stricterThan(ShareAttribute other) {
        return other != null && ordinal() > other.ordinal();
    }
}
