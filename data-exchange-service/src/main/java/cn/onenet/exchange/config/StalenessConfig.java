package cn.onenet.exchange.config;

import java.time.Period;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The staleness monitor of hosted datasets against their declared 更新周期 (条例第十八条, 第三十八条第二款; prefix
 * {@code exchange.staleness}).
 */
@ConfigMapping(prefix = "exchange.staleness")
public interface StalenessConfig {

    /**
     * How long after its cycle (ISO 8601 period) a dataset's last upload may be before the dataset counts as stale:
     * a MONTHLY dataset last uploaded on 1 March is stale after 1 April plus this.
     */
    @WithDefault("P3D")
    Period grace();

    /**
     * When stale datasets are looked for and their providers told (once per stale period): a Quartz cron expression,
     * by default hourly at minute 25.
     */
    @WithDefault("0 25 * * * ?")
    String checkCron();
}
