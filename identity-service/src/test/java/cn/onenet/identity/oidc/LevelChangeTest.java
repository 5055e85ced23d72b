package cn.onenet.identity.oidc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;

import cn.onenet.identity.model.Account;
import cn.onenet.identity.model.AccountType;
import cn.onenet.identity.service.AccountService;
import cn.onenet.testsupport.PostgresTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** A real-name level lowered after the sign-in caps what the session's codes and the grant's refreshes carry. */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class LevelChangeTest {

    @Inject
    AccountService accounts;

    @Inject
    TestClients clients;

    @BeforeEach
    void clients() {
        clients.ensure(null);
    }

    @Test
    void aLoweredLevelShowsAtTheNextCodeAndRefreshAndStepUpIsRefused() throws Exception {
        String base = "33010619920101" + String.format("%03d", System.nanoTime() % 1000);
        String id = base + SessionAndLogoutTest.checkDigit(base);
        Account existing = Account.byUsername(id);
        UUID accountId = existing != null ? existing.id : accounts.create(new AccountService.NewAccount(
                AccountType.NATURAL_PERSON, null, "降级测试", id, null, null, null, null, OidcFlow.PASSWORD, null, null),
                "test").id;
        setLevel(accountId, 3);
        OidcFlow flow = new OidcFlow("test-web", TestClients.SECRET);
        OIDCTokenResponse tokens = flow.tokens(id, "openid profile");
        assertEquals("urn:onenet:loa:3", acr(tokens.getOIDCTokens().getAccessToken().getValue()));

        // the register check is withdrawn: the level goes down to 2
        setLevel(accountId, 2);
        TokenResponse refreshed = OidcFlow.send(new TokenRequest(OidcFlow.endpoint("token"), flow.auth(),
                new RefreshTokenGrant(tokens.getOIDCTokens().getRefreshToken())));
        assertTrue(refreshed.indicatesSuccess(), () -> refreshed.toErrorResponse().getErrorObject().toString());
        OIDCTokenResponse after = (OIDCTokenResponse) refreshed.toSuccessResponse();
        assertEquals("urn:onenet:loa:2", acr(after.getOIDCTokens().getAccessToken().getValue()));
        assertEquals("urn:onenet:loa:2", acr(after.getOIDCTokens().getIDTokenString()));
        // a new code in the same SSO session (no login page): level 2 too
        OIDCTokenResponse again = (OIDCTokenResponse) flow.exchange(flow.code(id, "openid")).toSuccessResponse();
        assertEquals("urn:onenet:loa:2", acr(again.getOIDCTokens().getIDTokenString()));
        // asking for level 3 is no longer answered from the session: the account cannot reach it
        java.util.Map<String, String> params = flow.params("openid");
        params.put("acr_values", "urn:onenet:loa:3");
        AuthorizationResponse denied = OidcFlow.redirect(flow.authorize(params));
        assertEquals("access_denied", denied.toErrorResponse().getErrorObject().getCode());
    }

    private static void setLevel(UUID accountId, int level) {
        QuarkusTransaction.requiringNew().run(() -> Account.<Account>findById(accountId).level = level);
    }

    private static String acr(String jwt) throws java.text.ParseException {
        return SignedJWT.parse(jwt).getJWTClaimsSet().getStringClaim("acr");
    }
}
