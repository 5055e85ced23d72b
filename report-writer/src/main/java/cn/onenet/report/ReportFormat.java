package cn.onenet.report;

import java.util.Locale;
import java.util.Optional;

/** How a report is asked for ({@code format}): the JSON answer itself, or a file to download. */
public enum ReportFormat {
    JSON("application/json"),
    CSV(ReportFiles.CSV + "; charset=UTF-8"),
    XLSX(ReportFiles.XLSX);

    /** The problem detail for any other value: the caller answers 400 naming {@code format}. */
    public static final String INVALID = "format 应为 json、csv 或 xlsx / format must be json, csv or xlsx";

    private final String mediaType;

    ReportFormat(String mediaType) {
        this.mediaType = mediaType;
    }

    /** The response's {@code Content-Type}. */
    public String mediaType() {
        return mediaType;
    }

    /** The query value and the file name's extension: {@code json}, {@code csv}, {@code xlsx}. */
    public String extension() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** {@code json}, {@code csv} or {@code xlsx}, exactly (absent or blank: json); anything else empty. */
    public static Optional<ReportFormat> parse(String value) {
        String v = value == null || value.isBlank() ? "json" : value.trim();
        for (ReportFormat f : values()) {
            if (f.extension().equals(v)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }
}
