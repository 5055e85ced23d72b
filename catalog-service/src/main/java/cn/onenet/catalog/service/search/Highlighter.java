package cn.onenet.catalog.service.search;

import java.util.Set;

/** Marks the query's characters in a stored field with {@code <em>}; the text is HTML-escaped first. */
final class Highlighter {

    private Highlighter() {
    }

    static String mark(String text, Set<String> terms) {
        if (text == null) {
            return null;
        }
        boolean[] hit = hits(text, terms);
        return render(text, hit, 0, text.length());
    }

    static String snippet(String text, Set<String> terms, int max) {
        if (text == null) {
            return null;
        }
        boolean[] hit = hits(text, terms);
        int first = 0;
        for (int i = 0; i < hit.length; i++) {
            if (hit[i]) {
                first = i;
                break;
            }
        }
        int start = Math.max(0, Math.min(first - 20, text.length() - max));
        int end = Math.min(text.length(), start + max);
        return (start > 0 ? "…" : "") + render(text, hit, start, end) + (end < text.length() ? "…" : "");
    }

    private static boolean[] hits(String text, Set<String> terms) {
        boolean[] hit = new boolean[text.length()];
        String lower = text.toLowerCase();
        for (String t : terms) {
            if (t.isEmpty()) {
                continue;
            }
            for (int i = lower.indexOf(t); i >= 0; i = lower.indexOf(t, i + 1)) {
                for (int j = i; j < i + t.length() && j < hit.length; j++) {
                    hit[j] = true;
                }
            }
        }
        return hit;
    }

    private static String render(String text, boolean[] hit, int start, int end) {
        StringBuilder b = new StringBuilder();
        boolean open = false;
        for (int i = start; i < end; i++) {
            if (hit[i] && !open) {
                b.append("<em>");
                open = true;
            } else if (!hit[i] && open) {
                b.append("</em>");
                open = false;
            }
            char c = text.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                default -> b.append(c);
            }
        }
        if (open) {
            b.append("</em>");
        }
        return b.toString();
    }
}
