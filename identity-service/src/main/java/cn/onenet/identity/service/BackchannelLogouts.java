package cn.onenet.identity.service;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.Transactional;
import jakarta.transaction.TransactionSynchronizationRegistry;

import org.jboss.logging.Logger;

import cn.onenet.identity.config.IdentityConfig;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;

/**
 * Durable back-channel logout (OpenID Connect Back-Channel Logout 1.0). A delivery is queued in
 * {@code backchannel_logout} in the transaction that ends the session, so a rolled-back logout sends nothing and a
 * committed one is not lost. After commit it is tried at once; network errors and 5xx answers (and 408, 429) are
 * retried with exponential back-off until {@code identity.backchannel-logout.max-attempts} or {@code max-age} is
 * reached; a 2xx answer delivers it and any other answer is final (§2.8: 400 means the RP refused the token). The
 * logout token is signed at every attempt, with a fresh {@code jti} and {@code iat} and a short {@code exp}, so a
 * retry never carries a stale token. Each final outcome is audited ({@code BACKCHANNEL_LOGOUT}), never the token.
 * Attempts are claimed with {@code FOR UPDATE SKIP LOCKED} and a lease, so any replica may retry what another one
 * queued and a replica that stops mid-attempt only delays the delivery.
 */
@ApplicationScoped
public class BackchannelLogouts {

    private static final Logger LOG = Logger.getLogger(BackchannelLogouts.class);
    private static final int BATCH = 100;

    /** A delivery claimed for one attempt (attempts already counts this one). */
    record Claimed(long id, String clientId, UUID accountId, String subject, String sid, String requestId,
            OffsetDateTime createdAt, int attempts) {
    }

    private final IdentityConfig.BackchannelLogout config;
    private final EntityManager em;
    private final ClientRegistry clients;
    private final TokenService tokens;
    private final AuditService audit;
    private final TransactionSynchronizationRegistry transactions;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final ExecutorService workers;

    public BackchannelLogouts(IdentityConfig config, EntityManager em, ClientRegistry clients, TokenService tokens,
            AuditService audit, TransactionSynchronizationRegistry transactions) {
        this.config = config.backchannelLogout();
        this.em = em;
        this.clients = clients;
        this.tokens = tokens;
        this.audit = audit;
        this.transactions = transactions;
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "backchannel-logout-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @PreDestroy
    void stop() {
        // attempts in flight keep their lease; another replica (or this one after a restart) retries them
        workers.shutdownNow();
    }

    /**
     * Queues a delivery in the caller's transaction; the first attempt is reserved (for the lease) to the commit of
     * that transaction, see {@link #deliverAfterCommit(List)}. Returns the delivery's id.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public long queue(String clientId, UUID accountId, String subject, String sid) {
        Object id = em.createNativeQuery("INSERT INTO backchannel_logout (client_id, account_id, subject, sid, "
                + "request_id, next_attempt_at) VALUES (?1, ?2, ?3, ?4, ?5, now() + make_interval(secs => ?6)) "
                + "RETURNING id").setParameter(1, clientId).setParameter(2, accountId).setParameter(3, subject)
                .setParameter(4, sid).setParameter(5, RequestContext.requestId())
                .setParameter(6, (double) lease().toSeconds()).getSingleResult();
        return ((Number) id).longValue();
    }

    /**
     * Makes the first attempt for the deliveries once the current transaction has committed; nothing when it rolls
     * back. The future completes when those attempts are done (whatever their outcome).
     */
    public CompletableFuture<Void> deliverAfterCommit(List<Long> ids) {
        if (ids.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
                // nothing: deliveries start only after commit
            }

            @Override
            public void afterCompletion(int status) {
                if (status != Status.STATUS_COMMITTED) {
                    done.complete(null);
                    return;
                }
                try {
                    workers.execute(() -> {
                        try {
                            attemptAll(claimFirst(ids));
                        } catch (RuntimeException e) {
                            LOG.warnf("Back-channel logout deliveries %s left for the retry run: %s", ids,
                                    e.getMessage());
                        } finally {
                            done.complete(null);
                        }
                    });
                } catch (RejectedExecutionException e) {
                    done.complete(null); // shutting down: the retry run picks them up after the lease
                }
            }
        });
        return done;
    }

    @Scheduled(every = "${identity.backchannel-logout.poll-interval:5s}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        deliverDue();
    }

    /** Makes one attempt for every delivery that is due (first attempts whose lease ran out, retries); returns how many. */
    public int deliverDue() {
        List<Claimed> claimed = claimDue();
        attemptAll(claimed);
        return claimed.size();
    }

    /** Finished deliveries are kept a day for operators, then deleted. */
    @Scheduled(every = "1h", delayed = "5m")
    @Transactional
    public void purge() {
        em.createNativeQuery("DELETE FROM backchannel_logout WHERE finished_at < now() - interval '1 day'")
                .executeUpdate();
    }

    private List<Claimed> claimFirst(List<Long> ids) {
        return claim("id IN (?1) AND attempts = 0", ids);
    }

    private List<Claimed> claimDue() {
        return claim("next_attempt_at <= now()", null);
    }

    /** Claims deliveries for one attempt each: counts the attempt and takes a lease on them. */
    @SuppressWarnings("unchecked")
    private List<Claimed> claim(String condition, List<Long> ids) {
        return QuarkusTransaction.requiringNew().call(() -> {
            var select = em.createNativeQuery("SELECT id FROM backchannel_logout WHERE finished_at IS NULL AND "
                    + condition + " ORDER BY next_attempt_at LIMIT " + BATCH + " FOR UPDATE SKIP LOCKED");
            if (ids != null) {
                select.setParameter(1, ids);
            }
            List<Number> found = select.getResultList();
            if (found.isEmpty()) {
                return List.of();
            }
            List<Long> claimed = found.stream().map(Number::longValue).toList();
            List<Object[]> rows = em.createNativeQuery("UPDATE backchannel_logout SET attempts = attempts + 1, "
                    + "next_attempt_at = now() + make_interval(secs => ?1) WHERE id IN (?2) RETURNING id, client_id, "
                    + "CAST(account_id AS VARCHAR), subject, sid, request_id, CAST(EXTRACT(EPOCH FROM created_at) * 1000 AS "
                    + "BIGINT), attempts")
                    .setParameter(1, (double) lease().toSeconds()).setParameter(2, claimed).getResultList();
            List<Claimed> result = new ArrayList<>();
            for (Object[] r : rows) {
                result.add(new Claimed(((Number) r[0]).longValue(), (String) r[1], UUID.fromString((String) r[2]),
                        (String) r[3], (String) r[4], (String) r[5],
                        Instant.ofEpochMilli(((Number) r[6]).longValue()).atOffset(ZoneOffset.UTC),
                        ((Number) r[7]).intValue()));
            }
            return result;
        });
    }

    private void attemptAll(List<Claimed> claimed) {
        if (claimed.size() == 1) {
            attempt(claimed.get(0));
            return;
        }
        List<CompletableFuture<Void>> runs = new ArrayList<>();
        for (Claimed delivery : claimed) {
            try {
                runs.add(CompletableFuture.runAsync(() -> attempt(delivery), workers));
            } catch (RejectedExecutionException e) {
                return; // shutting down: the lease runs out and the retry run takes them
            }
        }
        CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new)).exceptionally(e -> null).join();
    }

    /** One POST of a freshly signed logout token, and what follows from the answer. */
    void attempt(Claimed delivery) {
        OffsetDateTime deadline = delivery.createdAt().plus(config.maxAge());
        if (OffsetDateTime.now().isAfter(deadline)) {
            finish(delivery, "GAVE_UP", null, "not delivered within " + config.maxAge() + ", attempts="
                    + (delivery.attempts() - 1));
            return;
        }
        RegisteredClient client = clients.find(delivery.clientId()).orElse(null);
        String uri = client == null ? null : client.backchannelLogoutUri();
        if (uri == null || uri.isBlank()) {
            finish(delivery, "NO_CLIENT", null, "client disabled or removed, or no back-channel logout URI any more");
            return;
        }
        Integer status = null;
        String error;
        try {
            String token = tokens.logoutToken(client, delivery.subject(), delivery.sid());
            HttpRequest request = HttpRequest.newBuilder(URI.create(uri)).timeout(config.timeout())
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "logout_token=" + URLEncoder.encode(token, StandardCharsets.US_ASCII)))
                    .build();
            status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            error = status / 100 == 2 ? null : "status=" + status;
        } catch (IOException | IllegalArgumentException e) {
            error = "unreachable (" + e.getClass().getSimpleName() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return; // shutting down: the lease runs out and the retry run takes it
        }
        String attempts = "attempts=" + delivery.attempts();
        if (status != null && status / 100 == 2) {
            finish(delivery, "DELIVERED", status, "delivered, status=" + status + ", " + attempts);
        } else if (status != null && !retryable(status)) {
            finish(delivery, "REFUSED", status, "refused by the relying party, status=" + status + ", " + attempts);
        } else {
            Duration wait = backoff(delivery.attempts());
            if (delivery.attempts() >= config.maxAttempts()
                    || OffsetDateTime.now().plus(wait).isAfter(deadline)) {
                finish(delivery, "GAVE_UP", status, "gave up, last: " + error + ", " + attempts);
            } else {
                retryLater(delivery, status, error, wait);
            }
        }
    }

    /** Network errors, 5xx and the "try again later" answers 408 and 429 are retried; anything else is final. */
    static boolean retryable(int status) {
        return status >= 500 || status == 408 || status == 429;
    }

    /** The wait after the n-th failed attempt: initial back-off doubled n-1 times, at most the maximum. */
    Duration backoff(int failedAttempts) {
        Duration wait = config.initialBackoff().multipliedBy(1L << Math.min(30, Math.max(0, failedAttempts - 1)));
        return wait.compareTo(config.maxBackoff()) > 0 ? config.maxBackoff() : wait;
    }

    /** How long a claimed attempt is reserved to the replica that claimed it. */
    private Duration lease() {
        return config.timeout().multipliedBy(2).plusSeconds(30);
    }

    private void retryLater(Claimed delivery, Integer status, String error, Duration wait) {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("UPDATE backchannel_logout SET "
                + "next_attempt_at = now() + make_interval(secs => ?2), last_status = " + sqlInt(status)
                + ", last_error = ?3 WHERE id = ?1").setParameter(1, delivery.id())
                .setParameter(2, wait.toMillis() / 1000.0).setParameter(3, cut(error)).executeUpdate());
        LOG.warnf("Back-channel logout to %s failed (%s, attempt %d), retrying in %s", delivery.clientId(), error,
                delivery.attempts(), wait);
    }

    private void finish(Claimed delivery, String outcome, Integer status, String detail) {
        boolean delivered = "DELIVERED".equals(outcome);
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("UPDATE backchannel_logout SET "
                + "finished_at = now(), outcome = ?2, last_status = " + sqlInt(status) + ", last_error = "
                + "CASE WHEN ?2 = 'DELIVERED' THEN NULL ELSE ?3 END WHERE id = ?1").setParameter(1, delivery.id())
                .setParameter(2, outcome).setParameter(3, cut(detail)).executeUpdate());
        audit.record("BACKCHANNEL_LOGOUT", delivered, delivery.accountId().toString(),
                delivery.subject(), delivery.clientId(), null, detail, delivery.requestId());
    }

    /** An HTTP status written into the statement (an int, or NULL: a typed null is not portable here). */
    private static String sqlInt(Integer value) {
        return value == null ? "NULL" : Integer.toString(value);
    }

    private static String cut(String value) {
        return value == null || value.length() <= 300 ? value : value.substring(0, 300);
    }
}
