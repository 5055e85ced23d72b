package cn.onenet.identity.service;

import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import cn.onenet.identity.model.Account;
import cn.onenet.identity.model.Delegation;
import cn.onenet.identity.service.NotificationOutbox.Kind;
import cn.onenet.identity.service.NotificationOutbox.Text;

/**
 * Tells account holders of security changes to their account, through the transactional outbox (in the transaction of
 * the change: a rolled-back change tells nothing), in Chinese and English, each with what to do if it was not them:
 * the second factor switched on, replaced, removed or reset by an administrator; an administrator lifting the login
 * locks; the account disabled; the real-name level changed; and every step of a delegation, to both sides (when one
 * side's account is closed or checked at a service counter, to the other side; when a new legal representative
 * takes the enterprise over, to the agent, the enterprise and the former representative).
 */
@ApplicationScoped
public class SecurityNotices {

    private static final String NOT_YOU_ZH = "如非本人操作，请立即修改密码或联系服务窗口。";
    private static final String NOT_YOU_EN = " If this was not you, change your password or contact the service "
            + "counter at once.";
    private static final String ASK_ZH = "如有疑问，请联系服务窗口。";
    private static final String ASK_EN = " If you have questions, contact the service counter.";

    private final NotificationOutbox outbox;

    public SecurityNotices(NotificationOutbox outbox) {
        this.outbox = outbox;
    }

    /** A change told about, with its wording: a change of the second factor, or a step of a delegation. */
    public enum Change {
        FACTOR_ENABLED("已开通动态口令（两步验证）", "A one-time-code second factor was turned on"),
        FACTOR_REPLACED("已更换动态口令（两步验证）", "Your one-time-code second factor was replaced"),
        FACTOR_REMOVED("已关闭动态口令（两步验证）", "Your one-time-code second factor was turned off"),
        FACTOR_RESET("管理员已重置您的动态口令（两步验证）", "An administrator reset your one-time-code second factor"),
        DELEGATION_CREATED("新建", "was created"),
        DELEGATION_ACCEPTED("已被经办人接受", "was accepted by the agent"),
        DELEGATION_DECLINED("已被经办人拒绝", "was declined by the agent"),
        DELEGATION_REVOKED("已撤销", "was ended"),
        DELEGATION_ENDED_BY_CLOSURE("已因一方账户注销而终止", "was ended because one side's account was closed"),
        DELEGATION_ENDED_BY_COUNTER("已因服务窗口对一方账户的现场核验而终止",
                "was ended after an in-person check of one side's account at a service counter"),
        DELEGATION_ENDED_BY_TAKEOVER("已因法定代表人变更而终止", "was ended by the change of legal representative");

        final String zh;
        final String en;

        Change(String zh, String en) {
            this.zh = zh;
            this.en = en;
        }
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void factorChanged(Account account, Change change) {
        tell(Kind.TOTP_CHANGED, account, "统一身份认证安全提醒 / Second factor changed",
                "您的统一身份认证账户" + change.zh + "。" + NOT_YOU_ZH + "\n" + change.en + " on your account."
                        + NOT_YOU_EN);
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void loginUnlocked(Account account) {
        tell(Kind.LOGIN_UNLOCKED, account, "统一身份认证安全提醒 / Sign-in locks lifted",
                "管理员已解除您账户的登录限制。" + NOT_YOU_ZH + "\nAn administrator lifted the sign-in locks of your "
                        + "account." + NOT_YOU_EN);
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void disabled(Account account) {
        tell(Kind.ACCOUNT_DISABLED, account, "统一身份认证账户已停用 / Account disabled",
                "您的统一身份认证账户已被管理员停用，所有登录已退出。" + ASK_ZH + "\nYour account was disabled by an "
                        + "administrator and every sign-in ended." + ASK_EN);
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void levelChanged(Account account, int before, int after) {
        tell(Kind.LEVEL_CHANGED, account, "统一身份认证实名等级变更 / Real-name level changed",
                "您账户的实名认证等级已由 L" + before + " 变更为 L" + after + "。" + ASK_ZH + "\nThe real-name level of your "
                        + "account changed from L" + before + " to L" + after + "." + ASK_EN);
    }

    /**
     * Tells both sides: the agent ({@code agent}, null when no account is bound or matched), the enterprise's own
     * account and its legal representative. The agent's name is the one the enterprise's side typed.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void delegation(Delegation d, Change step, Account enterprise, Account agent) {
        delegation(d, step, enterprise, agent, null);
    }

    /** As {@link #delegation(Delegation, Change, Account, Account)}, leaving out the account {@code notTold}. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void delegation(Delegation d, Change step, Account enterprise, Account agent, UUID notTold) {
        Map<UUID, Account> told = new LinkedHashMap<>();
        if (agent != null) {
            told.put(agent.id, agent);
        }
        told.put(enterprise.id, enterprise);
        if (enterprise.legalRepresentativeId != null) {
            Account representative = Account.findById(enterprise.legalRepresentativeId);
            if (representative != null) {
                told.putIfAbsent(representative.id, representative);
            }
        }
        String what = enterprise.displayName + "（" + enterprise.uscc + "）授权 " + d.agentName + "（" + d.agentIdMasked
                + "）为经办人的授权" + step.zh + "。";
        String whatEn = "The authorisation of " + d.agentName + " (" + d.agentIdMasked + ") as an agent of "
                + enterprise.displayName + " (" + enterprise.uscc + ") " + step.en + ".";
        if (notTold != null) {
            told.remove(notTold);
        }
        for (Account a : told.values()) {
            tell(Kind.DELEGATION_CHANGED, a, "统一身份认证经办授权变更 / Agent authorisation", what + "详情请登录"
                    + "“我的账户—经办人授权”查看。" + NOT_YOU_ZH + "\n" + whatEn + " See My account, Agent "
                    + "authorisations." + NOT_YOU_EN);
        }
    }

    private void tell(Kind kind, Account account, String subject, String body) {
        if (account == null || !NotificationOutbox.hasContact(account.email, account.phone)) {
            return;
        }
        outbox.send(kind, account.id, account.email, account.phone, new Text(subject, body),
                OffsetDateTime.now().plusDays(1));
    }
}
