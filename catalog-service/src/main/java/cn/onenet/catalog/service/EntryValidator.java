package cn.onenet.catalog.service;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import cn.onenet.catalog.model.DataType;
import cn.onenet.catalog.model.EntryContent;
import cn.onenet.catalog.model.EntryContent.DataItem;
import cn.onenet.catalog.model.OpenAttribute;
import cn.onenet.catalog.model.ResourceClass;
import cn.onenet.catalog.model.ShareAttribute;
import cn.onenet.catalog.model.ShareMethodClass;
import cn.onenet.catalog.model.ShareMethodType;
import cn.onenet.common.identifiers.CreditCode;
import cn.onenet.common.problem.FieldError;
import cn.onenet.common.problem.PrintableText;

/**
 * Mandatory-field and consistency rules of an entry (条例 Arts. 13–15, 编制指南 core metadata). Returns every
 * problem at once, each with its field, so a department fixes the whole form in one go.
 */
@ApplicationScoped
public class EntryValidator {

    private final Json json;

    public EntryValidator(Json json) {
        this.json = json;
    }

    private static final Pattern ITEM_CODE = Pattern.compile("[A-Z][A-Z0-9_]{0,39}");
    private static final Pattern REGION = Pattern.compile("\\d{6}");
    private static final Pattern DIGITS = Pattern.compile("\\d*");
    private static final Pattern RESOURCE_CODE = Pattern.compile("\\d{6,}/\\d+");

    public List<FieldError> validate(EntryContent c) {
        List<FieldError> errors = new ArrayList<>();
        if (c == null) {
            errors.add(new FieldError("", "请求体不能为空 / body required"));
            return errors;
        }
        classification(c, errors);
        required(errors, "name", c.name(), 200, "信息资源名称", "resource name");
        if (blank(c.providerDepartmentCode())) {
            errors.add(new FieldError("providerDepartmentCode", "信息资源提供方代码必填 / provider code required"));
        } else {
            CreditCode.problem(c.providerDepartmentCode())
                    .ifPresent(p -> errors.add(new FieldError("providerDepartmentCode", p)));
        }
        required(errors, "providerDepartmentName", c.providerDepartmentName(), 200, "信息资源提供方",
                "provider department name");
        if (blank(c.regionCode()) || !REGION.matcher(c.regionCode()).matches()) {
            errors.add(new FieldError("regionCode", "行政区划代码应为6位数字 / region code must be 6 digits (GB/T 2260)"));
        }
        required(errors, "abstract", c.summary(), 2000, "信息资源摘要", "abstract");
        if (c.format() == null || c.format().formatClass() == null) {
            errors.add(new FieldError("format.formatClass", "信息资源格式分类必填 / format class required"));
        }
        if (c.format() == null || blank(c.format().formatType())) {
            errors.add(new FieldError("format.formatType", "信息资源格式类型必填 / format type required"));
        }
        items(c, errors);
        share(c, errors);
        method(c, errors);
        open(c, errors);
        if (c.updateCycle() == null) {
            errors.add(new FieldError("updateCycle", "更新周期必填 / update cycle required"));
        }
        required(errors, "dataCategory", c.dataCategory(), 100, "数据分类", "data category");
        if (c.grade() == null) {
            errors.add(new FieldError("grade", "数据分级必填 / data grade required"));
        }
        if (Boolean.TRUE.equals(c.secret())) {
            errors.add(new FieldError("secret",
                    "涉密数据不属于政务数据，不得编入共享目录 / state or work secrets cannot be catalogued for sharing"));
        }
        List<String> related = c.relatedResourceCodes() == null ? List.of() : c.relatedResourceCodes();
        for (int i = 0; i < related.size(); i++) {
            if (related.get(i) == null || !RESOURCE_CODE.matcher(related.get(i)).matches()) {
                errors.add(new FieldError("relatedResourceCodes[" + i + "]",
                        "关联资源代码格式应为 分类码/顺序码 / related code must be classification/sequence"));
            }
        }
        List<String> keywords = c.keywords() == null ? List.of() : c.keywords();
        for (int i = 0; i < keywords.size(); i++) {
            if (blank(keywords.get(i)) || keywords.get(i).length() > 50) {
                errors.add(new FieldError("keywords[" + i + "]", "关键字应为1-50字 / keyword must be 1-50 characters"));
            }
        }
        listValues(errors, "keywords", keywords);
        listValues(errors, "permittedPurposes", c.permittedPurposes() == null ? List.of() : c.permittedPurposes());
        characters(json.tree(c), "", errors);
        return errors;
    }

    /**
     * The texts of an entry that may run over several lines (descriptions and conditions, at most 1000 or 2000
     * characters), by their path with the list indices left out. Every other text is one line: names, titles, codes,
     * short labels (a name, a department, a format type, a keyword, a law's title and article, ...), which the console
     * shows in one line, the spreadsheet in one cell and the DCAT export as one literal.
     */
    static final Set<String> MULTI_LINE = Set.of("abstract", "items.description", "shareConditions", "shareScope",
            "notSharedReason", "openConditions");

    private static final Pattern INDEX = Pattern.compile("\\[\\d+]");

    /**
     * Every text of the entry is printable Unicode ({@link PrintableText}): a control character (C0, DEL, C1; U+0000 is
     * also refused when the body is read) is lost or garbled on the way to a spreadsheet (an .xlsx cell cannot hold it),
     * the DCAT export and the exchange, and an unpaired surrogate cannot be stored at all (the database keeps a "?"
     * instead). Tab and line breaks are allowed in the {@link #MULTI_LINE} texts only: in a one-line text (a name, a
     * code) they, and the line and paragraph separators U+2028 and U+2029, split what is one value. Each is refused
     * with the field it is in, as the API names it ({@code items[2].name}).
     */
    private static void characters(JsonNode node, String path, List<FieldError> errors) {
        if (node.isTextual()) {
            PrintableText.Lines lines = MULTI_LINE.contains(INDEX.matcher(path).replaceAll(""))
                    ? PrintableText.Lines.MULTI : PrintableText.Lines.SINGLE;
            String problem = characterProblem(node.textValue(), lines);
            if (problem != null) {
                errors.add(new FieldError(path, problem));
            }
        } else if (node.isObject()) {
            node.fields().forEachRemaining(f -> characters(f.getValue(), path.isEmpty() ? f.getKey()
                    : path + "." + f.getKey(), errors));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                characters(node.get(i), path + "[" + i + "]", errors);
            }
        }
    }

    /** {@link #characterProblem(String, PrintableText.Lines)} of a text of several lines. */
    static String characterProblem(String text) {
        return characterProblem(text, PrintableText.Lines.MULTI);
    }

    /**
     * Why the text is not printable Unicode as {@code lines} (the character it holds, named so that a spreadsheet row
     * can be fixed: a control character, a bidirectional control, or a tab or line break in a one-line text; an
     * unpaired surrogate), or null
     * when it is.
     */
    static String characterProblem(String text, PrintableText.Lines lines) {
        int cp = PrintableText.firstUnprintable(text, lines);
        if (cp < 0) {
            return null;
        }
        if (Character.isSurrogate((char) cp)) {
            return "含有不成对的代理字符，不是有效的 Unicode 文本 / holds an unpaired surrogate: not valid Unicode text";
        }
        String code = String.format("U+%04X", cp);
        if (PrintableText.bidiControl(cp)) {
            return "不得包含双向文本控制符 " + code + "（会使文字显示为另一种顺序） / must not contain the bidirectional "
                    + "control " + code + ", which makes the text display in another order than it is";
        }
        if (!Character.isISOControl(cp) || cp == '\t' || cp == '\n' || cp == '\r') {
            return "应为单行文本，不得包含制表符或换行符 " + code + " / must be one line: no tab or line break (" + code + ")";
        }
        return "不得包含控制字符 " + code + " / must not contain the control character " + code;
    }

    /**
     * A list value may not hold the separators the spreadsheet puts between a list's values (; and ；): the sheet
     * would read it back as two values.
     */
    private static void listValues(List<FieldError> errors, String field, List<String> values) {
        for (int i = 0; i < values.size(); i++) {
            String v = values.get(i);
            if (v != null && (v.indexOf(';') >= 0 || v.indexOf('；') >= 0)) {
                errors.add(new FieldError(field + "[" + i + "]", "每项不能含分号（; ；），多项请分别填写 / a value may not "
                        + "contain ; or ；, which separate the values in the spreadsheet: give each value separately"));
            }
        }
    }

    private static void classification(EntryContent c, List<FieldError> errors) {
        var k = c.classification();
        if (k == null || k.resourceClass() == null) {
            errors.add(new FieldError("classification.resourceClass",
                    "资源属性分类必填（基础/主题/部门） / resource class required (BASE, THEMATIC, DEPARTMENT)"));
            return;
        }
        ResourceClass rc = k.resourceClass();
        if (blank(k.category()) || !rc.categories().contains(k.category())) {
            errors.add(new FieldError("classification.category",
                    "类别须为" + rc.label() + "目录所列之一 / category must be one of " + String.join("、", rc.categories())));
        } else if (!rc.itemCodeOf(k.category()).equals(k.itemCode())) {
            errors.add(new FieldError("classification.itemCode", "项代码应为 " + rc.itemCodeOf(k.category())
                    + "，与类别一致 / item code must match the category"));
        }
        if (k.itemCode() == null || !k.itemCode().matches("\\d{2}")) {
            errors.add(new FieldError("classification.itemCode", "项代码应为2位数字 / item code must be 2 digits"));
        }
        if (k.catalogCode() == null || !k.catalogCode().matches("\\d{3}")) {
            errors.add(new FieldError("classification.catalogCode", "目代码应为3位数字 / catalog code must be 3 digits"));
        }
        if (k.detailCode() != null && (!DIGITS.matcher(k.detailCode()).matches() || k.detailCode().length() > 10)) {
            errors.add(new FieldError("classification.detailCode",
                    "细目代码应为数字（至多10位） / detail code must be digits (at most 10)"));
        }
    }

    private static void items(EntryContent c, List<FieldError> errors) {
        List<DataItem> items = c.items();
        if (items == null || items.isEmpty()) {
            errors.add(new FieldError("items", "至少一个信息项 / at least one data item required"));
            return;
        }
        Set<String> codes = new HashSet<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < items.size(); i++) {
            DataItem item = items.get(i);
            String p = "items[" + i + "]";
            if (item == null) {
                errors.add(new FieldError(p, "信息项不能为空 / item must not be null"));
                continue;
            }
            if (item.code() == null || !ITEM_CODE.matcher(item.code()).matches()) {
                errors.add(new FieldError(p + ".code", "信息项代码应为大写字母开头的字母数字 / code must match [A-Z][A-Z0-9_]*"));
            } else if (!codes.add(item.code())) {
                errors.add(new FieldError(p + ".code", "信息项代码重复 / duplicate item code"));
            }
            if (blank(item.name()) || item.name().length() > 100) {
                errors.add(new FieldError(p + ".name", "信息项名称必填（至多100字） / item name required (≤100)"));
            } else if (!names.add(item.name().strip())) {
                errors.add(new FieldError(p + ".name", "信息项名称重复 / duplicate item name"));
            }
            if (item.dataType() == null) {
                errors.add(new FieldError(p + ".dataType", "数据类型必填 / data type required (C/N/Y/D/T/L/M/G/B/I/F)"));
            }
            if (item.length() != null && (item.length() <= 0 || item.length() > 100_000)) {
                errors.add(new FieldError(p + ".length", "数据长度应为正整数 / length must be positive"));
            }
            if (item.length() == null && (item.dataType() == DataType.C || item.dataType() == DataType.N)) {
                errors.add(new FieldError(p + ".length", "字符型和数值型信息项须填数据长度 / C and N items need a length"));
            }
        }
        if (c.keyItem() != null && !codes.contains(c.keyItem())) {
            errors.add(new FieldError("keyItem", "关键信息项须为本目录的信息项代码 / key item must be one of the item codes"));
        }
    }

    private static void share(EntryContent c, List<FieldError> errors) {
        ShareAttribute share = c.shareAttribute();
        if (share == null) {
            errors.add(new FieldError("shareAttribute", "共享属性必填 / share attribute required"));
            return;
        }
        List<String> purposes = c.permittedPurposes() == null ? List.of() : c.permittedPurposes();
        switch (share) {
            case CONDITIONAL -> {
                // 条例 Art. 15: conditional data lists its scope and purposes.
                required(errors, "shareConditions", c.shareConditions(), 1000, "共享条件", "share conditions");
                required(errors, "shareScope", c.shareScope(), 1000, "共享范围", "share scope");
                if (purposes.isEmpty() || purposes.stream().anyMatch(EntryValidator::blank)) {
                    errors.add(new FieldError("permittedPurposes", "有条件共享须列明使用用途 / conditional sharing needs permitted purposes"));
                }
            }
            case NOT_SHARED -> {
                // 条例 Arts. 14, 15: only a law, administrative regulation or State Council decision can forbid it.
                required(errors, "notSharedReason", c.notSharedReason(), 1000, "不予共享理由",
                        "reason for not sharing");
                var basis = c.notSharedLegalBasis();
                if (basis == null || basis.type() == null) {
                    errors.add(new FieldError("notSharedLegalBasis.type",
                            "不予共享须有法律、行政法规或国务院决定依据 / legal basis type required: LAW, ADMINISTRATIVE_REGULATION, STATE_COUNCIL_DECISION"));
                }
                if (basis == null || blank(basis.title())) {
                    errors.add(new FieldError("notSharedLegalBasis.title", PrintableText.missingMessage(
                            basis == null ? null : basis.title(), "须写明依据名称 / legal basis title required")));
                }
                // Art. 15 ¶2: the specific provision, not only the law's name (a whole law rarely forbids sharing)
                required(errors, "notSharedLegalBasis.article", basis == null ? null : basis.article(), 100, "依据条款",
                        "article of the legal basis");
            }
            case UNCONDITIONAL -> {
                // Conditions on unconditional data would be a self-invented obstacle (条例 Art. 15 ¶1).
                if (!blank(c.shareConditions()) || !purposes.isEmpty()) {
                    errors.add(new FieldError("shareConditions", "无条件共享不得附加条件 / unconditional sharing takes no conditions"));
                }
            }
            default -> {
            }
        }
        if (share != ShareAttribute.NOT_SHARED && (c.notSharedLegalBasis() != null || !blank(c.notSharedReason()))) {
            errors.add(new FieldError("notSharedLegalBasis", "仅不予共享填写理由和依据 / only not-shared entries carry a refusal basis"));
        }
    }

    private static void method(EntryContent c, List<FieldError> errors) {
        if (c.shareAttribute() == ShareAttribute.NOT_SHARED) {
            return;
        }
        var m = c.shareMethod();
        if (m == null || m.methodClass() == null) {
            errors.add(new FieldError("shareMethod.methodClass", "共享方式分类必填 / share method class required"));
        }
        if (m == null || m.methodType() == null) {
            errors.add(new FieldError("shareMethod.methodType", "共享方式类型必填 / share method type required"));
            return;
        }
        if (m.methodClass() == ShareMethodClass.PLATFORM && c.format() != null && c.format().formatClass() != null) {
            // 编制指南 checklist: file formats via the platform are shared as files; databases as database or API.
            if (c.format().formatClass().fileLike() && m.methodType() != ShareMethodType.FILE) {
                errors.add(new FieldError("shareMethod.methodType", "文件类资源通过共享平台共享时方式类型应为文件 / file formats shared via the platform use FILE"));
            }
            if (c.format().formatClass() == cn.onenet.catalog.model.FormatClass.DATABASE
                    && m.methodType() == ShareMethodType.FILE) {
                errors.add(new FieldError("shareMethod.methodType", "数据库类资源的共享方式类型应为数据库或接口 / database resources use DATABASE or API"));
            }
        }
    }

    private static void open(EntryContent c, List<FieldError> errors) {
        if (c.openAttribute() == null) {
            errors.add(new FieldError("openAttribute", "开放属性必填 / open attribute required"));
            return;
        }
        if (c.openAttribute() == OpenAttribute.OPEN) {
            required(errors, "openConditions", c.openConditions(), 1000, "开放条件", "open conditions");
            if (c.shareAttribute() == ShareAttribute.NOT_SHARED) {
                errors.add(new FieldError("openAttribute", "不予共享的数据不得向社会开放 / not-shared data cannot be open to the public"));
            }
            if (c.itemsOrEmpty().stream().anyMatch(i -> i != null && Boolean.TRUE.equals(i.sensitive()))) {
                errors.add(new FieldError("openAttribute", "含敏感信息项的数据不得向社会开放 / data with sensitive items cannot be open"));
            }
        }
    }

    /** A required text, named in the messages by its label in Chinese and in English ({@code field}: its API name). */
    private static void required(List<FieldError> errors, String field, String value, int max, String label,
            String english) {
        if (blank(value)) {
            errors.add(new FieldError(field, PrintableText.missingMessage(value, label + "必填 / " + english + " required")));
        } else if (value.length() > max) {
            errors.add(new FieldError(field, label + "过长（至多" + max + "字） / " + english + ": at most " + max
                    + " characters"));
        }
    }

    /**
     * Whether {@code s} is missing or shows nothing: white space of any kind (no-break spaces included), zero-width and
     * other invisible characters only ({@link PrintableText#hasVisibleText}), which a required text may not be.
     */
    static boolean blank(String s) {
        return !PrintableText.hasVisibleText(s);
    }
}
