package cn.onenet.exchange.service;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import cn.onenet.common.problem.ApiException;
import cn.onenet.common.problem.FieldError;
import cn.onenet.common.problem.PrintableText;

/**
 * The text a request body may carry. Every text field of the exchange's request models states its maximum as
 * {@code @Schema(maxLength = …)}, which is also what the OpenAPI document shows; each text of a list may be at most
 * {@link #LINE} characters. No text may hold a control character (U+0001–U+001F other than tab, line feed and
 * carriage return, U+007F, U+0080–U+009F; U+0000 is refused when the body is read) nor an unpaired surrogate: they
 * break notices, logs and CSV exports, and the database driver would store a surrogate as "?" without a word. Checked
 * as the body is read, before anything is done with it: a bad body is a 400 naming every bad field, nothing stored.
 * Whether a field is required, and what it must say, is checked where it is used.
 */
public final class TextLimits {

    /** Codes and keys: resource codes, department codes, record keys, enumerated values. */
    public static final int CODE = 100;
    /** One line: a name, a purpose, a participant, a data value, each text of a list. */
    public static final int LINE = 200;
    /** A legal basis cited (law, article). */
    public static final int LEGAL_BASIS = 1000;
    /** A URL. */
    public static final int URL = 1000;
    /** Reasons, opinions, notes, descriptions, answers, decisions. */
    public static final int TEXT = 2000;
    /** Reports: a security incident's description, measures, requirement, report and conclusion; usage records. */
    public static final int LONG_TEXT = 4000;
    /** Seals and the bytes they cover (base64): bounded by the body limit, never free text. */
    public static final int ENCODED = 16 * 1024 * 1024;

    private TextLimits() {
    }

    /** 400 naming every text of {@code body} that is too long or not printable; nothing when all are fine. */
    public static void require(Object body) {
        List<FieldError> errors = new ArrayList<>();
        walk(body, "", errors);
        if (!errors.isEmpty()) {
            throw ApiException.fields(errors);
        }
    }

    /** Whether the exchange's request models include this type (records of its service and rest packages). */
    public static boolean isRequestModel(Class<?> type) {
        return type.isRecord() && (type.getPackageName().equals(TextLimits.class.getPackageName())
                || type.getPackageName().equals("cn.onenet.exchange.rest"));
    }

    /** The maximum stated for a text component, or -1 when it states none. */
    public static int maxLength(RecordComponent component) {
        Schema schema = component.getAccessor().getAnnotation(Schema.class);
        return schema == null || schema.maxLength() == Integer.MAX_VALUE ? -1 : schema.maxLength();
    }

    private static void walk(Object value, String path, List<FieldError> errors) {
        if (value == null || !isRequestModel(value.getClass())) {
            return;
        }
        for (RecordComponent component : value.getClass().getRecordComponents()) {
            Object v;
            try {
                v = component.getAccessor().invoke(value);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
            String field = path + component.getName();
            if (v instanceof String text) {
                int max = maxLength(component);
                check(text, field, max < 0 ? TEXT : max, errors);
            } else if (v instanceof List<?> list && textList(component.getGenericType())) {
                for (int i = 0; i < list.size(); i++) {
                    if (list.get(i) instanceof String text) {
                        check(text, field + "[" + i + "]", LINE, errors);
                    }
                }
            } else {
                walk(v, field + ".", errors);
            }
        }
    }

    static boolean textList(Type type) {
        return type instanceof ParameterizedType p && p.getActualTypeArguments().length == 1
                && p.getActualTypeArguments()[0] == String.class;
    }

    private static void check(String text, String field, int max, List<FieldError> errors) {
        if (!PrintableText.printable(text)) {
            errors.add(new FieldError(field, PrintableText.MESSAGE));
        } else if (text.trim().length() > max) {
            errors.add(new FieldError(field, "最多 " + max + " 字 / at most " + max + " characters"));
        }
    }
}
