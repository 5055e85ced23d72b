package cn.onenet.identity.rest;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import cn.onenet.identity.model.Account;
import cn.onenet.identity.model.AuditEvent;
import cn.onenet.identity.model.Delegation;
import cn.onenet.identity.model.Department;
import cn.onenet.identity.model.OAuthClient;

/** API views of accounts, clients, delegations and audit events (never a password hash or secret hash). */
public final class AdminViews {

    private AdminViews() {
    }

    @Schema(name = "Account")
    public record AccountView(UUID id, String type, String username, String displayName, String idNumberMasked,
            String uscc, String departmentCode, UUID legalRepresentativeId, Set<String> roles,
            @Schema(example = "3") int level, String levelMethod, OffsetDateTime levelVerifiedAt, boolean totp,
            String status, OffsetDateTime lockedUntil, long version) {

        public static AccountView of(Account a) {
            Department d = a.departmentId == null ? null : Department.findById(a.departmentId);
            return new AccountView(a.id, a.type.claim(), a.type.name().equals("NATURAL_PERSON") ? mask(a.username)
                    : a.username, a.displayName, a.idNumber == null ? null : mask(a.idNumber), a.uscc,
                    d == null ? null : d.code, a.legalRepresentativeId, new TreeSet<>(a.roles), a.level, a.levelMethod,
                    a.levelVerifiedAt, a.totpSecret != null, a.status, a.lockedUntil, a.version);
        }

        /** 330106********001X: enough to recognise, not enough to misuse. */
        static String mask(String id) {
            return id.length() == 18 ? id.substring(0, 6) + "********" + id.substring(14) : id;
        }
    }

    @Schema(name = "Client")
    public record ClientView(@Schema(example = "gat-population-system") String clientId, String name,
            String authMethod, List<String> grantTypes, List<String> redirectUris,
            List<String> postLogoutRedirectUris, String backchannelLogoutUri, List<String> scopes,
            List<String> audiences, List<String> roles, String departmentCode, boolean firstParty, String jwks,
            String jwksUri, String signingAlg, int minLevel, boolean enabled, long version) {

        public static ClientView of(OAuthClient c) {
            Department d = c.departmentId == null ? null : Department.findById(c.departmentId);
            return new ClientView(c.clientId, c.name, c.authMethod, OAuthClient.split(c.grantTypes),
                    OAuthClient.split(c.redirectUris), OAuthClient.split(c.postLogoutRedirectUris),
                    c.backchannelLogoutUri, OAuthClient.split(c.scopes), OAuthClient.split(c.audiences),
                    OAuthClient.split(c.roles), d == null ? null : d.code, c.firstParty, c.jwks, c.jwksUri,
                    c.signingAlg, c.minLevel, c.enabled, c.version);
        }
    }

    @Schema(name = "ClientWithSecret", description = "The client_secret is shown only in this response.")
    public record ClientCreated(ClientView client, String clientSecret) {
    }

    @Schema(name = "Delegation")
    public record DelegationView(UUID id, String enterpriseUscc, String enterpriseName, UUID agentId,
            String agentName, List<String> clientIds, OffsetDateTime validFrom, OffsetDateTime validTo, String status,
            OffsetDateTime acceptedAt, OffsetDateTime revokedAt, long version) {

        public static DelegationView of(Delegation d) {
            Account enterprise = Account.findById(d.enterpriseId);
            Account agent = Account.findById(d.agentId);
            return new DelegationView(d.id, enterprise.uscc, enterprise.displayName, d.agentId, agent.displayName,
                    OAuthClient.split(d.clientIds), d.validFrom, d.validTo, d.status.name(), d.acceptedAt,
                    d.revokedAt, d.version);
        }
    }

    @Schema(name = "AuditEvent")
    public record AuditView(long id, OffsetDateTime at, @Schema(example = "LOGIN") String type, String outcome,
            String actor, String subject, String clientId, String ip, String detail, String requestId) {

        public static AuditView of(AuditEvent e) {
            return new AuditView(e.id, e.at, e.eventType, e.outcome, e.actor, e.subject, e.clientId, e.ip, e.detail,
                    e.requestId);
        }
    }
}
