package cn.onenet.exchange.config;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** An RFC 3161 time-stamp authority for the usage log's checkpoints (时间戳服务); none configured: off. */
@ConfigMapping(prefix = "exchange.usage-log.tsa")
public interface UsageLogTsaConfig {

    /** The TSA's HTTP endpoint (application/timestamp-query); absent: checkpoints carry no time-stamp. */
    Optional<URI> url();

    /** How long a checkpoint waits for the TSA before it is kept without a time-stamp. */
    @WithDefault("10s")
    Duration timeout();
}
