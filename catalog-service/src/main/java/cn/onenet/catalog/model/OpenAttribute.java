package cn.onenet.catalog.model;

/** 开放属性: whether the entry is open to the public (向社会开放). */
public enum OpenAttribute {
    OPEN("向社会开放"),
    NOT_OPEN("不向社会开放");

    public final String label;

    OpenAttribute(String label) {
        this.label = label;
    }
}
