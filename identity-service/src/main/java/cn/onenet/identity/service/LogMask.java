package cn.onenet.identity.service;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import cn.onenet.common.logging.LogText;

/**
 * What the application log may show of a login name or throttle key. A natural person's login name is the 公民身份号码,
 * so a log line about a failed login, a lock or a recovery request would carry it in clear; the log is read by more
 * people and kept longer than the access-controlled {@code audit_event} table, which keeps the clear value. Any run of
 * 15 or more digits (an ID number of 15 or 18 characters, the last possibly {@code X}, or a mistyped one) is masked
 * as the admin views show an ID number: {@code 330106********001X}, the region and the last four kept. The values
 * come from requests (a login name, an authorization request's {@code client_id}): control characters are escaped
 * ({@link LogText}), so a value cannot end its log line and write one of its own.
 */
public final class LogMask {

    private static final Pattern DIGIT_RUN = Pattern.compile("\\d{14,}[0-9Xx]");

    private LogMask() {
    }

    /** The text with every ID-number-like run of digits masked and control characters escaped; null stays null. */
    public static String masked(String text) {
        if (text == null) {
            return null;
        }
        Matcher m = DIGIT_RUN.matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        while (m.find()) {
            String run = m.group();
            m.appendReplacement(out, run.substring(0, 6) + "*".repeat(run.length() - 10)
                    + run.substring(run.length() - 4));
        }
        m.appendTail(out);
        return LogText.escaped(out.toString());
    }
}
