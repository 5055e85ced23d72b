package cn.onenet.exchange.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Citizens' and enterprises' correction requests (个人信息更正补充, PIPL 第四十六条; prefix {@code exchange.correction}).
 */
@ConfigMapping(prefix = "exchange.correction")
public interface CorrectionConfig {

    /**
     * Working days (in the working-day calendar the deadlines use) after the day a correction request is received
     * within which the provider department answers it; 1 to 60.
     */
    @WithDefault("10")
    int answerWorkingDays();
}
