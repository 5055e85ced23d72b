package cn.onenet.identity.service;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import cn.onenet.common.problem.ApiException;
import cn.onenet.common.problem.FieldError;
import cn.onenet.common.problem.ProblemType;

/**
 * The text of an uploaded CSV file in the charset its {@code Content-Type} declares. Chinese Excel saves "CSV" in GBK
 * unless told "CSV UTF-8", so GBK, GB2312 and GB18030 are read (all as GB18030, which contains the other two); without
 * a charset the file is UTF-8. Bytes that are not text in that charset are a 400 naming the line ({@code header} or
 * {@code rows[i]}, as the rows are counted when parsed), never replaced by U+FFFD and stored garbled.
 */
public final class CsvText {

    private static final Charset GB18030 = Charset.forName("GB18030");
    private static final Map<String, Charset> READ = Map.of("utf-8", StandardCharsets.UTF_8, "utf8",
            StandardCharsets.UTF_8, "gbk", GB18030, "gb2312", GB18030, "gb18030", GB18030);

    private CsvText() {
    }

    /** The body as text; a charset not read here is a 415 naming {@code charset}. */
    public static String decode(byte[] body, String contentType) {
        String declared = charsetOf(contentType);
        Charset charset = declared == null ? StandardCharsets.UTF_8 : READ.get(declared.toLowerCase(Locale.ROOT));
        if (charset == null) {
            throw new ApiException(ProblemType.UNSUPPORTED_MEDIA_TYPE, "不支持的字符集 / unsupported charset " + declared,
                    List.of(new FieldError("charset", "CSV 文件须为 UTF-8 或 GBK（GB18030）编码 / the CSV must be UTF-8 or "
                            + "GBK (GB18030): charset=UTF-8 or charset=GBK")), Map.of(), Map.of());
        }
        byte[] bytes = body == null ? new byte[0] : body;
        if (charset == GB18030 && !ascii(bytes) && decodes(bytes, StandardCharsets.UTF_8)) {
            // Chinese text in GBK is practically never valid UTF-8 as well: this is a UTF-8 file labelled GBK, which
            // GB18030 would read without error as other characters
            throw ApiException.field(lineField(bytes, firstNonAscii(bytes)), "文件为 UTF-8 编码，却声明为 " + declared
                    + "：请声明 charset=UTF-8 / the file is UTF-8 text but declared " + declared + ": declare "
                    + "charset=UTF-8");
        }
        CharsetDecoder decoder = charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        // at most one char per byte in both charsets (a four-byte sequence gives two)
        CharBuffer out = CharBuffer.allocate(bytes.length + 1);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            throw notText(bytes, in.position(), declared == null ? "UTF-8" : declared);
        }
        return out.flip().toString();
    }

    private static boolean decodes(byte[] bytes, Charset charset) {
        try {
            charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (java.nio.charset.CharacterCodingException e) {
            return false;
        }
    }

    private static boolean ascii(byte[] bytes) {
        return firstNonAscii(bytes) == bytes.length;
    }

    private static int firstNonAscii(byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] < 0) {
                return i;
            }
        }
        return bytes.length;
    }

    /** The {@code charset} parameter of a media type, unquoted; null without one. */
    static String charsetOf(String contentType) {
        if (contentType == null) {
            return null;
        }
        for (String parameter : contentType.split(";")) {
            String p = parameter.strip();
            if (p.regionMatches(true, 0, "charset=", 0, 8)) {
                String value = p.substring(8).strip();
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                return value.isBlank() ? null : value;
            }
        }
        return null;
    }

    /**
     * The 400 for bytes that are not text at {@code position}: the line holding them, by the field the parsed rows
     * would have (blank lines are not rows). A line feed byte is one in UTF-8 and GB18030 alike.
     */
    private static ApiException notText(byte[] bytes, int position, String charset) {
        int line = lineOf(bytes, position);
        return ApiException.field(lineField(bytes, position), "第" + (line + 1) + "行不是 " + charset
                + " 编码的文本：请在 Excel 中另存为“CSV UTF-8（逗号分隔）”，或按文件的实际编码声明 charset（如 GBK） / line " + (line + 1) + " is not "
                + charset + " text: save the file as \"CSV UTF-8 (Comma delimited)\", or declare the charset it is in "
                + "(such as charset=GBK)");
    }

    /** The line (from 0) holding the byte at {@code position}. */
    private static int lineOf(byte[] bytes, int position) {
        int line = 0;
        for (int i = 0; i < position; i++) {
            if (bytes[i] == '\n') {
                line++;
            }
        }
        return line;
    }

    /** The field of the line holding the byte at {@code position}: the header, or the row it would be parsed as. */
    private static String lineField(byte[] bytes, int position) {
        int line = 0;
        int rows = 0;
        boolean blank = true;
        for (int i = 0; i < position; i++) {
            if (bytes[i] == '\n') {
                if (line > 0 && !blank) {
                    rows++;
                }
                line++;
                blank = true;
            } else if (bytes[i] != '\r' && bytes[i] != ' ' && bytes[i] != '\t') {
                blank = false;
            }
        }
        return line == 0 ? "header" : "rows[" + rows + "]";
    }
}
