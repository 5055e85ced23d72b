package cn.onenet.identity.oidc;

import static io.restassured.RestAssured.given;

import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;

import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.token.RefreshToken;

import cn.onenet.common.identifiers.CreditCode;
import cn.onenet.common.identifiers.ResidentIdNumber;
import cn.onenet.identity.model.Account;
import cn.onenet.identity.model.AccountType;
import cn.onenet.identity.model.Delegation;
import cn.onenet.identity.service.AccountService;
import io.quarkus.narayana.jta.QuarkusTransaction;

/** Enterprises with an agent (经办人) who accepted their authorisation, and the agent's sign-ins for them. */
final class Agents {

    private Agents() {
    }

    record Enterprise(String id, String uscc, String agent, String delegation) {
    }

    /** A new enterprise and a new person who accepted its authorisation (every service, 30 days). */
    static Enterprise enterpriseWithAgent(AccountService accounts) {
        long n = System.nanoTime();
        String first17 = "91330106MA3D" + String.format("%05d", n % 100_000);
        String uscc = first17 + CreditCode.checkCharacter(first17);
        String idFirst17 = "3301061994" + String.format("%02d%02d%03d", 1 + n % 12, 1 + n / 12 % 28, n / 336 % 1000);
        String agent = idFirst17 + ResidentIdNumber.checkCharacter(idFirst17);
        Account enterprise = QuarkusTransaction.requiringNew().call(() -> {
            accounts.create(new AccountService.NewAccount(AccountType.NATURAL_PERSON, null, "经办测试人", agent, null,
                    null, null, null, OidcFlow.PASSWORD, null, null), "test");
            return accounts.create(new AccountService.NewAccount(AccountType.LEGAL_PERSON, null, "停用测试有限公司",
                    null, uscc, null, null, null, OidcFlow.PASSWORD, null, null), "test");
        });
        // authority over delegations needs L3 on both sides
        QuarkusTransaction.requiringNew().run(() -> Account.update("level = 3 where username in (?1, ?2)", agent, uscc));
        String id = given().auth().oauth2(OidcFlow.accessToken("test-web", uscc)).contentType("application/json")
                .body(Map.of("agentIdNumber", agent, "agentName", "经办测试人", "validTo", OffsetDateTime.now().plusDays(30).toString()))
                .post("/api/identity/v1/delegations").then().statusCode(201).extract().path("id");
        given().auth().oauth2(OidcFlow.accessToken("test-web", agent))
                .post("/api/identity/v1/delegations/" + id + "/accept").then().statusCode(200);
        return new Enterprise(enterprise.id.toString(), uscc, agent, id);
    }

    /** Signs in at the login page in the flow's browser, for the enterprise {@code uscc} (null: one's own login). */
    static AuthorizationResponse signIn(OidcFlow flow, String username, String uscc) {
        flow.authorize(flow.params("openid"));
        return OidcFlow.redirect(flow.submitLogin(username, OidcFlow.PASSWORD, null, uscc));
    }

    /** What a {@code prompt=none} request in the flow's browser gets: {@code code}, or the error code. */
    static String silently(OidcFlow flow) {
        Map<String, String> params = flow.params("openid");
        params.put("prompt", "none");
        AuthorizationResponse answer = OidcFlow.redirect(flow.authorize(params));
        return answer.indicatesSuccess() ? "code" : answer.toErrorResponse().getErrorObject().getCode();
    }

    /** The enterprise's authorisations pass their validTo (as if time had passed): nobody revokes anything. */
    static void ranOut(Enterprise e) {
        QuarkusTransaction.requiringNew().run(() -> Delegation.update(
                "validFrom = ?1, validTo = ?2 where enterpriseId = ?3", OffsetDateTime.now().minusDays(2),
                OffsetDateTime.now().minusSeconds(1), UUID.fromString(e.id())));
    }

    /** The flow's client redeems the refresh token. */
    static TokenResponse refresh(OidcFlow flow, RefreshToken token) {
        return OidcFlow.send(new TokenRequest(OidcFlow.endpoint("token"), flow.auth(), new RefreshTokenGrant(token)));
    }
}
