package cn.onenet.exchange.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Pushing signed checkpoints to the usage log's witnesses (见证). Their URLs follow the webhooks' rules (https; plain
 * http to loopback only with {@code exchange.webhook.allow-loopback-http}; addresses by {@code exchange.outbound.*}).
 */
@ConfigMapping(prefix = "exchange.usage-log.witness")
public interface UsageLogWitnessConfig {

    /** How often the witness outbox is drained. */
    @WithDefault("1s")
    Duration pollInterval();

    /** First retry delay; doubled per attempt, plus up to 50 % jitter. */
    @WithDefault("2s")
    Duration backoffBase();

    @WithDefault("10m")
    Duration backoffMax();

    /**
     * Attempts per checkpoint before the witness is marked FAILING (the following checkpoints wait; registering the
     * witness again resumes it).
     */
    @WithDefault("20")
    int maxAttempts();

    /** How long one attempt waits for the witness's answer once connected. */
    @WithDefault("5s")
    Duration timeout();

    /** How long one attempt may take to connect. */
    @WithDefault("2s")
    Duration connectTimeout();
}
