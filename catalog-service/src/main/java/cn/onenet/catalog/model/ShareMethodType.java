package cn.onenet.catalog.model;

/** 共享方式类型. */
public enum ShareMethodType {
    FILE("文件"),
    DATABASE("数据库"),
    API("接口");

    public final String label;

    ShareMethodType(String label) {
        this.label = label;
    }
}
