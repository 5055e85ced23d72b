package cn.onenet.identity.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Typed settings of identity-service (prefix {@code identity}). */
@ConfigMapping(prefix = "identity")
public interface IdentityConfig {

    /** The public issuer URL: the gateway's address, as clients see it. */
    String issuer();

    /** Page size cap for list endpoints. */
    @WithDefault("200")
    int maxPageSize();

    Demo demo();

    interface Demo {
        /** Load the demo province, departments and accounts at start when the database has none. */
        @WithDefault("false")
        boolean enabled();
    }
}
