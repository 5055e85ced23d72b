package cn.onenet.identity.service;

import java.time.OffsetDateTime;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import cn.onenet.identity.model.Account;
import cn.onenet.identity.model.RegistryStatus;
import cn.onenet.identity.service.NotificationOutbox.Kind;
import cn.onenet.identity.service.NotificationOutbox.Text;

/**
 * Tells persons of their enterprises' registration and of changes of legal representative, in Chinese and English,
 * through the outbox in the transaction of the change (a rolled-back change tells nothing). Accounts without a
 * contact are told nothing.
 */
@ApplicationScoped
public class EnterpriseNotices {

    private static final String ASK_ZH = "如有疑问，请联系服务窗口。";
    private static final String ASK_EN = " If you have questions, contact the service counter.";

    private final NotificationOutbox outbox;

    public EnterpriseNotices(NotificationOutbox outbox) {
        this.outbox = outbox;
    }

    /**
     * The representative registered the enterprise (or took it over, which ended its delegations) with their own
     * login.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void registered(Account enterprise, Account representative, boolean takenOver) {
        String zh = takenOver ? "您已作为法定代表人接管" : "您已作为法定代表人注册";
        String en = takenOver ? "You took over " : "You registered ";
        tell(Kind.ENTERPRISE_REGISTERED, representative, "统一身份认证企业账户 / Enterprise account",
                zh + enterprise.displayName + "（" + enterprise.uscc + "）的统一身份认证企业账户，可在“我的企业”查看，"
                        + "并在“经办人授权”中授权经办人。" + (takenOver ? "该企业原有的经办授权已因法定代表人变更全部"
                        + "终止，如需请重新授权。" : "") + "如非本人操作，请立即修改密码或联系服务窗口。\n" + en
                        + "the enterprise account of " + enterprise.displayName + " (" + enterprise.uscc + ") as its "
                        + "legal representative. See My enterprises; authorise agents under Agent authorisations"
                        + (takenOver ? " (the enterprise's earlier authorisations ended with the change of legal "
                        + "representative; authorise again those you need)" : "") + ". If this was not you, change "
                        + "your password or contact the service counter at once.");
    }

    /** Taken over by the new representative: the one recorded before is told they no longer represent it here. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void replaced(Account enterprise, Account previous) {
        tell(Kind.LEGAL_REPRESENTATIVE_CHANGED, previous, "统一身份认证法定代表人变更 / Legal representative changed",
                "法人库记载的法定代表人已接管" + enterprise.displayName + "（" + enterprise.uscc + "）的企业账户，您不再是该"
                        + "账户的法定代表人。该企业的经办授权已因法定代表人变更全部终止。" + ASK_ZH + "\nThe legal "
                        + "representative the register names took over the account of " + enterprise.displayName
                        + " (" + enterprise.uscc + "); you no longer represent it here. The enterprise's agent "
                        + "authorisations ended with the change of legal representative." + ASK_EN);
    }

    /**
     * A registry load names another representative than the account records: the recorded one is told the account
     * was not switched, the one named (when they have an account) how to take it over.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void representativeChanged(Account enterprise, Account recorded, Account named) {
        String who = enterprise.displayName + "（" + enterprise.uscc + "）";
        String whoEn = enterprise.displayName + " (" + enterprise.uscc + ")";
        tell(Kind.LEGAL_REPRESENTATIVE_CHANGED, recorded, "统一身份认证法定代表人变更 / Legal representative changed",
                "法人库记载的" + who + "法定代表人已不是您。统一身份认证仍记录您为该企业账户的法定代表人，直至法人库记载的"
                        + "法定代表人接管；该企业的经办授权继续有效，接管时全部终止。" + ASK_ZH + "\nThe register no "
                        + "longer names you as the legal representative of " + whoEn + ". This account still records "
                        + "you until the representative the register names takes it over; the enterprise's agent "
                        + "authorisations stay in force until then and all end with the takeover." + ASK_EN);
        tell(Kind.LEGAL_REPRESENTATIVE_CHANGED, named, "统一身份认证法定代表人变更 / Legal representative changed",
                "法人库记载您为" + who + "的法定代表人，该企业的统一身份认证账户仍记录原法定代表人。请以实名等级L3或以上"
                        + "登录，在“我的企业”中提交该企业的注册以接管；接管时该企业原有的经办授权全部终止。" + ASK_ZH
                        + "\nThe register names you as the legal representative of " + whoEn + ", whose account here "
                        + "still records the previous one. Sign in at real-name level L3 or above and register the "
                        + "enterprise under My enterprises to take it over; its agent authorisations all end then."
                        + ASK_EN);
    }

    /**
     * A registry load turned the enterprise's status to 吊销 or 注销: the representative and the administrators are
     * told; the account stays enabled until an administrator decides.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void registryStatusChanged(Account enterprise, RegistryStatus status, Account representative,
            List<Account> administrators) {
        String who = enterprise.displayName + "（" + enterprise.uscc + "）";
        String whoEn = enterprise.displayName + " (" + enterprise.uscc + ")";
        String subject = "统一身份认证企业登记状态变更 / Enterprise registration status changed";
        tell(Kind.REGISTRY_STATUS_CHANGED, representative, subject, "法人库记载" + who + "的登记状态为" + status.label
                + "。该企业账户暂未停用，管理员将决定其是否可继续使用。" + ASK_ZH + "\nThe register now lists " + whoEn
                + " as " + status.name() + " (" + status.label + "). Its account here is not disabled for now; an "
                + "administrator decides whether it may still be used." + ASK_EN);
        for (Account admin : administrators) {
            tell(Kind.REGISTRY_STATUS_CHANGED, admin, subject, "法人库载入将" + who + "的登记状态改为" + status.label
                    + "。该企业账户仍为启用状态，请决定是否停用（账户管理）。\nA legal-person reference load changed the "
                    + "status of " + whoEn + " to " + status.name() + " (" + status.label + "). Its account is still "
                    + "enabled: decide whether to disable it (account administration).");
        }
    }

    private void tell(Kind kind, Account account, String subject, String body) {
        if (account == null || !account.active() || !NotificationOutbox.hasContact(account.email, account.phone)) {
            return;
        }
        outbox.send(kind, account.id, account.email, account.phone, new Text(subject, body),
                OffsetDateTime.now().plusDays(1));
    }
}
