package cn.onenet.report;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * How one kind of duty kept its working-day deadline, as both compliance reports count it: each matter is done in time
 * or late (with the working days it took), or still open, past its due day (overdue) or not (pending).
 */
public class DutyTally {

    private int onTime;
    private int late;
    private int overdue;
    private int pending;
    private long workingDays;

    /** A matter done: by its due day or after, in {@code taken} working days. */
    public void done(boolean inTime, int taken) {
        if (inTime) {
            onTime++;
        } else {
            late++;
        }
        workingDays += taken;
    }

    /** A matter not done yet: past its due day, or the period still runs. */
    public void open(boolean pastDue) {
        if (pastDue) {
            overdue++;
        } else {
            pending++;
        }
    }

    /** onTime + late + overdue + pending. */
    public int total() {
        return onTime + late + overdue + pending;
    }

    public int onTime() {
        return onTime;
    }

    public int late() {
        return late;
    }

    public int overdue() {
        return overdue;
    }

    public int pending() {
        return pending;
    }

    /** onTime / (onTime + late + overdue), 4 decimals (half up); null when none was due. */
    public Double onTimeRate() {
        int due = onTime + late + overdue;
        return due == 0 ? null
                : BigDecimal.valueOf(onTime).divide(BigDecimal.valueOf(due), 4, RoundingMode.HALF_UP).doubleValue();
    }

    /** The mean working days taken by those done, 1 decimal (half up); null when none is done. */
    public Double averageWorkingDays() {
        int done = onTime + late;
        return done == 0 ? null
                : BigDecimal.valueOf(workingDays).divide(BigDecimal.valueOf(done), 1, RoundingMode.HALF_UP)
                        .doubleValue();
    }
}
