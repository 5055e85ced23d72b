package cn.onenet.exchange.service;

import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import cn.onenet.common.problem.ApiException;
import cn.onenet.exchange.config.ExchangeConfig;
import cn.onenet.exchange.service.Commands.RegisterWebhook;
import cn.onenet.exchange.service.GrantService.GrantView;
import io.agroal.api.AgroalDataSource;

/**
 * Webhooks of subscriptions: the consumer of an active grant registers where changes to the hosted dataset are
 * POSTed ({@link WebhookDispatcher} sends them). One webhook per grant; states ACTIVE, FAILING (gave up or was
 * refused, resumed by the consumer) and STOPPED (by the consumer, or because the grant ended).
 */
@ApplicationScoped
public class WebhookService {

    private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "[::1]");

    public record Delivery(String eventId, long cursor, String status, int attempts, Integer lastStatus,
            String lastError, String nextAttemptAt, Long usageLogSeq) {
    }

    public record Subscription(long id, long grantId, String resourceCode, String url, String status,
            String statusReason, String createdAt, String updatedAt, Map<String, Long> events,
            List<Delivery> recent) {
    }

    private final AgroalDataSource dataSource;
    private final GrantService grants;
    private final DeliveryService delivery;
    private final ExchangeConfig config;
    private final OutboundAddresses outbound;

    public WebhookService(AgroalDataSource dataSource, GrantService grants, DeliveryService delivery,
            ExchangeConfig config, OutboundAddresses outbound) {
        this.dataSource = dataSource;
        this.grants = grants;
        this.delivery = delivery;
        this.config = config;
        this.outbound = outbound;
    }

    /** Registers (or re-points and restarts) the webhook of the caller's grant. Returns true if it was created. */
    public boolean register(Caller caller, long grantId, RegisterWebhook cmd) {
        GrantView grant = ownGrant(caller, grantId);
        delivery.usableGrant(grant.consumer(), delivery.entry(grant.resourceCode()), grantId, null,
                DeliveryService.Use.SUBSCRIPTION);
        if (cmd == null) {
            throw Fields.WEBHOOK_URL.isRequired();
        }
        String url = checkUrl(cmd.url());
        if (cmd.after() != null && cmd.after() < 0) {
            throw ApiException.field("after", "须 ≥ 0 / must not be negative");
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                // the dataset's change lock, before any row lock (the write trigger locks subscriptions under it): an
                // upload in flight commits first and the replay below sees its records, or it waits for this
                // registration and its trigger queues them
                try (PreparedStatement ps = c.prepareStatement(DatasetService.CHANGE_LOCK)) {
                    ps.setString(1, DatasetService.changeLockKey(grant.resourceCode()));
                    ps.execute();
                }
                Long id = null;
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT id FROM webhook_subscription WHERE grant_id = ? FOR UPDATE")) {
                    ps.setLong(1, grantId);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            id = rs.getLong(1);
                        }
                    }
                }
                boolean created = id == null;
                if (created) {
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO webhook_subscription (grant_id, "
                            + "resource_code, consumer_department_code, url, status, registered_by) "
                            + "VALUES (?, ?, ?, ?, 'ACTIVE', ?) RETURNING id")) {
                        ps.setLong(1, grantId);
                        ps.setString(2, grant.resourceCode());
                        ps.setString(3, grant.consumer());
                        ps.setString(4, url);
                        ps.setString(5, caller.subject());
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            id = rs.getLong(1);
                        }
                    }
                    if (cmd.after() != null) {
                        // replays the current state of every record changed after the cursor, in change order
                        try (PreparedStatement ps = c.prepareStatement("INSERT INTO webhook_outbox (subscription_id, "
                                + "event_id, change_seq, record_key, deleted, data) SELECT ?, gen_random_uuid(), "
                                + "change_seq, record_key, deleted, data FROM dataset_record WHERE resource_code = ? "
                                + "AND change_seq > ? ORDER BY change_seq")) {
                            ps.setLong(1, id);
                            ps.setString(2, grant.resourceCode());
                            ps.setLong(3, cmd.after());
                            ps.executeUpdate();
                        }
                    }
                } else {
                    try (PreparedStatement ps = c.prepareStatement("UPDATE webhook_subscription SET url = ?, "
                            + "status = 'ACTIVE', status_reason = NULL, updated_at = now() WHERE id = ?")) {
                        ps.setString(1, url);
                        ps.setLong(2, id);
                        ps.executeUpdate();
                    }
                    requeue(c, id);
                }
                c.commit();
                return created;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw ApiException.conflict("该订阅正被同时修改 / the webhook is being changed concurrently");
        }
    }

    public Subscription view(Caller caller, long grantId) {
        ownGrant(caller, grantId);
        try (Connection c = dataSource.getConnection()) {
            Subscription s = load(c, grantId);
            if (s == null) {
                throw ApiException.notFound("该授权没有登记 webhook / no webhook for grant " + grantId);
            }
            return s;
        } catch (SQLException e) {
            throw new IllegalStateException("webhook unreadable", e);
        }
    }

    /** The consumer stops its webhook; events not yet sent are dropped. */
    public void stop(Caller caller, long grantId) {
        ownGrant(caller, grantId);
        long id = view(caller, grantId).id();
        WebhookDispatcher.stop(dataSource, id, "使用部门停止 / stopped by the consumer");
    }

    /** After a give-up or a refusal: sends the held events again, in order. */
    public Subscription resume(Caller caller, long grantId) {
        Subscription s = view(caller, grantId);
        GrantView grant = ownGrant(caller, grantId);
        delivery.usableGrant(grant.consumer(), delivery.entry(grant.resourceCode()), grantId, null,
                DeliveryService.Use.SUBSCRIPTION);
        if (!"FAILING".equals(s.status())) {
            throw ApiException.illegalTransition("webhook " + StatusLabels.webhook(s.status())
                    + "，无需恢复 / the webhook is " + s.status());
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("UPDATE webhook_subscription SET status = 'ACTIVE', "
                    + "status_reason = NULL, updated_at = now() WHERE id = ? AND status = 'FAILING'")) {
                ps.setLong(1, s.id());
                ps.executeUpdate();
            }
            requeue(c, s.id());
            c.commit();
            return load(c, grantId);
        } catch (SQLException e) {
            throw new IllegalStateException("webhook not resumed", e);
        }
    }

    private static void requeue(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE webhook_outbox SET status = 'PENDING', attempts = 0, "
                + "next_attempt_at = now(), finished_at = NULL WHERE subscription_id = ? "
                + "AND status IN ('GAVE_UP', 'REJECTED')")) {
            ps.setLong(1, id);
            ps.executeUpdate();
        }
    }

    private GrantView ownGrant(Caller caller, long grantId) {
        String consumer = caller.departmentOrFail();
        GrantView grant = grants.forDelivery(consumer, null, grantId);
        if (grant == null || !grant.consumer().equals(consumer)) {
            throw ApiException.notFound("没有该授权 / no grant " + grantId);
        }
        return grant;
    }

    /**
     * https only; plain http to the loopback address where configured (development, tests). The host must resolve
     * to an address the exchange connects to ({@link OutboundAddresses}).
     */
    String checkUrl(String url) {
        URI u = OutboundAddresses.absoluteUrl(Fields.WEBHOOK_URL, url);
        String scheme = OutboundAddresses.scheme(u);
        String host = u.getHost().toLowerCase(Locale.ROOT);
        if (!"https".equals(scheme)
                && !("http".equals(scheme) && config.webhook().allowLoopbackHttp() && LOOPBACK.contains(host))) {
            throw ApiException.field("url", "须为 https 地址 / must be an https URL");
        }
        outbound.checkRegistered("url", u);
        return u.toString();
    }

    private static Subscription load(Connection c, long grantId) throws SQLException {
        long id;
        Subscription base;
        try (PreparedStatement ps = c.prepareStatement("SELECT id, grant_id, resource_code, url, status, status_reason, "
                + "created_at, updated_at FROM webhook_subscription WHERE grant_id = ?")) {
            ps.setLong(1, grantId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                id = rs.getLong(1);
                base = new Subscription(id, rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), time(rs, 7), time(rs, 8), null, null);
            }
        }
        Map<String, Long> counts = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT status, count(*) FROM webhook_outbox WHERE subscription_id = ? GROUP BY status ORDER BY status")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    counts.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        List<Delivery> recent = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT event_id, change_seq, status, attempts, last_status, "
                + "last_error, next_attempt_at, usage_log_seq FROM webhook_outbox WHERE subscription_id = ? "
                + "ORDER BY id DESC LIMIT 20")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    recent.add(new Delivery(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getInt(4),
                            rs.getObject(5) == null ? null : rs.getInt(5), WebhookDispatcher.coarse(rs.getString(6)), time(rs, 7),
                            rs.getObject(8) == null ? null : rs.getLong(8)));
                }
            }
        }
        return new Subscription(base.id(), base.grantId(), base.resourceCode(), base.url(), base.status(),
                base.statusReason(), base.createdAt(), base.updatedAt(), counts, recent);
    }

    private static String time(ResultSet rs, int col) throws SQLException {
        OffsetDateTime t = rs.getObject(col, OffsetDateTime.class);
        return t == null ? null : t.toInstant().toString();
    }
}
