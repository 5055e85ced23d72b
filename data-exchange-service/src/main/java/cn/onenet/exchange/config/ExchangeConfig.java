package cn.onenet.exchange.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Typed settings of data-exchange-service (prefix {@code exchange}). */
@ConfigMapping(prefix = "exchange")
public interface ExchangeConfig {

    String serviceName();

    /** Page size cap for list endpoints. */
    @WithDefault("200")
    int maxPageSize();
}
