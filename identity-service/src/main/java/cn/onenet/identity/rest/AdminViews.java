package cn.onenet.identity.rest;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import cn.onenet.identity.model.Account;
import cn.onenet.identity.model.AccountType;
import cn.onenet.identity.model.AdminChange;
import cn.onenet.identity.model.AuditEvent;
import cn.onenet.identity.model.Delegation;
import cn.onenet.identity.model.Department;
import cn.onenet.identity.model.LegalPersonRecord;
import cn.onenet.identity.model.OAuthClient;
import cn.onenet.identity.service.AuditWords;
import cn.onenet.identity.service.Contacts;
import cn.onenet.identity.service.TotpFactor;

/** API views of accounts, clients, delegations and audit events (never a password hash or secret hash). */
public final class AdminViews {

    private AdminViews() {
    }

    /** A citizen at L3, a department's staff member and an enterprise: the fields each kind of account carries. */
    static final String CITIZEN = """
            {"id": "5b1f0c8e-2a47-4d3b-9c61-7e8a4f2d9b13", "type": "natural_person", "username": "330106********001X",
             "displayName": "张三", "idNumberMasked": "330106********001X", "uscc": null, "departmentCode": null,
             "legalRepresentativeId": null, "roles": [], "level": 3, "levelMethod": "population-register",
             "levelVerifiedAt": "2026-03-02T09:15:00+08:00", "totp": false,
             "totpPending": {"pending": true, "expiresAt": "2026-03-02T10:30:31+08:00"}, "status": "ACTIVE",
             "lockedUntil": null, "version": 1, "phoneMasked": "138****0000", "emailMasked": "z***@example.cn",
             "englishName": null, "registryStatus": null}""";
    static final String STAFF = """
            {"id": "0d6e2f4a-8b3c-4e1d-a5f7-9c2b6e8d4a10", "type": "civil_servant", "username": "gat.operator",
             "displayName": "赵强（公安厅数据专员）", "idNumberMasked": null, "uscc": null,
             "departmentCode": "11330000002481020A", "legalRepresentativeId": null,
             "roles": ["catalog-editor", "operator"], "level": 3, "levelMethod": "employer", "levelVerifiedAt": null,
             "totp": true, "totpPending": {"pending": false, "expiresAt": null}, "status": "ACTIVE",
             "lockedUntil": null, "version": 2, "phoneMasked": "138****0001", "emailMasked": "z***@gat.zj.gov.cn",
             "englishName": null, "registryStatus": null}""";
    static final String ENTERPRISE = """
            {"id": "9a4c7e21-3f5b-4d8a-b6e0-2c1f8d7a5e39", "type": "legal_person", "username": "91330106MA2H00001E",
             "displayName": "杭州数智科技有限公司", "idNumberMasked": null, "uscc": "91330106MA2H00001E",
             "departmentCode": null, "legalRepresentativeId": "5b1f0c8e-2a47-4d3b-9c61-7e8a4f2d9b13", "roles": [],
             "level": 3, "levelMethod": "business-licence", "levelVerifiedAt": "2026-03-05T14:30:00+08:00",
             "totp": false, "totpPending": {"pending": false, "expiresAt": null}, "status": "ACTIVE",
             "lockedUntil": null, "version": 1, "phoneMasked": null, "emailMasked": "o***@shuzhi-tech.cn",
             "englishName": "Hangzhou Shuzhi Technology Co., Ltd.", "registryStatus": "REVOKED"}""";

    @Schema(name = "Account", examples = { CITIZEN, STAFF, ENTERPRISE })
    public record AccountView(UUID id, String type, String username, String displayName, String idNumberMasked,
            String uscc, String departmentCode, UUID legalRepresentativeId, Set<String> roles,
            @Schema(example = "3") int level, String levelMethod, OffsetDateTime levelVerifiedAt,
            @Schema(description = "a second factor is active: login asks for its codes") boolean totp,
            TotpPending totpPending, String status, OffsetDateTime lockedUntil, long version,
            @Schema(example = "138****0000", description = "the phone on file (recovery and notices go there), masked; "
                    + "null when none") String phoneMasked,
            @Schema(example = "z***@example.cn", description = "the e-mail address on file, masked; null when none")
            String emailMasked,
            @Schema(description = "an enterprise's name in English; null when none was given")
            String englishName,
            @Schema(description = "an enterprise's status in the legal-person reference (法人库): IN_BUSINESS (存续), "
                    + "REVOKED (吊销) or DEREGISTERED (注销); null when the reference has no row for its code or the "
                    + "account is no enterprise. A load turning it to 吊销 or 注销 does not disable the account: an "
                    + "administrator decides", enumeration = { "IN_BUSINESS", "REVOKED", "DEREGISTERED" })
            String registryStatus) {

        /** The account as the API shows it, with until when a new TOTP secret waits (never the secret itself). */
        public static AccountView of(Account a, TotpFactor totp) {
            Department d = a.departmentId == null ? null : Department.findById(a.departmentId);
            return new AccountView(a.id, a.type.claim(), a.type.name().equals("NATURAL_PERSON") ? mask(a.username)
                    : a.username, a.displayName, a.idNumber == null ? null : mask(a.idNumber), a.uscc,
                    d == null ? null : d.code, a.legalRepresentativeId, new TreeSet<>(a.roles), a.level, a.levelMethod,
                    a.levelVerifiedAt, a.totpSecret != null, TotpPending.of(totp.pendingExpiresAt(a)), a.status,
                    a.lockedUntil, a.version, Contacts.maskPhone(a.phone), Contacts.maskEmail(a.email),
                    a.englishName, registryStatus(a));
        }

        private static String registryStatus(Account a) {
            if (a.type != AccountType.LEGAL_PERSON || a.uscc == null) {
                return null;
            }
            LegalPersonRecord row = LegalPersonRecord.findById(a.uscc);
            return row == null ? null : row.status.name();
        }

        /** 330106********001X: enough to recognise, not enough to misuse. */
        static String mask(String id) {
            return id.length() == 18 ? id.substring(0, 6) + "********" + id.substring(14) : id;
        }
    }

    /**
     * A new TOTP secret (first factor or replacement) issued and waiting for the holder's confirmation: whether one
     * can still be confirmed, and until when. The secret itself is shown only when it is issued, never here.
     */
    @Schema(name = "TotpPending", description = "a new second-factor secret waiting for confirmation (POST "
            + "me/totp/confirm); never the secret itself")
    public record TotpPending(
            @Schema(description = "a secret issued by POST or PUT me/totp can still be confirmed") boolean pending,
            @Schema(example = "2026-03-02T10:30:31+08:00", description = "until when it can be confirmed; null when "
                    + "none is waiting or it has expired (then the holder starts again)") OffsetDateTime expiresAt) {

        static TotpPending of(Optional<OffsetDateTime> expiresAt) {
            return new TotpPending(expiresAt.isPresent(), expiresAt.orElse(null));
        }
    }

    /** A department system calling the suite's APIs with client credentials. */
    static final String SYSTEM_CLIENT = """
            {"clientId": "gat-population-system", "name": "浙江省公安厅人口信息系统", "authMethod": "client_secret_basic",
             "grantTypes": ["client_credentials"], "redirectUris": [], "postLogoutRedirectUris": [],
             "backchannelLogoutUri": null, "scopes": ["catalog", "exchange"],
             "audiences": ["onenet-catalog", "onenet-exchange"], "roles": ["system"],
             "departmentCode": "11330000002481020A", "firstParty": false, "jwks": null, "jwksUri": null,
             "signingAlg": "RS256", "minLevel": 1, "pkceRequired": true, "enabled": true, "version": 0}""";
    /** A department's web application signing citizens in with a signed assertion, disabled by an administrator. */
    static final String WEB_CLIENT = """
            {"clientId": "bdc-online-registration", "name": "浙江省不动产登记网上办事系统", "authMethod": "private_key_jwt",
             "grantTypes": ["authorization_code", "refresh_token"],
             "redirectUris": ["https://bdc.zj.gov.cn/oidc/callback"],
             "postLogoutRedirectUris": ["https://bdc.zj.gov.cn/"],
             "backchannelLogoutUri": "https://bdc.zj.gov.cn/oidc/backchannel-logout",
             "scopes": ["openid", "profile", "id_number", "offline_access"], "audiences": [], "roles": [],
             "departmentCode": "123300004701410402", "firstParty": false, "jwks": null,
             "jwksUri": "https://bdc.zj.gov.cn/.well-known/jwks.json", "signingAlg": "RS256", "minLevel": 3,
             "pkceRequired": true, "enabled": false, "version": 4}""";

    @Schema(name = "Client", example = SYSTEM_CLIENT)
    public record ClientView(@Schema(example = "gat-population-system") String clientId, String name,
            String authMethod, List<String> grantTypes, List<String> redirectUris,
            List<String> postLogoutRedirectUris, String backchannelLogoutUri, List<String> scopes,
            List<String> audiences, List<String> roles, String departmentCode, boolean firstParty, String jwks,
            String jwksUri, String signingAlg, int minLevel,
            @Schema(description = "authorization requests must carry a PKCE S256 challenge; false only for a "
                    + "confidential client an administrator exempted (conformance testing)") boolean pkceRequired,
            boolean enabled, long version) {

        public static ClientView of(OAuthClient c) {
            Department d = c.departmentId == null ? null : Department.findById(c.departmentId);
            return new ClientView(c.clientId, c.name, c.authMethod, OAuthClient.split(c.grantTypes),
                    OAuthClient.split(c.redirectUris), OAuthClient.split(c.postLogoutRedirectUris),
                    c.backchannelLogoutUri, OAuthClient.split(c.scopes), OAuthClient.split(c.audiences),
                    OAuthClient.split(c.roles), d == null ? null : d.code, c.firstParty, c.jwks, c.jwksUri,
                    c.signingAlg, c.minLevel, c.pkceRequired, c.enabled, c.version);
        }
    }

    @Schema(name = "ClientWithSecret", description = "The client_secret is shown only in this response.")
    public record ClientCreated(ClientView client,
            @Schema(example = "Hk3v9QeZr7LmT2pXc8WnY4bJd6FsA1uGq0oVi5KtRyE") String clientSecret) {
    }

    @Schema(name = "Delegation", example = """
            {"id": "3f2b8c1e-6d4a-4f7b-9a2e-5c8d1b0e7f43", "enterpriseUscc": "91330106MA2H00001E",
             "enterpriseName": "杭州数智科技有限公司", "agentId": "e7a1d9c3-5b2f-4a6e-8d0c-4f3b7a9e1c25",
             "agentName": "赵六", "agentIdNumberMasked": "330110********0052", "clientIds": ["gateway"],
             "validFrom": "2026-03-01T00:00:00+08:00", "validTo": "2027-02-28T23:59:59+08:00", "status": "ACTIVE",
             "acceptedAt": "2026-03-01T10:12:45+08:00", "revokedAt": null, "version": 1,
             "callerRole": "LEGAL_REPRESENTATIVE"}""")
    public record DelegationView(UUID id, String enterpriseUscc, String enterpriseName,
            @Schema(description = "the agent's account: only once they have accepted (to the agent, always)")
            UUID agentId,
            @Schema(description = "the agent's name: as the enterprise's side typed it until the agent accepted")
            String agentName,
            @Schema(description = "the agent's ID number as typed, masked") String agentIdNumberMasked,
            List<String> clientIds, OffsetDateTime validFrom, OffsetDateTime validTo, String status,
            OffsetDateTime acceptedAt, OffsetDateTime revokedAt, long version,
            @Schema(description = "the caller's side of it: AGENT (the person authorised), ENTERPRISE (the "
                    + "enterprise's own login), LEGAL_REPRESENTATIVE (the enterprise's legal representative, who may "
                    + "revoke it whoever created it), CREATOR (created it, but no longer represents the enterprise)",
                    enumeration = { "AGENT", "ENTERPRISE", "LEGAL_REPRESENTATIVE", "CREATOR" })
            String callerRole) {

        /**
         * The authorisation as the caller sees it ({@code callerIsAgent}: the caller is the agent, or the person a
         * pending invitation names). Until the agent accepted, the enterprise's side sees only what it typed.
         */
        public static DelegationView of(Delegation d, UUID callerId, boolean callerIsAgent) {
            Account enterprise = Account.findById(d.enterpriseId);
            String role = callerIsAgent ? "AGENT" : d.enterpriseId.equals(callerId) ? "ENTERPRISE"
                    : callerId.equals(enterprise.legalRepresentativeId) ? "LEGAL_REPRESENTATIVE" : "CREATOR";
            boolean accepted = d.agentId != null && d.acceptedAt != null;
            Account agent = accepted ? Account.findById(d.agentId) : null;
            return new DelegationView(d.id, enterprise.uscc, enterprise.displayName,
                    accepted || callerIsAgent ? d.agentId : null, agent != null ? agent.displayName : d.agentName,
                    d.agentIdMasked, OAuthClient.split(d.clientIds), d.validFrom, d.validTo, d.status.name(), d.acceptedAt,
                    d.revokedAt, d.version, role);
        }
    }

    @Schema(name = "AuditEvent")
    public record AuditView(@Schema(example = "18342") long id,
            @Schema(example = "2026-11-21T08:03:12.417+08:00") OffsetDateTime at,
            @Schema(example = "ACCOUNT_CREATED") String type, @Schema(example = "SUCCESS") String outcome,
            @Schema(description = "account id, login name or client id",
                    example = "5b1f0c8e-2a47-4d3b-9c61-7e8a4f2d9b13") String actor,
            @Schema(description = "the name of the account (a natural person's masked to the family name: 张*), client "
                    + "or department the actor names; 系统 for system, null when it names none known",
                    example = "陈明（大数据局管理员）") String actorName,
            @Schema(example = "0d6e2f4a-8b3c-4e1d-a5f7-9c2b6e8d4a10") String subject,
            @Schema(description = "the name of what the subject names, as actorName", example = "张*")
            String subjectName,
            @Schema(example = "gateway") String clientId, @Schema(example = "10.33.12.45") String ip,
            @Schema(description = "as recorded, for tools", example = "type=NATURAL_PERSON level=2") String detail,
            @Schema(description = "the detail in words (zh-CN): codes named, departments and accounts by name; text "
                    + "the words do not know kept as recorded; null without a detail",
                    example = "账户类型：自然人；实名等级 2（身份号码格式校验）") String summary,
            @Schema(description = "the detail's key=value pairs as fields (numbers as numbers, lists as arrays, codes "
                    + "as recorded; the rest of the text in note)", example = "{\"type\": \"NATURAL_PERSON\", "
                    + "\"level\": 2}") Map<String, Object> fields,
            @Schema(example = "c0a8012e-6f3d-4b7a-9e25-1d4f8b6a3c70") String requestId) {

        public static AuditView of(AuditWords.Described d) {
            AuditEvent e = d.event();
            return new AuditView(e.id, e.at, e.eventType, e.outcome, e.actor, d.actorName(), e.subject,
                    d.subjectName(), e.clientId, e.ip, e.detail, d.summary(), d.fields(), e.requestId);
        }
    }

    @Schema(name = "AdminChange", description = "a change of another administrator's account, the creation of an "
            + "account with the role admin, or the deactivation or reactivation of a department another administrator "
            + "works in, waiting for a second administrator (双人复核), or how it ended", example = """
            {"id": "3e9d2c71-5a4b-4f08-8c6e-1b7a9d2f4e60", "accountId": "0d6e2f4a-8b3c-4e1d-a5f7-9c2b6e8d4a10",
             "accountName": "孙丽（人社厅管理员）", "kind": "ROLES", "roles": ["admin", "head"], "level": null,
             "levelMethod": null, "phoneMasked": null, "emailMasked": null, "reason": null, "username": null,
             "departmentCode": null, "departmentName": null, "requestedBy": "5b1f0c8e-2a47-4d3b-9c61-7e8a4f2d9b13",
             "requestedByName": "陈明（大数据局管理员）", "requestedAt": "2026-03-02T09:15:00+08:00",
             "expiresAt": "2026-03-03T09:15:00+08:00", "status": "PENDING", "decidedBy": null, "decidedByName": null,
             "decidedAt": null, "version": 0}""")
    public record AdminChangeView(UUID id,
            @Schema(description = "the account; of a CREATE the account created, null until it is confirmed; null for "
                    + "a department's change") UUID accountId,
            @Schema(description = "its name; of a CREATE the name the account is to have") String accountName,
            @Schema(description = "ROLES (角色, granting admin too), LEVEL (实名等级), COUNTER_VERIFICATION (柜台核验), "
                    + "CREATE (新建管理员账户), DISABLE (停用), ENABLE (启用), TOTP_RESET (重置动态口令), "
                    + "DEPARTMENT_DEACTIVATE (撤销部门), DEPARTMENT_REACTIVATE (恢复部门)",
                    enumeration = { "ROLES", "LEVEL", "COUNTER_VERIFICATION", "CREATE", "DISABLE", "ENABLE",
                            "TOTP_RESET", "DEPARTMENT_DEACTIVATE", "DEPARTMENT_REACTIVATE" }) String kind,
            @Schema(description = "ROLES, CREATE: the roles the account would have") List<String> roles,
            @Schema(description = "LEVEL: the real-name level, verified when asked for") Integer level,
            String levelMethod,
            @Schema(description = "COUNTER_VERIFICATION, CREATE: the contacts given, masked; not kept once decided")
            String phoneMasked, String emailMasked,
            @Schema(description = "COUNTER_VERIFICATION, DEPARTMENT_DEACTIVATE, DEPARTMENT_REACTIVATE: the reason "
                    + "given") String reason,
            @Schema(description = "CREATE: the login name of the account to be created") String username,
            @Schema(description = "CREATE: its department; DEPARTMENT_DEACTIVATE, DEPARTMENT_REACTIVATE: the "
                    + "department (统一社会信用代码)") String departmentCode,
            @Schema(description = "the department's name, when departmentCode names one") String departmentName,
            UUID requestedBy, String requestedByName, OffsetDateTime requestedAt,
            @Schema(description = "confirmed after this it is not: it expires") OffsetDateTime expiresAt,
            @Schema(description = "as it stands now: PENDING (待复核), APPLIED (已生效), REJECTED (驳回或撤回), "
                    + "EXPIRED (已过期)", enumeration = { "PENDING", "APPLIED", "REJECTED", "EXPIRED" }) String status,
            UUID decidedBy, String decidedByName, OffsetDateTime decidedAt, long version) {

        public static AdminChangeView of(AdminChange c) {
            String accountName = c.accountId != null ? name(c.accountId) : c.displayName;
            return new AdminChangeView(c.id, c.accountId, accountName, c.kind.name(),
                    c.roles == null ? null : OAuthClient.split(c.roles), c.level, c.levelMethod,
                    Contacts.maskPhone(c.phone), Contacts.maskEmail(c.email), c.reason, c.username, c.departmentCode,
                    departmentName(c.departmentCode), c.requestedBy, name(c.requestedBy), c.requestedAt, c.expiresAt, c.effectiveStatus().name(),
                    c.decidedBy, name(c.decidedBy), c.decidedAt, c.version);
        }

        private static String departmentName(String code) {
            Department d = code == null ? null : Department.<Department>find("code", code).firstResult();
            return d == null ? null : d.name;
        }

        private static String name(UUID accountId) {
            Account a = accountId == null ? null : Account.findById(accountId);
            return a == null ? null : a.displayName;
        }
    }
}
