package cn.onenet.exchange.model;

import java.time.Period;

/**
 * 更新周期 of a catalogue entry, as far as the exchange judges it: how long a hosted dataset may go without an upload.
 * The catalogue's values (REAL_TIME 实时, DAILY 每日, WEEKLY 每周, MONTHLY 每月, QUARTERLY 每季度, YEARLY 每年) have a
 * period; IRREGULAR (不定期) and ON_DEMAND (按需) have none, and neither has a value the exchange does not know: such
 * data is never stale.
 */
public enum UpdateCycle {
    REAL_TIME("实时", Period.ofDays(1)),
    DAILY("每日", Period.ofDays(1)),
    WEEKLY("每周", Period.ofWeeks(1)),
    MONTHLY("每月", Period.ofMonths(1)),
    QUARTERLY("每季度", Period.ofMonths(3)),
    YEARLY("每年", Period.ofYears(1)),
    IRREGULAR("不定期", null),
    ON_DEMAND("按需", null);

    public final String label;
    /** The longest a dataset may go without an upload (before the grace); null: no fixed cycle. */
    public final Period period;

    UpdateCycle(String label, Period period) {
        this.label = label;
        this.period = period;
    }

    /** The period of a declared cycle; null for a cycle without one, an unknown value or none. */
    public static Period periodOf(String declared) {
        if (declared == null) {
            return null;
        }
        for (UpdateCycle c : values()) {
            if (c.name().equals(declared.trim())) {
                return c.period;
            }
        }
        return null;
    }
}
