package cn.onenet.gateway.config;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.ConfigProvider;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;

/**
 * Refuses to start a production gateway whose console client secret is still the fallback {@code change-me} of
 * application.properties: that secret is published, and the console's encrypted token cookies would be keyed from it
 * too unless {@code GATEWAY_CONSOLE_TOKEN_ENCRYPTION_SECRET} is set. The demo and dev profiles set their own; tests
 * never run in the production launch mode.
 */
@Singleton
public class ConsoleSecretCheck {

    static final String FALLBACK = "change-me";

    void onStart(@Observes StartupEvent event) {
        check(LaunchMode.current(), ConfigProvider.getConfig()
                .getOptionalValue("quarkus.oidc.console.credentials.secret", String.class).orElse(null));
    }

    /** Throws, naming what to set, when a production start would use the fallback secret. */
    static void check(LaunchMode mode, String secret) {
        if (mode == LaunchMode.NORMAL && (secret == null || secret.isBlank() || FALLBACK.equals(secret.trim()))) {
            throw new IllegalStateException("The console's client secret is not set: set QUARKUS_OIDC_CONSOLE_"
                    + "CREDENTIALS_SECRET (or GATEWAY_CONSOLE_CLIENT_SECRET) to the secret of the OAuth client "
                    + "'gateway' at identity-service (k8s: Secret gateway-oidc-client). The gateway does not start "
                    + "in production with the published fallback '" + FALLBACK + "'.");
        }
    }
}
