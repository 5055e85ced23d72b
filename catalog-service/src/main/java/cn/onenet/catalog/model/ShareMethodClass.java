package cn.onenet.catalog.model;

/** 共享方式分类. */
public enum ShareMethodClass {
    PLATFORM("共享平台方式"),
    OTHER("其他方式");

    public final String label;

    ShareMethodClass(String label) {
        this.label = label;
    }
}
