package cn.onenet.catalog.model;

import java.util.List;

/** 资源属性分类 of the 编制指南, with the listed categories; the class digit is the first digit of the code (类). */
public enum ResourceClass {
    BASE("1", "基础信息资源", List.of("人口", "法人单位", "自然资源和空间地理", "社会信用", "电子证照")),
    THEMATIC("2", "主题信息资源", List.of("公共服务", "健康保障", "社会保障", "食品药品安全", "安全生产", "价格监管", "能源安全",
            "信用体系", "城乡建设", "社区治理", "生态环保", "应急维稳")),
    DEPARTMENT("3", "部门信息资源", List.of("党中央", "全国人大常委会", "国务院", "全国政协", "最高人民法院", "最高人民检察院",
            "省（自治区、直辖市）及其下各级政务部门", "计划单列市及其下各级政务部门"));

    private final String digit;
    private final String label;
    private final List<String> categories;

    ResourceClass(String digit, String label, List<String> categories) {
        this.digit = digit;
        this.label = label;
        this.categories = categories;
    }

    public String digit() {
        return digit;
    }

    public String label() {
        return label;
    }

    public List<String> categories() {
        return categories;
    }

    /** The two-digit 项 code of a category: its position in the guide's list, from 01. */
    public String itemCodeOf(String category) {
        int i = categories.indexOf(category);
        return i < 0 ? null : String.format("%02d", i + 1);
    }
}
