package cn.onenet.identity.service;

import java.net.URI;
import java.text.ParseException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import com.nimbusds.jose.jwk.JWKSet;

import cn.onenet.common.problem.ApiException;
import cn.onenet.common.problem.FieldError;
import cn.onenet.common.problem.PrintableText;
import cn.onenet.common.problem.ProblemType;
import cn.onenet.identity.config.IdentityConfig;
import cn.onenet.identity.model.Department;
import cn.onenet.identity.model.OAuthClient;

/** Registration of department systems and suite services as OAuth clients. Secrets are shown once, stored hashed. */
@ApplicationScoped
public class ClientService {

    public static final Set<String> GRANTS = Set.of("authorization_code", "refresh_token", "client_credentials");
    public static final Set<String> METHODS = Set.of("client_secret_basic", "client_secret_post", "private_key_jwt");
    public static final Set<String> SCOPES = Set.of("openid", "profile", "email", "phone", "id_number",
            "offline_access", "catalog", "exchange");
    /** The suite's APIs; each starts with {@link #RESERVED_PREFIX}, so no client can be named like one. */
    public static final Set<String> AUDIENCES = Set.of("onenet-identity", "onenet-catalog", "onenet-exchange");
    /**
     * identity-service's own API (administration, the user's factors, consents and delegations): only a first-party
     * client (the console, the suite's services) may be registered for it, so no other app's user tokens open it.
     */
    public static final String OWN_API_AUDIENCE = TokenService.OWN_AUDIENCE;
    /**
     * The suite's service clients (docs/token-claims.md) and the API each of them serves: such a client is the
     * resource server for tokens with that audience and may introspect them.
     */
    public static final Map<String, String> SERVICE_AUDIENCES = Map.of("catalog-service", "onenet-catalog",
            "data-exchange-service", "onenet-exchange");
    /** The only hosts a registered URI may name with plain http. */
    public static final List<String> LOOPBACK_HOSTS = List.of("127.0.0.1", "[::1]", "localhost");
    /**
     * Longest registered URI: the width of the columns that keep one (the redirect URI with each authorization code,
     * the back-channel logout and JWKS URIs).
     */
    public static final int MAX_URI_LENGTH = 500;
    /** Widths of the columns keeping the space-separated lists (oauth_client.grant_types, scopes, audiences, roles). */
    static final int MAX_GRANT_TYPES = 200;
    static final int MAX_SCOPES = 500;
    static final int MAX_AUDIENCES = 300;
    static final int MAX_ROLES = 200;
    public static final Set<String> CLIENT_ROLES = Set.of("system", "operator", AccountService.EDITOR,
            AccountService.REVIEWER);
    /**
     * Roles only named people hold: administration and audit (三员分立). A client is registered by one administrator in
     * one step, without 双人复核, so a client holding either would give that administrator the auditors' reading of
     * the audit log and the covert hidings, or a second administrator nobody confirmed. No client token carries them.
     */
    public static final Set<String> PERSONAL_ROLES = Set.of(Administrators.ROLE, AccountService.AUDITOR);

    private final ClientRegistry registry;
    private final AuditService audit;
    private final GrantStore grants;
    private final ClientCredentialsGrants clientCredentials;
    private final Set<String> systemClients;

    public ClientService(ClientRegistry registry, AuditService audit, GrantStore grants,
            ClientCredentialsGrants clientCredentials, IdentityConfig config) {
        this.registry = registry;
        this.audit = audit;
        this.grants = grants;
        this.clientCredentials = clientCredentials;
        this.systemClients = Set.copyOf(config.systemClients());
    }

    /** Whether the client is one the suite itself runs on ({@code identity.system-clients}). */
    public boolean isSystemClient(String clientId) {
        return systemClients.contains(clientId);
    }

    /**
     * A system client is not disabled, re-keyed or re-registered through the API: the console's and the services'
     * configured secrets and URIs would stop working at once, signing everybody (the administrator who asked
     * included) out with no way back through the product. They are changed by the deployment (see the README).
     */
    private void refuseSystemClient(String clientId, String whatZh, String whatEn) {
        if (isSystemClient(clientId)) {
            String message = "应用 " + clientId + " 是本平台自身运行所用的系统应用，不能通过接口" + whatZh
                    + "：门户、管理控制台或平台服务将无法登录，所有用户（包括管理员）都将被拒之门外；请由运维通过部署配置变更 / "
                    + "the client " + clientId + " is a system client the suite itself runs on: " + whatEn
                    + " it through the API would stop the console or the suite's services from signing in, locking "
                    + "everybody out, administrators included; it is changed through the deployment's configuration";
            throw new ApiException(ProblemType.CONFLICT, message, List.of(new FieldError("clientId", message)),
                    Map.of("clientId", clientId), Map.of());
        }
    }

    /** The prefix of the names of the suite's APIs (token audiences, realms): no client may be registered under it. */
    static final String RESERVED_PREFIX = "onenet-";

    /** Whether a client_id is reserved: it starts with {@link #RESERVED_PREFIX}, as each of {@link #AUDIENCES} does. */
    static boolean reservedName(String clientId) {
        return clientId.startsWith(RESERVED_PREFIX);
    }

    /** A client registration as submitted; {@code secret} is only honoured by the demo loader. */
    public record Registration(String clientId, String name, String authMethod, List<String> grantTypes,
            List<String> redirectUris, List<String> postLogoutRedirectUris, String backchannelLogoutUri,
            List<String> scopes, List<String> audiences, List<String> roles, String departmentCode, boolean firstParty,
            String jwks, String jwksUri, String signingAlg, Integer minLevel,
            @org.eclipse.microprofile.openapi.annotations.media.Schema(description = "PKCE S256 required at the "
                    + "authorization endpoint (default true). false only for conformance testing of a confidential "
                    + "client: an authorization request may then omit code_challenge; one that sends it is still "
                    + "checked. Omitted: true.", example = "true") Boolean pkceRequired) {

        /** A registration with PKCE required (the default). */
        public Registration(String clientId, String name, String authMethod, List<String> grantTypes,
                List<String> redirectUris, List<String> postLogoutRedirectUris, String backchannelLogoutUri,
                List<String> scopes, List<String> audiences, List<String> roles, String departmentCode,
                boolean firstParty, String jwks, String jwksUri, String signingAlg, Integer minLevel) {
            this(clientId, name, authMethod, grantTypes, redirectUris, postLogoutRedirectUris, backchannelLogoutUri,
                    scopes, audiences, roles, departmentCode, firstParty, jwks, jwksUri, signingAlg, minLevel, null);
        }
    }

    /** The stored client and, when one was made, its secret in clear (shown once). */
    public record Saved(OAuthClient client, String secret) {
    }

    @Transactional
    public Saved create(Registration r, String presetSecret, String actor) {
        if (r.clientId() == null || !r.clientId().matches("[a-z0-9][a-z0-9._-]{2,99}")) {
            throw ApiException.field("clientId", "应用标识须为3-100位小写字母、数字、点、下划线或横线 / "
                    + "the client id must be 3 to 100 of a-z 0-9 . _ -");
        }
        if (uuidShaped(r.clientId())) {
            throw ApiException.field("clientId", "应用标识不得为 UUID 形式（与账号标识混同） / the client id must not be a UUID:"
                    + " a client's tokens name it as their sub, where user tokens name an account's id");
        }
        if (reservedName(r.clientId())) {
            // an ID token's aud is its client_id: a client named like a service's API would receive, at each user's
            // sign-in, ID tokens addressed to that API (the services accept only access tokens, this keeps it so)
            throw ApiException.field("clientId", "应用标识不得使用平台保留名称（" + RESERVED_PREFIX
                    + " 开头，如 onenet-exchange） / the client id must not be a name the suite reserves for its APIs (audiences such as "
                    + "onenet-exchange, or any name starting with " + RESERVED_PREFIX + ")");
        }
        auditPersonalRoles("CLIENT_REGISTERED", r, actor, r.clientId());
        OAuthClient client = new OAuthClient();
        client.clientId = r.clientId();
        // the body first: a retry with a corrected body under a taken id then learns both, one at a time
        String secret = apply(client, r, List.of());
        if (OAuthClient.findById(r.clientId()) != null) {
            String message = "应用标识已被登记：" + r.clientId() + " / the client id is already registered: " + r.clientId();
            throw new ApiException(ProblemType.CONFLICT, message, List.of(new FieldError("clientId", message)),
                    Map.of("clientId", r.clientId()), Map.of());
        }
        if (presetSecret != null && secret != null) {
            secret = presetSecret;
            client.secretHash = Secrets.hashClientSecret(presetSecret);
        }
        client.persist();
        audit.recordInTransaction("CLIENT_REGISTERED", actor, client.clientId, client.clientId, null,
                "grants=" + client.grantTypes + " auth=" + client.authMethod);
        return new Saved(client, secret);
    }

    /**
     * A registration asking for {@code admin} or {@code auditor} is refused (400 naming {@code roles}, see
     * {@link #apply}); the attempt is audited as a failure through the queue, since the refusal rolls the request back:
     * an administrator trying to reach the audit log through a client is seen by the auditors, as with an account.
     */
    private void auditPersonalRoles(String type, Registration r, String actor, String clientId) {
        if (r.roles() == null || r.roles().stream().noneMatch(ClientService::personal)) {
            return;
        }
        java.util.TreeSet<String> asked = new java.util.TreeSet<>(PERSONAL_ROLES);
        asked.retainAll(r.roles());
        audit.record(type, false, actor, cut(clientId), cut(clientId), null, "refused: a client may not hold "
                + String.join(" or ", asked) + " (roles of named people)");
    }

    /** Whether {@code role} (null: no) is one of {@link #PERSONAL_ROLES}. */
    private static boolean personal(String role) {
        return role != null && PERSONAL_ROLES.contains(role);
    }

    /** A client id as asked for, however long, cut to what the audit row keeps. */
    private static String cut(String clientId) {
        return clientId == null || clientId.length() <= 100 ? clientId : clientId.substring(0, 100);
    }

    /**
     * The roles a client's tokens carry: its registered ones without {@link #PERSONAL_ROLES}, which no registration
     * can give it but a row written before V31, or by hand, might hold.
     */
    public static List<String> tokenRoles(List<String> registered) {
        return registered.stream().filter(role -> !PERSONAL_ROLES.contains(role)).toList();
    }

    /**
     * Whether the id reads as a UUID ({@link java.util.UUID#fromString} accepts it, short forms like {@code 1-2-3-4-5}
     * included): a client-credentials token's {@code sub} is its client id, and must never pass for an account's.
     */
    static boolean uuidShaped(String clientId) {
        try {
            java.util.UUID.fromString(clientId);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @Transactional
    public Saved update(String clientId, Registration r, Long version, String actor) {
        OAuthClient client = get(clientId, version);
        refuseSystemClient(clientId, "变更登记", "changing the registration of");
        auditPersonalRoles("CLIENT_UPDATED", r, actor, clientId);
        // a new secret only when the authentication method changed; omitted audiences keep the stored ones
        String secret = apply(client, r, OAuthClient.split(client.audiences));
        client.updatedAt = OffsetDateTime.now();
        registry.invalidate(clientId);
        audit.recordInTransaction("CLIENT_UPDATED", actor, clientId, clientId, null, null);
        return new Saved(client, secret);
    }

    /** Why a client-credentials grant ended with a new secret ({@code client_credentials_grant.revoke_reason}). */
    static final String SECRET_ROTATED = "secret_rotated";

    /**
     * Issues a new secret (shown once). A secret is replaced because it leaked: the client's current
     * client-credentials grant is revoked in the same transaction, so every token obtained with a secret alone — the
     * old one included — is refused at once (introspection, the revocation list), and the next token request with the
     * new secret starts a new grant. Users' grants stay: their refresh tokens are redeemed only with the client's
     * authentication, which the old secret no longer passes, and ending them would sign every user of the
     * application out at each routine rotation (disabling the client ends them, see the README).
     */
    @Transactional
    public Saved rotateSecret(String clientId, Long version, String actor) {
        OAuthClient client = get(clientId, version);
        refuseSystemClient(clientId, "更换密钥", "issuing a new secret to");
        if (!client.authMethod.startsWith("client_secret")) {
            throw ApiException.field("authMethod", "此应用以私钥签名认证（private_key_jwt），无密钥 / the client authenticates with a signed "
                    + "assertion (private_key_jwt) and has no secret");
        }
        String secret = Secrets.random(32);
        client.secretHash = Secrets.hashClientSecret(secret);
        client.updatedAt = OffsetDateTime.now();
        boolean revoked = clientCredentials.revokeClient(clientId, SECRET_ROTATED);
        registry.invalidate(clientId);
        audit.recordInTransaction("CLIENT_SECRET_ROTATED", actor, clientId, clientId, null,
                "client-credentials grant revoked: " + (revoked ? 1 : 0) + "; users' grants kept (their refresh "
                        + "tokens need the new secret)");
        return new Saved(client, secret);
    }

    /**
     * Enables or disables a client. Disabling revokes all its grants (refresh tokens end, access tokens of them fail
     * introspection, UserInfo and this service's API) and its access tokens are refused while it stays disabled.
     */
    @Transactional
    public OAuthClient setEnabled(String clientId, boolean enabled, Long version, String actor) {
        OAuthClient client = get(clientId, version);
        if (!enabled) {
            // enabling one stays possible: it is how a system client disabled before this rule gets back
            refuseSystemClient(clientId, "停用", "disabling");
        } else if (reservedName(clientId) && !isSystemClient(clientId)) {
            // registered before the prefix was reserved and disabled by V36: enabled, it would again receive ID tokens
            // that can be addressed to one of the suite's APIs
            String message = "应用标识 " + clientId + " 使用平台保留名称（" + RESERVED_PREFIX
                    + " 开头），不能再启用；请以其他标识重新登记该应用 / the client id " + clientId + " starts with " + RESERVED_PREFIX + ", the prefix reserved for "
                    + "the suite's APIs: it cannot be enabled again; register the application under another id";
            throw new ApiException(ProblemType.CONFLICT, message, List.of(new FieldError("clientId", message)),
                    Map.of("clientId", clientId), Map.of());
        }
        client.enabled = enabled;
        client.updatedAt = OffsetDateTime.now();
        // Disabling revokes the client's grants, its client-credentials grant included, so enabling it again revives
        // no refresh or access token; every token issued to it is refused while it is disabled.
        int revoked = enabled ? 0 : grants.revokeClient(clientId, "client_disabled");
        registry.invalidate(clientId);
        audit.recordInTransaction(enabled ? "CLIENT_ENABLED" : "CLIENT_DISABLED", actor, clientId, clientId, null,
                enabled ? null : "grants revoked: " + revoked);
        return client;
    }

    /**
     * The client to change, at the version the caller read when one is given. A change made meanwhile by someone else
     * still fails when written (the row's version), also a 409 stale-version.
     */
    private OAuthClient get(String clientId, Long version) {
        OAuthClient client = get(clientId);
        if (version != null && version != client.version) {
            throw new ApiException(ProblemType.STALE_VERSION, "版本已变化 / the client was changed meanwhile");
        }
        return client;
    }

    public OAuthClient get(String clientId) {
        OAuthClient client = clientId == null ? null : OAuthClient.findById(clientId);
        if (client == null) {
            throw ApiException.notFound("应用不存在 / no such client");
        }
        return client;
    }

    /** Filters of the client list as given (null: none); {@link #search} checks them. */
    public record ClientQuery(String q, String department, String status, Integer page, Integer size) {
    }

    /**
     * Clients by {@code q} (a case-insensitive substring of the client id or the name), department and status
     * ({@code enabled}/{@code disabled}), ordered by client id; a bad filter, page or size is a 400 naming it.
     */
    public ListPage<OAuthClient> search(ClientQuery r) {
        ListFilter filter = new ListFilter();
        filter.contains("q", r.q()).ifPresent(q -> filter.and("lower(clientId) like :q escape '!'"
                + " or lower(name) like :q escape '!'", "q", q));
        filter.department("department", r.department()).ifPresent(id -> filter.and("departmentId = :department",
                "department", id));
        filter.enabled("status", r.status()).ifPresent(enabled -> filter.and("enabled = :enabled", "enabled",
                enabled));
        return filter.page(r.page(), r.size(), (where, params) -> OAuthClient.find(where,
                io.quarkus.panache.common.Sort.by("clientId"), params));
    }

    /**
     * Validates and copies a registration; returns a new secret when secret authentication needs one. Audiences not
     * given ({@code null}) are {@code stored}: none for a new client (its user tokens then serve only UserInfo and
     * its own introspection), the registered ones on an update.
     */
    private static String apply(OAuthClient client, Registration r, List<String> stored) {
        List<FieldError> errors = new ArrayList<>();
        if (!PrintableText.hasVisibleText(r.name()) || r.name().length() > 200) {
            errors.add(new FieldError("name", PrintableText.missingMessage(r.name(), "名称必填 / name is required")));
        } else if (!PrintableText.printableLine(r.name())) {
            // citizens read it on the login and consent pages and in their consents
            errors.add(new FieldError("name", PrintableText.MESSAGE));
        }
        String method = r.authMethod() == null ? "client_secret_basic" : r.authMethod();
        if (!METHODS.contains(method)) {
            errors.add(new FieldError("authMethod", "允许的值：" + String.join("、", METHODS) + " / one of " + METHODS));
        }
        // a value given twice is kept once
        List<String> grants = r.grantTypes() == null || r.grantTypes().isEmpty() ? List.of("client_credentials")
                : Elements.distinct(r.grantTypes());
        errors.addAll(Elements.problems("grantTypes", grants, GRANTS::contains, g -> "不支持的授权类型 / "
                + "unsupported grant type: " + g + " (implicit, hybrid and password are not offered)"));
        if (grants.contains("refresh_token") && !grants.contains("authorization_code")) {
            // only the code flow issues refresh tokens (client credentials get none, RFC 6749 §4.4.3): such a
            // client could never use the grant it was registered for
            errors.add(new FieldError("grantTypes", "刷新令牌（refresh_token）须与授权码模式（authorization_code）一并登记："
                    + "只有授权码模式签发刷新令牌 / the refresh token grant (refresh_token) needs the code flow "
                    + "(authorization_code): only the code flow issues refresh tokens"));
        }
        List<String> redirects = r.redirectUris() == null ? List.of() : r.redirectUris();
        // a redirect URI must match exactly, so one listed twice is a typo for another, not a harmless repeat
        Elements.repeated(redirects).ifPresent(uri -> errors.add(new FieldError("redirectUris",
                "回调地址重复 / redirect URI listed twice: " + uri)));
        if (grants.contains("authorization_code") && redirects.isEmpty()) {
            errors.add(new FieldError("redirectUris", "授权码模式须登记回调地址 / the code flow needs a redirect URI"));
        }
        uriProblems("redirectUris", redirects, errors);
        List<String> postLogout = r.postLogoutRedirectUris() == null ? List.of()
                : Elements.distinct(r.postLogoutRedirectUris());
        uriProblems("postLogoutRedirectUris", postLogout, errors);
        if (r.backchannelLogoutUri() != null) {
            uriProblem(r.backchannelLogoutUri()).ifPresent(p -> errors.add(new FieldError("backchannelLogoutUri", p)));
        }
        List<String> scopes = r.scopes() == null || r.scopes().isEmpty()
                ? (grants.contains("authorization_code") ? List.of("openid", "profile") : List.of("catalog", "exchange"))
                : Elements.distinct(r.scopes());
        errors.addAll(Elements.problems("scopes", scopes, SCOPES::contains, s -> "未知 scope / unknown scope: " + s));
        List<String> audiences = Elements.distinct(r.audiences() == null ? stored : r.audiences());
        errors.addAll(Elements.problems("audiences", audiences, AUDIENCES::contains,
                a -> "未知受众 / unknown audience: " + a));
        if (!r.firstParty() && audiences.contains(OWN_API_AUDIENCE)) {
            errors.add(new FieldError("audiences", "仅本平台自有应用（firstParty）可访问 " + OWN_API_AUDIENCE + " / only a "
                    + "first-party client may have the audience " + OWN_API_AUDIENCE));
        }
        List<String> roles = r.roles() == null ? List.of() : Elements.distinct(r.roles());
        errors.addAll(Elements.problems("roles", roles, role -> CLIENT_ROLES.contains(role) || personal(role),
                role -> "未知角色 / unknown role: " + role));
        if (roles.stream().anyMatch(ClientService::personal)) {
            errors.add(new FieldError("roles", "系统管理员与安全审计员的权限只属于具名人员，应用不得持有 / admin and auditor "
                    + "are roles of named people (三员分立, 双人复核): a client may not hold them"));
        }
        if (roles.contains(AccountService.EDITOR) && roles.contains(AccountService.REVIEWER)) {
            // as for accounts (编审分离): one system must not approve what it drafted
            errors.add(new FieldError("roles", "目录编制与审核不得由同一应用承担 / " + AccountService.EDITOR + " and "
                    + AccountService.REVIEWER + " exclude each other (separation of duties)"));
        }
        errors.addAll(Elements.tooLong("grantTypes", grants, MAX_GRANT_TYPES));
        errors.addAll(Elements.tooLong("scopes", scopes, MAX_SCOPES));
        errors.addAll(Elements.tooLong("audiences", audiences, MAX_AUDIENCES));
        errors.addAll(Elements.tooLong("roles", roles, MAX_ROLES));
        Department department = null;
        if (r.departmentCode() != null) {
            // a 统一社会信用代码 in any letter case, as the exchange reads department codes
            department = Department.find("code", r.departmentCode().toUpperCase(java.util.Locale.ROOT)).firstResult();
            if (department == null) {
                errors.add(new FieldError("departmentCode", "部门不存在 / unknown department"));
            } else if (!department.active) {
                // also when an update keeps it: a client of a deactivated department is moved or left as it is
                errors.add(new FieldError("departmentCode", "部门 " + department.code + " 已撤销，不能登记或变更其应用 / "
                        + "the department " + department.code + " is deactivated: register or move the client to an "
                        + "active department"));
            }
        }
        if ("private_key_jwt".equals(method)) {
            if ((r.jwks() == null || r.jwks().isBlank()) && (r.jwksUri() == null || r.jwksUri().isBlank())) {
                errors.add(new FieldError("jwks", "私钥签名认证（private_key_jwt）须提供公钥集或公钥集地址 / "
                        + "a signed assertion (private_key_jwt) needs the public keys or the address of the key set"));
            }
            if (r.jwks() != null && !r.jwks().isBlank()) {
                try {
                    JWKSet set = JWKSet.parse(r.jwks());
                    if (set.getKeys().stream().anyMatch(k -> k.isPrivate())) {
                        errors.add(new FieldError("jwks", "只可提交公钥 / submit public keys only"));
                    }
                } catch (ParseException e) {
                    errors.add(new FieldError("jwks", "JWKS 格式错误 / not a JWK set"));
                }
            }
            if (r.jwksUri() != null && !r.jwksUri().isBlank()) {
                uriProblem(r.jwksUri()).ifPresent(p -> errors.add(new FieldError("jwksUri", p)));
            }
        }
        String alg = r.signingAlg() == null ? "RS256" : r.signingAlg();
        if (!KeyService.ALGORITHMS.contains(alg)) {
            errors.add(new FieldError("signingAlg", "允许的值：" + String.join("、", KeyService.ALGORITHMS) + " / one of "
                    + KeyService.ALGORITHMS));
        }
        int minLevel = r.minLevel() == null ? 1 : r.minLevel();
        if (minLevel < 1 || minLevel > 4) {
            errors.add(new FieldError("minLevel", "最低实名等级须为 1 到 4 / the minimum real-name level must be 1 to 4"));
        }
        if (!errors.isEmpty()) {
            throw ApiException.fields(errors);
        }
        client.name = r.name().trim();
        client.grantTypes = String.join(" ", grants);
        client.redirectUris = String.join("\n", redirects);
        client.postLogoutRedirectUris = String.join("\n", postLogout);
        client.backchannelLogoutUri = r.backchannelLogoutUri();
        client.scopes = String.join(" ", scopes);
        client.audiences = String.join(" ", audiences);
        client.roles = String.join(" ", roles);
        client.departmentId = department == null ? null : department.id;
        client.firstParty = r.firstParty();
        client.signingAlg = alg;
        client.minLevel = minLevel;
        // omitted means required: an update that does not know the setting never leaves PKCE off by accident
        client.pkceRequired = r.pkceRequired() == null || r.pkceRequired();
        String secret = null;
        if ("private_key_jwt".equals(method)) {
            client.jwks = r.jwks();
            client.jwksUri = r.jwksUri();
            client.secretHash = null;
        } else if (client.secretHash == null || !method.equals(client.authMethod)) {
            secret = Secrets.random(32);
            client.secretHash = Secrets.hashClientSecret(secret);
        }
        client.authMethod = method;
        return secret;
    }

    /** Each URI of the array {@code field} present and acceptable ({@link #uriProblem}). */
    private static void uriProblems(String field, List<String> uris, List<FieldError> errors) {
        errors.addAll(Elements.problems(field, uris, uri -> uriProblem(uri).isEmpty(), uri -> uriProblem(uri).get()));
    }

    /**
     * A registered URI (redirect, post-logout redirect, back-channel logout, JWKS) is absolute, without fragment, and
     * https; plain http only on the loopback ({@link #LOOPBACK_HOSTS}), for development and native apps (RFC 8252);
     * at most {@link #MAX_URI_LENGTH} characters.
     */
    private static java.util.Optional<String> uriProblem(String value) {
        if (value.length() > MAX_URI_LENGTH) {
            return java.util.Optional.of("地址不得超过 " + MAX_URI_LENGTH + " 个字符 / at most " + MAX_URI_LENGTH
                    + " characters");
        }
        try {
            URI uri = new URI(value);
            if (!uri.isAbsolute() || uri.getFragment() != null || uri.getHost() == null
                    || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))) {
                return java.util.Optional.of("须为不含片段的绝对 https 地址 / must be an absolute https URI without fragment: " + value);
            }
            if ("http".equals(uri.getScheme()) && !LOOPBACK_HOSTS.contains(uri.getHost().toLowerCase(java.util.Locale.ROOT))) {
                return java.util.Optional.of("须使用 https（http 仅限本机回环地址）/ must use https (http only for "
                        + String.join(", ", LOOPBACK_HOSTS) + "): " + value);
            }
            return java.util.Optional.empty();
        } catch (java.net.URISyntaxException e) {
            return java.util.Optional.of("地址格式错误 / malformed URI");
        }
    }
}
