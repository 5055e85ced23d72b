package cn.onenet.gateway.service;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import org.jboss.logging.Logger;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import cn.onenet.gateway.config.GatewayConfig;
import io.agroal.api.AgroalDataSource;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.github.bucket4j.postgresql.PostgreSQLSelectForUpdateBasedProxyManager;
import io.vertx.core.Vertx;

/**
 * Per-client token buckets (Bucket4j), one per client and route: a department system, a user or an anonymous IP
 * each get their plan's budget on every API. With {@code gateway.rate-limit.store=memory} the buckets live in this
 * replica; with {@code postgresql} every replica draws on the same bucket rows (Bucket4j's select-for-update
 * PostgreSQL proxy manager), so N replicas do not grant N budgets.
 */
@ApplicationScoped
public class RateLimiter {

    private static final Logger LOG = Logger.getLogger(RateLimiter.class);
    static final String TABLE = "rate_limit_bucket";

    /**
     * The outcome of one request against its bucket, with what the RateLimit-* headers report. {@code known} is
     * false when the shared store could not answer in time: the request goes through and no headers are sent.
     */
    public record Decision(boolean allowed, long limit, long remaining, long resetSeconds, long retryAfterSeconds,
            String policy, boolean known) {
    }

    /** A plan as a bucket takes it: refill rate, capacity, and its RateLimit-Policy. */
    private record Resolved(long requests, long capacity, Duration period, String policy) {
    }

    /**
     * A bucket's key: route, scope and id. Scopes: {@code c} a client (or a person using it), {@code ip} an anonymous
     * caller's address; on identity's protocol surface {@code oc} a client named at an address, {@code oa} an
     * address's client-authenticated calls together, {@code page} and {@code meta} an address's page and metadata
     * calls.
     */
    private record Key(String route, String scope, String id) {
        /** The key of the bucket's row in the shared store. */
        String storeKey() {
            return route + "|" + scope + "|" + id;
        }
    }

    private final GatewayConfig.RateLimit config;
    private final Cache<Key, Bucket> buckets;
    private final Resolved defaultPlan;
    private final Resolved anonymousPlan;
    private final Resolved oidcClientPlan;
    private final Resolved oidcAddressPlan;
    private final Resolved oidcPagesPlan;
    private final Resolved oidcMetadataPlan;
    private final Map<GatewayConfig.Plan, Resolved> resolvedPlans = new ConcurrentHashMap<>();
    private final PostgreSQLSelectForUpdateBasedProxyManager<String> shared;
    private final AtomicLong storeFailures = new AtomicLong();

    public RateLimiter(GatewayConfig config, Instance<AgroalDataSource> dataSource, Vertx vertx) {
        this.config = config.rateLimit();
        this.buckets = Caffeine.newBuilder().maximumSize(this.config.maxBuckets())
                .expireAfterAccess(Duration.ofMinutes(10)).build();
        this.defaultPlan = resolve(this.config.defaultPlan());
        this.anonymousPlan = resolve(this.config.anonymous());
        this.oidcClientPlan = resolve(this.config.oidc().client());
        this.oidcAddressPlan = resolve(this.config.oidc().clientAddress());
        this.oidcPagesPlan = resolve(this.config.oidc().pages());
        this.oidcMetadataPlan = resolve(this.config.oidc().metadata());
        // every plan checked at start, not at its first request
        this.config.oidc().clients().values().forEach(RateLimiter::resolve);
        this.config.clients().values().forEach(RateLimiter::resolve);
        this.config.departments().values().forEach(RateLimiter::resolve);
        if (this.config.enabled() && this.config.store() == GatewayConfig.Store.POSTGRESQL) {
            this.shared = sharedStore(dataSource, this.config.storeTimeout());
            // rows of buckets that have refilled completely carry no information: drop them every minute, as many
            // as have expired (in batches, within a time budget), so the table cannot outgrow the cleanup
            PostgreSQLSelectForUpdateBasedProxyManager<String> store = this.shared;
            vertx.setPeriodic(PURGE_PERIOD.toMillis(), id -> vertx.executeBlocking(
                    () -> purgeExpired(store::removeExpired, PURGE_BATCH, PURGE_MAX_BATCHES, PURGE_BUDGET), false));
        } else {
            this.shared = null;
        }
    }

    static final Duration PURGE_PERIOD = Duration.ofMinutes(1);
    static final int PURGE_BATCH = 1000;
    static final int PURGE_MAX_BATCHES = 1000;
    static final Duration PURGE_BUDGET = Duration.ofSeconds(20);

    /**
     * Deletes expired bucket rows in batches of {@code batch} until a batch comes back short (nothing more has
     * expired), {@code maxBatches} batches have run, or {@code budget} has passed; the next run goes on from there.
     * Returns the number of rows deleted.
     */
    static long purgeExpired(java.util.function.IntUnaryOperator removeExpired, int batch, int maxBatches,
            Duration budget) {
        long deadline = System.nanoTime() + budget.toNanos();
        long total = 0;
        for (int i = 0; i < maxBatches; i++) {
            int removed;
            try {
                removed = removeExpired.applyAsInt(batch);
            } catch (RuntimeException e) {
                LOG.warnf("rate-limit store: deleting expired buckets failed after %d rows: %s", total, e.toString());
                return total;
            }
            total += removed;
            if (removed < batch || System.nanoTime() - deadline >= 0) {
                break;
            }
        }
        if (total >= (long) batch * maxBatches) {
            LOG.warnf("rate-limit store: deleted %d expired buckets, the most per run; more remain", total);
        }
        return total;
    }

    private static PostgreSQLSelectForUpdateBasedProxyManager<String> sharedStore(Instance<AgroalDataSource> dataSource,
            Duration timeout) {
        AgroalDataSource pool;
        try {
            pool = dataSource.get();
            pool.getConfiguration();
        } catch (RuntimeException e) {
            throw new IllegalStateException("gateway.rate-limit.store=postgresql needs the datasource: set "
                    + "quarkus.datasource.active=true and quarkus.datasource.jdbc.url (QUARKUS_DATASOURCE_JDBC_URL)", e);
        }
        return Bucket4jPostgreSQL.selectForUpdateBasedBuilder(pool)
                .primaryKeyMapper(PrimaryKeyMapper.STRING)
                .table(TABLE).idColumn("id").stateColumn("state").expiresAtColumn("expires_at")
                .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(
                        Duration.ofSeconds(10)))
                .requestTimeout(timeout)
                .build();
    }

    public boolean enabled() {
        return config.enabled();
    }

    /** Whether {@link #consume} talks to the database, so must not run on an event loop. */
    public boolean blocking() {
        return shared != null;
    }

    /** As {@link #consume(String, String, String, String, String)} for a system's own token (no person). */
    public Decision consume(String route, String clientId, String department, String address) {
        return consume(route, clientId, null, department, address);
    }

    /**
     * Takes one token for the caller on the route. {@code clientId} is the token's client (or subject), null for
     * anonymous callers, who are keyed by {@code address}. A token acting for a person ({@code personKey}: client
     * and subject, see {@link Caller#personKey()}) has a budget of its own under its client's plan: the people using
     * one app (the console, a department's web app) do not share, and use up, one budget.
     */
    public Decision consume(String route, String clientId, String personKey, String department, String address) {
        if (clientId == null) {
            return take(new Key(route, "ip", address), anonymousPlan);
        }
        return take(new Key(route, "c", personKey == null ? clientId : personKey), planFor(clientId, department));
    }

    /**
     * Takes one token for a call of identity's protocol surface. Pages and metadata: the address's bucket of that
     * plan. A client-authenticated endpoint: first the address's ceiling of all such calls together
     * ({@link #consumeClientCeiling}), then, if that allowed it, the bucket of the client the request names
     * ({@link #consumeClient}); the answer is the first refusal, else the client's bucket.
     */
    public Decision consumeProtocol(String route, OidcEndpoints.Endpoint endpoint, String clientId, String address) {
        return switch (endpoint) {
            case PAGE -> take(new Key(route, "page", address), oidcPagesPlan);
            case METADATA -> take(new Key(route, "meta", address), oidcMetadataPlan);
            case CLIENT -> {
                Decision ceiling = consumeClientCeiling(route, address);
                yield ceiling.allowed() ? consumeClient(route, clientId, address) : ceiling;
            }
        };
    }

    /**
     * Takes one token from the address's ceiling of client-authenticated calls ({@code oidc.client-address}). Asked
     * before anything about the client, and before a form is read: a refusal here creates no client bucket (no row
     * in the shared store) and spends no client's token, so names made up one after another buy nothing.
     */
    public Decision consumeClientCeiling(String route, String address) {
        return take(new Key(route, "oa", address), oidcAddressPlan);
    }

    /**
     * After {@link #consumeClientCeiling} allowed the call: takes one token from the bucket of the client the request
     * names ({@code clientId}, unverified; null when it names none) at {@code address}, under
     * {@code oidc.clients."<id>"} or {@code oidc.client}. A refusal gives the ceiling its token back, so one client
     * over its own budget does not use up the others' ceiling at that address. The client's bucket is never touched
     * from another address, so naming another client spends none of its budget there.
     */
    public Decision consumeClient(String route, String clientId, String address) {
        GatewayConfig.Plan own = clientId == null ? null : config.oidc().clients().get(clientId);
        Resolved plan = own == null ? oidcClientPlan : resolvedPlans.computeIfAbsent(own, RateLimiter::resolve);
        // a space separates them: neither an address nor a client id has one
        Decision client = take(new Key(route, "oc", address + " " + (clientId == null ? "" : clientId)), plan);
        if (!client.allowed()) {
            giveBack(new Key(route, "oa", address));
        }
        return client;
    }

    /** How many buckets this instance holds now (in memory, or as handles of rows in the shared store). */
    public long bucketCount() {
        buckets.cleanUp();
        return buckets.estimatedSize();
    }

    /** Returns one token to a bucket taken from just before; nothing when the bucket or the store is gone. */
    private void giveBack(Key key) {
        Bucket bucket = buckets.getIfPresent(key);
        if (bucket == null) {
            return;
        }
        try {
            bucket.addTokens(1);
        } catch (RuntimeException e) {
            // the store failed in between: the token stays spent, which errs on the side of the limit
            storeFailures.incrementAndGet();
        }
    }

    private Decision take(Key key, Resolved plan) {
        ConsumptionProbe probe;
        try {
            Bucket bucket = buckets.get(key, k -> newBucket(k, plan));
            probe = bucket.tryConsumeAndReturnRemaining(1);
        } catch (RuntimeException e) {
            if (shared == null) {
                throw e;
            }
            // The limit protects the services; it is not an authorisation. An unreachable store must not take
            // the whole API down with it, so the request goes on without a decision (and without headers).
            long failures = storeFailures.incrementAndGet();
            if (failures == 1 || failures % 1000 == 0) {
                LOG.warnf("rate-limit store unavailable (%d failures so far): %s", failures, e.toString());
            }
            return new Decision(true, plan.capacity(), 0, 0, 0, plan.policy(), false);
        }
        long reset = seconds(probe.getNanosToWaitForReset());
        if (probe.isConsumed()) {
            return new Decision(true, plan.capacity(), probe.getRemainingTokens(), reset, 0, plan.policy(), true);
        }
        long retryAfter = Math.max(1, seconds(probe.getNanosToWaitForRefill()));
        return new Decision(false, plan.capacity(), 0, Math.max(reset, retryAfter), retryAfter, plan.policy(), true);
    }

    /** How often the shared store failed to answer since start. */
    public long storeFailures() {
        return storeFailures.get();
    }

    private Resolved planFor(String clientId, String department) {
        GatewayConfig.Plan plan = config.clients().get(clientId);
        if (plan == null && department != null) {
            plan = config.departments().get(department);
        }
        return plan == null ? defaultPlan : resolvedPlans.computeIfAbsent(plan, RateLimiter::resolve);
    }

    private static Resolved resolve(GatewayConfig.Plan plan) {
        long capacity = plan.burst().orElse(plan.requests());
        if (plan.requests() < 1 || capacity < plan.requests()) {
            throw new IllegalStateException("a rate-limit plan needs requests of at least 1 and a burst (" + capacity
                    + ") of at least its requests (" + plan.requests() + ")");
        }
        // RateLimit-Policy (draft-ietf-httpapi-ratelimit-headers): "<quota>;w=<window seconds>", a burst above the
        // quota as the draft's example parameter "burst"
        long window = Math.max(1, plan.period().toSeconds());
        String policy = plan.requests() + ";w=" + window + (capacity > plan.requests() ? ";burst=" + capacity : "");
        return new Resolved(plan.requests(), capacity, plan.period(), policy);
    }

    private Bucket newBucket(Key key, Resolved plan) {
        Bandwidth limit = Bandwidth.builder().capacity(plan.capacity()).refillGreedy(plan.requests(), plan.period())
                .build();
        if (shared != null) {
            ProxyManager<String> manager = shared;
            return manager.builder().build(key.storeKey(), () -> BucketConfiguration.builder().addLimit(limit).build());
        }
        return Bucket.builder().addLimit(limit).build();
    }

    private static long seconds(long nanos) {
        return (nanos + 999_999_999L) / 1_000_000_000L;
    }
}
