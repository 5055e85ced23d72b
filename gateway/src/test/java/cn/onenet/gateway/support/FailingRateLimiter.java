package cn.onenet.gateway.support;

import jakarta.inject.Singleton;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Instance;

import cn.onenet.gateway.config.GatewayConfig;
import cn.onenet.gateway.service.RateLimiter;
import io.agroal.api.AgroalDataSource;
import io.vertx.core.Vertx;

/**
 * A rate limiter whose decision itself fails (not its store, whose failures it absorbs), as a broken driver or a
 * bug would: the one way to the gateway's 503 for the limiter. Enabled only by the test profile that asks for it.
 * A singleton, not application-scoped: a client proxy would need a no-argument constructor.
 */
@Alternative
@Singleton
public class FailingRateLimiter extends RateLimiter {

    public FailingRateLimiter(GatewayConfig config, Instance<AgroalDataSource> dataSource, Vertx vertx) {
        super(config, dataSource, vertx);
    }

    @Override
    public boolean blocking() {
        return true;
    }

    @Override
    public Decision consume(String route, String clientId, String personKey, String department, String address) {
        throw new IllegalStateException("the limiter's decision failed");
    }
}
