package cn.onenet.gateway.config;

import java.util.Map;

import io.smallrye.config.ConfigMapping;

/** Typed settings of the gateway (prefix {@code gateway}). */
@ConfigMapping(prefix = "gateway")
public interface GatewayConfig {

    /** Upstream base URLs by service name: identity, catalog, exchange. */
    Map<String, String> upstreams();
}
