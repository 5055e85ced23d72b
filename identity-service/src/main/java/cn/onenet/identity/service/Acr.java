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

    /**
     * 403 unless the sign-in's {@code level} is at least {@code required}: a problem saying what needs it (in Chinese
     * and English), with {@code requiredAcr} and the session's {@code acr}, so the console can ask for a step-up.
     */
    public static void require(int level, int required, String zh, String en) {
        if (level < required) {
            throw new cn.onenet.common.problem.ApiException(cn.onenet.common.problem.ProblemType.FORBIDDEN, zh
                    + "须以实名等级L" + required + "或以上登录（本次登录为L" + level + "） / " + en + " needs a sign-in at "
                    + "real-name level L" + required + " or above (this one is L" + level + ")", List.of(),
                    java.util.Map.of("requiredAcr", of(required), "acr", of(Math.max(1, level))), java.util.Map.of());
        }
    }

    public static OptionalInt level(String acr) {
        int index = VALUES.indexOf(acr);
        return index < 0 ? OptionalInt.empty() : OptionalInt.of(index + 1);
    }
}
