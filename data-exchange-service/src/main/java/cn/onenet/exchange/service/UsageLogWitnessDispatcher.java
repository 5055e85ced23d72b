package cn.onenet.exchange.service;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import cn.onenet.exchange.config.ExchangeConfig;
import cn.onenet.exchange.config.UsageLogWitnessConfig;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClientOptions;

/**
 * Pushes signed checkpoints to the usage log's witnesses ({@link UsageLogWitnessService}). Per witness strictly in
 * checkpoint order: only the oldest checkpoint not yet acknowledged is tried, the next waits. The body is the
 * checkpoint as {@link #body} builds it, the very JSON a witness keeps and hands to usage-log-verifier
 * {@code --witness}; the POST is sealed like a webhook delivery (X-Exchange-Seal: a detached JWS over the body by the
 * 主管部门's seal, the delivery id, the time and the witness in its protected header). A 2xx is the acknowledgement,
 * kept with the witness's answer as its receipt. 5xx, 408, 429, timeouts and connection errors are retried with the
 * webhooks' back-off; any other answer is a refusal. A refusal, or {@code max-attempts} failures, marks the witness
 * FAILING. A lease on the witness row keeps two replicas from pushing to one witness at once; the host is resolved
 * and checked before every attempt ({@link OutboundAddresses}).
 */
@ApplicationScoped
public class UsageLogWitnessDispatcher {

    private static final Logger LOG = Logger.getLogger(UsageLogWitnessDispatcher.class);

    /** The format of the pushed checkpoint record. */
    public static final String FORMAT = "onenet-usage-log-witness/1";
    /** Longest receipt kept; a longer answer is kept as no receipt (a cut one would prove nothing). */
    static final int MAX_RECEIPT = 4096;
    private static final int BATCH = 50;

    private record Head(long outboxId, String witness, String url, long checkpointId, int attempts, boolean due) {
    }

    private record Answer(Integer status, String retryAfter, String body, String error) {
    }

    private final AgroalDataSource dataSource;
    private final UsageLogService log;
    private final SealService seals;
    private final ExchangeConfig config;
    private final UsageLogWitnessConfig witnessConfig;
    private final OutboundAddresses outbound;
    private final Vertx vertx;
    private final OutboxSenders<String> senders;
    private final NoticeService notices;
    private volatile OutboundClient client;

    public UsageLogWitnessDispatcher(AgroalDataSource dataSource, UsageLogService log, SealService seals,
            ExchangeConfig config, UsageLogWitnessConfig witnessConfig, OutboundAddresses outbound, Vertx vertx,
            NoticeService notices) {
        this.dataSource = dataSource;
        this.notices = notices;
        this.log = log;
        this.seals = seals;
        this.config = config;
        this.witnessConfig = witnessConfig;
        this.outbound = outbound;
        this.vertx = vertx;
        this.senders = new OutboxSenders<>(dataSource, "usage_log_witness", "department_code", "witness-sender", 2);
    }

    @PreDestroy
    void shutdown() {
        senders.close();
        if (client != null) {
            client.close();
        }
    }

    @Scheduled(every = "${exchange.usage-log.witness.poll-interval:1s}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledDrain() {
        drain();
    }

    /** Hands every active witness whose oldest unacknowledged checkpoint is due to a sender thread. */
    public void drain() {
        List<String> due = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT w.department_code FROM usage_log_witness w WHERE w.status = 'ACTIVE' "
                        + "AND (w.lease_until IS NULL OR w.lease_until < now()) "
                        + "AND (SELECT o.next_attempt_at FROM usage_log_witness_outbox o "
                        + "WHERE o.department_code = w.department_code AND o.status = 'PENDING' "
                        + "ORDER BY o.checkpoint_id LIMIT 1) <= now() ORDER BY w.department_code LIMIT 200");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                due.add(rs.getString(1));
            }
        } catch (SQLException e) {
            LOG.warnf("witness outbox unreadable: %s", e.getMessage());
            return;
        }
        long leaseMillis = 2 * (witnessConfig.connectTimeout().toMillis() + witnessConfig.timeout().toMillis())
                + 30_000;
        senders.dispatch(due, BATCH, leaseMillis, witness -> {
            Head h = head(witness);
            return h != null && h.due() && deliver(h);
        });
    }

    /**
     * The record a witness receives for a checkpoint, and keeps: the checkpoint as the export shows it (lastSeq,
     * lastHash, entryCount, createdAt, kid, the exact signed payload and its detached JWS signature, the RFC 3161
     * token when there is one). Null when the checkpoint row is gone.
     */
    Map<String, Object> body(Connection c, long checkpointId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + UsageLogService.CHECKPOINT_COLUMNS
                + " FROM usage_log_checkpoint WHERE id = ?")) {
            ps.setLong(1, checkpointId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                Map<String, Object> view = log.checkpointView(rs);
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("format", FORMAT);
                m.put("checkpointId", view.get("id"));
                m.put("lastSeq", view.get("lastSeq"));
                m.put("lastHash", view.get("lastHash"));
                m.put("entryCount", view.get("entryCount"));
                m.put("createdAt", view.get("createdAt"));
                m.put("kid", view.get("kid"));
                m.put("payloadFormat", view.get("payloadFormat"));
                m.put("payload", view.get("checkpointPayload"));
                m.put("signature", view.get("signature"));
                m.put("timestampToken", view.get("timestampToken"));
                return m;
            }
        }
    }

    /** Tries the head checkpoint once; true when the next one may follow at once. */
    private boolean deliver(Head h) {
        Map<String, Object> body;
        try (Connection c = dataSource.getConnection()) {
            body = body(c, h.checkpointId());
        } catch (SQLException e) {
            LOG.warnf("witness checkpoint %d unreadable: %s", h.checkpointId(), e.getMessage());
            return false;
        }
        if (body == null) {
            finish(h, "DROPPED", null, "CHECKPOINT_GONE");
            return true;
        }
        OutboundAddresses.Target target;
        try {
            URI u = new URI(h.url());
            if (u.getHost() == null) {
                throw new URISyntaxException(h.url(), "no host");
            }
            target = outbound.target(u);
        } catch (URISyntaxException | OutboundAddresses.Refused e) {
            String what = e instanceof URISyntaxException ? WebhookDispatcher.INVALID_URL
                    : WebhookDispatcher.REFUSED_ADDRESS;
            failing(h, "REJECTED", null, what,
                    "接收地址不予连接 (" + what + ")，请改登记 / the witness's address is refused: register another URL");
            return false;
        }
        Answer a = target.address() == null ? new Answer(null, null, null, WebhookDispatcher.CONNECT_FAILED)
                : send(h, target, Json.write(body).getBytes(StandardCharsets.UTF_8));
        if (a.status() != null && a.status() >= 200 && a.status() < 300) {
            acknowledged(h, ((Number) body.get("lastSeq")).longValue(), receipt(a.body()));
            return true;
        }
        return failed(h, a);
    }

    /** The witness's receipt: {"receipt": "…"} or a plain answer, trimmed; null when empty or too long. */
    static String receipt(String answer) {
        if (answer == null || answer.isBlank()) {
            return null;
        }
        String r = answer.trim();
        if (r.startsWith("{")) {
            try {
                Object v = Json.object(r).get("receipt");
                r = v instanceof String s ? s.trim() : null;
            } catch (IllegalStateException e) {
                // not JSON after all: kept as it came
            }
        }
        return r == null || r.isEmpty() || r.length() > MAX_RECEIPT ? null : r;
    }

    private Answer send(Head h, OutboundAddresses.Target target, byte[] body) {
        long timeout = witnessConfig.timeout().toMillis();
        long connectTimeout = witnessConfig.connectTimeout().toMillis();
        String deliveryId = UUID.randomUUID().toString();
        long timestamp = Instant.now().getEpochSecond();
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("delivery", deliveryId);
        header.put("iat", timestamp);
        header.put("witness", h.witness());
        String seal = seals.seal(config.competentAuthorityDepartment(), body, header);
        try {
            HttpResponse<Buffer> r = client().request(HttpMethod.POST, target).connectTimeout(connectTimeout)
                    .idleTimeout(timeout)
                    .putHeader("Content-Type", "application/json; charset=UTF-8")
                    .putHeader(WebhookDispatcher.SEAL_HEADER, seal)
                    .putHeader(WebhookDispatcher.DELIVERY_HEADER, deliveryId)
                    .putHeader(WebhookDispatcher.TIMESTAMP_HEADER, Long.toString(timestamp))
                    .sendBuffer(Buffer.buffer(body)).toCompletionStage().toCompletableFuture()
                    .get(connectTimeout + timeout + 2000, TimeUnit.MILLISECONDS);
            return new Answer(r.statusCode(), r.getHeader("Retry-After"), r.bodyAsString(), null);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            LOG.debugf("usage-log witness %s: %s", h.witness(), cause.toString());
            return new Answer(null, null, null, WebhookDispatcher.category(cause));
        } catch (TimeoutException e) {
            return new Answer(null, null, null, WebhookDispatcher.TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(null, null, null, WebhookDispatcher.CONNECT_FAILED);
        }
    }

    /** Not answered with 2xx: refused, given up, or retried after the back-off. Always false: the next waits. */
    private boolean failed(Head h, Answer a) {
        int attempt = h.attempts() + 1;
        boolean retryable = a.status() == null || a.status() == 408 || a.status() == 429 || a.status() >= 500;
        String what = a.status() == null ? a.error() : "HTTP_" + a.status();
        if (!retryable) {
            failing(h, "REJECTED", a.status(), what,
                    "见证方拒绝 (" + what + ")，不再重试 / refused by the witness, not retried");
            return false;
        }
        if (attempt >= witnessConfig.maxAttempts()) {
            failing(h, "GAVE_UP", a.status(), what,
                    attempt + " 次推送失败 (" + what + ")，已放弃 / gave up after " + attempt + " attempts");
            return false;
        }
        long max = witnessConfig.backoffMax().toMillis();
        Long retryAfter = a.status() != null && a.status() == 429 ? WebhookDispatcher.retryAfterMillis(a.retryAfter())
                : null;
        long delay = retryAfter != null ? Math.min(retryAfter, max)
                : WebhookDispatcher.backoff(attempt, witnessConfig.backoffBase().toMillis(), max);
        update("UPDATE usage_log_witness_outbox SET attempts = ?, next_attempt_at = now() + ? * interval "
                + "'1 millisecond', last_status = ?, last_error = ? WHERE id = ?", attempt, delay, a.status(), what,
                h.outboxId());
        return false;
    }

    private void acknowledged(Head h, long lastSeq, String receipt) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement o = c.prepareStatement("UPDATE usage_log_witness_outbox SET status = "
                    + "'ACKNOWLEDGED', attempts = attempts + 1, last_status = NULL, last_error = NULL, "
                    + "finished_at = now() WHERE id = ?");
                    PreparedStatement r = c.prepareStatement("INSERT INTO usage_log_witness_receipt (department_code, "
                            + "checkpoint_id, last_seq, receipt) VALUES (?, ?, ?, ?) ON CONFLICT (department_code, "
                            + "checkpoint_id) DO UPDATE SET acknowledged_at = now(), receipt = EXCLUDED.receipt")) {
                o.setLong(1, h.outboxId());
                o.executeUpdate();
                r.setString(1, h.witness());
                r.setLong(2, h.checkpointId());
                r.setLong(3, lastSeq);
                r.setString(4, receipt);
                r.executeUpdate();
            }
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("witness acknowledgement not recorded", e);
        }
    }

    private void finish(Head h, String status, Integer httpStatus, String error) {
        update("UPDATE usage_log_witness_outbox SET status = ?, attempts = attempts + 1, last_status = ?, "
                + "last_error = ?, finished_at = now() WHERE id = ?", status, httpStatus, error, h.outboxId());
    }

    /**
     * Ends the head checkpoint's attempts ({@code status} GAVE_UP or REJECTED), marks the witness FAILING and, once
     * per failure, tells the witness department and the 主管部门: checkpoints wait for it until an administrator
     * registers it again, and an unwitnessed stretch weakens the evidence. One transaction: a stop between the two
     * would leave an ACTIVE witness whose head is no longer PENDING, and the next checkpoint would go out while this
     * one is never sent. The witness row first, as a registration locks it before the outbox (no deadlock).
     */
    private void failing(Head h, String status, Integer httpStatus, String error, String reason) {
        QuarkusTransaction.requiringNew().run(() -> {
            int changed = update("UPDATE usage_log_witness SET status = 'FAILING', status_reason = ?, "
                    + "updated_at = now() WHERE department_code = ? AND status = 'ACTIVE'", reason, h.witness());
            finish(h, status, httpStatus, error);
            if (changed > 0) {
                String message = "使用记录见证推送失败，请修复接收端后由管理员重新登记 / usage-log witness "
                        + "deliveries failing: fix the receiver, then an admin registers it again: " + reason;
                notices.notify(h.witness(), "WITNESS_FAILING", "WITNESS", h.checkpointId(), message);
                if (!h.witness().equals(config.competentAuthorityDepartment())) {
                    notices.notify(config.competentAuthorityDepartment(), "WITNESS_FAILING", "WITNESS",
                            h.checkpointId(), h.witness() + " " + message);
                }
            }
        });
    }

    private int update(String sql, Object... params) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("witness outbox not updated", e);
        }
    }

    private OutboundClient client() {
        OutboundClient c = client;
        if (c == null) {
            synchronized (this) {
                if (client == null) {
                    client = new OutboundClient(vertx, new WebClientOptions()
                            .setConnectTimeout((int) witnessConfig.connectTimeout().toMillis())
                            .setUserAgent("onenet-data-exchange-witnesses").setMaxPoolSize(4));
                }
                c = client;
            }
        }
        return c;
    }

    private Head head(String witness) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT o.id, w.department_code, w.url, o.checkpoint_id, o.attempts, o.next_attempt_at <= now() "
                        + "FROM usage_log_witness_outbox o JOIN usage_log_witness w "
                        + "ON w.department_code = o.department_code WHERE o.department_code = ? "
                        + "AND o.status = 'PENDING' AND w.status = 'ACTIVE' ORDER BY o.checkpoint_id LIMIT 1")) {
            ps.setString(1, witness);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                return new Head(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getInt(5),
                        rs.getBoolean(6));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("witness outbox unreadable", e);
        }
    }
}
