package cn.onenet.catalog.model;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The metadata of one catalogue entry: the 编制指南 core metadata plus the 条例 Art. 13 fields. Stored as a JSON
 * document (draft and published copy), and the shape of the change feed's {@code entry}.
 */
@Schema(example = EntryContent.EXAMPLE)
public record EntryContent(
        Classification classification,       // 信息资源分类
        String name,                         // 信息资源名称
        String providerDepartmentCode,       // 信息资源提供方代码 (统一社会信用代码)
        String providerDepartmentName,       // 信息资源提供方
        String regionCode,                   // GB/T 2260
        @JsonProperty("abstract") String summary, // 信息资源摘要
        Format format,                       // 信息资源格式
        List<DataItem> items,                // 信息项
        String keyItem,                      // the item records are looked up by
        ShareAttribute shareAttribute,       // 共享类型
        String shareConditions,              // 共享条件 (有条件)
        String shareScope,                   // 共享范围 (有条件)
        List<String> permittedPurposes,      // 使用用途 (有条件)
        String notSharedReason,              // 不予共享理由
        LegalBasis notSharedLegalBasis,      // 不予共享依据
        ShareMethod shareMethod,             // 共享方式
        OpenAttribute openAttribute,         // 开放属性
        String openConditions,               // 开放条件
        UpdateCycle updateCycle,             // 更新周期
        String dataCategory,                 // 数据分类
        DataGrade grade,                     // 数据分级
        List<String> relatedResourceCodes,   // 关联资源代码
        List<String> keywords,               // 关键字
        Boolean secret) {                    // 涉密 (a sharing catalogue holds only 非涉密 entries)

    public EntryContent {
        // Not stated means not secret: an entry saved once without the flag and once with false is the same content
        // (an edit that changes nothing must not withdraw its assessments and approval).
        secret = Boolean.TRUE.equals(secret);
        // codes typed full-width or with an ideographic space are the same codes (see Codes)
        // the department as identity-service's register and the editors' tokens name it (upper case)
        providerDepartmentCode = Codes.department(providerDepartmentCode);
        regionCode = Codes.normalize(regionCode);
        keyItem = Codes.normalize(keyItem);
        relatedResourceCodes = Codes.normalize(relatedResourceCodes);
    }

    /** The members of {@link #EXAMPLE}, for documents that add their own to them (the change feed's entry). */
    public static final String EXAMPLE_MEMBERS = """
            "classification":{"resourceClass":"BASE","category":"人口","itemCode":"01","catalogCode":"001"},
             "name":"居民户籍信息","providerDepartmentCode":"11330000002481020A","providerDepartmentName":"浙江省公安厅",
             "regionCode":"330000","abstract":"全省常住居民户籍登记信息",
             "format":{"formatClass":"DATABASE","formatType":"PostgreSQL"},
             "items":[{"code":"GMSFHM","name":"公民身份号码","dataType":"C","length":18,"sensitive":true,"authoritativeSource":true},
                      {"code":"XM","name":"姓名","dataType":"C","length":50,"sensitive":true}],
             "keyItem":"GMSFHM","shareAttribute":"CONDITIONAL","shareConditions":"仅限办理社会保障、公积金业务时使用",
             "shareScope":"省内各级政务部门","permittedPurposes":["社会保障待遇资格认证"],
             "shareMethod":{"methodClass":"PLATFORM","methodType":"API"},"openAttribute":"NOT_OPEN",
             "updateCycle":"DAILY","dataCategory":"人口基础信息","grade":"LEVEL_3","keywords":["户籍","户口"]""";

    /** A conditionally shared entry of 浙江省公安厅, as the API documents it. */
    public static final String EXAMPLE = "{" + EXAMPLE_MEMBERS + "}";

    public record Classification(ResourceClass resourceClass, String category, String itemCode, String catalogCode,
            String detailCode) {

        public Classification {
            itemCode = Codes.normalize(itemCode);
            catalogCode = Codes.normalize(catalogCode);
            detailCode = Codes.normalize(detailCode);
            detailCode = detailCode == null || detailCode.isEmpty() ? null : detailCode; // 细目 is optional
        }

        /** 类(1) + 项(2) + 目(3) + 细目(variable). */
        public String code() {
            return resourceClass.digit() + itemCode + catalogCode + (detailCode == null ? "" : detailCode);
        }
    }

    public record Format(FormatClass formatClass, String formatType) {
    }

    public record DataItem(String code, String name, DataType dataType, Integer length, String description,
            Boolean sensitive, Boolean authoritativeSource) {

        public DataItem {
            // an item is known by its name across departments (R11, one 数源部门 per item): a name typed with a
            // trailing ideographic space (U+3000, as Chinese input methods and spreadsheet cells leave it) is the
            // same item, not another one
            name = name == null ? null : name.strip();
            code = Codes.normalize(code);
        }
    }

    public record LegalBasis(LegalBasisType type, String title, String article) {
    }

    public record ShareMethod(ShareMethodClass methodClass, ShareMethodType methodType) {
    }

    public List<DataItem> itemsOrEmpty() {
        return items == null ? List.of() : items;
    }
}
