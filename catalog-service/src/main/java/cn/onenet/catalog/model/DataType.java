package cn.onenet.catalog.model;

/** 信息项数据类型 (one-letter codes used across catalogue systems). */
public enum DataType {
    C("字符型"),
    N("数值型"),
    Y("货币型"),
    D("日期型"),
    T("日期时间型"),
    L("逻辑型"),
    M("备注型"),
    G("通用型"),
    B("双精度型"),
    I("整型"),
    F("浮点型");

    public final String label;

    DataType(String label) {
        this.label = label;
    }
}
