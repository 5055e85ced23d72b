package cn.onenet.identity.service;

import java.util.Arrays;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import com.nimbusds.jwt.JWTClaimsSet;

import cn.onenet.common.problem.ApiException;
import cn.onenet.identity.model.AccountType;

/**
 * Which account a caller of the self-service API is. A token in which an agent (经办人) acts for an enterprise has the
 * enterprise as {@code sub} and the agent as {@code act} (RFC 8693): it may act as the enterprise in the services,
 * but it is not the enterprise's own login, so it may not manage the enterprise's delegations, password, second
 * factor or consents ({@link #managing}). A client-credentials token ({@code account_type} {@code client}) names its
 * client in {@code sub}: it is nobody's login, whatever the client id looks like.
 */
public final class OwnLogin {

    /** The {@code account_type} values of user tokens; a client-credentials token says {@code client}. */
    private static final Set<String> USER_TYPES = Arrays.stream(AccountType.values()).map(AccountType::claim)
            .collect(Collectors.toUnmodifiableSet());

    private OwnLogin() {
    }

    /** The account a user token is about (for an agent's token: the enterprise); any other token is refused (403). */
    public static UUID subject(JWTClaimsSet claims) {
        if (claims == null || !USER_TYPES.contains(claims.getClaim("account_type"))) {
            throw notAUserToken();
        }
        String subject = claims.getSubject();
        try {
            return UUID.fromString(subject == null ? "" : subject);
        } catch (IllegalArgumentException e) {
            throw notAUserToken();
        }
    }

    private static ApiException notAUserToken() {
        return ApiException.forbidden("需要用户令牌 / a user token is required");
    }

    /** The account, when the token is that account's own login; an agent's token acting for it is refused (403). */
    public static UUID managing(JWTClaimsSet claims) {
        UUID subject = subject(claims);
        if (claims.getClaim("act") != null) {
            throw ApiException.forbidden("经办人不能代企业管理经办授权、密码、第二因素或授权同意，须由企业本身登录办理"
                    + " / an agent acting for an enterprise may not manage its delegations, password, second factor or"
                    + " consents; the enterprise must sign in itself");
        }
        return subject;
    }
}
