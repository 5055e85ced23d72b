package cn.onenet.exchange.service;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

import jakarta.enterprise.context.ApplicationScoped;

/** The clock behind every deadline. Statutory days are counted in China Standard Time. */
@ApplicationScoped
public class TimeSource {

    public static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

    private volatile Clock clock = Clock.system(ZONE);

    public Instant now() {
        return clock.instant();
    }

    public LocalDate today() {
        return LocalDate.now(clock);
    }

    /** Moves the clock (tests of deadlines across holidays); {@code null} returns to the system clock. */
    public void set(Clock fixed) {
        clock = fixed == null ? Clock.system(ZONE) : fixed;
    }
}
