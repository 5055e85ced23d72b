package cn.onenet.identity.enterprises;

import static cn.onenet.identity.enterprises.Enterprises.ME;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;

import cn.onenet.identity.enterprises.Enterprises.Person;
import cn.onenet.identity.model.Account;
import cn.onenet.identity.model.AuditEvent;
import cn.onenet.identity.model.Delegation;
import cn.onenet.identity.model.DelegationStatus;
import cn.onenet.identity.model.OutboxMessage;
import cn.onenet.identity.model.TokenGrant;
import cn.onenet.identity.oidc.OidcFlow;
import cn.onenet.identity.oidc.TestClients;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * 法定代表人变更: when the representative the legal-person register names takes the enterprise over, every
 * delegation of the enterprise still in force or pending ends (china-rules §4.4) — the agents' tokens in its name
 * with them, audited, the agents and the former representative told; delegations of other enterprises stay, and a
 * load alone or a refused takeover ends nothing.
 */
@QuarkusTest
class TakeoverEndsDelegationsTest extends EnterpriseTestBase {

    private static final String DELEGATIONS = "/api/identity/v1/delegations";
    private static final String ENDED = "已因法定代表人变更而终止";
    private static final String ENDED_EN = "was ended by the change of legal representative";

    @Test
    void aTakeoverEndsTheEnterprisesDelegationsAndNothingElse() {
        Person former = Enterprises.person(accounts, "郑 前任", 3);
        Person successor = Enterprises.person(accounts, "冯 继任", 3);
        Person agent = Enterprises.person(accounts, "蒋 经办", 3);
        Person invitee = Enterprises.person(accounts, "韩 受邀", 3);
        Person stranger = Enterprises.person(accounts, "杨 无关", 3);
        String taken = Enterprises.uscc();
        String kept = Enterprises.uscc();
        String admin = Enterprises.admin();
        Enterprises.load(admin, List.of(Enterprises.row(taken, "杭州易主科技有限公司", former.idNumber(), "存续"),
                Enterprises.row(kept, "杭州留任科技有限公司", former.idNumber(), "存续"))).then().statusCode(200);
        String formerToken = former.token();
        // a first registration ends nothing; the listing carries no count
        Enterprises.register(formerToken, taken, "杭州易主科技有限公司").then().statusCode(201)
                .body("delegationsEnded", equalTo(0));
        Enterprises.register(formerToken, kept, "杭州留任科技有限公司").then().statusCode(201)
                .body("delegationsEnded", equalTo(0));
        given().auth().oauth2(formerToken).get(ME).then().statusCode(200).body("[0]", not(hasKey("delegationsEnded")));
        UUID enterprise = idOf(taken);
        UUID other = idOf(kept);

        // the former representative authorises the agent for both enterprises, and invites someone for one
        UUID active = accepted(formerToken, taken, agent);
        UUID pending = invite(formerToken, taken, invitee);
        UUID elsewhere = accepted(formerToken, kept, agent);
        Signed inTaken = signIn(agent, taken);
        Signed inKept = signIn(agent, kept);

        // the register names someone else: recorded, but a load alone ends nothing
        Enterprises.load(admin, List.of(Enterprises.row(taken, "杭州易主科技有限公司", successor.idNumber(), "存续")))
                .then().statusCode(200).body("representativeChanges", equalTo(List.of(taken)));
        // nor does a takeover refused: someone the register does not name, now the former one too (403), and the
        // person it names with another name (400)
        Enterprises.register(stranger.token(), taken, "杭州易主科技有限公司").then().statusCode(403);
        Enterprises.register(formerToken, taken, "杭州易主科技有限公司").then().statusCode(403);
        Enterprises.register(successor.token(), taken, "杭州别名科技有限公司").then().statusCode(400)
                .body("field", equalTo("name"));
        assertEquals(DelegationStatus.ACTIVE, status(active));
        assertEquals(DelegationStatus.PENDING, status(pending));
        assertTrue(told(agent.id(), ENDED).isEmpty());
        assertTrue(told(former.id(), ENDED).isEmpty());
        assertTrue(grants(agent, enterprise).stream().allMatch(g -> g.revokedAt == null));

        // the person the register names takes it over: the active delegation and the invitation end
        Enterprises.register(successor.token(), taken, "杭州易主科技有限公司").then().statusCode(200)
                .body("id", equalTo(enterprise.toString())).body("delegationsEnded", equalTo(2));
        assertEquals(DelegationStatus.REVOKED, status(active));
        assertEquals(DelegationStatus.REVOKED, status(pending));
        assertEquals(successor.id(), delegation(active).revokedBy);
        assertNotNull(delegation(pending).revokedAt);
        // another enterprise's delegation, created by the same former representative, stays
        assertEquals(DelegationStatus.ACTIVE, status(elsewhere));

        // the agent's tokens in the enterprise's name are revoked; those for the other enterprise still renew
        List<TokenGrant> ended = grants(agent, enterprise);
        assertEquals(1, ended.size());
        assertNotNull(ended.get(0).revokedAt);
        assertEquals("delegation_revoked", ended.get(0).revokeReason);
        TokenResponse refused = refresh(inTaken);
        assertEquals("invalid_grant", refused.indicatesSuccess() ? "tokens issued"
                : refused.toErrorResponse().getErrorObject().getCode());
        assertTrue(refresh(inKept).indicatesSuccess());
        assertTrue(grants(agent, other).stream().allMatch(g -> g.revokedAt == null));
        // and the agent cannot sign in for it any more (the login page again, with the reason), but can for the other
        OidcFlow flow = new OidcFlow("test-web", TestClients.SECRET);
        flow.authorize(flow.params("openid"));
        Response login = flow.submitLogin(agent.idNumber(), OidcFlow.PASSWORD, null, taken);
        assertEquals(200, login.statusCode());
        assertTrue(login.asString().contains("经办授权"), login.asString());
        signIn(agent, kept);

        // told through the outbox: the agent of the one accepted, the former representative of both; the person
        // invited (never bound) and the successor (no agent) by no such notice
        assertEquals(1, told(agent.id(), ENDED).size());
        assertTrue(told(agent.id(), ENDED).get(0).body.contains(ENDED_EN));
        assertTrue(told(agent.id(), ENDED).get(0).body.contains(taken));
        assertEquals(agent.phone(), told(agent.id(), ENDED).get(0).recipient);
        assertEquals(2, told(former.id(), ENDED).size());
        assertTrue(told(former.id(), ENDED).stream().allMatch(m -> m.body.contains(taken)));
        assertTrue(told(invitee.id(), ENDED).isEmpty());
        assertTrue(told(successor.id(), ENDED).isEmpty());
        // the former representative's notice of the takeover and the successor's say the delegations ended
        assertTrue(last(former.id(), "LEGAL_REPRESENTATIVE_CHANGED").body.contains("经办授权已因法定代表人变更全部终止"));
        assertTrue(last(successor.id(), "ENTERPRISE_REGISTERED").body.contains("经办授权已因法定代表人变更全部终止"));

        // audited: one row per delegation, by the successor, and the takeover with its count
        List<AuditEvent> revoked = QuarkusTransaction.requiringNew().call(() -> AuditEvent.<AuditEvent>list(
                "eventType = 'DELEGATION_REVOKED' and actor = ?1 order by id", successor.id().toString()));
        assertEquals(2, revoked.size());
        assertTrue(revoked.stream().allMatch(e -> e.detail.contains("change of legal representative")));
        // the accepted one names its agent; the invitation, bound to nobody, the enterprise
        assertEquals(Set.of(agent.id().toString(), enterprise.toString()), revoked.stream().map(e -> e.subject)
                .collect(Collectors.toSet()));
        assertTrue(revoked.stream().anyMatch(e -> e.detail.contains("delegation=" + active)
                && e.detail.contains("grants revoked=1")));
        assertTrue(revoked.stream().anyMatch(e -> e.detail.contains("delegation=" + pending)));
        assertEquals(1, QuarkusTransaction.requiringNew().call(() -> AuditEvent.count("eventType = "
                + "'LEGAL_REPRESENTATIVE_TAKEN_OVER' and subject = ?1 and detail like '%delegations ended=2'",
                enterprise.toString())));

        // the successor authorises anew; nothing is left to revoke
        given().auth().oauth2(successor.token()).post(DELEGATIONS + "/" + active + "/revoke").then().statusCode(409);
    }

    /** A takeover of an enterprise without delegations ends none and says so. */
    @Test
    void aTakeoverWithoutDelegationsEndsNone() {
        Person former = Enterprises.person(accounts, "曹 旧人", 3);
        Person successor = Enterprises.person(accounts, "许 新人", 3);
        String uscc = Enterprises.uscc();
        String admin = Enterprises.admin();
        Enterprises.load(admin, List.of(Enterprises.row(uscc, "杭州空授权有限公司", former.idNumber(), "存续")));
        Enterprises.register(former.token(), uscc, "杭州空授权有限公司").then().statusCode(201);
        // a declined and a revoked delegation are no longer in force: nothing to end, nobody told again
        UUID declined = invite(former.token(), uscc, successor);
        given().auth().oauth2(successor.token()).post(DELEGATIONS + "/" + declined + "/decline").then()
                .statusCode(200);
        Enterprises.load(admin, List.of(Enterprises.row(uscc, "杭州空授权有限公司", successor.idNumber(), "存续")));
        Enterprises.register(successor.token(), uscc, "杭州空授权有限公司").then().statusCode(200)
                .body("delegationsEnded", equalTo(0));
        assertEquals(DelegationStatus.DECLINED, status(declined));
        assertTrue(told(former.id(), ENDED).isEmpty());
    }

    /** An agent signed in for an enterprise, and the flow (client) that holds its tokens. */
    private record Signed(OidcFlow flow, OIDCTokenResponse tokens) {
    }

    private static Signed signIn(Person agent, String uscc) {
        OidcFlow flow = new OidcFlow("test-web", TestClients.SECRET);
        flow.authorize(flow.params("openid profile"));
        AuthorizationResponse response = OidcFlow.redirect(flow.submitLogin(agent.idNumber(), OidcFlow.PASSWORD, null,
                uscc));
        return new Signed(flow, (OIDCTokenResponse) flow.exchange(response.toSuccessResponse().getAuthorizationCode())
                .toSuccessResponse());
    }

    private static TokenResponse refresh(Signed signed) {
        RefreshToken token = signed.tokens().getOIDCTokens().getRefreshToken();
        return OidcFlow.send(new TokenRequest(OidcFlow.endpoint("token"), signed.flow().auth(),
                new RefreshTokenGrant(token)));
    }

    /** The agent's grants in the enterprise's name. */
    private static List<TokenGrant> grants(Person agent, UUID enterprise) {
        return QuarkusTransaction.requiringNew().call(() -> TokenGrant.<TokenGrant>list("accountId = ?1 and "
                + "actingFor = ?2", agent.id(), enterprise));
    }

    private static UUID idOf(String uscc) {
        return QuarkusTransaction.requiringNew().call(() -> Account.<Account>find("uscc", uscc).firstResult().id);
    }

    private static UUID invite(String token, String uscc, Person agent) {
        String id = given().auth().oauth2(token).contentType("application/json").body(Map.of("enterpriseUscc", uscc,
                "agentIdNumber", agent.idNumber(), "agentName", agent.name(), "validTo",
                OffsetDateTime.now().plusDays(30).toString())).post(DELEGATIONS).then().statusCode(201).extract()
                .path("id");
        return UUID.fromString(id);
    }

    private static UUID accepted(String token, String uscc, Person agent) {
        UUID id = invite(token, uscc, agent);
        given().auth().oauth2(agent.token()).post(DELEGATIONS + "/" + id + "/accept").then().statusCode(200);
        return id;
    }

    private static Delegation delegation(UUID id) {
        return QuarkusTransaction.requiringNew().call(() -> Delegation.<Delegation>findById(id));
    }

    private static DelegationStatus status(UUID id) {
        return delegation(id).status;
    }

    /** DELEGATION_CHANGED notices to the account whose text contains {@code text}. */
    private static List<OutboxMessage> told(UUID account, String text) {
        return QuarkusTransaction.requiringNew().call(() -> Enterprises.told(account, "DELEGATION_CHANGED")).stream()
                .filter(m -> m.body.contains(text)).toList();
    }

    private static OutboxMessage last(UUID account, String kind) {
        List<OutboxMessage> all = QuarkusTransaction.requiringNew().call(() -> Enterprises.told(account, kind));
        return all.get(all.size() - 1);
    }
}
