package cn.onenet.identity.service;

import java.util.List;
import java.util.OptionalInt;

/** Real-name levels (实名等级) as {@code acr} values: urn:onenet:loa:1 (self-declared) … urn:onenet:loa:4 (in person). */
public final class Acr {

    public static final String PREFIX = "urn:onenet:loa:";
    public static final List<String> VALUES = List.of(PREFIX + 1, PREFIX + 2, PREFIX + 3, PREFIX + 4);

    private Acr() {
    }

    public static String of(int level) {
        return PREFIX + level;
    }

    public static OptionalInt level(String acr) {
        int index = VALUES.indexOf(acr);
        return index < 0 ? OptionalInt.empty() : OptionalInt.of(index + 1);
    }
}
