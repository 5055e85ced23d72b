package cn.onenet.identity.rest.oidc;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Path;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import cn.onenet.identity.model.AccountClosure;
import cn.onenet.identity.rest.oidc.Pages.Cancellation;
import cn.onenet.identity.service.AccountClosureService;

/**
 * The page the notice of an account closure (注销) links to: the contact cancels the closure during its cooling-off
 * (see {@link CancelPage}). Public: every sign-in of the account ended with the request.
 */
@Path("/oidc/account-closure/cancel")
@Tag(name = "OpenID Connect")
@PermitAll
public class AccountClosureCancelPageResource extends CancelPage {

    private final AccountClosureService closures;

    public AccountClosureCancelPageResource(AccountClosureService closures, Pages pages) {
        super(pages);
        this.closures = closures;
    }

    @Override
    protected Cancellation describe(String token, String ip) {
        AccountClosure closure = closures.cancellable(token, ip);
        String when = AccountClosureService.DAY.format(closure.effectiveAt);
        return new Cancellation(
                "您的统一身份认证账户已申请注销，将于" + when + "（北京时间）注销：届时个人信息将被删除，已授权的应用和经办授权将终止。"
                        + "撤销后账户继续有效。",
                "Your identity account is to be closed on " + when + " (China Standard Time): its personal data "
                        + "will be deleted and the applications and agent authorisations it gave will end. Cancelled, "
                        + "the account stays open.",
                null, null);
    }

    @Override
    protected void cancel(String token, String ip) {
        closures.cancelWithToken(token, ip);
    }

    @Override
    protected Cancellation cancelled() {
        return new Cancellation(null, null,
                "已撤销注销，账户继续有效。申请注销时所有登录已退出，请重新登录；如非本人申请，请立即修改密码。",
                "The closure is cancelled and the account stays open. Every sign-in ended with the request, so sign "
                        + "in again; if you did not ask for it, change your password at once.");
    }
}
