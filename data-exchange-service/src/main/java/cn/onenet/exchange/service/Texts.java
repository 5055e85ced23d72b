package cn.onenet.exchange.service;

import cn.onenet.common.problem.ApiException;

/** Checks of free-text fields of request bodies: present, trimmed, not too long (400 naming the field otherwise). */
final class Texts {

    private Texts() {
    }

    /** The trimmed value; 400 naming {@code field} with {@code message} when blank, or when longer than {@code max}. */
    static String required(String value, String field, int max, String message) {
        if (blank(value)) {
            throw ApiException.field(field, message);
        }
        String v = value.trim();
        if (v.length() > max) {
            throw ApiException.field(field, "最多 " + max + " 字 / at most " + max + " characters");
        }
        return v;
    }

    static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
