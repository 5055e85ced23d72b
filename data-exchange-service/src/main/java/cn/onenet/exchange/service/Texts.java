package cn.onenet.exchange.service;

import cn.onenet.common.problem.ApiException;
import cn.onenet.common.problem.FieldError;
import cn.onenet.common.problem.PrintableText;

/**
 * Checks of free-text fields of request bodies: present, trimmed, not too long (400 naming the field otherwise). A
 * value of white space, zero-width and other invisible characters only (U+00A0, U+200B, U+FEFF, Hangul fillers, …:
 * {@link PrintableText#hasVisibleText}) counts as blank: required, it is refused with
 * {@link PrintableText#INVISIBLE_MESSAGE}; optional, it is taken as not given. A value that shows something is kept
 * as given, trimmed of ASCII white space at its ends only.
 */
final class Texts {

    private Texts() {
    }

    /** The trimmed value; 400 naming {@code field} with {@code message} when blank, or when longer than {@code max}. */
    static String required(String value, String field, int max, String message) {
        require(value, field, message);
        String v = value.trim();
        if (v.length() > max) {
            throw ApiException.field(field, "最多 " + max + " 字 / at most " + max + " characters");
        }
        return v;
    }

    /**
     * 400 naming {@code field} when {@code value} shows nothing: {@code message} when nothing was typed,
     * {@link PrintableText#INVISIBLE_MESSAGE} when only invisible characters were.
     */
    static void require(String value, String field, String message) {
        if (blank(value)) {
            throw ApiException.field(field, PrintableText.missingMessage(value, message));
        }
    }

    /** The error for {@code field} when {@code value} shows nothing, else null (for checks that collect errors). */
    static FieldError missing(String value, String field, String message) {
        return blank(value) ? new FieldError(field, PrintableText.missingMessage(value, message)) : null;
    }

    /** The trimmed value of an optional text; null when it shows nothing. */
    static String optional(String value) {
        return blank(value) ? null : value.trim();
    }

    /** Whether {@code s} is missing or shows nothing (white space and invisible characters only). */
    static boolean blank(String s) {
        return !PrintableText.hasVisibleText(s);
    }
}
