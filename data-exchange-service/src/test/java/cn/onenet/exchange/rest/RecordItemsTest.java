package cn.onenet.exchange.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;

import org.dhatim.fastexcel.Workbook;
import org.dhatim.fastexcel.Worksheet;
import org.junit.jupiter.api.Test;

import cn.onenet.common.identifiers.CreditCode;
import cn.onenet.exchange.FakeCatalog;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Records a provider pushes or uploads are checked against the catalogue's information items (信息项) at the door: data
 * type and length of each value, only items the entry lists, the key item present and, where the catalogue names it
 * 公民身份号码 or 统一社会信用代码, valid to its check character. A refused push stores nothing; an entry whose items the
 * exchange does not know takes nothing.
 */
@QuarkusTest
class RecordItemsTest extends HostedRecordsTestBase {

    static final String ZHANG_WEI = "33010619850312001X";
    static final String LI_NA = "33010619920708002X";

    /** A fresh entry of the test provider listing items of every kind of data type. */
    private void typedEntry(String code) {
        entry(code, "信息项校验测试目录 " + code, "LEVEL_2", "GMSFHM",
                List.of(item("GMSFHM", "公民身份号码", "C", 18), item("XM", "姓名", "C", 4),
                        item("CSRQ", "出生日期", "D", null), item("MJ", "面积", "N", 6), item("JCJS", "缴存基数", "Y", 12),
                        item("RS", "人数", "I", 3), item("SFYX", "是否有效", "L", null),
                        item("DJSJ", "登记时间", "T", null), item("JTCY", "家庭成员", "G", null)));
    }

    @Test
    void valuesOfTheRightTypeAndLengthAreStored() {
        String code = "330000-01-02/907201";
        typedEntry(code);
        // numbers as JSON numbers or as text (a CSV holds only text), dates, times with or without offset, structures
        // in a 通用型 item
        push(code, List.of(record("GMSFHM", ZHANG_WEI, "XM", "张伟", "CSRQ", "1985-03-12", "MJ", 89.5, "JCJS", "12000.50",
                "RS", 3, "SFYX", true, "DJSJ", "2026-11-21T09:30:00+08:00", "JTCY", List.of(Map.of("XM", "李娜"))),
                record("GMSFHM", LI_NA, "XM", "欧阳娜娜", "MJ", "-120.3", "RS", "12", "SFYX", "FALSE",
                        "DJSJ", "2026-11-21 09:30:00"))).then().statusCode(201).body("records", equalTo(2));
        upload(code, "GMSFHM,XM,CSRQ,MJ\n" + ZHANG_WEI + ",张伟,1985-03-12,89.5\n").then().statusCode(201)
                .body("records", equalTo(1));
        assertEquals(2, stored(code));
    }

    @Test
    void aValueThatDoesNotFitItsItemIsRefusedNamingItAndNothingIsStored() {
        String code = "330000-01-02/907202";
        typedEntry(code);
        push(code, List.of(record("GMSFHM", ZHANG_WEI, "XM", "张伟"))).then().statusCode(201);
        String wrongCheck = LI_NA.substring(0, 17) + "1";
        Response refused = push(code, List.of(
                record("GMSFHM", LI_NA, "XM", "欧阳娜娜娜"), // five characters, the item holds four
                record("GMSFHM", LI_NA, "CSRQ", "1985-02-30"), // no such day
                record("GMSFHM", LI_NA, "MJ", "八十九", "RS", 12.5), // not a number; not a whole number
                record("GMSFHM", LI_NA, "SFYX", "是", "DJSJ", "2026/11/21 09:30"),
                record("GMSFHM", wrongCheck, "XM", "李娜"), // a 公民身份号码 whose check character is wrong
                record("GMSFHM", LI_NA, "ZY", "教师", "XM", Map.of("姓", "李")), // an item not listed; an object as text
                record("XM", "无主键"), // the key item is required
                record("GMSFHM", LI_NA, "MJ", 1234567, "JCJS", "1,000")) // seven digits, the item holds six
        );
        refused.then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItems("records[0].XM", "records[1].CSRQ", "records[2].MJ", "records[2].RS",
                        "records[3].SFYX", "records[3].DJSJ", "records[4].GMSFHM", "records[5].ZY", "records[5].XM",
                        "records[6].GMSFHM", "records[7].MJ", "records[7].JCJS"))
                .body("errors.find { it.field == 'records[0].XM' }.message", containsString("4"))
                .body("errors.find { it.field == 'records[1].CSRQ' }.message", containsString("yyyy-MM-dd"))
                .body("errors.find { it.field == 'records[4].GMSFHM' }.message", containsString("校验码"))
                .body("requestId", notNullValue());
        assertEquals(12, refused.jsonPath().getList("errors").size(), refused.asString());
        // nothing of the refused push was stored, its valid records neither
        assertEquals(1, stored(code));
        // an upload is checked alike
        upload(code, "GMSFHM,XM,CSRQ\n" + LI_NA + ",李娜,19920708\n").then().statusCode(400)
                .contentType("application/problem+json").body("field", equalTo("records[0].CSRQ"));
        assertEquals(1, stored(code));
    }

    /** A spreadsheet of one header row and the rows {@code fill} writes below it, as Excel would save it. */
    private static byte[] xlsx(java.util.function.Consumer<Worksheet> fill, String... header) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Workbook wb = new Workbook(out, "test", "1.0")) {
            Worksheet ws = wb.newWorksheet("数据");
            for (int c = 0; c < header.length; c++) {
                ws.value(0, c, header[c]);
            }
            fill.accept(ws);
        }
        return out.toByteArray();
    }

    private static Response uploadExcel(String code, byte[] xlsx) {
        return given().urlEncodingEnabled(false).auth().oauth2(operator(PROVIDER)).contentType(DatasetResource.XLSX)
                .body(xlsx).post("/api/exchange/v1/datasets/" + FakeCatalog.encoded(code) + "/uploads");
    }

    /**
     * Excel keeps a date as a serial number shown through a date format: such a cell is a date (日期型, and with the
     * time 日期时间型), read as the day it shows; a number in an ordinary number format is a number, stored as such in
     * a 数值型 item and refused in a date item, nothing stored.
     */
    @Test
    void anExcelDateCellIsADateAndAPlainNumberIsNot() throws IOException {
        String code = "330000-01-02/907206";
        typedEntry(code);
        byte[] dates = xlsx(ws -> {
            ws.value(1, 0, ZHANG_WEI);
            ws.value(1, 1, "张三");
            ws.value(1, 2, LocalDate.of(1985, 3, 12));
            ws.style(1, 2).format("yyyy-mm-dd").set();
            ws.value(1, 3, 89.5);
            ws.value(1, 4, LocalDateTime.of(2026, 11, 21, 9, 30));
            ws.style(1, 4).format("yyyy-mm-dd hh:mm:ss").set();
            ws.value(2, 0, LI_NA);
            ws.value(2, 1, "李四");
            // a long date as the zh-CN edition of Excel shows it (FastExcel writes quotes in a format code unescaped,
            // so the quoted form yyyy"年"… is left to ExcelCellsTest)
            ws.value(2, 2, LocalDate.of(1992, 7, 8));
            ws.style(2, 2).format("yyyy年m月d日").set();
        }, "GMSFHM", "XM", "CSRQ", "MJ", "DJSJ");
        uploadExcel(code, dates).then().statusCode(201).body("records", equalTo(2));
        Map<String, Object> zhang = QuarkusTransaction.requiringNew().call(() -> datasets.find(code, ZHANG_WEI));
        assertEquals("1985-03-12", zhang.get("CSRQ"), zhang.toString());
        assertEquals("2026-11-21T09:30:00", zhang.get("DJSJ"), zhang.toString());
        assertEquals("89.5", zhang.get("MJ"), zhang.toString());
        Map<String, Object> li = QuarkusTransaction.requiringNew().call(() -> datasets.find(code, LI_NA));
        assertEquals("1992-07-08", li.get("CSRQ"), li.toString());

        // the same serial number without a date format is a number, not a day: refused naming the cell's item
        String other = "330000-01-02/907207";
        typedEntry(other);
        byte[] serial = xlsx(ws -> {
            ws.value(1, 0, ZHANG_WEI);
            ws.value(1, 1, "张三");
            ws.value(1, 2, 31118);
            ws.value(1, 3, 89.5);
        }, "GMSFHM", "XM", "CSRQ", "MJ");
        uploadExcel(other, serial).then().statusCode(400).contentType("application/problem+json")
                .body("field", equalTo("records[0].CSRQ"))
                .body("errors[0].message", containsString("yyyy-MM-dd")).body("requestId", notNullValue());
        assertEquals(0, stored(other));
    }

    @Test
    void aKeyTheCatalogueNamesACreditCodeIsValidToItsCheckCharacter() {
        String code = "330000-01-07/907203";
        entry(code, "信息项校验测试法人目录", "LEVEL_1", "TYSHXYDM",
                List.of(item("TYSHXYDM", "统一社会信用代码", "C", 18), item("QYMC", "企业名称", "C", 200)));
        String valid = "91330106MA2H00001E";
        String first17 = valid.substring(0, 17);
        char wrong = CreditCode.checkCharacter(first17) == 'A' ? 'B' : 'A';
        push(code, List.of(record("TYSHXYDM", first17 + wrong, "QYMC", "杭州数智科技有限公司"))).then().statusCode(400)
                .contentType("application/problem+json").body("field", equalTo("records[0].TYSHXYDM"))
                .body("errors[0].message", containsString("统一社会信用代码"));
        assertEquals(0, stored(code));
        push(code, List.of(record("TYSHXYDM", valid, "QYMC", "杭州数智科技有限公司"))).then().statusCode(201);
    }

    @Test
    void anEntryWhoseItemsTheExchangeDoesNotKnowTakesNothing() {
        // the replica holds no items for the entry (the catalogue lists at least one: they are not known yet)
        String none = "330000-01-02/907204";
        entry(none, "信息项未知测试目录", "LEVEL_2", "GMSFHM", List.of());
        push(none, List.of(record("GMSFHM", ZHANG_WEI))).then().statusCode(409)
                .contentType("application/problem+json").body("field", equalTo("items"))
                .body("detail", containsString("信息项")).body("requestId", notNullValue());
        assertEquals(0, stored(none));
        // an item of a data type the exchange does not know: its values cannot be checked
        String odd = "330000-01-02/907205";
        entry(odd, "数据类型未知测试目录", "LEVEL_2", "GMSFHM",
                List.of(item("GMSFHM", "公民身份号码", "C", 18), item("ZP", "照片", "X", null)));
        push(odd, List.of(record("GMSFHM", ZHANG_WEI, "ZP", "..."))).then().statusCode(409)
                .contentType("application/problem+json").body("field", equalTo("records[0].ZP"));
        assertEquals(0, stored(odd));
        // records without that item are checked and stored
        push(odd, List.of(record("GMSFHM", ZHANG_WEI))).then().statusCode(201);
    }

    @Test
    void aNumberTooLargeForAnyItemIsRefusedNamingIt() {
        String code = "330000-01-02/907208";
        typedEntry(code);
        // 1e400 is beyond a double: read as infinity, no item holds it (nor can JSON store it), text and 通用型 neither
        String body = "[{\"GMSFHM\": \"" + ZHANG_WEI + "\", \"MJ\": 1e400, \"RS\": -1e400, \"JCJS\": 1e400, "
                + "\"XM\": 1e400, \"JTCY\": [{\"RS\": 1e400}]}]";
        push(code, body).then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItems("records[0].MJ", "records[0].RS", "records[0].JCJS", "records[0].XM",
                        "records[0].JTCY"))
                .body("errors.find { it.field == 'records[0].MJ' }.message", containsString("超出"))
                .body("requestId", notNullValue());
        assertEquals(0, stored(code));
    }
}
