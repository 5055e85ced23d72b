package cn.onenet.identity.service;

import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import cn.onenet.identity.model.OutboxMessage;
import io.quarkus.scheduler.Scheduled;

/**
 * Writes messages for account holders into {@code notification_outbox}, in the same transaction as the change they
 * report. A separate sender (SMS / e-mail gateway) drains the table; nothing here talks to a gateway.
 */
@ApplicationScoped
public class NotificationOutbox {

    public enum Kind {
        PASSWORD_RESET,       // 密码重置码
        PASSWORD_CHANGED,     // 密码已重置通知
        REGISTRATION_CONFIRM, // 注册确认码
        REGISTRATION_ATTEMPT, // 有人尝试以您的身份证号注册
        LOGIN_LOCKED,         // 登录因多次失败被暂时限制
        DELEGATION_INVITED,   // 企业邀请您作为经办人
        DELEGATION_CHANGED,   // 经办授权新建、接受、拒绝或撤销（双方）
        TOTP_CHANGED,         // 动态口令开通、更换、关闭或被管理员重置
        LOGIN_UNLOCKED,       // 管理员解除登录限制
        ACCOUNT_DISABLED,     // 账户被停用
        LEVEL_CHANGED,        // 实名等级变更
        CONTACT_CHANGE_CODE,  // 更换手机或邮箱：发往新联系方式的验证码
        CONTACT_CHANGE_NOTICE, // 更换手机或邮箱：发往原联系方式的提醒（含撤销码）
        CONTACT_CHANGED,      // 联系方式已更换（冷静期满或柜台核验）
        CLOSURE_REQUESTED,    // 注销申请已受理（冷静期，含撤销码）
        CLOSURE_CANCELLED,    // 注销申请已撤销（再次登录或撤销码）
        ACCOUNT_CLOSED,       // 账户已注销
        ENTERPRISE_REGISTERED, // 法定代表人注册或接管了企业账户
        LEGAL_REPRESENTATIVE_CHANGED // 法人库记载的法定代表人与账户记录不一致（原、新法定代表人）
    }

    /** A message in Chinese and English: the holder's language is not known to every path. */
    public record Text(String subject, String body) {
    }

    private final EntityManager em;

    public NotificationOutbox(EntityManager em) {
        this.em = em;
    }

    /** Queues the message for every contact given (SMS to the phone, e-mail to the address); returns how many. */
    @Transactional
    public int send(Kind kind, UUID accountId, String email, String phone, Text text, OffsetDateTime expiresAt) {
        int queued = 0;
        if (phone != null && !phone.isBlank()) {
            queue(kind, "SMS", phone.trim(), accountId, text, expiresAt);
            queued++;
        }
        if (email != null && !email.isBlank()) {
            queue(kind, "EMAIL", email.trim(), accountId, text, expiresAt);
            queued++;
        }
        return queued;
    }

    /**
     * Counts one message of the kind to the account today (China Standard Time) and tells whether it is within
     * {@code max} a day: the first {@code max} calls of a day answer true, later ones false. Concurrent callers never
     * both get the last one.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean withinDailyQuota(Kind kind, UUID accountId, int max) {
        if (accountId == null || max <= 0) {
            return false;
        }
        return !em.createNativeQuery("""
                INSERT INTO notice_quota (account_id, kind, day, sent)
                VALUES (?1, ?2, (now() AT TIME ZONE 'Asia/Shanghai')::date, 1)
                ON CONFLICT (account_id, kind, day) DO UPDATE SET sent = notice_quota.sent + 1
                WHERE notice_quota.sent < ?3
                RETURNING sent""").setParameter(1, accountId).setParameter(2, kind.name()).setParameter(3, max)
                .getResultList().isEmpty();
    }

    public static boolean hasContact(String email, String phone) {
        return email != null && !email.isBlank() || phone != null && !phone.isBlank();
    }

    private void queue(Kind kind, String channel, String recipient, UUID accountId, Text text,
            OffsetDateTime expiresAt) {
        OutboxMessage message = new OutboxMessage();
        message.kind = kind.name();
        message.channel = channel;
        message.recipient = recipient;
        message.accountId = accountId;
        message.subject = text.subject();
        message.body = text.body();
        message.expiresAt = expiresAt;
        message.persist();
    }

    /** Tokens do not outlive their use: delivered or expired messages, and spent or expired token records, go. */
    @Scheduled(every = "1h", delayed = "5m")
    @Transactional
    public void purge() {
        em.createNativeQuery("DELETE FROM notification_outbox WHERE (sent_at IS NOT NULL AND sent_at < now() - interval "
                + "'1 day') OR expires_at < now() - interval '1 day'").executeUpdate();
        em.createNativeQuery("DELETE FROM password_reset WHERE expires_at < now() - interval '1 day'").executeUpdate();
        em.createNativeQuery("DELETE FROM pending_registration WHERE expires_at < now()").executeUpdate();
        em.createNativeQuery("DELETE FROM notice_quota WHERE day < (now() AT TIME ZONE 'Asia/Shanghai')::date - 1")
                .executeUpdate();
    }
}
