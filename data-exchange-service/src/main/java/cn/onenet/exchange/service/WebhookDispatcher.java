package cn.onenet.exchange.service;

import java.net.URI;
import java.net.URISyntaxException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import cn.onenet.exchange.config.ExchangeConfig;
import cn.onenet.exchange.service.DeliveryService.EntryView;
import cn.onenet.exchange.service.DeliveryService.Sealed;
import cn.onenet.exchange.service.DeliveryService.WebhookEvent;
import cn.onenet.exchange.service.GrantService.GrantView;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClientOptions;

/**
 * Drains the webhook outbox. Per subscription, strictly in order: only the oldest pending event is tried, and the
 * next waits until it is delivered. 5xx, 408, 429, timeouts and connection errors are retried with exponential
 * back-off and jitter (429 waits as long as its Retry-After says); after {@code max-attempts} the event is given up,
 * the subscription marked FAILING and the consumer notified. Any other answer that is not 2xx is a refusal: not
 * retried, the subscription FAILING. A suspended grant pauses deliveries; a terminated or expired one stops them.
 * A lease on the subscription row keeps two replicas from sending the same subscription at once. The lease names
 * its holder: only the holder renews it (after each event) and gives it back, and a sender whose lease ran out and
 * was taken over stops after the event in hand.
 * <p>
 * The receiver's host is resolved and checked before every attempt ({@link OutboundAddresses}) and the connection
 * goes to the address checked: an address the exchange does not connect to is a refusal (REFUSED_ADDRESS), nothing
 * is sent nor logged. Errors are recorded as coarse categories only (CONNECT_FAILED, TLS_FAILED, TIMEOUT,
 * HTTP_&lt;status&gt;, REFUSED_ADDRESS, INVALID_URL), never the connection's own message, which would tell the
 * consumer how the exchange's network answers.
 */
@ApplicationScoped
public class WebhookDispatcher {

    private static final Logger LOG = Logger.getLogger(WebhookDispatcher.class);

    public static final String SEAL_HEADER = "X-Exchange-Seal";
    public static final String DELIVERY_HEADER = "X-Exchange-Delivery-Id";
    public static final String EVENT_HEADER = "X-Exchange-Event-Id";
    public static final String TIMESTAMP_HEADER = "X-Exchange-Timestamp";

    private record Head(long outboxId, long subscriptionId, long grantId, String consumer, String url, String eventId,
            long changeSeq, String key, boolean deleted, String data, int attempts, boolean due) {
    }

    /** The receiver's answer, or the failure's category; {@code unsent} when no byte of the request left. */
    private record Answer(Integer status, String retryAfter, String error, boolean unsent) {
        Answer(Integer status, String retryAfter, String error) {
            this(status, retryAfter, error, false);
        }
    }

    /** Usage-log operation of a webhook delivery. */
    static final String OPERATION = "WEBHOOK";
    static final String CONNECT_FAILED = "CONNECT_FAILED";
    static final String TLS_FAILED = "TLS_FAILED";
    static final String TIMEOUT = "TIMEOUT";
    static final String REFUSED_ADDRESS = "REFUSED_ADDRESS";
    static final String INVALID_URL = "INVALID_URL";

    private final AgroalDataSource dataSource;
    private final DeliveryService delivery;
    private final GrantService grants;
    private final DeliveryDeadlines deadlines;
    private final NoticeService notices;
    private final TimeSource time;
    private final ExchangeConfig config;
    private final OutboundAddresses outbound;
    private final Vertx vertx;
    private final OutboxSenders<Long> senders;
    private volatile OutboundClient client;

    public WebhookDispatcher(AgroalDataSource dataSource, DeliveryService delivery, GrantService grants,
            DeliveryDeadlines deadlines, NoticeService notices, TimeSource time, ExchangeConfig config,
            OutboundAddresses outbound, Vertx vertx) {
        this.dataSource = dataSource;
        this.delivery = delivery;
        this.grants = grants;
        this.deadlines = deadlines;
        this.notices = notices;
        this.time = time;
        this.config = config;
        this.outbound = outbound;
        this.vertx = vertx;
        this.senders = new OutboxSenders<>(dataSource, "webhook_subscription", "id", "webhook-sender", 4);
    }

    @PreDestroy
    void shutdown() {
        senders.close();
        if (client != null) {
            client.close();
        }
    }

    @Scheduled(every = "${exchange.webhook.poll-interval}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledDrain() {
        drain();
    }

    /** Hands every subscription whose oldest pending event is due to a sender thread. */
    public void drain() {
        List<Long> due = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT s.id FROM webhook_subscription s WHERE s.status = 'ACTIVE' "
                        + "AND (s.lease_until IS NULL OR s.lease_until < now()) "
                        + "AND (SELECT o.next_attempt_at FROM webhook_outbox o WHERE o.subscription_id = s.id "
                        + "AND o.status = 'PENDING' ORDER BY o.id LIMIT 1) <= now() ORDER BY s.id LIMIT 200");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                due.add(rs.getLong(1));
            }
        } catch (SQLException e) {
            LOG.warnf("webhook outbox unreadable: %s", e.getMessage());
            return;
        }
        long leaseMillis = 2 * (config.webhook().connectTimeout().toMillis() + config.webhook().timeout().toMillis())
                + 30_000;
        senders.dispatch(due, config.webhook().batch(), leaseMillis, id -> {
            Head h = head(id);
            return h != null && h.due() && deliver(h);
        });
    }

    /** Whether this replica is sending the subscription's events now. */
    public boolean sending(long subscriptionId) {
        return senders.sending(subscriptionId);
    }

    /** Tries the head event once; true when the next event may follow at once. */
    private boolean deliver(Head h) {
        GrantView grant = grants.forDelivery(h.consumer(), null, h.grantId());
        LocalDate today = time.today();
        if (grant == null || "TERMINATED".equals(grant.status()) || "EXPIRED".equals(grant.status())
                || today.isAfter(grant.validTo())) {
            stop(dataSource, h.subscriptionId(), "授权已终止或到期 / the grant has ended");
            notify(h, "WEBHOOK_STOPPED", "授权已终止或到期，webhook 推送已停止 / the grant ended: webhook deliveries stopped");
            return false;
        }
        EntryView entry = delivery.entry(grant.resourceCode());
        if (entry.deregistered() || !DeliveryService.Use.SUBSCRIPTION.allowedBy(grant.deliveryMethod())) {
            // R15 / R12: nothing is pushed of a deregistered entry, nor under a grant not issued for subscription
            // (a webhook registered before delivery methods were enforced)
            String why = entry.deregistered() ? "目录已注销 / the catalogue entry was deregistered"
                    : "授权的共享方式为 " + grant.deliveryMethod() + "，不含订阅 / the grant is not for subscription";
            stop(dataSource, h.subscriptionId(), why);
            notify(h, "WEBHOOK_STOPPED", why + "，webhook 推送已停止 / webhook deliveries stopped");
            return false;
        }
        if (!"ACTIVE".equals(grant.status()) || today.isBefore(grant.validFrom())) {
            return false; // suspended: held until the grant is resumed
        }
        if (!ShareMethods.covers(entry.shareMethodType(), grant.deliveryMethod())) {
            // the entry's current share method no longer covers subscription: held, and the grant ends (and this
            // webhook stops) when the replica applies that version
            return false;
        }
        Map<String, Object> data = Json.object(h.data());
        if (!DeliveryService.inRegion(grant, entry, h.key(), data)) {
            // 回流 grants receive only their region's records: this one is never sent
            finish(h.outboxId(), "SKIPPED", null, null, null);
            return true;
        }
        OutboundAddresses.Target target;
        try {
            target = target(h.url());
        } catch (URISyntaxException | OutboundAddresses.Refused e) {
            // refused before anything is sealed, logged or sent
            String what = e instanceof URISyntaxException ? INVALID_URL : REFUSED_ADDRESS;
            finish(h.outboxId(), "REJECTED", null, what, null);
            failing(h, "接收地址不予连接 (" + what + ")，请改登记 / the receiver's address is refused: register another URL");
            return false;
        }
        String deliveryId = UUID.randomUUID().toString();
        long timestamp = Instant.now().getEpochSecond();
        if (target.address() == null) {
            // the name does not resolve (DNS may recover): nothing is sealed, logged or sent; retried as a
            // connection failure, and no usage-log entry claims an access that never happened
            return failed(h, deliveryId, null, new Answer(null, null, CONNECT_FAILED));
        }
        Sealed sealed;
        try {
            sealed = delivery.webhook(grant, entry, new WebhookEvent(h.subscriptionId(), h.eventId(), deliveryId,
                    timestamp, h.changeSeq(), h.key(), h.deleted(), data));
        } catch (RuntimeException e) {
            // the usage-log entry was not committed: nothing leaves, the event is tried again on the next drain
            LOG.warnf("webhook event %s held: %s", h.eventId(), e.getMessage());
            return false;
        }
        Answer a = send(h, target, sealed, deliveryId, timestamp);
        boolean accepted = a.status() != null && a.status() >= 200 && a.status() < 300;
        if (!a.unsent()) {
            // the request left (answered, or timed out or broken off on the way): the provider's data was delivered
            // to the consumer's receiver (R10), whatever the receiver made of it
            try {
                deadlines.delivered(grant.id(), "DELIVERED", time.now());
            } catch (RuntimeException e) {
                LOG.warnf("First delivery of grant %s not recorded, left for its next delivery: %s", grant.id(),
                        e.getMessage());
            }
        }
        String followUp = followUp(a.unsent(), a.status(), () -> standing(h.outboxId(), sealed.logSeq()));
        if (followUp != null) {
            // the delivery's entry was committed before connecting; this one says it is not one more delivery of the
            // record (the citizens' view leaves it out): never left, refused by the receiver's answer, or the same
            // event again after an attempt that stands as its delivery
            try {
                delivery.webhookFollowUp(grant, entry, deliveryId, followUp);
            } catch (RuntimeException e) {
                LOG.warnf("webhook delivery %s: %s entry not written: %s", deliveryId, followUp, e.getMessage());
            }
        }
        if (accepted) {
            attempt(h, h.attempts() + 1, deliveryId, sealed.logSeq(), a, null);
            finish(h.outboxId(), "DELIVERED", a.status(), null, sealed.logSeq());
            return true;
        }
        return failed(h, deliveryId, sealed.logSeq(), a);
    }

    /**
     * The entry that follows an attempt's DELIVERED entry, or null when the attempt stands as the event's delivery in
     * the citizens' view: NOT_SENT when its request never left, NOT_ACCEPTED when the receiver answered other than
     * 2xx, REPEATED when another attempt of the event already stands ({@code anotherStands}, asked only then).
     * Migration V68 classifies the attempts made before these follow-ups existed with it.
     */
    public static String followUp(boolean unsent, Integer status, java.util.function.BooleanSupplier anotherStands) {
        if (unsent) {
            return DeliveryService.NOT_SENT;
        }
        if (status != null && (status < 200 || status >= 300)) {
            return DeliveryService.NOT_ACCEPTED;
        }
        return anotherStands.getAsBoolean() ? DeliveryService.REPEATED : null;
    }

    /**
     * Whether a recorded attempt without an answer ({@code status} null) surely never sent its request, from its
     * stored error alone: a failed TLS handshake, or an address refused before connecting. CONNECT_FAILED is also a
     * broken-off connection that may have sent, so it (and an old stored message, read as CONNECT_FAILED) is not.
     */
    public static boolean storedUnsent(Integer status, String storedError) {
        if (status != null) {
            return false;
        }
        String category = coarse(storedError);
        return TLS_FAILED.equals(category) || REFUSED_ADDRESS.equals(category) || INVALID_URL.equals(category);
    }

    /**
     * Whether an earlier attempt of the outbox event stands as its delivery in the citizens' view: its entry says
     * DELIVERED and no follow-up ({@link DeliveryService#WEBHOOK_FOLLOW_UPS}) takes it back. Such an attempt timed out
     * or broke off after sending (or its follow-up could not be written): the receiver may hold the record, so the
     * event is shown once, at the first time it may have arrived, and later attempts are {@code REPEATED}.
     */
    private boolean standing(long outboxId, long currentSeq) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT 1 FROM webhook_attempt a JOIN usage_log l ON l.seq = a.usage_log_seq WHERE a.outbox_id = ? "
                        + "AND l.seq <> ? AND l.operation = '" + OPERATION + "' AND l.outcome = 'DELIVERED' "
                        + "AND NOT EXISTS (SELECT 1 FROM usage_log f WHERE f.request_id = l.request_id "
                        + "AND f.operation = '" + OPERATION + "' AND f.outcome IN ('"
                        + String.join("', '", DeliveryService.WEBHOOK_FOLLOW_UPS) + "')) LIMIT 1")) {
            ps.setLong(1, outboxId);
            ps.setLong(2, currentSeq);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            // unknown: the attempt is left shown, never hidden on a guess
            LOG.warnf("webhook event %d: earlier attempts unreadable: %s", outboxId, e.getMessage());
            return false;
        }
    }

    /**
     * An attempt that was not answered with 2xx ({@code logSeq} its usage-log entry, null when nothing was sealed nor
     * logged): a refusal ends it (REJECTED, FAILING), the last attempt gives up (GAVE_UP, FAILING), any other is
     * retried after the back-off. Always false: the next event waits.
     */
    private boolean failed(Head h, String deliveryId, Long logSeq, Answer a) {
        int attempt = h.attempts() + 1;
        boolean retryable = a.status() == null || a.status() == 408 || a.status() == 429 || a.status() >= 500;
        String what = a.status() == null ? a.error() : "HTTP_" + a.status();
        if (!retryable) {
            attempt(h, attempt, deliveryId, logSeq, a, null);
            finish(h.outboxId(), "REJECTED", a.status(), what, logSeq);
            failing(h, "接收方拒绝 (" + what + ")，不再重试 / refused by the receiver, not retried");
            return false;
        }
        if (attempt >= config.webhook().maxAttempts()) {
            attempt(h, attempt, deliveryId, logSeq, a, null);
            finish(h.outboxId(), "GAVE_UP", a.status(), what, logSeq);
            failing(h, attempt + " 次推送失败 (" + what + ")，已放弃 / gave up after " + attempt + " attempts");
            return false;
        }
        long delay = a.status() != null && a.status() == 429 && retryAfterMillis(a.retryAfter()) != null
                ? Math.min(retryAfterMillis(a.retryAfter()), config.webhook().backoffMax().toMillis())
                : backoff(attempt, config.webhook().backoffBase().toMillis(), config.webhook().backoffMax().toMillis());
        attempt(h, attempt, deliveryId, logSeq, a, delay);
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE webhook_outbox SET attempts = ?, next_attempt_at = now() + ? * interval '1 millisecond', "
                        + "last_status = ?, last_error = ? WHERE id = ?")) {
            ps.setInt(1, attempt);
            ps.setLong(2, delay);
            ps.setObject(3, a.status());
            ps.setString(4, what);
            ps.setLong(5, h.outboxId());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("webhook outbox not updated", e);
        }
        return false;
    }

    /** base · 2^(attempt−1), at most max, plus up to 50 % random jitter (receivers recovering are not stampeded). */
    static long backoff(int attempt, long baseMillis, long maxMillis) {
        long exp = baseMillis << Math.min(attempt - 1, 30);
        long capped = Math.min(exp <= 0 ? maxMillis : exp, maxMillis);
        return capped + (long) (capped * 0.5 * ThreadLocalRandom.current().nextDouble());
    }

    /** Retry-After in seconds or as an HTTP date; null when absent or unreadable. */
    static Long retryAfterMillis(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Math.max(0, Long.parseLong(value.trim())) * 1000;
        } catch (NumberFormatException e) {
            try {
                return Math.max(0, ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME)
                        .toInstant().toEpochMilli() - System.currentTimeMillis());
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }

    /**
     * The receiver's URL and the address to connect to (none when the name does not resolve: DNS may recover, a
     * connection failure, retried); Refused for an address the exchange does not connect to.
     */
    private OutboundAddresses.Target target(String url) throws URISyntaxException, OutboundAddresses.Refused {
        URI u = new URI(url);
        if (u.getHost() == null) {
            throw new URISyntaxException(url, "no host");
        }
        if (!OutboundAddresses.portUsable(u)) {
            // stored before registration checked the port: refused before anything is sealed or logged
            throw new URISyntaxException(url, "port out of range");
        }
        return outbound.target(u);
    }

    private Answer send(Head h, OutboundAddresses.Target target, Sealed sealed, String deliveryId, long timestamp) {
        long timeout = config.webhook().timeout().toMillis();
        long connectTimeout = config.webhook().connectTimeout().toMillis();
        HttpRequest<Buffer> request;
        try {
            request = client().request(HttpMethod.POST, target);
        } catch (IllegalArgumentException | IllegalStateException e) {
            // the client refused the address before connecting: the request never left
            LOG.warnf("webhook subscription %d: request not built: %s", h.subscriptionId(), e.toString());
            return new Answer(null, null, CONNECT_FAILED, true);
        }
        try {
            // connects to the address checked, not to whatever the name resolves to next; Host and TLS use the name.
            // A connection not had within the connect timeout sent nothing; once connected, the answer has its own
            HttpResponse<Buffer> r = request.connectTimeout(connectTimeout)
                    .idleTimeout(timeout)
                    .putHeader("Content-Type", "application/json; charset=UTF-8")
                    .putHeader(SEAL_HEADER, sealed.seal())
                    .putHeader(DELIVERY_HEADER, deliveryId)
                    .putHeader(EVENT_HEADER, h.eventId())
                    .putHeader(TIMESTAMP_HEADER, Long.toString(timestamp))
                    .putHeader("X-Usage-Log-Seq", Long.toString(sealed.logSeq()))
                    .sendBuffer(Buffer.buffer(sealed.body())).toCompletionStage().toCompletableFuture()
                    .get(connectTimeout + timeout + 2000, TimeUnit.MILLISECONDS);
            return new Answer(r.statusCode(), r.getHeader("Retry-After"), null);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            LOG.debugf("webhook subscription %d: %s", h.subscriptionId(), cause.toString());
            // refused, unreachable or no connection within the connect timeout, or the TLS handshake failed: the
            // request itself never left
            return new Answer(null, null, category(cause), unsent(cause));
        } catch (TimeoutException e) {
            return new Answer(null, null, TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(null, null, CONNECT_FAILED);
        }
    }

    /**
     * The category to show for a stored error: the categories as they are; an error stored before they were
     * introduced (the connection's own message) shows as CONNECT_FAILED, "HTTP 503" as HTTP_503.
     */
    static String coarse(String stored) {
        if (stored == null) {
            return null;
        }
        if (stored.matches("HTTP[ _]\\d{3}")) {
            return "HTTP_" + stored.substring(5);
        }
        return switch (stored) {
            case CONNECT_FAILED, TLS_FAILED, TIMEOUT, REFUSED_ADDRESS, INVALID_URL -> stored;
            case "timeout" -> TIMEOUT;
            default -> CONNECT_FAILED;
        };
    }

    /**
     * The coarse category of a failed connection: TLS_FAILED, TIMEOUT (sent, not answered in time) or
     * CONNECT_FAILED (no connection: refused, unreachable, not connected within the connect timeout; or broken off).
     */
    static String category(Throwable failure) {
        return switch (OutboundClient.failure(failure)) {
            case TLS -> TLS_FAILED;
            case TIMEOUT -> TIMEOUT;
            case UNREACHABLE, CONNECT_TIMEOUT, BROKEN -> CONNECT_FAILED;
        };
    }

    /** Whether a delivery that failed this way never sent its request (no connection, or the TLS handshake failed). */
    static boolean unsent(Throwable failure) {
        return OutboundClient.unsent(OutboundClient.failure(failure));
    }

    private OutboundClient client() {
        OutboundClient c = client;
        if (c == null) {
            synchronized (this) {
                if (client == null) {
                    int connectTimeout = (int) config.webhook().connectTimeout().toMillis();
                    client = new OutboundClient(vertx, new WebClientOptions().setConnectTimeout(connectTimeout)
                            .setUserAgent("onenet-data-exchange-webhooks").setMaxPoolSize(8));
                }
                c = client;
            }
        }
        return c;
    }

    private Head head(long subscriptionId) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT o.id, s.id, s.grant_id, s.consumer_department_code, s.url, o.event_id, o.change_seq, "
                        + "o.record_key, o.deleted, o.data, o.attempts, o.next_attempt_at <= now() "
                        + "FROM webhook_outbox o JOIN webhook_subscription s ON s.id = o.subscription_id "
                        + "WHERE o.subscription_id = ? AND o.status = 'PENDING' AND s.status = 'ACTIVE' "
                        + "ORDER BY o.id LIMIT 1")) {
            ps.setLong(1, subscriptionId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                return new Head(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), rs.getLong(7), rs.getString(8), rs.getBoolean(9), rs.getString(10),
                        rs.getInt(11), rs.getBoolean(12));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("webhook outbox unreadable", e);
        }
    }

    private void attempt(Head h, int attempt, String deliveryId, Long logSeq, Answer a, Long retryIn) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO webhook_attempt (outbox_id, attempt, delivery_id, usage_log_seq, http_status, error, "
                        + "retry_in_ms) VALUES (?, ?, ?::uuid, ?, ?, ?, ?)")) {
            ps.setLong(1, h.outboxId());
            ps.setInt(2, attempt);
            ps.setString(3, deliveryId);
            ps.setObject(4, logSeq);
            ps.setObject(5, a.status());
            ps.setString(6, a.error());
            ps.setObject(7, retryIn);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("webhook attempt not recorded", e);
        }
    }

    private void finish(long outboxId, String status, Integer httpStatus, String error, Long logSeq) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE webhook_outbox SET status = ?, attempts = attempts + CASE WHEN ? THEN 1 ELSE 0 END, "
                        + "last_status = ?, last_error = ?, usage_log_seq = ?, finished_at = now(), "
                        + "data = CASE WHEN ? THEN NULL ELSE data END WHERE id = ?")) {
            ps.setString(1, status);
            ps.setBoolean(2, !"SKIPPED".equals(status));
            ps.setObject(3, httpStatus);
            ps.setString(4, error);
            ps.setObject(5, logSeq);
            // the copy of the record stays only while the event may still be sent (given up or refused: resumable)
            ps.setBoolean(6, "DELIVERED".equals(status) || "SKIPPED".equals(status));
            ps.setLong(7, outboxId);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("webhook outbox not updated", e);
        }
    }

    private void failing(Head h, String reason) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE webhook_subscription SET status = 'FAILING', status_reason = ?, updated_at = now() "
                        + "WHERE id = ? AND status = 'ACTIVE'")) {
            ps.setString(1, reason);
            ps.setLong(2, h.subscriptionId());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("webhook subscription not updated", e);
        }
        notify(h, "WEBHOOK_FAILING", "订阅推送失败 / webhook deliveries failing: " + reason);
    }

    private void notify(Head h, String kind, String message) {
        QuarkusTransaction.requiringNew().run(() -> notices.notify(h.consumer(), kind, "SUBSCRIPTION",
                h.subscriptionId(), message));
    }

    /** Marks the subscription stopped and drops what it had not sent. */
    static void stop(AgroalDataSource dataSource, long subscriptionId, String reason) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement s = c.prepareStatement("UPDATE webhook_subscription SET status = 'STOPPED', "
                    + "status_reason = ?, updated_at = now() WHERE id = ?");
                    PreparedStatement o = c.prepareStatement("UPDATE webhook_outbox SET status = 'DROPPED', "
                            + "data = NULL, finished_at = now() WHERE subscription_id = ? AND status IN ('PENDING', 'GAVE_UP', "
                            + "'REJECTED')")) {
                s.setString(1, reason);
                s.setLong(2, subscriptionId);
                s.executeUpdate();
                o.setLong(1, subscriptionId);
                o.executeUpdate();
            }
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("webhook subscription not stopped", e);
        }
    }
}
