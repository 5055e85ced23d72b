package cn.onenet.identity.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Typed settings of identity-service (prefix {@code identity}). */
@ConfigMapping(prefix = "identity")
public interface IdentityConfig {

    /** The public issuer URL: the gateway's address plus /oidc, as clients see it. */
    String issuer();

    /** Page size cap for list endpoints. */
    @WithDefault("200")
    int maxPageSize();

    Demo demo();

    Tokens tokens();

    Keys keys();

    Login login();

    interface Demo {
        /** Load the demo province, departments, accounts and clients at start when the database has none. */
        @WithDefault("false")
        boolean enabled();
    }

    interface Tokens {
        /** Lifetime of JWT access tokens (short: resource servers validate them locally). */
        @WithDefault("PT5M")
        Duration accessTokenLifetime();

        @WithDefault("PT5M")
        Duration idTokenLifetime();

        /** Authorization codes are single use and live at most 60 s. */
        @WithDefault("PT60S")
        Duration codeLifetime();

        @WithDefault("PT8H")
        Duration refreshTokenLifetime();

        /** SSO session lifetime. */
        @WithDefault("PT8H")
        Duration sessionLifetime();

        /** How long a login page may stay open. */
        @WithDefault("PT10M")
        Duration loginLifetime();
    }

    interface Keys {
        /** A new signing key is made (and published) after the active one is this old. */
        @WithDefault("P30D")
        Duration rotationPeriod();

        /** A new key is published this long before it signs anything, so every relying party's JWKS cache sees it. */
        @WithDefault("PT1H")
        Duration publishLead();

        /** How often each replica re-reads the key table. */
        @WithDefault("PT30S")
        Duration reloadInterval();
    }

    interface Login {
        /** Failed logins for one account name before it is locked; each further failure doubles the lock. */
        @WithDefault("5")
        int accountMaxFailures();

        @WithDefault("PT30S")
        Duration accountBaseLock();

        /** Failed logins from one IP address before it is locked. */
        @WithDefault("20")
        int ipMaxFailures();

        @WithDefault("PT1M")
        Duration ipBaseLock();

        @WithDefault("PT1H")
        Duration maxLock();

        /** Failures older than this no longer count. */
        @WithDefault("PT15M")
        Duration failureWindow();
    }
}
