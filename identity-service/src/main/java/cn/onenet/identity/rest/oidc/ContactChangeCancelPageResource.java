package cn.onenet.identity.rest.oidc;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Path;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import cn.onenet.identity.model.ContactChange;
import cn.onenet.identity.rest.oidc.Pages.Cancellation;
import cn.onenet.identity.service.AccountClosureService;
import cn.onenet.identity.service.ContactService;
import cn.onenet.identity.service.Contacts;

/**
 * The page the notice of a contact change links to: the old contact cancels the change during its cooling-off (see
 * {@link CancelPage}). Public: whoever holds the old phone or mailbox may not be able to sign in.
 */
@Path("/oidc/contact-change/cancel")
@Tag(name = "OpenID Connect")
@PermitAll
public class ContactChangeCancelPageResource extends CancelPage {

    private final ContactService contacts;

    public ContactChangeCancelPageResource(ContactService contacts, Pages pages) {
        super(pages);
        this.contacts = contacts;
    }

    @Override
    protected Cancellation describe(String token, String ip) {
        ContactChange change = contacts.cancellable(token, ip);
        boolean phone = ContactChange.PHONE.equals(change.channel);
        String masked = phone ? Contacts.maskPhone(change.newValue) : Contacts.maskEmail(change.newValue);
        String when = change.effectiveAt == null ? "" : AccountClosureService.DAY.format(change.effectiveAt);
        return new Cancellation(
                "您的统一身份认证账户申请将" + (phone ? "手机号" : "电子邮箱") + "更换为 " + masked + "，将于" + when
                        + "（北京时间）生效。撤销后账户保留现有联系方式，该更换不会生效。",
                "Your identity account asked to change its " + (phone ? "phone number" : "e-mail address") + " to "
                        + masked + ", taking effect on " + when + " (China Standard Time). Cancelled, the account "
                        + "keeps its current contact and the change never takes effect.",
                null, null);
    }

    @Override
    protected void cancel(String token, String ip) {
        contacts.cancelWithToken(token, ip);
    }

    @Override
    protected Cancellation cancelled() {
        return new Cancellation(null, null,
                "已撤销：账户保留现有联系方式，找回密码仍发往此处。请尽快修改密码。",
                "Cancelled: the account keeps its current contact, and password recovery still comes here. Change "
                        + "your password soon.");
    }
}
