package cn.onenet.report;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.dhatim.fastexcel.Workbook;
import org.dhatim.fastexcel.Worksheet;

/** Writes a {@link ReportTable} as CSV or .xlsx, and names the file. */
public final class ReportFiles {

    public static final String CSV = "text/csv";
    public static final String XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    /** First characters that make a spreadsheet program read a CSV cell as a formula (OWASP: CSV injection). */
    private static final String FORMULA_START = "=+-@\t\r";

    private ReportFiles() {
    }

    /**
     * CSV (RFC 4180 quoting, CRLF) in UTF-8 with a BOM, so that spreadsheet programs read the Chinese headers as
     * UTF-8. Text cells that would run as a formula start with {@code '} ({@link #escapeFormula}); numbers as they are,
     * empty cells empty.
     */
    public static void writeCsv(ReportTable table, OutputStream out) throws IOException {
        Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        writer.write('\uFEFF');
        CSVPrinter printer = new CSVPrinter(writer, CSVFormat.DEFAULT);
        printer.printRecord(table.columns());
        for (List<?> row : table.rows()) {
            printer.printRecord(row.stream().map(ReportFiles::csvCell).toList());
        }
        printer.flush();
    }

    static String csvCell(Object cell) {
        if (cell == null) {
            return "";
        }
        return cell instanceof Number ? cell.toString() : escapeFormula(cell.toString());
    }

    /**
     * OWASP's defence against CSV injection: text starting with {@code =}, {@code +}, {@code -}, {@code @}, a tab or a
     * carriage return gets a leading {@code '}, which spreadsheet programs show as text instead of running it. These
     * reports are read, not imported again, so the escape stays in the cell.
     */
    public static String escapeFormula(String text) {
        return !text.isEmpty() && FORMULA_START.indexOf(text.charAt(0)) >= 0 ? "'" + text : text;
    }

    /**
     * .xlsx (FastExcel) with one sheet: the header and text as inline strings, which a spreadsheet never runs as
     * formulas, so text is written as it is; numbers as numbers; empty cells left out.
     */
    public static void writeXlsx(ReportTable table, String application, OutputStream out) throws IOException {
        Workbook wb = new Workbook(out, application, "1.0");
        Worksheet ws = wb.newWorksheet(table.sheetName());
        for (int c = 0; c < table.columns().size(); c++) {
            ws.inlineString(0, c, table.columns().get(c));
        }
        int r = 1;
        for (List<?> row : table.rows()) {
            for (int c = 0; c < row.size(); c++) {
                Object cell = row.get(c);
                if (cell instanceof Number n) {
                    ws.value(r, c, n);
                } else if (cell != null) {
                    ws.inlineString(r, c, cell.toString());
                }
            }
            r++;
        }
        ws.finish();
        wb.finish();
    }

    /**
     * A report's file name: {@code <prefix>-<region, or all>[-with-subregions]-<from>-<to>.<csv|xlsx>}, e.g.
     * {@code compliance-report-330100-with-subregions-2026-01-01-2026-12-31.csv}.
     */
    public static String fileName(String prefix, String region, boolean withSubregions, LocalDate from, LocalDate to,
            ReportFormat format) {
        return prefix + "-" + (region == null ? "all" : region) + (withSubregions ? "-with-subregions" : "") + "-"
                + from + "-" + to + "." + format.extension();
    }

    /**
     * {@code attachment; filename="…"}; a character other than ASCII letters, digits, {@code .}, {@code _} and
     * {@code -} becomes {@code _}, so that no value can break the header or its quoting.
     */
    public static String attachment(String fileName) {
        return "attachment; filename=\"" + fileName.replaceAll("[^A-Za-z0-9._-]", "_") + "\"";
    }
}
