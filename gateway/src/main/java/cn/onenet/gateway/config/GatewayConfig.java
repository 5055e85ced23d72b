package cn.onenet.gateway.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/** Typed settings of the gateway (prefix {@code gateway}). Every route, upstream, timeout and limit lives here. */
@ConfigMapping(prefix = "gateway")
public interface GatewayConfig {

    /** Upstream base URLs by service name: identity, catalog, exchange. */
    Map<String, String> upstreams();

    /** Proxied routes by name. */
    Map<String, Route> routes();

    Client client();

    CircuitBreaker circuitBreaker();

    RateLimit rateLimit();

    AccessLog accessLog();

    Readiness readiness();

    Console console();

    /**
     * The proxies whose X-Forwarded-* the gateway believes in the kubernetes profile (GATEWAY_TRUSTED_PROXIES, CIDRs
     * comma-separated; read through quarkus.http.proxy.trusted-proxies).
     */
    Optional<String> trustedProxies();

    /** One path prefix forwarded, path unchanged, to one upstream. */
    interface Route {

        /** Path prefix at the gateway, e.g. {@code /api/catalog}; the route takes the prefix and everything below. */
        String path();

        /** Name of the upstream in {@link GatewayConfig#upstreams()}. */
        String upstream();

        /**
         * Time allowed for the upstream to answer once the request (with its body) has been sent whole, and between
         * two chunks of a streamed answer; then 504. While a request body streams, also the longest the upstream may
         * leave it untaken.
         */
        @WithDefault("30s")
        Duration timeout();

        /**
         * Longest silence allowed within a request body the client is sending (the upstream ready for more); then
         * 408 and the connection is closed. Neither this nor any other failure before the body has ended counts
         * against the upstream's circuit breaker.
         */
        @WithDefault("20s")
        Duration bodyTimeout();

        /** Extra attempts for idempotent requests without a body after a connection failure or a 502/503. */
        @WithDefault("1")
        int retries();

        /** Largest request body forwarded; larger bodies get 413. */
        @WithDefault("10M")
        io.quarkus.runtime.configuration.MemorySize maxBodySize();

        /** Audiences of which the bearer token must carry at least one (empty: any the edge accepts). */
        Optional<List<String>> audiences();

        /** Whether the client's Cookie header reaches the upstream (identity's login pages need it; APIs do not). */
        @WithDefault("false")
        boolean forwardCookies();

        /** Whether the per-client rate limit applies on this route. */
        @WithDefault("true")
        boolean rateLimited();

        /**
         * Whether the edge authenticates a bearer token sent on this route. Off for identity's protocol endpoints
         * (UserInfo, revocation): they judge their own credentials, tokens of ordinary relying parties included, and
         * answer with their own RFC 6750 errors; callers there count as anonymous (their rate limit, no audience
         * check). Only for routes whose paths the path permissions open to everyone.
         */
        @WithDefault("true")
        boolean edgeAuthentication();

        /**
         * How the rate limit tells the route's callers apart: {@code api} by the bearer token's client (anonymous
         * callers by address); {@code oidc} for identity's protocol surface, whose callers the edge does not
         * authenticate: the client-authenticated endpoints by the client the request names and its address, the
         * browser pages and the public keys and metadata by address, each with a plan of its own
         * ({@link RateLimit#oidc()}); {@code metadata} the metadata plan alone.
         */
        @WithDefault("api")
        RateLimitKind rateLimitKind();
    }

    enum RateLimitKind {
        API,
        OIDC,
        METADATA
    }

    interface Client {

        /** Connections per upstream and per event loop. */
        @WithDefault("32")
        int maxPoolSize();

        @WithDefault("2s")
        Duration connectTimeout();

        @WithDefault("60s")
        Duration keepAliveTimeout();
    }

    interface CircuitBreaker {

        /** Consecutive failures (connection errors, timeouts, 502/503/504) that open an upstream's breaker. */
        @WithDefault("5")
        int maxFailures();

        /** How long an open breaker answers 503 before letting one trial request through. */
        @WithDefault("10s")
        Duration resetTimeout();
    }

    interface RateLimit {

        @WithDefault("true")
        boolean enabled();

        /** The plan of clients without a plan of their own or of their department (APEX-like: 20 req/s per API). */
        @WithName("default")
        Plan defaultPlan();

        /** Anonymous callers, keyed by IP address. */
        Plan anonymous();

        /** Plans by OAuth client id ({@code client_id}). */
        Map<String, Plan> clients();

        /** Plans by department ({@code dept}, 统一社会信用代码). */
        Map<String, Plan> departments();

        /** The plans of identity's protocol surface (routes with {@code rate-limit-kind} {@code oidc}/{@code metadata}). */
        Oidc oidc();

        /** Most buckets kept in memory; the least recently used are dropped first. */
        @WithDefault("100000")
        long maxBuckets();

        /**
         * Where the buckets live: {@code memory} (each replica its own budget) or {@code postgresql} (one budget
         * shared by every replica, in the table {@code rate_limit_bucket}; needs {@code quarkus.datasource.active=true}
         * and the datasource URL).
         */
        @WithDefault("memory")
        Store store();

        /** How long a shared-store call may take before the request is let through without a decision. */
        @WithDefault("200ms")
        Duration storeTimeout();
    }

    /**
     * identity's protocol surface. The gateway cannot check a client's secret or assertion, so the client a request
     * names only picks a bucket of that client at that address: naming another client spends no budget of the
     * client's at any other address.
     */
    interface Oidc {
        /**
         * Per client named and address, at the client-authenticated endpoints (token, introspection, revocation,
         * the revocation list, UserInfo by its token's client).
         */
        Plan client();

        /** Plans of single clients at those endpoints, by the client id named (in place of {@link #client()}). */
        Map<String, Plan> clients();

        /**
         * Per address, all client-authenticated calls together: the ceiling of an address that names ever new
         * clients to get ever new buckets.
         */
        Plan clientAddress();

        /** Per address: the browser pages (authorize, login, consent, logout, registration, recovery, ...). */
        Plan pages();

        /** Per address: the public keys (JWKS) and the discovery and RFC 8414 metadata. */
        Plan metadata();
    }

    enum Store {
        MEMORY,
        POSTGRESQL
    }

    /**
     * A token bucket: {@code requests} per {@code period}, refilled greedily, holding at most {@code burst} (at least
     * {@code requests}; unset: {@code requests}).
     */
    interface Plan {
        long requests();

        @WithDefault("1s")
        Duration period();

        Optional<Long> burst();
    }

    interface AccessLog {
        @WithDefault("true")
        boolean enabled();
    }

    interface Console {
        /** API path the console's landing page calls with the relayed access token. */
        @WithDefault("/api/identity/v1/me")
        String probePath();

        /** Secret of the console's OAuth client {@code gateway} (also QUARKUS_OIDC_CONSOLE_CREDENTIALS_SECRET). */
        Optional<String> clientSecret();

        /**
         * Key of the console's encrypted token cookies (GATEWAY_CONSOLE_TOKEN_ENCRYPTION_SECRET, at least 32
         * characters, the same on every replica); unset, the client secret, which identity-service knows as well.
         */
        Optional<String> tokenEncryptionSecret();

        /**
         * How long a session ended with {@code /console/logout} stays refused at this replica (copies of its cookie
         * included). At least as long as identity-service's refresh tokens live, since quarkus-oidc renews an expired
         * session cookie with its refresh token.
         */
        @WithDefault("8h")
        Duration loggedOutRetention();

        /** How many ended sessions this replica remembers at most (the oldest are forgotten first). */
        @WithDefault("100000")
        long loggedOutMaxSessions();
    }

    interface Readiness {
        /** Whether the gateway reports itself not ready while an upstream is down (the data always lists each one). */
        @WithDefault("false")
        boolean requireUpstreams();

        @WithDefault("2s")
        Duration timeout();

        /** How often the upstreams are probed in the background; the readiness check answers from the last round. */
        @WithDefault("5s")
        Duration refresh();
    }
}
