package cn.onenet.identity.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Typed settings of identity-service (prefix {@code identity}). */
@ConfigMapping(prefix = "identity")
public interface IdentityConfig {

    /** The public issuer URL: the gateway's address plus /oidc, as clients see it. */
    String issuer();

    Demo demo();

    Tokens tokens();

    Keys keys();

    Login login();

    SecondFactor totp();

    Recovery recovery();

    Registration registration();

    Contact contact();

    IdNumberLookup idNumberLookup();

    Closure closure();

    BackchannelLogout backchannelLogout();

    Delegation delegation();

    AdminChange adminChange();

    /**
     * The suite's own OAuth clients ({@code IDENTITY_SYSTEM_CLIENTS}, comma-separated): the console's client and the
     * services' clients the suite runs on. Disabling one, issuing it a new secret or changing its registration through
     * the API would sign everybody out for good (the deployment keeps their secrets), so the API refuses it.
     */
    @WithDefault("gateway,catalog-service,data-exchange-service")
    List<String> systemClients();

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

        /**
         * Key-encryption key sealing the private signing keys and the TOTP secrets (AES-256-GCM): base64 of 32 random
         * bytes. Required: in production from the environment ({@code IDENTITY_KEYS_ENCRYPTION_KEY}, a Kubernetes
         * Secret); only the dev, test and demo profiles carry a published default.
         */
        String encryptionKey();

        /** Id of {@link #encryptionKey()}, written into every sealed value so the key can be rotated. */
        @WithDefault("1")
        String encryptionKeyId();

        /** Earlier key-encryption keys ({@code id:base64}), kept until every row has been re-sealed at start. */
        Optional<List<String>> previousEncryptionKeys();

        /**
         * Sign with BoringSSL through Conscrypt when its native library loads on this platform (RS256 about 1.5x,
         * ES256 about 30x faster than the JDK); the JDK's providers otherwise. Tokens are the same either way.
         */
        @WithDefault("true")
        boolean nativeSigning();
    }

    interface Login {
        /**
         * Failed logins of one login name from one source (an IPv4 address, an IPv6 /64, or the name's trusted device)
         * before that pair is locked; each further failure doubles the lock.
         */
        @WithDefault("5")
        int accountMaxFailures();

        @WithDefault("PT30S")
        Duration accountBaseLock();

        /** Failed logins from one source (whatever the names) before it is locked. */
        @WithDefault("20")
        int ipMaxFailures();

        @WithDefault("PT1M")
        Duration ipBaseLock();

        /** The longest lock of a pair or a source. */
        @WithDefault("PT15M")
        Duration maxLock();

        /**
         * The count of failures starts again once a key has been quiet this long: since its first failure when it was
         * never locked, since its last lock ended otherwise.
         */
        @WithDefault("PT15M")
        Duration failureWindow();

        /**
         * Failed logins of one login name from any sources within the window after which the name alone is held
         * for {@link #nameDelay()}, from every device but one the holder signed in from before.
         */
        @WithDefault("10")
        int nameMaxFailures();

        /** The name's soft delay: short and not growing; {@code PT0S} turns it off. */
        @WithDefault("PT1M")
        Duration nameDelay();

        /** How long the trusted-device cookie set at a successful login stays valid. */
        @WithDefault("P180D")
        Duration deviceCookieLifetime();
    }

    /** The TOTP second factor's enrolment (动态口令): a secret issued waits for the holder's confirmation. */
    interface SecondFactor {
        /** A secret issued (POST or PUT me/totp) must be confirmed within this time, else the holder starts again. */
        @WithDefault("PT10M")
        Duration pendingLifetime();

        /**
         * Wrong codes against one secret waiting for confirmation before it is discarded (the holder starts again).
         * They also count towards the lock of {@code login.account-max-failures}, as wrong codes to replace or remove
         * the factor do.
         */
        @WithDefault("5")
        int pendingMaxFailures();

        /**
         * How often secrets left unconfirmed past their lifetime are cleared (read by the scheduler, e.g. {@code 10m};
         * {@code off} turns the purge off, as the tests do, which run it themselves).
         */
        @WithDefault("10m")
        String pendingPurgeInterval();
    }

    /** Account recovery (忘记密码): one-time reset tokens delivered through the notification outbox. */
    interface Recovery {
        /** A reset token works once, within this time. */
        @WithDefault("PT15M")
        Duration tokenLifetime();

        /**
         * While the account's last reset token is still valid and younger than this, a new request sends nothing
         * (the message already sent serves).
         */
        @WithDefault("PT5M")
        Duration resendInterval();

        /** Reset messages per account and day (China Standard Time); requests beyond it send nothing that day. */
        @WithDefault("3")
        int maxMessagesPerDay();

        /** Recovery requests, and wrong reset tokens, per IP address within the window (the only refusal). */
        @WithDefault("10")
        int ipMaxRequests();

        @WithDefault("PT15M")
        Duration window();

        /** Lock once a limit is reached; each further request doubles it, up to {@code login.max-lock}. */
        @WithDefault("PT15M")
        Duration lock();

        /** How often queued recovery requests are turned into reset messages. */
        @WithDefault("2s")
        String queueInterval();
    }

    /** Citizen self-registration, completed with a token sent to the contact given. */
    interface Registration {
        @WithDefault("PT24H")
        Duration confirmationLifetime();

        /** Registrations per 公民身份号码 within the recovery window. */
        @WithDefault("3")
        int identifierMaxRequests();

        /** Registrations per IP address within the recovery window (offices share addresses). */
        @WithDefault("30")
        int ipMaxRequests();
    }

    /**
     * The holder's change of phone or e-mail (更换手机或邮箱): a code sent to the new contact, then a cooling-off period
     * in which the old contact can cancel; recovery goes to the old contact until it has passed.
     */
    /** The exact lookup of accounts by 公民身份号码 ({@code GET accounts?idNumber=}). */
    interface IdNumberLookup {
        /**
         * Lookup rows one caller may write within an hour (each account shown, or an empty answer, is one): a counter
         * serves a few dozen people an hour, while walking a birth date's sequence numbers needs hundreds.
         */
        @WithDefault("60")
        int maxPerHour();
    }

    interface Contact {
        /** The code sent to the new contact must be entered within this time. */
        @WithDefault("PT15M")
        Duration codeLifetime();

        /** Wrong codes before the change is given up (the holder starts again). */
        @WithDefault("5")
        int codeMaxFailures();

        /** After the code is confirmed, the new contact takes effect this much later; the old one can cancel until then. */
        @WithDefault("PT72H")
        Duration coolingOff();

        /** How often changes past their cooling-off are applied (e.g. {@code 1m}; {@code off} in the tests). */
        @WithDefault("1m")
        String applyInterval();

        /** Wrong cancel tokens per IP address within the recovery window before it is locked. */
        @WithDefault("10")
        int cancelIpMaxFailures();
    }

    /**
     * Closing one's own account (注销账户, PIPL Art. 47): the request waits this cooling-off period, during which signing
     * in again or the cancel token sent to the contact cancels it; then the scheduled step closes the account.
     */
    interface Closure {
        @WithDefault("P15D")
        Duration coolingOff();

        /** How often requests past their cooling-off are carried out (e.g. {@code 10m}; {@code off} in the tests). */
        @WithDefault("10m")
        String closeInterval();

        /** Wrong cancel tokens per IP address within the recovery window before it is locked. */
        @WithDefault("10")
        int cancelIpMaxFailures();
    }

    /**
     * Back-channel logout (OpenID Connect Back-Channel Logout 1.0): a delivery is queued in the transaction that ends
     * the session, tried once after commit and retried with back-off on network errors and 5xx answers (also 408 and
     * 429); any other answer than 2xx is final.
     */
    interface BackchannelLogout {
        /** Attempts per delivery, the first included; then it is given up (audited). */
        @WithDefault("10")
        int maxAttempts();

        /** A delivery not made within this time after the session ended is given up (audited). */
        @WithDefault("PT1H")
        Duration maxAge();

        /** Wait after the first failed attempt; doubled after each further failure, up to {@link #maxBackoff()}. */
        @WithDefault("PT5S")
        Duration initialBackoff();

        @WithDefault("PT10M")
        Duration maxBackoff();

        /** How long one POST to a relying party may take (the connection itself: at most 3 s). */
        @WithDefault("PT5S")
        Duration timeout();

        /** How often each replica looks for deliveries that are due again. */
        @WithDefault("5s")
        String pollInterval();
    }

    /** 经办人授权. */
    interface Delegation {
        /**
         * How often authorisations whose period ended are looked for, to end the agents' sign-ins for the enterprise
         * (e.g. {@code 1m}; {@code off} in the tests, which run the step themselves).
         */
        @WithDefault("1m")
        String expiryInterval();

        /**
         * The longest period an enterprise may authorise an agent for (R28: an authorisation has a period): a
         * {@code validTo} after the end of the Beijing day {@code validFrom + maxPeriod} falls on is refused, so no
         * authorisation runs on for years unreviewed.
         */
        @WithDefault("P1Y")
        java.time.Period maxPeriod();
    }

    /** 双人复核: changes of another administrator's account waiting for a second administrator. */
    interface AdminChange {
        /** How long a change may wait for a second administrator; then it expires and is asked for again. */
        @WithDefault("PT24H")
        Duration lifetime();

        /** How often changes past their time are marked expired ({@code off} in the tests, which run it themselves). */
        @WithDefault("10m")
        String expireInterval();
    }
}
