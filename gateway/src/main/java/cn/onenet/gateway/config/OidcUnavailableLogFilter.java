package cn.onenet.gateway.config;

import java.util.logging.Filter;
import java.util.logging.LogRecord;

import io.quarkus.logging.LoggingFilter;

/**
 * Drops quarkus-oidc's "OIDC server is not available at … Note it has to end with a realm value if you work with
 * Keycloak" warning: identity-service starting in parallel with the gateway is the usual reason here, and the advice
 * about Keycloak realms misleads operators. {@code IdentityReachability} logs one line of its own instead. Every other
 * record of that logger passes.
 */
@LoggingFilter(name = "oidc-unavailable")
public final class OidcUnavailableLogFilter implements Filter {

    static final String LOGGER = "io.quarkus.oidc.runtime.OidcRecorder";
    private static final String MESSAGE = "OIDC server is not available at ";

    @Override
    public boolean isLoggable(LogRecord record) {
        return !(LOGGER.equals(record.getLoggerName()) && record.getMessage() != null
                && record.getMessage().startsWith(MESSAGE));
    }
}
