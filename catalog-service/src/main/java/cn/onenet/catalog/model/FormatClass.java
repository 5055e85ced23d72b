package cn.onenet.catalog.model;

/** 信息资源格式分类. */
public enum FormatClass {
    ELECTRONIC_FILE("电子文件"),
    SPREADSHEET("电子表格"),
    DATABASE("数据库"),
    IMAGE("图形图像"),
    STREAMING_MEDIA("流媒体"),
    SELF_DESCRIBING("自描述格式"),
    SERVICE_INTERFACE("服务接口");

    public final String label;

    FormatClass(String label) {
        this.label = label;
    }

    /** File-like formats: shared through the platform they must use the method type FILE (编制指南 checklist). */
    public boolean fileLike() {
        return this == ELECTRONIC_FILE || this == SPREADSHEET || this == IMAGE || this == STREAMING_MEDIA
                || this == SELF_DESCRIBING;
    }
}
