package cn.onenet.identity.service;

import java.net.URI;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationErrorResponse;
import com.nimbusds.oauth2.sdk.AuthorizationRequest;
import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.oauth2.sdk.AuthorizationSuccessResponse;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.ResponseMode;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.util.URLUtils;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.OIDCError;
import com.nimbusds.openid.connect.sdk.Prompt;
import com.nimbusds.jwt.JWT;
import com.nimbusds.openid.connect.sdk.claims.ACR;

import cn.onenet.common.identifiers.CreditCode;
import cn.onenet.identity.config.IdentityConfig;
import cn.onenet.identity.model.Account;
import cn.onenet.identity.model.AccountType;
import cn.onenet.identity.model.Delegation;
import cn.onenet.identity.model.DelegationStatus;
import cn.onenet.identity.model.PendingAuthorization;
import cn.onenet.identity.model.PendingAuthorization.Page;
import cn.onenet.identity.model.SsoSession;
import cn.onenet.identity.model.TokenGrant;

/**
 * The authorization endpoint's rules. An unknown client or a redirect URI that is not registered exactly is shown as
 * an error page, never redirected; every other problem goes back to the client with {@code state} and {@code iss}
 * (RFC 9207), in the {@code response_mode} asked for ({@code query}, {@code fragment} or {@code form_post}). Only
 * {@code response_type=code}, PKCE S256 required, {@code plain} refused; a parameter given twice refused; {@code prompt},
 * {@code max_age}, {@code login_hint}, {@code ui_locales}; {@code acr_values} as a minimum real-name level with
 * step-up; an {@code id_token_hint} naming someone else than the session's user asks for a login; consent for
 * third-party clients. The login and consent forms are accepted only for a request waiting at that page, the consent
 * form only in the session it was shown in.
 */
@ApplicationScoped
public class AuthorizationService {

    /** Longest {@code nonce} accepted: it is stored with the grant and returned in the ID token. */
    public static final int MAX_NONCE = 255;
    /** The query parameter of the GET that resumes a request POSTed without the session cookie. */
    public static final String RESUME_PARAMETER = "req";
    /** How long a request POSTed without the session cookie waits for its same-site GET. */
    static final Duration POSTED_LIFETIME = Duration.ofMinutes(2);
    /** The shape of a pending request's id: 24 random bytes, base64url without padding. */
    private static final Pattern PENDING_ID = Pattern.compile("[A-Za-z0-9_-]{32}");
    /** The response modes offered for {@code response_type=code}. */
    public static final Set<ResponseMode> RESPONSE_MODES = Set.of(ResponseMode.QUERY, ResponseMode.FRAGMENT,
            ResponseMode.FORM_POST);
    /** An S256 {@code code_challenge}: BASE64URL(SHA-256(verifier)) without padding (RFC 7636 §4.2). */
    private static final Pattern S256_CHALLENGE = Pattern.compile("[A-Za-z0-9_-]{43}");

    private final IdentityConfig config;
    private final ClientRegistry clients;
    private final GrantStore grants;
    private final SessionService sessions;
    private final LoginService logins;
    private final LogoutService logouts;
    private final AuditService audit;
    private final TokenService tokens;

    public AuthorizationService(IdentityConfig config, ClientRegistry clients, GrantStore grants,
            SessionService sessions, LoginService logins, LogoutService logouts, AuditService audit,
            TokenService tokens) {
        this.config = config;
        this.clients = clients;
        this.grants = grants;
        this.sessions = sessions;
        this.logins = logins;
        this.logouts = logouts;
        this.audit = audit;
        this.tokens = tokens;
    }

    /** What the browser gets next. */
    public sealed interface Outcome {
    }

    /** Shown at the provider: the client or redirect URI cannot be trusted, or the page expired. */
    public record ErrorPage(int status, String messageZh, String messageEn) implements Outcome {
    }

    public record Redirect(URI location) implements Outcome {
    }

    /**
     * The response for {@code response_mode=form_post} (OAuth 2.0 Form Post Response Mode): a page whose form the
     * browser posts to the client's redirect URI, so the code is in no URL, history entry or Referer.
     */
    public record FormPost(URI action, List<Field> fields) implements Outcome {
    }

    /** A parameter of a {@link FormPost}. */
    public record Field(String name, String value) {
    }

    /** {@code retryAfterSeconds}: the login is locked for this long (answered 429 with Retry-After); null: not. */
    public record LoginPage(String pendingId, String csrf, String clientName, String loginHint, boolean english,
            Integer requiredLevel, String error, boolean otp, Long retryAfterSeconds) implements Outcome {

        public LoginPage(String pendingId, String csrf, String clientName, String loginHint, boolean english,
                Integer requiredLevel, String error, boolean otp) {
            this(pendingId, csrf, clientName, loginHint, english, requiredLevel, error, otp, null);
        }
    }

    public record ConsentPage(String pendingId, String csrf, String clientName, Set<String> scopes, boolean english)
            implements Outcome {
        /** What each scope discloses, in plain language (the page shows these, not the scope codes). */
        public List<ScopeDisclosure> disclosures() {
            return ScopeDisclosure.of(scopes);
        }
    }

    /** An outcome, plus a new session cookie and a trusted-device cookie to set after a login. */
    public record Step(Outcome outcome, String sessionCookie, String deviceCookie) {
        public Step(Outcome outcome, String sessionCookie) {
            this(outcome, sessionCookie, null);
        }
    }

    public Outcome authorize(Map<String, List<String>> params, SsoSession session, String ip) {
        return decide(params, session, ip, false, false);
    }

    /**
     * An authorization request POSTed without an SSO session. A cross-site POST does not carry the SameSite=Lax
     * session cookie, so no decision is made yet: a request naming a registered client and redirect URI is kept for
     * {@link #POSTED_LIFETIME} under an unguessable id and the browser is sent (303) to the same-site
     * {@code GET <issuer>/authorize?req=<id>}, which carries the cookie and is answered by {@link #resume}. Anything
     * else is answered at once (it gets the same error page either way).
     */
    public Outcome park(Map<String, List<String>> params, String ip) {
        List<String> clientIds = params.get("client_id");
        List<String> redirects = params.get("redirect_uri");
        RegisteredClient client = clientIds == null || clientIds.size() != 1 ? null
                : clients.find(clientIds.get(0)).orElse(null);
        if (client == null || redirects == null || redirects.size() != 1
                || !client.redirectUris().contains(redirects.get(0))) {
            return decide(params, null, ip, false, false);
        }
        PendingAuthorization pending = pending(client, params, Page.POSTED, null, POSTED_LIFETIME);
        return new Redirect(URI.create(config.issuer() + "/authorize?" + RESUME_PARAMETER + "=" + pending.id));
    }

    /**
     * The same-site GET that follows {@link #park}: the request POSTed under {@code id}, taken out (once) and
     * answered with the session this GET carries. An unknown, used or expired id is the expired-page error.
     */
    public Outcome resume(String id, SsoSession session, String ip) {
        PendingAuthorization posted = takePosted(id);
        if (posted == null) {
            return expired();
        }
        return decide(URLUtils.parseParameters(posted.query), session, ip, false, false);
    }

    private Outcome decide(Map<String, List<String>> params, SsoSession session, String ip, boolean freshLogin,
            boolean consentGiven) {
        List<String> clientIds = params.get("client_id");
        if (clientIds == null || clientIds.size() != 1 || clients.find(clientIds.get(0)).isEmpty()) {
            audit.record("AUTHORIZE_REFUSED", false, null, null, clientIds == null ? null : clientIds.get(0), ip,
                    "unknown client");
            return new ErrorPage(400, "未知的应用（client_id 无效）。", "Unknown application: invalid client_id.");
        }
        RegisteredClient client = clients.find(clientIds.get(0)).get();
        List<String> redirects = params.get("redirect_uri");
        if (redirects == null || redirects.size() != 1 || !client.redirectUris().contains(redirects.get(0))) {
            audit.record("AUTHORIZE_REFUSED", false, null, null, client.clientId(), ip, "redirect_uri not registered");
            return new ErrorPage(400, "回调地址（redirect_uri）与登记的不一致。",
                    "The redirect_uri does not match a registered one.");
        }
        URI redirect = URI.create(redirects.get(0));
        ResponseMode mode = responseMode(params);
        String repeated = RequestParameters.repeated(params);
        if (repeated != null) {
            // the SDK lets a parameter repeated with the same value through; RFC 6749 §3.1 does not
            return error(redirect, mode, OAuth2Error.INVALID_REQUEST.setDescription(
                    RequestParameters.description(repeated)), singleState(params), client, ip);
        }
        // the response type before the SDK's own rules: it asks a hybrid type for a nonce first, which would answer
        // a request this provider refuses anyway with invalid_request instead of unsupported_response_type
        List<String> types = params.get("response_type");
        if (types != null && types.size() == 1 && !types.get(0).isBlank() && !isCode(types.get(0))) {
            ErrorObject refused = client.allowsGrant("authorization_code") ? OAuth2Error.UNSUPPORTED_RESPONSE_TYPE
                    .setDescription("only response_type=code is supported") : OAuth2Error.UNAUTHORIZED_CLIENT;
            return error(redirect, mode, refused, singleState(params), client, ip);
        }
        AuthorizationRequest request;
        try {
            List<String> scope = params.get("scope");
            boolean openid = scope != null && !scope.isEmpty() && List.of(scope.get(0).split(" ")).contains("openid");
            Map<String, List<String>> parsed = withoutMalformedHint(params);
            request = openid ? AuthenticationRequest.parse(parsed) : AuthorizationRequest.parse(parsed);
        } catch (ParseException e) {
            ErrorObject error = e.getErrorObject() == null ? OAuth2Error.INVALID_REQUEST : e.getErrorObject();
            return error(redirect, mode, error.setDescription(safe(e.getMessage())), e.getState(), client, ip);
        }
        State state = request.getState();
        if (redirects.get(0).length() > ClientService.MAX_URI_LENGTH) {
            // registered before registration capped the length: the code could not be stored with it
            return error(redirect, mode, OAuth2Error.INVALID_REQUEST.setDescription("redirect_uri longer than "
                    + ClientService.MAX_URI_LENGTH + " characters"), state, client, ip);
        }
        if (!client.allowsGrant("authorization_code")) {
            return error(redirect, mode, OAuth2Error.UNAUTHORIZED_CLIENT, state, client, ip);
        }
        if (!ResponseType.CODE.equals(request.getResponseType())) {
            return error(redirect, mode, OAuth2Error.UNSUPPORTED_RESPONSE_TYPE
                    .setDescription("only response_type=code is supported"), state, client, ip);
        }
        if (request.getResponseMode() != null && !RESPONSE_MODES.contains(request.getResponseMode())) {
            return error(redirect, mode, OAuth2Error.INVALID_REQUEST.setDescription(
                    "response_mode must be query, fragment or form_post"), state, client, ip);
        }
        if (request.getRequestObject() != null) {
            return error(redirect, mode, OAuth2Error.REQUEST_NOT_SUPPORTED, state, client, ip);
        }
        if (request.getRequestURI() != null) {
            return error(redirect, mode, OAuth2Error.REQUEST_URI_NOT_SUPPORTED, state, client, ip);
        }
        if (request.getCodeChallenge() == null && client.needsPkce()) {
            return error(redirect, mode, OAuth2Error.INVALID_REQUEST.setDescription("PKCE code_challenge is required"), state,
                    client, ip);
        }
        if (request.getCodeChallenge() == null && request.getCodeChallengeMethod() != null) {
            return error(redirect, mode, OAuth2Error.INVALID_REQUEST
                    .setDescription("code_challenge_method without code_challenge"), state, client, ip);
        }
        if (request.getCodeChallenge() != null
                && !CodeChallengeMethod.S256.equals(request.getCodeChallengeMethod())) {
            return error(redirect, mode, OAuth2Error.INVALID_REQUEST
                    .setDescription("code_challenge_method must be S256 (plain is not allowed)"), state, client, ip);
        }
        if (request.getCodeChallenge() != null
                && !S256_CHALLENGE.matcher(request.getCodeChallenge().getValue()).matches()) {
            return error(redirect, mode, OAuth2Error.INVALID_REQUEST
                    .setDescription("code_challenge must be 43 base64url characters (S256)"), state, client, ip);
        }
        if (request.getScope() == null) {
            return error(redirect, mode, OAuth2Error.INVALID_SCOPE.setDescription("scope is required"), state, client, ip);
        }
        Set<String> scope = new LinkedHashSet<>();
        for (String s : request.getScope().toStringList()) {
            if (client.scopes().contains(s)) {
                scope.add(s);
            }
        }
        if (scope.isEmpty()) {
            return error(redirect, mode, OAuth2Error.INVALID_SCOPE, state, client, ip);
        }
        AuthenticationRequest oidc = request instanceof AuthenticationRequest a ? a : null;
        List<String> maxAge = params.get("max_age");
        if (oidc != null && maxAge != null && !maxAge.get(0).isBlank() && oidc.getMaxAge() < 0) {
            // a number of seconds (OIDC Core 3.1.2.1): the SDK reads a negative one as no max_age at all
            return error(redirect, mode, OAuth2Error.INVALID_REQUEST
                    .setDescription("max_age must be a non-negative number of seconds"), state, client, ip);
        }
        if (oidc != null && oidc.getNonce() != null && oidc.getNonce().getValue().length() > MAX_NONCE) {
            return error(redirect, mode, OAuth2Error.INVALID_REQUEST
                    .setDescription("nonce longer than " + MAX_NONCE + " characters"), state, client, ip);
        }
        Prompt prompt = request.getPrompt();
        boolean promptNone = prompt != null && prompt.contains(Prompt.Type.NONE);
        boolean promptLogin = prompt != null && prompt.contains(Prompt.Type.LOGIN);
        boolean promptConsent = prompt != null && prompt.contains(Prompt.Type.CONSENT);
        // select_account is answered with the login page, the signed-in user prefilled: choosing another account
        // there ends the current session (as a login as someone else does)
        boolean promptSelect = prompt != null && prompt.contains(Prompt.Type.SELECT_ACCOUNT);
        if (prompt != null && prompt.contains(Prompt.Type.CREATE)) {
            // Initiating User Registration via OpenID Connect 1.0: not offered (no registration page), so refused
            return error(redirect, mode, OAuth2Error.INVALID_REQUEST.setDescription("prompt=create is not supported"),
                    state, client, ip);
        }
        int required = client.minLevel();
        if (oidc != null && oidc.getACRValues() != null) {
            int lowest = 5;
            for (ACR acr : oidc.getACRValues()) {
                OptionalInt level = Acr.level(acr.getValue());
                if (level.isPresent()) {
                    lowest = Math.min(lowest, level.getAsInt());
                }
            }
            if (lowest < 5) {
                required = Math.max(required, lowest);
            }
        }
        boolean english = english(params.get("ui_locales"));
        String loginHint = oidc == null ? null : oidc.getLoginHint();

        Account account = session == null ? null : Account.findById(session.accountId);
        boolean needLogin = session == null || account == null;
        if (!needLogin && !freshLogin) {
            if (promptLogin) {
                needLogin = true;
            }
            if (promptSelect) {
                needLogin = true;
                if (loginHint == null) {
                    loginHint = account.username;
                }
            }
            if (oidc != null && oidc.getMaxAge() >= 0
                    && session.authTime.plusSeconds(oidc.getMaxAge()).isBefore(OffsetDateTime.now())) {
                needLogin = true;
            }
            if (oidc != null && oidc.getIDTokenHint() != null && hintNamesAnother(oidc.getIDTokenHint(), session)) {
                // the client expects another user than the one signed in: prompt=none gets login_required
                needLogin = true;
            }
        }
        if (!needLogin && freshLogin && oidc != null && oidc.getIDTokenHint() != null
                && hintNamesAnother(oidc.getIDTokenHint(), session)) {
            // signed in just now (the request waited at the login page with its hint), but as someone else than the
            // user the client named: not answered with this user (OIDC Core 3.1.2.1)
            return error(redirect, mode, OIDCError.LOGIN_REQUIRED.setDescription(
                    "the user who signed in is not the one id_token_hint names"), state, client, ip);
        }
        // The session's level, but never above what the account can reach now: a level lowered or a second factor
        // reset since the sign-in lowers what the session's new codes carry.
        int level = needLogin ? 0 : Math.min(session.acrLevel, achievable(account));
        if (!needLogin && level < required) {
            if (achievable(account) < required || freshLogin) {
                audit.record("AUTHORIZE_REFUSED", false, account.id.toString(), account.id.toString(),
                        client.clientId(), ip, "real-name level " + level + " below required " + required);
                return error(redirect, mode, OAuth2Error.ACCESS_DENIED.setDescription(
                        "real-name level too low: " + Acr.of(required) + " required"), state, client, ip);
            }
            needLogin = true;
            loginHint = account.username;
        }
        if (needLogin) {
            if (promptNone) {
                return error(redirect, mode, OIDCError.LOGIN_REQUIRED, state, client, ip);
            }
            PendingAuthorization pending = pending(client, params, Page.LOGIN, session);
            return new LoginPage(pending.id, pending.csrf, client.name(), loginHint, english,
                    required > 1 ? required : null, null, required == 4);
        }
        if (!client.firstParty() && (promptConsent && !consentGiven || !consentGiven && !consented(account, client, scope))) {
            if (promptNone) {
                return error(redirect, mode, OIDCError.CONSENT_REQUIRED, state, client, ip);
            }
            PendingAuthorization pending = pending(client, params, Page.CONSENT, session);
            return new ConsentPage(pending.id, pending.csrf, client.name(), scope, english);
        }
        if (session.actingFor != null && !delegationCovers(session.accountId, session.actingFor, client.clientId())) {
            return error(redirect, mode, OAuth2Error.ACCESS_DENIED
                    .setDescription("the agent authorisation does not cover this service"), state, client, ip);
        }
        TokenGrant grant = new TokenGrant();
        grant.id = UUID.randomUUID();
        grant.clientId = client.clientId();
        grant.accountId = session.accountId;
        grant.sessionId = session.id;
        grant.scope = String.join(" ", scope);
        grant.acrLevel = level;
        grant.amr = session.amr;
        grant.actingFor = session.actingFor;
        grant.authTime = session.authTime;
        grant.nonce = oidc == null || oidc.getNonce() == null ? null : oidc.getNonce().getValue();
        String code = grants.createCode(grant, redirect.toString(),
                request.getCodeChallenge() == null ? null : request.getCodeChallenge().getValue());
        sessions.addClient(session.id, client.clientId());
        audit.record("CODE_ISSUED", true, session.accountId.toString(), session.accountId.toString(),
                client.clientId(), ip, "scope=" + grant.scope + " acr=" + Acr.of(grant.acrLevel));
        return respond(new AuthorizationSuccessResponse(redirect, new AuthorizationCode(code), null, state,
                new Issuer(config.issuer()), mode));
    }

    /** The login form was posted. */
    public Step login(String pendingId, String csrf, String cookieCsrf, String username, String password, String otp,
            String enterprise, SsoSession current, String ip) {
        return login(pendingId, csrf, cookieCsrf, username, password, otp, enterprise, current, ip, null);
    }

    /** The login form was posted from a browser carrying {@code deviceCookie} (null: none). */
    public Step login(String pendingId, String csrf, String cookieCsrf, String username, String password, String otp,
            String enterprise, SsoSession current, String ip, String deviceCookie) {
        PendingAuthorization pending = pendingFor(pendingId, csrf, cookieCsrf);
        if (pending == null || pending.page != Page.LOGIN) {
            return new Step(expired(), null);
        }
        Map<String, List<String>> params = URLUtils.parseParameters(pending.query);
        RegisteredClient client = clients.find(pending.clientId).orElse(null);
        if (client == null) {
            return new Step(expired(), null);
        }
        boolean english = english(params.get("ui_locales"));
        LoginService.Result result = logins.login(username, password, otp, ip, client.clientId(), deviceCookie);
        if (!result.ok()) {
            String message = switch (result.failure()) {
                case BAD_CREDENTIALS -> english ? "Wrong login name or password." : "用户名或密码错误。";
                case BAD_OTP -> english ? "Wrong one-time code." : "动态口令错误。";
                case OTP_REQUIRED -> english ? "Enter the one-time code from your authenticator app."
                        : "请输入身份验证器中的动态口令。";
                case LOCKED -> english ? "Too many failed attempts. Try again after "
                        + result.lockedUntil().withNano(0).toLocalTime() + " (UTC)."
                        : "失败次数过多，请于 " + result.lockedUntil().withNano(0).toLocalTime() + "（UTC）后再试。";
            };
            Long retryAfter = result.failure() == LoginService.Failure.LOCKED
                    ? Math.max(1, OffsetDateTime.now().until(result.lockedUntil(), ChronoUnit.SECONDS)) : null;
            return new Step(new LoginPage(pending.id, pending.csrf, client.name(), username, english, null, message,
                    result.failure() == LoginService.Failure.OTP_REQUIRED, retryAfter), null);
        }
        Account account = result.account();
        UUID actingFor = null;
        if (enterprise != null && !enterprise.isBlank()) {
            String code = enterprise.trim().toUpperCase();
            String problem = CreditCode.problem(code).orElse(null);
            Account company = problem == null ? Account.find("uscc", code).firstResult() : null;
            if (problem != null || company == null || company.type != AccountType.LEGAL_PERSON
                    || !delegationCovers(account.id, company.id, client.clientId())) {
                String message = problem != null ? problem
                        : english ? "You hold no valid authorisation of this enterprise for this service."
                                : "您没有该企业对此服务的有效经办授权。";
                return new Step(new LoginPage(pending.id, pending.csrf, client.name(), username, english, null,
                        message, false), null);
            }
            actingFor = company.id;
        }
        String cookie = null;
        SsoSession session;
        if (current != null && current.accountId.equals(account.id)) {
            SessionService.Created renewed = sessions.reauthenticate(current, result.acrLevel(), result.amr(),
                    actingFor);
            session = renewed.session();
            cookie = renewed.cookie();
        } else {
            if (current != null) {
                logouts.endSession(current, "replaced by a new login", ip);
            }
            SessionService.Created created = sessions.create(account, result.acrLevel(), result.amr(), actingFor);
            session = created.session();
            cookie = created.cookie();
        }
        deletePending(pending.id);
        return new Step(decide(params, session, ip, true, false), cookie, result.deviceCookie());
    }

    /**
     * The consent form was posted. Only for a request that showed the consent page, in the same session: the login
     * page's fields posted here would otherwise skip the login that {@code prompt=login} or {@code max_age} asked
     * for, and record a consent that was never shown.
     */
    public Outcome consent(String pendingId, String csrf, String cookieCsrf, boolean approve, SsoSession session,
            String ip) {
        PendingAuthorization pending = pendingFor(pendingId, csrf, cookieCsrf);
        if (pending == null || session == null) {
            return expired();
        }
        if (pending.page != Page.CONSENT || !session.id.equals(pending.sessionId)) {
            audit.record("CONSENT_REFUSED", false, session.accountId.toString(), session.accountId.toString(),
                    pending.clientId, ip, pending.page == Page.CONSENT ? "consent page of another session"
                            : "the request waits at the login page");
            return expired();
        }
        Map<String, List<String>> params = URLUtils.parseParameters(pending.query);
        deletePending(pending.id);
        RegisteredClient client = clients.find(pending.clientId).orElse(null);
        if (client == null) {
            return expired();
        }
        if (!approve) {
            audit.record("CONSENT_DENIED", false, session.accountId.toString(), session.accountId.toString(),
                    client.clientId(), ip, null);
            // as the request's parser reads it: an empty or blank state= is no state (new State("") would throw)
            List<String> states = params.get("state");
            State state = states == null || states.isEmpty() ? null : State.parse(states.get(0));
            return error(URI.create(params.get("redirect_uri").get(0)), responseMode(params),
                    OAuth2Error.ACCESS_DENIED.setDescription("the user declined"), state, client, ip);
        }
        Set<String> requested = new LinkedHashSet<>(List.of(params.get("scope").get(0).split(" ")));
        requested.retainAll(client.scopes());
        saveConsent(session.accountId, client.clientId(), requested);
        audit.record("CONSENT_GIVEN", true, session.accountId.toString(), session.accountId.toString(),
                client.clientId(), ip, "scope=" + String.join(" ", requested));
        return decide(params, session, ip, true, true);
    }

    /**
     * Whether the pages are shown in English: {@code ui_locales} lists the user's languages in order of preference
     * (OIDC Core 3.1.2.1), so the first of them this provider offers decides, Chinese ({@code zh}) or English
     * ({@code en}); Chinese when none is offered or the parameter is absent.
     */
    public static boolean english(List<String> uiLocales) {
        if (uiLocales == null || uiLocales.size() != 1) {
            return false;
        }
        for (String tag : uiLocales.get(0).trim().split("\\s+")) {
            String language = tag.split("-", 2)[0].toLowerCase(java.util.Locale.ROOT);
            if (language.equals("en") || language.equals("zh")) {
                return language.equals("en");
            }
        }
        return false;
    }

    /** The highest level a login can reach for this account: L4 needs the second factor. */
    public static int achievable(Account account) {
        return account.level == 4 && account.totpSecret == null ? 3 : account.level;
    }

    /**
     * How an error goes back to the client: in the fragment for a response type whose default response mode is
     * the fragment ({@code token}, {@code id_token} and every hybrid type; RFC 6749 §4.2.2.1, OAuth 2.0 Multiple
     * Response Type Encoding Practices §5), so it stays out of the client's server logs; in the query otherwise,
     * also for a {@code response_mode} this provider refuses. See {@link #responseMode} for the one asked for.
     */
    static ResponseMode errorMode(Map<String, List<String>> params) {
        List<String> types = params.get("response_type");
        if (types == null || types.size() != 1) {
            return ResponseMode.QUERY;
        }
        try {
            return ResponseMode.resolve(null, ResponseType.parse(types.get(0)));
        } catch (ParseException | RuntimeException e) {
            return ResponseMode.QUERY;
        }
    }

    /**
     * How the response goes back: the {@code response_mode} asked for when it is one of {@link #RESPONSE_MODES}
     * (OAuth 2.0 Multiple Response Type Encoding Practices §2.1, Form Post Response Mode), the response type's
     * default otherwise; never {@code query} where the default is the fragment.
     */
    static ResponseMode responseMode(Map<String, List<String>> params) {
        ResponseMode fallback = errorMode(params);
        List<String> modes = params.get("response_mode");
        if (modes == null || modes.size() != 1 || modes.get(0).isBlank()) {
            return fallback;
        }
        ResponseMode asked = new ResponseMode(modes.get(0));
        if (!RESPONSE_MODES.contains(asked) || ResponseMode.QUERY.equals(asked) && !ResponseMode.QUERY.equals(fallback)) {
            return fallback;
        }
        return asked;
    }

    private Outcome error(URI redirect, ResponseMode mode, ErrorObject error, State state, RegisteredClient client,
            String ip) {
        audit.record("AUTHORIZE_REFUSED", false, null, null, client.clientId(), ip,
                error.getCode() + (error.getDescription() == null ? "" : ": " + error.getDescription()));
        return respond(new AuthorizationErrorResponse(redirect, error, state, new Issuer(config.issuer()), mode));
    }

    /** A redirect carrying the response in the query or fragment, or the form-post page. */
    private static Outcome respond(AuthorizationResponse response) {
        if (ResponseMode.FORM_POST.equals(response.getResponseMode())) {
            List<Field> fields = new java.util.ArrayList<>();
            response.toParameters().forEach((name, values) -> values.forEach(v -> fields.add(new Field(name, v))));
            return new FormPost(response.getRedirectionURI(), fields);
        }
        return new Redirect(response.toURI());
    }

    private static ErrorPage expired() {
        return new ErrorPage(400, "登录页面已过期，请返回应用重新登录。", "The login page expired; go back to the application and sign in again.");
    }

    private static String safe(String message) {
        if (message == null) {
            return null;
        }
        String cleaned = message.replaceAll("[^\\x20-\\x7E]", "");
        return cleaned.length() > 200 ? cleaned.substring(0, 200) : cleaned;
    }

    /** The {@code state} to echo before the request is parsed: given once and not blank, else none. */
    private static State singleState(Map<String, List<String>> params) {
        List<String> states = params.get("state");
        return states == null || states.size() != 1 || states.get(0).isBlank() ? null : new State(states.get(0));
    }

    /** Whether {@code value} is the response type {@code code} (its values in any order, repeats counted once). */
    private static boolean isCode(String value) {
        try {
            return ResponseType.CODE.equals(ResponseType.parse(value));
        } catch (ParseException | RuntimeException e) {
            return false;
        }
    }

    /**
     * The request without an {@code id_token_hint} that is not a JWT at all. A hint is only a hint (OIDC Core
     * 3.1.2.1): one that cannot be verified is ignored, see {@link #hintNamesAnother}, and a malformed one is the
     * same case, not a broken request. (At {@code /oidc/logout} it is different: RP-Initiated Logout 1.0 §2 has the
     * provider check that it issued the hint, so there a hint it cannot read is the error page.)
     */
    static Map<String, List<String>> withoutMalformedHint(Map<String, List<String>> params) {
        List<String> hints = params.get("id_token_hint");
        if (hints == null || hints.size() != 1) {
            return params;
        }
        try {
            com.nimbusds.jwt.JWTParser.parse(hints.get(0));
            return params;
        } catch (java.text.ParseException e) {
            Map<String, List<String>> copy = new java.util.LinkedHashMap<>(params);
            copy.remove("id_token_hint");
            return copy;
        }
    }

    /**
     * Whether a verifiable ID token of this issuer given as {@code id_token_hint} names another subject than the
     * session's. A hint that cannot be verified (another issuer, a key no longer held, a bad signature) is ignored:
     * the session's user is who would be answered without it.
     */
    private boolean hintNamesAnother(JWT hint, SsoSession session) {
        try {
            return !session.tokenSubject().equals(tokens.verifyIdTokenHint(hint.serialize()).getSubject());
        } catch (TokenService.BadTokenException | IllegalStateException e) {
            return false;
        }
    }

    PendingAuthorization pending(RegisteredClient client, Map<String, List<String>> params, Page page,
            SsoSession session) {
        return pending(client, params, page, session, config.tokens().loginLifetime());
    }

    @Transactional
    PendingAuthorization pending(RegisteredClient client, Map<String, List<String>> params, Page page,
            SsoSession session, Duration lifetime) {
        PendingAuthorization pending = new PendingAuthorization();
        pending.id = Secrets.random(24);
        pending.csrf = Secrets.random(24);
        pending.clientId = client.clientId();
        pending.page = page;
        pending.sessionId = session == null ? null : session.id;
        pending.query = URLUtils.serializeParameters(params);
        pending.expiresAt = OffsetDateTime.now().plus(lifetime);
        pending.persist();
        return pending;
    }

    /** The POSTED request {@code id} names, deleted so it is answered once; null when none is waiting. */
    @Transactional
    PendingAuthorization takePosted(String id) {
        if (id == null || !PENDING_ID.matcher(id).matches()) {
            return null;
        }
        PendingAuthorization posted = PendingAuthorization.findById(id);
        if (posted == null || posted.page != Page.POSTED) {
            return null;
        }
        posted.delete();
        return posted.expiresAt.isBefore(OffsetDateTime.now()) ? null : posted;
    }

    /**
     * The pending request the form names, when its CSRF token and cookie match; null otherwise. An id that is not of
     * the shape {@link #pending} issues ({@code Secrets.random(24)}) names none and is not looked up.
     */
    @Transactional
    PendingAuthorization pendingFor(String id, String csrf, String cookieCsrf) {
        if (id == null || csrf == null || cookieCsrf == null || !PENDING_ID.matcher(id).matches()) {
            return null;
        }
        PendingAuthorization pending = PendingAuthorization.findById(id);
        if (pending == null || pending.expiresAt.isBefore(OffsetDateTime.now())
                || !java.security.MessageDigest.isEqual(pending.csrf.getBytes(), csrf.getBytes())
                || !java.security.MessageDigest.isEqual(pending.csrf.getBytes(), cookieCsrf.getBytes())) {
            return null;
        }
        return pending;
    }

    @Transactional
    void deletePending(String id) {
        PendingAuthorization.deleteById(id);
    }

    @Transactional
    boolean consented(Account account, RegisteredClient client, Set<String> scope) {
        List<?> rows = cn.onenet.identity.model.Account.getEntityManager()
                .createNativeQuery("SELECT scope FROM consent WHERE account_id = ?1 AND client_id = ?2")
                .setParameter(1, account.id).setParameter(2, client.clientId()).getResultList();
        return !rows.isEmpty() && Set.of(((String) rows.get(0)).split(" ")).containsAll(scope);
    }

    /**
     * Records the user's consent to {@code scope} for the client, added to what they consented to before (the union,
     * as one statement, so two consents given at once both count): asking for one more scope does not take back the
     * earlier ones, which the client's live grants still hold. {@code granted_at} is the latest consent's time.
     * Withdrawing a consent (DataSharing.end) still removes all of it.
     */
    @Transactional
    void saveConsent(UUID accountId, String clientId, Set<String> scope) {
        Account.getEntityManager().createNativeQuery("INSERT INTO consent (account_id, client_id, scope) "
                + "VALUES (?1, ?2, ?3) ON CONFLICT (account_id, client_id) DO UPDATE SET scope = "
                + DataSharing.scopeUnion("consent") + ", granted_at = now()")
                .setParameter(1, accountId).setParameter(2, clientId).setParameter(3, String.join(" ", scope))
                .executeUpdate();
    }

    /**
     * Whether the agent may act for the enterprise at the client now: an active delegation covers it and the
     * enterprise's own account is enabled (a disabled enterprise has no agents either).
     */
    @Transactional
    boolean delegationCovers(UUID agentId, UUID enterpriseId, String clientId) {
        return Account.active(enterpriseId) && Delegation.coveredNow(agentId, enterpriseId, clientId);
    }
}
