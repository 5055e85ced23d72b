package cn.onenet.report;

import java.util.List;

/**
 * A report as one table: the header row ({@code columns}, fixed by the code) and one row of cells per line. A cell is
 * a number ({@link Number}), empty ({@code null}) or text (anything else, by {@code toString}); text may come from
 * users (department names, titles) and is escaped where a spreadsheet would run it ({@link ReportFiles}).
 */
public record ReportTable(String sheetName, List<String> columns, List<? extends List<?>> rows) {
}
