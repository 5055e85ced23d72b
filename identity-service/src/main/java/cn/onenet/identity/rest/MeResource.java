package cn.onenet.identity.rest;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import cn.onenet.identity.model.Account;
import cn.onenet.identity.model.AccountClosure;
import cn.onenet.identity.model.AuditEvent;
import cn.onenet.identity.model.ContactChange;
import cn.onenet.identity.model.TokenGrant;
import cn.onenet.identity.rest.AdminViews.AccountView;
import cn.onenet.identity.rest.oidc.NimbusHttp;
import cn.onenet.identity.security.BearerTokenMechanism;
import cn.onenet.identity.service.AccountClosureService;
import cn.onenet.identity.service.AccountService;
import cn.onenet.identity.service.Acr;
import cn.onenet.identity.service.AuditService;
import cn.onenet.identity.service.ClientRegistry;
import cn.onenet.identity.service.ContactService;
import cn.onenet.identity.service.Contacts;
import cn.onenet.identity.service.DataExport;
import cn.onenet.identity.service.DataSharing;
import cn.onenet.identity.service.GrantStore;
import cn.onenet.identity.service.OwnLogin;
import cn.onenet.identity.service.PasswordChange;
import cn.onenet.identity.service.RegisteredClient;
import cn.onenet.identity.service.SelfService;
import cn.onenet.identity.service.Totp;
import cn.onenet.identity.service.TotpFactor;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerRequest;

/** The signed-in user's own account: profile, password, consents given to third-party clients, second factor. */
@Path("/api/identity/v1/me")
@Tag(name = "Accounts")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class MeResource {

    /** Whose name an authenticator app shows beside the codes. */
    static final String TOTP_ISSUER = "一网通办";
    private static final String SECRET_EXAMPLE = """
            {"secret": "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", "otpauthUri": "otpauth://totp/%E4%B8%80%E7%BD%91%E9%80%9A%E5%8A\
            %9E%3A330106********001X?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=%E4%B8%80%E7%BD%91%E9%80%9A%E5%8A%9E\
            &algorithm=SHA1&digits=6&period=30", "status": "PENDING", "expiresAt": "2026-03-02T10:30:31+08:00"}""";

    private static final String EXPIRED_EXAMPLE = """
            {"type": "urn:onenet:problem:validation", "title": "请求参数校验失败", "status": 400, "detail": "新密钥已过期，\
            请重新开始开通或更换 / the new secret has expired: start the enrolment again", "field": "code", "errors": \
            [{"field": "code", "message": "新密钥已过期，请重新开始开通或更换 / the new secret has expired: start the \
            enrolment again"}], "enrolment": "EXPIRED"}""";
    private static final String DISCARDED_EXAMPLE = """
            {"type": "urn:onenet:problem:validation", "title": "请求参数校验失败", "status": 400, "detail": "动态口令错误\
            次数过多，新密钥已作废，请重新开始开通或更换 / too many wrong codes: the new secret is discarded, start the \
            enrolment again", "field": "code", "errors": [{"field": "code", "message": "动态口令错误次数过多，新密钥已作废，\
            请重新开始开通或更换 / too many wrong codes: the new secret is discarded, start the enrolment again"}], \
            "enrolment": "DISCARDED"}""";
    private static final String CHANGE_EXAMPLE = """
            {"currentPassword": "Zj@2026onenet", "newPassword": "Xh#2026-qiantang"}""";
    private static final String WEAK_EXAMPLE = """
            {"type": "urn:onenet:problem:validation", "title": "请求参数校验失败", "status": 400, "detail": "密码须包含\
            大写字母、小写字母、数字、符号中的至少三类 / password must mix at least three of: upper case, lower case, \
            digits, symbols", "field": "newPassword", "errors": [{"field": "newPassword", "message": "密码须包含大写字母、\
            小写字母、数字、符号中的至少三类 / password must mix at least three of: upper case, lower case, digits, \
            symbols"}]}""";
    private static final String WRONG_PASSWORD_EXAMPLE = """
            {"type": "urn:onenet:problem:validation", "title": "请求参数校验失败", "status": 400, "detail": "当前密码错误 \
            / the current password is wrong", "field": "currentPassword", "errors": [{"field": "currentPassword", \
            "message": "当前密码错误 / the current password is wrong"}]}""";
    private static final String EXPORT_EXAMPLE = """
            {"exportedAt": "2026-03-02T10:20:31+08:00", "note": "本文件为统一身份认证所持有的您的个人信息副本…",
             "profile": {"id": "5b0f3c1e-2d4a-4f7b-9a2e-5c8d1b0e7f43", "accountType": "NATURAL_PERSON",
              "username": "33010619900101001X", "displayName": "张三", "idNumber": "33010619900101001X", "uscc": null,
              "englishName": null, "roles": [], "level": 3, "levelMethod": "population-register", "levelSource": "浙江省公安厅人口库",
              "levelVerifiedAt": "2026-01-05T09:00:00+08:00", "secondFactor": false, "status": "ACTIVE",
              "createdAt": "2026-01-05T08:58:12+08:00", "updatedAt": "2026-01-05T09:00:00+08:00"},
             "contacts": {"phone": "13812340000", "email": "zhangsan@example.cn", "pendingChange": null},
             "realNameLevelHistory": [{"at": "2026-01-05T09:00:00+08:00", "event": "LEVEL_CHANGED",
              "outcome": "SUCCESS", "detail": "level=3 method=population-register source=浙江省公安厅人口库",
              "summary": "实名等级 3（人口库或法人库比对）；核验方式：人口库比对；核验来源：浙江省公安厅人口库",
              "fields": {"level": 3, "method": "population-register", "source": "浙江省公安厅人口库"}}],
             "applications": [{"clientId": "gateway", "clientName": "一网通办门户与管理控制台", "departmentCode": null,
              "departmentName": null, "scope": "openid profile", "grantedAt": "2026-03-02T10:20:31+08:00",
              "firstParty": true, "lastReceivedAt": "2026-03-02T10:20:31+08:00", "signedIn": true,
              "label": "由政府部门应用获取 (无需同意)"}],
             "grants": [{"clientId": "gateway", "scope": "openid profile", "level": 3, "amr": "pwd",
              "actingForEnterprise": false, "issuedAt": "2026-03-02T10:20:31+08:00", "revokedAt": null,
              "revokeReason": null}],
             "delegations": [], "sessions": [{"sid": "hV2xk9Q3mT7pLr0wYc5bZg", "startedAt": "2026-03-02T10:20:31+08:00",
              "expiresAt": "2026-03-02T18:20:31+08:00", "endedAt": null, "level": 3, "amr": "pwd",
              "actingForEnterprise": false, "ip": "10.33.12.45", "userAgent": "Mozilla/5.0", "clients": ["gateway"]}],
             "securityEvents": [{"at": "2026-03-02T10:20:31+08:00", "type": "LOGIN", "outcome": "SUCCESS",
              "clientId": "gateway", "ipMasked": "10.33.12.0/24", "byHolder": true}], "pendingClosure": null}""";
    private static final String LOCKED_EXAMPLE = """
            {"type": "urn:onenet:problem:rate-limited", "title": "请求过于频繁", "status": 429, "detail": "请求过于频繁，\
            请稍后再试 / too many requests, try again later", "retryAfterSeconds": 30}""";

    private final SecurityIdentity caller;
    private final AccountService accounts;
    private final AuditService audit;
    private final TotpFactor totp;
    private final PasswordChange passwords;
    private final GrantStore grants;
    private final ContactService contacts;
    private final SelfService self;
    private final ClientRegistry clients;
    private final DataSharing sharing;
    private final DataExport exports;
    private final AccountClosureService closures;

    public MeResource(SecurityIdentity caller, AccountService accounts, AuditService audit, TotpFactor totp,
            PasswordChange passwords, GrantStore grants, ContactService contacts, SelfService self,
            ClientRegistry clients, DataSharing sharing, DataExport exports, AccountClosureService closures) {
        this.caller = caller;
        this.accounts = accounts;
        this.audit = audit;
        this.totp = totp;
        this.passwords = passwords;
        this.grants = grants;
        this.contacts = contacts;
        this.self = self;
        this.clients = clients;
        this.sharing = sharing;
        this.exports = exports;
        this.closures = closures;
    }

    @GET
    @Operation(summary = "The caller's account; totpPending says whether a new TOTP secret (POST or PUT totp) waits "
            + "for confirmation and until when, so it can be confirmed (POST totp/confirm) or started again after the "
            + "page that showed it is gone. The secret itself is never shown again. Any user token.")
    public AccountView me() {
        return AccountView.of(accounts.get(self()), totp);
    }

    @Schema(name = "Consent", description = "an application that received the caller's data: a third-party one the "
            + "caller consented to, or a first-party (government) one, which needs no consent", example = """
            {"clientId": "zjgjj-mobile", "clientName": "浙江省住房公积金移动服务", "departmentCode": "11330000002481060E",
             "departmentName": "浙江省住房和城乡建设厅", "scope": "openid id_number profile",
             "grantedAt": "2026-03-02T10:20:31+08:00", "firstParty": true, "label": "由政府部门应用获取 (无需同意)",
             "lastReceivedAt": "2026-03-05T09:12:04+08:00", "signedIn": true}""")
    public record ConsentView(@Schema(example = "zjgjj-mobile") String clientId,
            @Schema(example = "浙江省住房公积金移动服务", description = "the application's registered name") String clientName,
            @Schema(example = "11330000002481060E", description = "统一社会信用代码 of the application's department; "
                    + "null when the client has none") String departmentCode,
            @Schema(example = "浙江省住房和城乡建设厅", description = "the department's name; null when the client has none")
            String departmentName,
            @Schema(example = "openid profile id_number", description = "consented scopes; for a first-party "
                    + "application every scope it received") String scope,
            @Schema(example = "2026-03-02T10:20:31+08:00", description = "when consent was given, or when a "
                    + "first-party application first received the data") OffsetDateTime grantedAt,
            @Schema(description = "a first-party (government) application: it received the data without a consent "
                    + "page") boolean firstParty,
            @Schema(example = DataSharing.FIRST_PARTY_LABEL, enumeration = { DataSharing.FIRST_PARTY_LABEL,
                DataSharing.CONSENT_LABEL }) String label,
            @Schema(description = "first-party: when it last received the data (null for a consent)")
            OffsetDateTime lastReceivedAt,
            @Schema(description = "the caller has a grant of it still in force (DELETE ends it)") boolean signedIn) {

        static ConsentView of(DataSharing.Application a) {
            return new ConsentView(a.clientId(), a.clientName(), a.departmentCode(), a.departmentName(), a.scope(),
                    a.grantedAt(), a.firstParty(), a.label(), a.lastReceivedAt(), a.signedIn());
        }
    }

    @GET
    @Path("consents")
    @Operation(summary = "The applications that received the caller's data, most recent first: consents given to "
            + "third-party clients, and first-party (government) applications, which get the data without a consent "
            + "page, labelled 由政府部门应用获取 (无需同意) with every scope they received. Each names the application and "
            + "its department (if it has one). Not with an agent's token (act).")
    @APIResponse(responseCode = "200", description = "the applications")
    @APIResponse(responseCode = "403", description = "an agent's token (act), or not a user token")
    public List<ConsentView> consents() {
        return sharing.of(owner()).stream().map(ConsentView::of).toList();
    }

    @DELETE
    @Path("consents/{clientId}")
    @Operation(summary = "Withdraw a consent, or sign out of a first-party application: the client's grants for the "
            + "caller are revoked (its refresh tokens stop working). A withdrawn consent is asked for again next time; "
            + "a first-party application stays listed (it did receive the data). Audited as CONSENT_WITHDRAWN or "
            + "CONSENT_APPLICATION_SIGNED_OUT. Not with an agent's token (act).")
    @APIResponse(responseCode = "204", description = "withdrawn, or signed out")
    @APIResponse(responseCode = "403", description = "an agent's token (act), or not a user token")
    @APIResponse(responseCode = "404", description = "the application never received the caller's data")
    public Response withdraw(@PathParam("clientId") String clientId, @Context HttpServerRequest http) {
        sharing.end(owner(), clientId, NimbusHttp.ip(http));
        return Response.noContent().build();
    }

    @GET
    @Path("export")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "A copy of the caller's own data (个人信息副本, PIPL Art. 45): profile, contacts in full, "
            + "real-name level history, the applications that received the data and what each sign-in gave them, "
            + "delegations given and received, sessions (with the full address and browser), security events, and a "
            + "closure in progress. Never a password hash, second-factor secret or token. Only the holder's own "
            + "login: not with an agent's token (act), and there is no way to ask for anyone else's (administrators "
            + "get their own). Audited as DATA_EXPORTED.")
    @APIResponse(responseCode = "200", description = "the document, as a download (Content-Disposition)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = DataExport.Export.class), example = EXPORT_EXAMPLE))
    @APIResponse(responseCode = "403", description = "an agent's token (act), or not a user token")
    public Response export(@Context HttpServerRequest http) {
        UUID id = owner();
        DataExport.Export export = exports.of(id);
        audit.record("DATA_EXPORTED", true, id.toString(), id.toString(), null, NimbusHttp.ip(http),
                "applications=" + export.applications().size() + " sessions=" + export.sessions().size()
                        + " events=" + export.securityEvents().size());
        return Response.ok(export).header("Content-Disposition", "attachment; filename=\"onenet-identity-export.json\"")
                .header("Cache-Control", "no-store").build();
    }

    @Schema(name = "AccountClosureRequest")
    public record ClosureRequest(@Schema(description = "the password the caller signs in with now",
            example = "Zj@2026onenet") String password) {
    }

    @Schema(name = "AccountClosure", example = """
            {"requestedAt": "2026-03-02T10:20:31+08:00", "effectiveAt": "2026-03-17T10:20:31+08:00",
             "signedOut": true}""")
    public record ClosureView(OffsetDateTime requestedAt,
            @Schema(description = "the account is closed at (or soon after) this time unless cancelled before")
            OffsetDateTime effectiveAt,
            @Schema(description = "every sign-in of the account has ended, this one too") boolean signedOut) {
    }

    @DELETE
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Close the caller's own personal account (注销账户, PIPL Art. 47), proven with the current "
            + "password (wrong ones lock like failed logins: 429) from a sign-in at the account's real-name level, "
            + "up to L3 (else 403 naming requiredAcr: sign in again at that level). The request cools off "
            + "(identity.closure.cooling-off, 15 days by default): every sign-in of the account ends now; signing in "
            + "again before effectiveAt, or the cancel token sent to the contact on file (POST "
            + "account-closures/cancel), cancels it. Then the account is closed: sessions, refresh tokens, consents and "
            + "delegations end, personal data is deleted, and the login name and ID number are free to register "
            + "again; the audit trail is kept (README). The contact is told at the request and at closure. Only a "
            + "natural person's own login (not an agent's token, not an enterprise or staff account).")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ClosureRequest.class),
            examples = @ExampleObject(name = "close", value = "{\"password\": \"Zj@2026onenet\"}")))
    @APIResponse(responseCode = "202", description = "accepted: cooling off until effectiveAt; the caller is "
            + "signed out")
    @APIResponse(responseCode = "400", description = "password missing or wrong (field password)",
            content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "403", description = "an agent's token, not a personal account, or a sign-in below "
            + "the level needed (requiredAcr)", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "409", description = "closure already requested, or the caller is an enterprise's "
            + "legal representative", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "429", description = "too many wrong passwords: try again after Retry-After")
    public Response close(ClosureRequest body, @Context HttpServerRequest http) {
        UUID id = owner();
        AccountClosure closure = closures.request(id, body == null ? null : body.password(), level(),
                NimbusHttp.ip(http));
        return Response.status(202).entity(new ClosureView(closure.requestedAt, closure.effectiveAt, true)).build();
    }

    @Schema(name = "PasswordChange")
    public record NewPassword(@Schema(description = "the password the caller signs in with now",
            example = "Zj@2026onenet") String currentPassword,
            @Schema(description = "10-128 characters, at least three of upper case, lower case, digits and symbols, "
                    + "not containing the login name, not a common password, not the current one",
                    example = "Xh#2026-qiantang") String newPassword) {
    }

    @POST
    @Path("password")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Change the caller's own password (修改密码), proven with the current one. The new password "
            + "must meet the password policy (as at registration, recovery and account creation) and differ from the "
            + "current one. Wrong current passwords count towards the same lock as failed logins of the account's "
            + "login name: once locked, this and the login page answer 429 with Retry-After. On success every other "
            + "sign-in of the account ends — its other SSO sessions (with back-channel logout to their clients) and "
            + "every grant not issued in the caller's session, so refresh tokens held elsewhere stop working; the "
            + "caller's session and tokens stay. Registered contacts are notified; audited as PASSWORD_CHANGED. "
            + "Not with an agent's token (act): the agent changes their own password by signing in as themselves.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = NewPassword.class),
            examples = @ExampleObject(name = "change", value = CHANGE_EXAMPLE)))
    @APIResponse(responseCode = "204", description = "changed; the caller's other sign-ins are ended")
    @APIResponse(responseCode = "400", description = "currentPassword missing or wrong, or newPassword against the "
            + "policy or the same as the current one (field named)", content = @Content(
            mediaType = "application/problem+json", examples = {
                @ExampleObject(name = "weak", value = WEAK_EXAMPLE),
                @ExampleObject(name = "wrong current password", value = WRONG_PASSWORD_EXAMPLE) }))
    @APIResponse(responseCode = "403", description = "an agent's token (act)")
    @APIResponse(responseCode = "429", description = "too many wrong passwords (here or at the login page): try "
            + "again after Retry-After", content = @Content(mediaType = "application/problem+json",
            examples = @ExampleObject(name = "locked", value = LOCKED_EXAMPLE)))
    public Response changePassword(NewPassword body, @Context HttpServerRequest http) {
        UUID id = owner();
        passwords.change(id, body == null ? null : body.currentPassword(), body == null ? null : body.newPassword(),
                callerGrant(), NimbusHttp.ip(http));
        return Response.noContent().build();
    }

    @Schema(name = "ContactChangeRequest", description = "one new contact per request: phone or email")
    public record NewContact(@Schema(description = "the password the caller signs in with now",
            example = "Zj@2026onenet") String currentPassword,
            @Schema(description = "the new mobile number", example = "13900001111") String phone,
            @Schema(description = "the new e-mail address", example = "zhangsan@example.cn") String email) {
    }

    @Schema(name = "ContactChangeConfirmation")
    public record ContactCode(@Schema(description = "the 6-digit code sent to the new contact", example = "482913")
            String code) {
    }

    @Schema(name = "PendingContactChange", description = "a change of phone or e-mail in progress")
    public record PendingContact(@Schema(enumeration = { "PHONE", "EMAIL" }) String channel,
            @Schema(example = "139****1111") String newValueMasked,
            @Schema(enumeration = { "AWAITING_CODE", "COOLING_OFF" }, description = "AWAITING_CODE: enter the code "
                    + "sent to the new contact before codeExpiresAt; COOLING_OFF: the new contact takes effect at "
                    + "effectiveAt, recovery goes to the old one until then") String status,
            OffsetDateTime codeExpiresAt, OffsetDateTime effectiveAt) {

        static PendingContact of(ContactChange c) {
            if (c == null) {
                return null;
            }
            boolean phone = ContactChange.PHONE.equals(c.channel);
            return new PendingContact(c.channel, phone ? Contacts.maskPhone(c.newValue) : Contacts.maskEmail(c.newValue),
                    c.confirmedAt == null ? "AWAITING_CODE" : "COOLING_OFF",
                    c.confirmedAt == null ? c.codeExpiresAt : null, c.effectiveAt);
        }
    }

    @Schema(name = "Contacts", example = """
            {"phoneMasked": "138****0000", "emailMasked": "z***@example.cn", "pending": {"channel": "PHONE",
             "newValueMasked": "139****1111", "status": "COOLING_OFF", "codeExpiresAt": null,
             "effectiveAt": "2026-03-05T10:20:31+08:00"}}""")
    public record ContactsView(String phoneMasked, String emailMasked, PendingContact pending) {
    }

    @GET
    @Path("contact")
    @Operation(summary = "The caller's contacts on file (masked: recovery and notices go there) and a change in "
            + "progress, if any. Not with an agent's token (act).")
    @APIResponse(responseCode = "200", description = "the contacts")
    @APIResponse(responseCode = "403", description = "an agent's token (act), or not a user token")
    public ContactsView contact() {
        return contactsOf(owner());
    }

    @PUT
    @Path("contact")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Start changing the phone or the e-mail address (更换手机或邮箱), proven with the current "
            + "password (wrong ones lock like failed logins: 429): a 6-digit code goes to the NEW contact "
            + "(identity.contact.code-lifetime, 15 minutes by default); confirm it with POST me/contact/confirm. A "
            + "change already in progress is replaced. Not with an agent's token (act).")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = NewContact.class), examples = @ExampleObject(name = "new phone",
                    value = "{\"currentPassword\": \"Zj@2026onenet\", \"phone\": \"13900001111\"}")))
    @APIResponse(responseCode = "202", description = "the code is sent; pending.status AWAITING_CODE")
    @APIResponse(responseCode = "400", description = "currentPassword missing or wrong, neither or both of phone "
            + "and email, a malformed one, or the contact on file already (field named)",
            content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "403", description = "an agent's token (act), or not a user token")
    @APIResponse(responseCode = "429", description = "too many wrong passwords or codes: try again after Retry-After")
    public Response changeContact(NewContact body, @Context HttpServerRequest http) {
        UUID id = owner();
        contacts.start(id, body == null ? null : body.currentPassword(), body == null ? null : body.phone(),
                body == null ? null : body.email(), NimbusHttp.ip(http));
        return Response.status(202).entity(contactsOf(id)).build();
    }

    @POST
    @Path("contact/confirm")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Confirm a contact change with the code sent to the new contact. The change then cools off "
            + "(identity.contact.cooling-off, 72 hours by default): the contacts on file are told, with a token to "
            + "cancel it, and recovery keeps going to them until effectiveAt, when the account takes the new contact. "
            + "Wrong codes count like failed logins; after identity.contact.code-max-failures (5) the change is "
            + "given up. Not with an agent's token (act).")
    @RequestBody(required = true)
    @APIResponse(responseCode = "200", description = "cooling off; pending.status COOLING_OFF")
    @APIResponse(responseCode = "400", description = "code missing, wrong or expired (field code)",
            content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "403", description = "an agent's token (act), or not a user token")
    @APIResponse(responseCode = "409", description = "no change is waiting for a code")
    @APIResponse(responseCode = "429", description = "too many wrong passwords or codes: try again after Retry-After")
    public ContactsView confirmContact(ContactCode body, @Context HttpServerRequest http) {
        UUID id = owner();
        contacts.confirm(id, body == null ? null : body.code(), NimbusHttp.ip(http));
        return contactsOf(id);
    }

    @DELETE
    @Path("contact")
    @Operation(summary = "Cancel the caller's contact change in progress (waiting for its code or cooling off); the "
            + "contacts on file stay. Not with an agent's token (act).")
    @APIResponse(responseCode = "204", description = "cancelled")
    @APIResponse(responseCode = "403", description = "an agent's token (act), or not a user token")
    @APIResponse(responseCode = "404", description = "no change in progress")
    public Response cancelContact(@Context HttpServerRequest http) {
        contacts.cancel(owner(), NimbusHttp.ip(http));
        return Response.noContent().build();
    }

    private ContactsView contactsOf(UUID id) {
        Account account = accounts.get(id);
        return new ContactsView(Contacts.maskPhone(account.phone), Contacts.maskEmail(account.email),
                PendingContact.of(ContactChange.open(id)));
    }

    @Schema(name = "SessionClient")
    public record SessionClient(@Schema(example = "gateway") String clientId,
            @Schema(example = "一网通办控制台") String name) {
    }

    @Schema(name = "Session", example = """
            {"sid": "hV2xk9Q3mT7pLr0wYc5bZg", "startedAt": "2026-03-02T10:20:31+08:00",
             "expiresAt": "2026-03-02T18:20:31+08:00", "level": 3, "amr": "pwd",
             "clients": [{"clientId": "gateway", "name": "一网通办控制台"}], "ipMasked": "10.33.12.0/24",
             "userAgent": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/124.0", "actingForEnterprise": false,
             "current": true}""")
    public record SessionView(@Schema(description = "the session's id as relying parties know it; DELETE "
            + "me/sessions/{sid} ends it") String sid, OffsetDateTime startedAt, OffsetDateTime expiresAt,
            @Schema(description = "the real-name level the sign-in reached (acr)") int level, String amr,
            @Schema(description = "the applications that received tokens in it") List<SessionClient> clients,
            @Schema(description = "the network it was signed in from (IPv4 /24, IPv6 /48); null when not known")
            String ipMasked, String userAgent,
            @Schema(description = "signed in as an agent acting for an enterprise") boolean actingForEnterprise,
            @Schema(description = "the session of the token making this call") boolean current) {
    }

    @GET
    @Path("sessions")
    @Operation(summary = "The caller's live sign-ins (SSO sessions), newest first: when, at which level, in which "
            + "applications, from which network (/24) and browser; current marks the caller's own. "
            + "Not with an agent's token (act).")
    @APIResponse(responseCode = "200", description = "the sessions")
    @APIResponse(responseCode = "403", description = "an agent's token (act), or not a user token")
    public List<SessionView> sessions() {
        UUID id = owner();
        TokenGrant grant = callerGrant();
        String current = grant == null ? null : grant.sessionId;
        return self.sessions(id).stream().map(s -> new SessionView(s.sid, s.authTime, s.expiresAt, s.acrLevel, s.amr,
                self.clients(s).stream().sorted().map(c -> new SessionClient(c,
                        clients.find(c).map(RegisteredClient::name).orElse(c))).toList(),
                SelfService.maskIp(s.ip), s.userAgent, s.actingFor != null, s.id.equals(current))).toList();
    }

    @DELETE
    @Path("sessions/{sid}")
    @Operation(summary = "End one of the caller's sessions (this one too): its grants are revoked and its "
            + "applications get a back-channel logout token. Not with an agent's token (act).")
    @APIResponse(responseCode = "204", description = "ended")
    @APIResponse(responseCode = "403", description = "an agent's token (act), or not a user token")
    @APIResponse(responseCode = "404", description = "no live session of the caller with this sid")
    public Response endSession(@PathParam("sid") String sid, @Context HttpServerRequest http) {
        self.end(owner(), sid, NimbusHttp.ip(http));
        return Response.noContent().build();
    }

    @Schema(name = "SignedOutElsewhere")
    public record SignedOut(@Schema(example = "2") int sessionsEnded,
            @Schema(example = "1", description = "grants outside any session (e.g. of a device flow) revoked besides")
            int grantsRevoked) {
    }

    @DELETE
    @Path("sessions")
    @Operation(summary = "Sign out everywhere else (退出其他登录): every other session of the caller ends (back-channel "
            + "logout) and every grant not issued in the caller's session is revoked, as a password change does; "
            + "the caller's session and tokens stay. Audited as SIGNED_OUT_ELSEWHERE. Not with an agent's token (act).")
    @APIResponse(responseCode = "200", description = "what was ended", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, example = "{\"sessionsEnded\": 2, \"grantsRevoked\": 0}"))
    @APIResponse(responseCode = "403", description = "an agent's token (act), or not a user token")
    public SignedOut endOtherSessions(@Context HttpServerRequest http) {
        UUID id = owner();
        int[] ended = self.endOthers(id, callerGrant(),
                NimbusHttp.ip(http));
        return new SignedOut(ended[0], ended[1]);
    }

    @Schema(name = "SecurityEvent", example = """
            {"at": "2026-03-02T10:20:31.417+08:00", "type": "LOGIN", "outcome": "SUCCESS", "clientId": "gateway",
             "clientName": "一网通办门户与管理控制台", "ipMasked": "10.33.12.0/24", "byHolder": true}""")
    public record SecurityEvent(OffsetDateTime at,
            @Schema(description = "LOGIN, LOGIN_LOCKOUT, LOGOUT, PASSWORD_*, TOTP_*, DELEGATION_*, CONSENT_*, "
                    + "CONTACT_*, COUNTER_VERIFICATION, …") String type,
            @Schema(enumeration = { "SUCCESS", "FAILURE" }) String outcome, String clientId,
            @Schema(description = "the application's display name; null without a client or when it is no longer "
                    + "registered") String clientName,
            @Schema(description = "the network it came from (IPv4 /24, IPv6 /48)") String ipMasked,
            @Schema(description = "done with the account's own login (false: by someone else, e.g. a failed login "
                    + "with its name or an administrator)") boolean byHolder) {
    }

    @GET
    @Path("security-events")
    @Operation(summary = "Security events about the caller's account of the last 90 days, newest first (at most "
            + "200): sign-ins and failed ones, lock-outs, sign-outs, password, second factor, delegation, consent "
            + "and contact changes. Not with an agent's token (act).")
    @APIResponse(responseCode = "200", description = "the events")
    @APIResponse(responseCode = "403", description = "an agent's token (act), or not a user token")
    public List<SecurityEvent> securityEvents() {
        UUID id = owner();
        List<AuditEvent> events = self.events(id);
        Map<String, String> names = self.clientNames(events.stream().map(e -> e.clientId).toList());
        return events.stream().map(e -> new SecurityEvent(e.at, e.eventType, e.outcome, e.clientId,
                e.clientId == null ? null : names.get(e.clientId), SelfService.maskIp(e.ip),
                id.toString().equals(e.actor))).toList();
    }

    @Schema(name = "TotpReplacement")
    public record TotpReplacement(@Schema(description = "a current code of the active second factor",
            example = "492039") String code) {
    }

    @Schema(name = "TotpRemoval")
    public record TotpRemoval(@Schema(description = "a current code of the active second factor",
            example = "492039") String code) {
    }

    @Schema(name = "TotpSecret", description = "a secret just issued, shown once; PENDING until confirmed")
    public record TotpSecret(@Schema(example = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", description = "base32") String secret,
            @Schema(description = "the secret as authenticator apps take it (link or QR code)") String otpauthUri,
            @Schema(example = "PENDING") String status,
            @Schema(example = "2026-03-02T10:30:31+08:00", description = "confirm it (POST totp/confirm) before "
                    + "then, or start again") OffsetDateTime expiresAt) {
    }

    @Schema(name = "TotpConfirmation")
    public record TotpConfirmation(@Schema(description = "a current code of the new (pending) secret, as the "
            + "authenticator app shows it", example = "730114") String code) {
    }

    @POST
    @Path("totp")
    @Operation(summary = "Start enrolling a TOTP second factor when none is active: a new secret (base32, and as an "
            + "otpauth URI for authenticator apps) is shown once and stays PENDING — login does not ask for it — "
            + "until confirmed with a code from it (POST totp/confirm) before expiresAt (identity.totp."
            + "pending-lifetime, 10 minutes by default). Asking again replaces an unconfirmed secret. "
            + "With a factor active: 409 (replace it with PUT and a current code, or have an administrator reset "
            + "it). Not with an agent's token (act).")
    @APIResponse(responseCode = "200", description = "the new secret, pending", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, example = SECRET_EXAMPLE))
    @APIResponse(responseCode = "409", description = "a second factor is already active")
    public TotpSecret enrolTotp() {
        return issued(totp.enrol(owner(), caller.getPrincipal().getName()));
    }

    @PUT
    @Path("totp")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Start replacing the active TOTP second factor, proven with a current code from it (a code is "
            + "accepted once): a new secret is shown once and stays PENDING until expiresAt; the active factor keeps "
            + "working until the new one is confirmed (POST totp/confirm). Wrong codes lock this like failed logins "
            + "(429). "
            + "Not with an agent's token (act).")
    @RequestBody(required = true)
    @APIResponse(responseCode = "200", description = "the new secret, pending", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, example = SECRET_EXAMPLE))
    @APIResponse(responseCode = "400", description = "code missing, wrong or already used (field code)")
    @APIResponse(responseCode = "409", description = "no second factor is active: enrol with POST")
    @APIResponse(responseCode = "429", description = "too many wrong codes")
    public TotpSecret replaceTotp(TotpReplacement body) {
        return issued(totp.replace(owner(), body == null ? null : body.code(), caller.getPrincipal().getName()));
    }

    @POST
    @Path("totp/confirm")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Confirm the pending secret (from POST or PUT totp) with a current code from it: it becomes "
            + "the second factor, replacing the active one if any, and the next login asks for its codes; the "
            + "account's other sign-ins end (back-channel logout, grants revoked), the caller's stays. A wrong "
            + "code changes nothing but counts: wrong codes lock this like failed logins (429), and after "
            + "identity.totp.pending-max-failures of them (5 by default) the new secret is discarded. A secret past "
            + "its expiresAt is discarded too. Either way the holder starts again (POST or PUT totp). "
            + "Not with an agent's token (act).")
    @RequestBody(required = true)
    @APIResponse(responseCode = "200", description = "the account, its second factor on")
    @APIResponse(responseCode = "400", description = "code missing or not a current code of the new secret "
            + "(field code); with enrolment EXPIRED or DISCARDED the new secret expired or took too many wrong "
            + "codes and is gone: start again", content = @Content(mediaType = "application/problem+json",
            examples = { @ExampleObject(name = "expired", value = EXPIRED_EXAMPLE),
                @ExampleObject(name = "discarded", value = DISCARDED_EXAMPLE) }))
    @APIResponse(responseCode = "409", description = "no secret is waiting for confirmation")
    @APIResponse(responseCode = "429", description = "too many wrong codes (confirming, replacing or removing): try "
            + "again after Retry-After", content = @Content(mediaType = "application/problem+json",
            examples = @ExampleObject(name = "locked", value = LOCKED_EXAMPLE)))
    public AccountView confirmTotp(TotpConfirmation body, @Context HttpServerRequest http) {
        UUID id = owner();
        totp.confirm(id, body == null ? null : body.code(), caller.getPrincipal().getName(), callerGrant(),
                NimbusHttp.ip(http));
        return AccountView.of(accounts.get(id), totp);
    }

    @DELETE
    @Path("totp")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Turn the TOTP second factor off (关闭两步验证), proven with a current code from it (a code is "
            + "accepted once): the active secret and any pending one are removed, and the next login asks for no "
            + "code (an L4 account signs in at L3 until it enrols again); the account's other sign-ins end, the "
            + "caller's stays. Wrong codes lock this like failed logins "
            + "(429). Not with an agent's token (act).")
    @RequestBody(required = true)
    @APIResponse(responseCode = "200", description = "the account, its second factor off")
    @APIResponse(responseCode = "400", description = "code missing, wrong or already used (field code)")
    @APIResponse(responseCode = "409", description = "no second factor is active")
    @APIResponse(responseCode = "429", description = "too many wrong codes (confirming, replacing or removing): try "
            + "again after Retry-After", content = @Content(mediaType = "application/problem+json",
            examples = @ExampleObject(name = "locked", value = LOCKED_EXAMPLE)))
    public AccountView removeTotp(TotpRemoval body, @Context HttpServerRequest http) {
        UUID id = owner();
        totp.remove(id, body == null ? null : body.code(), caller.getPrincipal().getName(), callerGrant(),
                NimbusHttp.ip(http));
        return AccountView.of(accounts.get(id), totp);
    }

    private TotpSecret issued(TotpFactor.Issued issued) {
        String label = AccountView.of(accounts.get(owner()), totp).username();
        return new TotpSecret(issued.secret(), Totp.uri(TOTP_ISSUER, label, issued.secret()), "PENDING",
                issued.expiresAt());
    }

    /** The grant of the caller's token: its sign-in is the one a change of credentials keeps. */
    private TokenGrant callerGrant() {
        return grants.grantOfAccessToken(BearerTokenMechanism.claims(caller).getJWTID());
    }

    private UUID self() {
        return OwnLogin.subject(BearerTokenMechanism.claims(caller));
    }

    /** The caller's account for changes to its factors and consents: its own login, not an agent acting for it. */
    private UUID owner() {
        return OwnLogin.managing(BearerTokenMechanism.claims(caller));
    }

    /** The real-name level of the caller's sign-in, from its {@code acr} (0 when it has none). */
    private int level() {
        Object acr = BearerTokenMechanism.claims(caller).getClaim("acr");
        return acr instanceof String value ? Acr.level(value).orElse(0) : 0;
    }
}
