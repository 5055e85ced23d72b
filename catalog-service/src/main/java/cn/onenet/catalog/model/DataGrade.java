package cn.onenet.catalog.model;

/** 数据分级 (GB/T 43697-2024): core, important, and general data in four sub-levels. */
public enum DataGrade {
    CORE("核心数据"),
    IMPORTANT("重要数据"),
    LEVEL_4("一般数据4级"),
    LEVEL_3("一般数据3级"),
    LEVEL_2("一般数据2级"),
    LEVEL_1("一般数据1级");

    public final String label;

    DataGrade(String label) {
        this.label = label;
    }
}
