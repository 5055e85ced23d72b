package cn.onenet.catalog.support;

import static io.restassured.RestAssured.given;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import cn.onenet.catalog.service.SpreadsheetService;
import io.restassured.response.ValidatableResponse;

/** Sheets of the import, written by hand: one entry of 浙江省公安厅 with one data item, as CSV. */
public final class Sheets {

    public static final String IMPORT = "/api/catalog/v1/spreadsheets/entries";

    private Sheets() {
    }

    /** The cells of one valid entry of 浙江省公安厅 (序号 1, one data item), by column; every other column empty. */
    public static Map<String, String> row(String name) {
        Map<String, String> r = new LinkedHashMap<>();
        for (String c : SpreadsheetService.COLUMNS) {
            r.put(c, "");
        }
        r.put("序号", "1");
        r.put("资源属性分类", "BASE");
        r.put("类别", "人口");
        r.put("项代码", "01");
        r.put("目代码", "001");
        r.put("信息资源名称", name);
        r.put("信息资源提供方", "浙江省公安厅");
        r.put("提供方代码", Fixtures.POLICE);
        r.put("行政区划代码", Fixtures.PROVINCE);
        r.put("信息资源摘要", "全省户籍人口的登记信息，供办理社会保障业务核验身份");
        r.put("格式分类", "DATABASE");
        r.put("格式类型", "PostgreSQL");
        r.put("共享属性", "CONDITIONAL");
        r.put("共享条件", "仅限办理社会保障业务时使用");
        r.put("共享范围", "省内各级政务部门");
        r.put("使用用途", "社会保障待遇资格认证");
        r.put("共享方式分类", "PLATFORM");
        r.put("共享方式类型", "API");
        r.put("开放属性", "NOT_OPEN");
        r.put("更新周期", "DAILY");
        r.put("数据分类", "人口基础信息");
        r.put("数据分级", "LEVEL_3");
        r.put("关键字", "户籍");
        r.put("关键信息项", "GMSFHM");
        r.put("信息项代码", "GMSFHM");
        r.put("信息项名称", "公民身份号码");
        r.put("数据类型", "C");
        r.put("数据长度", "18");
        r.put("是否敏感", "是");
        return r;
    }

    /** The header and the row as a CSV file (UTF-8). */
    public static byte[] csv(List<String> header, Map<String, String> row) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CSVPrinter p = new CSVPrinter(new OutputStreamWriter(out, StandardCharsets.UTF_8), CSVFormat.DEFAULT)) {
            p.printRecord(header);
            p.printRecord(header.stream().map(c -> row.getOrDefault(c, "")).toList());
        }
        return out.toByteArray();
    }

    public static ValidatableResponse importFile(String token, byte[] file, String type) {
        return given().auth().oauth2(token).contentType(type).body(file).post(IMPORT).then();
    }
}
