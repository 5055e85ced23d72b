package cn.onenet.report;

import java.io.IOException;
import java.io.OutputStream;

/**
 * A report to download: its table in {@code format} ({@link ReportFormat#CSV} or {@link ReportFormat#XLSX}), as an
 * attachment named {@code fileName}; {@code application} is the .xlsx file's application property.
 */
public record ReportDownload(ReportTable table, ReportFormat format, String application, String fileName) {

    public ReportDownload {
        if (format == ReportFormat.JSON) {
            throw new IllegalArgumentException("a JSON report is the answer itself, not a file");
        }
    }

    public String mediaType() {
        return format.mediaType();
    }

    /** The {@code Content-Disposition} header value. */
    public String contentDisposition() {
        return ReportFiles.attachment(fileName);
    }

    /** Writes the file; the caller closes {@code out}. */
    public void write(OutputStream out) throws IOException {
        if (format == ReportFormat.CSV) {
            ReportFiles.writeCsv(table, out);
        } else {
            ReportFiles.writeXlsx(table, application, out);
        }
    }
}
