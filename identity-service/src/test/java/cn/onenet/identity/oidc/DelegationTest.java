package cn.onenet.identity.oidc;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static cn.onenet.identity.oidc.Agents.ranOut;
import static cn.onenet.identity.oidc.Agents.refresh;
import static cn.onenet.identity.oidc.Agents.signIn;
import static cn.onenet.identity.oidc.Agents.silently;

import java.time.OffsetDateTime;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;

import cn.onenet.common.identifiers.CreditCode;
import cn.onenet.common.identifiers.ResidentIdNumber;
import cn.onenet.identity.model.Account;
import cn.onenet.identity.model.AccountType;
import cn.onenet.identity.oidc.Agents.Enterprise;
import cn.onenet.identity.service.AccountService;
import io.quarkus.narayana.jta.QuarkusTransaction;
import cn.onenet.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** 经办人: an agent acting for an enterprise gets tokens that say who acts for whom. */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class DelegationTest {

    static final String USCC = "91330106MA2H00001E";
    static final String AGENT = "330110200102150052";
    static final String OTHER_AGENT = "330282196509230044";

    @Inject
    TestClients clients;

    @Inject
    AccountService accounts;

    @BeforeEach
    void clients() {
        clients.ensure(null);
    }

    @Test
    void agentTokensCarryActAndTheEnterpriseCode() throws Exception {
        OIDCTokenResponse tokens = agentTokens();
        JWTClaimsSet at = CodeFlowConformanceTest.resourceServer("onenet-exchange")
                .process(tokens.getOIDCTokens().getAccessToken().getValue(), null);
        Account enterprise = Account.find("uscc", USCC).firstResult();
        Account agent = Account.byUsername(AGENT);
        assertEquals(enterprise.id.toString(), at.getSubject());
        assertEquals(USCC, at.getStringClaim("uscc"));
        assertEquals("legal_person", at.getStringClaim("account_type"));
        assertEquals(agent.id.toString(), at.getJSONObjectClaim("act").get("sub"));
        assertEquals("赵六", at.getJSONObjectClaim("act").get("name"));
        assertEquals(java.util.List.of("enterprise"), at.getStringListClaim("roles"));
        JWTClaimsSet id = tokens.getOIDCTokens().getIDToken().getJWTClaimsSet();
        assertEquals(USCC, id.getStringClaim("uscc"));
        // introspecting the refresh token names whom its tokens name: the enterprise, the agent as actor
        given().auth().preemptive().basic("test-web", TestClients.SECRET)
                .formParam("token", tokens.getOIDCTokens().getRefreshToken().getValue()).post("/oidc/introspect")
                .then().statusCode(200).body("active", equalTo(true)).body("sub", equalTo(enterprise.id.toString()))
                .body("act.sub", equalTo(agent.id.toString()));
    }

    @Test
    void delegationLifecycle() {
        // the legal representative (张三) authorises 王秀英 (L4, signed in at L3) for the test client only
        String rep = OidcFlow.accessToken("test-web", CodeFlowConformanceTest.CITIZEN);
        String agentToken = OidcFlow.accessToken("test-web", OTHER_AGENT);
        Map<String, Object> body = Map.of("enterpriseUscc", USCC, "agentIdNumber", OTHER_AGENT,
                "agentName", "王秀英", "clientIds", java.util.List.of("test-web"), "validTo", OffsetDateTime.now().plusDays(30).toString());
        // someone who is not the legal representative may not
        given().auth().oauth2(agentToken).contentType("application/json").body(body).post("/api/identity/v1/delegations")
                .then().statusCode(403);
        given().contentType("application/json").body(body).post("/api/identity/v1/delegations").then().statusCode(401);
        given().auth().oauth2(rep).contentType("application/json")
                .body(Map.of("enterpriseUscc", USCC, "agentIdNumber", "330106198503120011", "agentName", "某人",
                        "validTo", OffsetDateTime.now().plusDays(30).toString()))
                .post("/api/identity/v1/delegations").then().statusCode(400).body("field", equalTo("agentIdNumber"));
        String id = given().auth().oauth2(rep).contentType("application/json").body(body)
                .post("/api/identity/v1/delegations").then().statusCode(201).body("status", equalTo("PENDING"))
                .extract().path("id");
        // not accepted yet: acting for the enterprise is refused
        assertTrue(loginFor(OTHER_AGENT).asString().contains("经办授权"));
        given().auth().oauth2(rep).post("/api/identity/v1/delegations/" + id + "/accept").then().statusCode(403);
        given().auth().oauth2(agentToken).post("/api/identity/v1/delegations/" + id + "/accept").then()
                .statusCode(200).body("status", equalTo("ACTIVE"));
        given().auth().oauth2(agentToken).post("/api/identity/v1/delegations/" + id + "/accept").then()
                .statusCode(409);
        assertEquals(303, loginFor(OTHER_AGENT).statusCode());
        // the agent signs in for the enterprise; its refresh token works while the authorisation is in force
        OidcFlow flow = new OidcFlow("test-web", TestClients.SECRET);
        flow.authorize(flow.params("openid"));
        AuthorizationResponse signedIn = OidcFlow.redirect(flow.submitLogin(OTHER_AGENT, OidcFlow.PASSWORD,
                null, USCC));
        OIDCTokenResponse agentTokens = (OIDCTokenResponse) flow.exchange(signedIn.toSuccessResponse()
                .getAuthorizationCode()).toSuccessResponse();
        com.nimbusds.oauth2.sdk.token.RefreshToken refresh = refresh(flow,
                agentTokens.getOIDCTokens().getRefreshToken()).toSuccessResponse().getTokens().getRefreshToken();
        // the enterprise side revokes; the agent can no longer act, nor renew the tokens it already has
        given().auth().oauth2(rep).post("/api/identity/v1/delegations/" + id + "/revoke").then().statusCode(200)
                .body("status", equalTo("REVOKED"));
        assertEquals(200, loginFor(OTHER_AGENT).statusCode());
        com.nimbusds.oauth2.sdk.TokenResponse refused = refresh(flow, refresh);
        assertTrue(!refused.indicatesSuccess() && "invalid_grant".equals(refused.toErrorResponse().getErrorObject()
                .getCode()), String.valueOf(refused.indicatesSuccess()));
        given().auth().preemptive().basic("test-web", TestClients.SECRET).formParam("token",
                agentTokens.getOIDCTokens().getAccessToken().getValue()).post("/oidc/introspect").then()
                .statusCode(200).body("active", equalTo(false));
        given().auth().oauth2(agentToken).get("/api/identity/v1/delegations").then().statusCode(200)
                .body("find { it.id == '" + id + "' }.status", equalTo("REVOKED"));
    }

    /**
     * The invitation is no oracle: an ID number without an account, one whose name does not match and one that
     * matches are answered alike, showing only what was typed; only the person named (ID number and name) sees and
     * answers it, and only they are told it arrived. Their account and real name appear once they accepted.
     */
    @Test
    void anInvitationTellsNothingAboutThePersonNamedUntilTheyAccept() {
        String rep = OidcFlow.accessToken("test-web", CodeFlowConformanceTest.CITIZEN);
        String phone = "137" + String.format("%08d", java.util.concurrent.ThreadLocalRandom.current()
                .nextInt(100_000_000));
        long n = System.nanoTime();
        String first17 = "3301061993" + String.format("%02d%02d%03d", 1 + n % 12, 1 + n / 12 % 28, n / 336 % 1000);
        String registered = first17 + ResidentIdNumber.checkCharacter(first17);
        Account person = QuarkusTransaction.requiringNew().call(() -> accounts.create(new AccountService.NewAccount(
                AccountType.NATURAL_PERSON, null, "欧阳 秘密", registered, null, null, null, null, OidcFlow.PASSWORD,
                null, phone), "test"));
        QuarkusTransaction.requiringNew().run(() -> Account.update("level = 3 where id = ?1", person.id));
        String second17 = "3301061976" + String.format("%02d%02d%03d", 1 + n % 12, 1 + n / 12 % 28, n / 336 % 1000);
        String unregistered = second17 + ResidentIdNumber.checkCharacter(second17);
        String from = OffsetDateTime.now().withNano(0).toString();
        String to = OffsetDateTime.now().plusDays(30).withNano(0).toString();
        java.util.List<Map<String, Object>> answers = new java.util.ArrayList<>();
        java.util.List<String> ids = new java.util.ArrayList<>();
        for (String[] agent : new String[][] { { unregistered, "欧阳秘密" }, { registered, "猜错名" },
                { registered, "欧阳秘密" } }) {
            Response r = given().auth().oauth2(rep).contentType("application/json").body(Map.of("enterpriseUscc",
                    USCC, "agentIdNumber", agent[0], "agentName", agent[1], "validFrom", from, "validTo", to))
                    .post("/api/identity/v1/delegations");
            assertEquals(201, r.statusCode(), r.asString());
            Map<String, Object> body = new java.util.TreeMap<>(r.jsonPath().getMap(""));
            assertEquals(agent[1], body.get("agentName"));
            assertEquals(null, body.get("agentId"));
            assertEquals(agent[0].substring(0, 6) + "********" + agent[0].substring(14), body.get("agentIdNumberMasked"));
            assertTrue(!r.asString().contains(person.id.toString()) && !r.asString().contains("欧阳 秘密"));
            ids.add((String) body.remove("id"));
            body.remove("agentName");
            body.remove("agentIdNumberMasked");
            answers.add(body);
        }
        assertEquals(answers.get(0), answers.get(1));
        assertEquals(answers.get(0), answers.get(2));
        // only the person named (number and name) was told, once
        java.util.List<cn.onenet.identity.model.OutboxMessage> told = cn.onenet.identity.model.OutboxMessage.list(
                "accountId = ?1 and kind = 'DELEGATION_INVITED'", person.id);
        assertEquals(1, told.size());
        assertTrue(told.get(0).body.contains("杭州数智科技有限公司"));
        // the person sees only the invitation naming them, and may answer only that one
        String agentToken = OidcFlow.accessToken("test-web", registered);
        given().auth().oauth2(agentToken).get("/api/identity/v1/delegations").then().statusCode(200)
                .body("id", org.hamcrest.Matchers.hasItem(ids.get(2)))
                .body("id", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem(ids.get(1))))
                .body("find { it.id == '" + ids.get(2) + "' }.callerRole", equalTo("AGENT"));
        given().auth().oauth2(agentToken).post("/api/identity/v1/delegations/" + ids.get(1) + "/accept").then()
                .statusCode(403).contentType("application/problem+json");
        given().auth().oauth2(agentToken).post("/api/identity/v1/delegations/" + ids.get(2) + "/accept").then()
                .statusCode(200).body("status", equalTo("ACTIVE")).body("agentId", equalTo(person.id.toString()));
        // accepted: the enterprise's side now sees whom it reached
        given().auth().oauth2(rep).get("/api/identity/v1/delegations").then().statusCode(200)
                .body("find { it.id == '" + ids.get(2) + "' }.agentId", equalTo(person.id.toString()))
                .body("find { it.id == '" + ids.get(2) + "' }.agentName", equalTo("欧阳 秘密"));
        // the name is required with the number: a problem naming the field, with the request id
        given().auth().oauth2(rep).contentType("application/json").body(Map.of("enterpriseUscc", USCC,
                "agentIdNumber", registered, "validTo", OffsetDateTime.now().plusDays(30).toString()))
                .post("/api/identity/v1/delegations").then().statusCode(400).contentType("application/problem+json")
                .body("field", equalTo("agentName")).body("requestId", org.hamcrest.Matchers.notNullValue());
        for (String id : ids) {
            given().auth().oauth2(rep).post("/api/identity/v1/delegations/" + id + "/revoke");
        }
    }

    /**
     * Authority over delegations needs a verified identity: an agent signed in at L2 may decline but not accept; a
     * legal representative at L2 may neither authorise nor revoke for the enterprise. The 403 says why.
     */
    @Test
    void authorisingRevokingAndAcceptingNeedLevelThree() {
        String rep = OidcFlow.accessToken("test-web", CodeFlowConformanceTest.CITIZEN);
        String liSi = OidcFlow.accessToken("test-web", "33010619920708002X"); // L2
        Map<String, Object> body = Map.of("enterpriseUscc", USCC, "agentIdNumber", "33010619920708002X", "agentName",
                "李四", "validTo", OffsetDateTime.now().plusDays(30).toString());
        String id = given().auth().oauth2(rep).contentType("application/json").body(body)
                .post("/api/identity/v1/delegations").then().statusCode(201).extract().path("id");
        given().auth().oauth2(liSi).post("/api/identity/v1/delegations/" + id + "/accept").then().statusCode(403)
                .contentType("application/problem+json").body("detail", org.hamcrest.Matchers.containsString("L3"))
                .body("requiredAcr", equalTo("urn:onenet:loa:3")).body("acr", equalTo("urn:onenet:loa:2"))
                .body("requestId", org.hamcrest.Matchers.notNullValue());
        given().auth().oauth2(liSi).post("/api/identity/v1/delegations/" + id + "/decline").then().statusCode(200)
                .body("status", equalTo("DECLINED"));

        // an enterprise whose legal representative is at L2
        Account lowRep = TotpLifecycleTest.newCitizen(accounts, "低等级法代");
        long n = System.nanoTime();
        String first17 = "91330106MA5L" + String.format("%05d", n % 100_000);
        String uscc = first17 + CreditCode.checkCharacter(first17);
        QuarkusTransaction.requiringNew().run(() -> accounts.create(new AccountService.NewAccount(
                AccountType.LEGAL_PERSON, null, "等级测试有限公司", null, uscc, null, lowRep.id, null, OidcFlow.PASSWORD,
                null, null), "test"));
        String low = OidcFlow.accessToken("test-web", lowRep.username);
        Map<String, Object> forAgent = Map.of("enterpriseUscc", uscc, "agentIdNumber", OTHER_AGENT, "agentName",
                "王秀英", "validTo", OffsetDateTime.now().plusDays(30).toString());
        given().auth().oauth2(low).contentType("application/json").body(forAgent).post("/api/identity/v1/delegations")
                .then().statusCode(403).contentType("application/problem+json")
                .body("requiredAcr", equalTo("urn:onenet:loa:3"));
        // the enterprise's own login, verified at L3, authorises; the L2 representative may not revoke it
        QuarkusTransaction.requiringNew().run(() -> Account.update("level = 3 where username = ?1", uscc));
        String own = given().auth().oauth2(OidcFlow.accessToken("test-web", uscc)).contentType("application/json")
                .body(forAgent).post("/api/identity/v1/delegations").then().statusCode(201).extract().path("id");
        given().auth().oauth2(low).post("/api/identity/v1/delegations/" + own + "/revoke").then().statusCode(403)
                .body("requiredAcr", equalTo("urn:onenet:loa:3"));
        given().auth().oauth2(OidcFlow.accessToken("test-web", uscc)).post("/api/identity/v1/delegations/" + own
                + "/revoke").then().statusCode(200);
    }

    /**
     * A service named many times is named once (joined, the list would overflow its column); a period outside the
     * years 1900 to 9999 (beyond what PostgreSQL keeps) is a 400 naming the field.
     */
    @Test
    void repeatedServicesAreKeptOnceAndDatesOutsideTheRangeAreRefused() {
        String rep = OidcFlow.accessToken("test-web", CodeFlowConformanceTest.CITIZEN);
        Map<String, Object> body = new java.util.HashMap<>(Map.of("enterpriseUscc", USCC, "agentIdNumber", OTHER_AGENT,
                "agentName", "王秀英", "clientIds", java.util.Collections.nCopies(60, "test-web"),
                "validTo", OffsetDateTime.now().plusDays(30).toString()));
        String id = given().auth().oauth2(rep).contentType("application/json").body(body)
                .post("/api/identity/v1/delegations").then().statusCode(201)
                .body("clientIds", equalTo(java.util.List.of("test-web"))).extract().path("id");
        given().auth().oauth2(rep).post("/api/identity/v1/delegations/" + id + "/revoke").then().statusCode(200);

        body.put("validTo", "+300000-01-01T00:00:00Z");
        given().auth().oauth2(rep).contentType("application/json").body(body).post("/api/identity/v1/delegations")
                .then().statusCode(400).contentType("application/problem+json").body("field", equalTo("validTo"));
        body.put("validTo", OffsetDateTime.now().plusDays(30).toString());
        body.put("validFrom", "-200000-01-01T00:00:00Z");
        given().auth().oauth2(rep).contentType("application/json").body(body).post("/api/identity/v1/delegations")
                .then().statusCode(400).body("field", equalTo("validFrom"));
    }

    @Test
    void anAgentActingForTheEnterpriseCannotManageItsDelegationsFactorOrConsents() {
        String agent = agentTokens().getOIDCTokens().getAccessToken().getValue();
        // the legal representative authorises another person (pending until accepted)
        String rep = OidcFlow.accessToken("test-web", CodeFlowConformanceTest.CITIZEN);
        Map<String, Object> body = Map.of("enterpriseUscc", USCC, "agentIdNumber", OTHER_AGENT,
                "agentName", "王秀英", "validTo", OffsetDateTime.now().plusDays(30).toString());
        String id = given().auth().oauth2(rep).contentType("application/json").body(body)
                .post("/api/identity/v1/delegations").then().statusCode(201).extract().path("id");
        try {
            // the agent's token says sub = the enterprise, act = the agent: it is not the enterprise's own login
            forbidden(given().auth().oauth2(agent).contentType("application/json").body(body)
                    .post("/api/identity/v1/delegations"));
            forbidden(given().auth().oauth2(agent).post("/api/identity/v1/delegations/" + id + "/revoke"));
            forbidden(given().auth().oauth2(agent).get("/api/identity/v1/delegations"));
            forbidden(given().auth().oauth2(agent).post("/api/identity/v1/me/totp"));
            forbidden(given().auth().oauth2(agent).contentType("application/json").body(Map.of("code", "123456"))
                    .post("/api/identity/v1/me/totp/confirm"));
            forbidden(given().auth().oauth2(agent).contentType("application/json").body(Map.of("code", "123456"))
                    .delete("/api/identity/v1/me/totp"));
            forbidden(given().auth().oauth2(agent).get("/api/identity/v1/me/consents"));
            forbidden(given().auth().oauth2(agent).delete("/api/identity/v1/me/consents/test-third"));
            // nor take a copy of its data or close it (PIPL Art. 45, 47): those are the holder's own
            forbidden(given().auth().oauth2(agent).get("/api/identity/v1/me/export"));
            forbidden(given().auth().oauth2(agent).contentType("application/json")
                    .body(Map.of("password", OidcFlow.PASSWORD)).delete("/api/identity/v1/me"));
            // the enterprise's profile is still shown to the agent
            given().auth().oauth2(agent).get("/api/identity/v1/me").then().statusCode(200);
            // the enterprise's own login may manage its delegations and consents
            String enterprise = OidcFlow.accessToken("test-web", USCC);
            given().auth().oauth2(enterprise).get("/api/identity/v1/delegations").then().statusCode(200)
                    .body("find { it.id == '" + id + "' }.status", equalTo("PENDING"));
            given().auth().oauth2(enterprise).get("/api/identity/v1/me/consents").then().statusCode(200);
        } finally {
            given().auth().oauth2(rep).post("/api/identity/v1/delegations/" + id + "/revoke").then().statusCode(200)
                    .body("status", equalTo("REVOKED"));
        }
    }

    @Test
    void theLegalRepresentativeSeesAndRevokesTheAuthorisationsTheEnterpriseAccountGave() {
        // the enterprise signs in itself and authorises someone; 张三 is its legal representative
        String enterprise = OidcFlow.accessToken("test-web", USCC);
        String rep = OidcFlow.accessToken("test-web", CodeFlowConformanceTest.CITIZEN);
        String other = OidcFlow.accessToken("test-web", OTHER_AGENT);
        String stranger = OidcFlow.accessToken("test-web", "33010619920708002X");
        String id = given().auth().oauth2(enterprise).contentType("application/json")
                .body(Map.of("agentIdNumber", OTHER_AGENT, "agentName", "王秀英", "validTo", OffsetDateTime.now().plusDays(30).toString()))
                .post("/api/identity/v1/delegations").then().statusCode(201).body("callerRole", equalTo("ENTERPRISE"))
                .extract().path("id");
        String mine = "find { it.id == '" + id + "' }";
        try {
            given().auth().oauth2(rep).get("/api/identity/v1/delegations").then().statusCode(200)
                    .body(mine + ".status", equalTo("PENDING"))
                    .body(mine + ".enterpriseUscc", equalTo(USCC))
                    .body(mine + ".callerRole", equalTo("LEGAL_REPRESENTATIVE"));
            given().auth().oauth2(enterprise).get("/api/identity/v1/delegations").then().statusCode(200)
                    .body(mine + ".callerRole", equalTo("ENTERPRISE"));
            given().auth().oauth2(other).get("/api/identity/v1/delegations").then().statusCode(200)
                    .body(mine + ".callerRole", equalTo("AGENT"));
            // someone who is neither party nor the representative does not see it
            given().auth().oauth2(stranger).get("/api/identity/v1/delegations").then().statusCode(200)
                    .body(mine, org.hamcrest.Matchers.nullValue());
            // the representative revokes what is on their list
            given().auth().oauth2(rep).post("/api/identity/v1/delegations/" + id + "/revoke").then().statusCode(200)
                    .body("status", equalTo("REVOKED")).body("callerRole", equalTo("LEGAL_REPRESENTATIVE"));
            given().auth().oauth2(rep).get("/api/identity/v1/delegations").then().statusCode(200)
                    .body(mine + ".status", equalTo("REVOKED"));
        } finally {
            String status = given().auth().oauth2(enterprise).get("/api/identity/v1/delegations").then()
                    .extract().path(mine + ".status");
            if (!"REVOKED".equals(status)) {
                given().auth().oauth2(enterprise).post("/api/identity/v1/delegations/" + id + "/revoke").then()
                        .statusCode(200);
            }
        }
    }

    @Test
    void aDisabledEnterpriseHasNoAgents() {
        Enterprise e = enterpriseWithAgent();
        OIDCTokenResponse tokens = agentTokens(e.agent(), e.uscc());
        String admin = OidcFlow.accessToken("test-web", "dsj.admin");
        given().auth().oauth2(admin).post("/api/identity/v1/accounts/" + e.id() + "/disable").then().statusCode(200);
        // the agent signs in again for the enterprise: the login page with an error, no code
        OidcFlow flow = new OidcFlow("test-web", TestClients.SECRET);
        flow.authorize(flow.params("openid"));
        Response refused = flow.submitLogin(e.agent(), OidcFlow.PASSWORD, null, e.uscc());
        assertEquals(200, refused.statusCode());
        assertTrue(refused.asString().contains("经办授权"), refused.asString());
        // the tokens it had are revoked with the enterprise's
        assertEquals("invalid_grant", refresh(flow, tokens.getOIDCTokens().getRefreshToken()).toErrorResponse()
                .getErrorObject().getCode());
        // the agent's own account is not affected
        assertTrue(OidcFlow.redirect(flow.submitLogin(e.agent(), OidcFlow.PASSWORD, null, null)).indicatesSuccess());
        // enabled again, the delegation (still in force) lets the agent act once more
        given().auth().oauth2(admin).post("/api/identity/v1/accounts/" + e.id() + "/enable").then().statusCode(200);
        assertEquals(e.id(), agentSubject(agentTokens(e.agent(), e.uscc())));
    }

    @Test
    void anAgentSessionAndRefreshTokenEndWhenTheEnterpriseIsDisabledWhateverRevokedItsGrants() {
        Enterprise e = enterpriseWithAgent();
        OidcFlow flow = new OidcFlow("test-web", TestClients.SECRET);
        AuthorizationResponse signedIn = signIn(flow, e.agent(), e.uscc());
        OIDCTokenResponse tokens = (OIDCTokenResponse) flow.exchange(signedIn.toSuccessResponse()
                .getAuthorizationCode()).toSuccessResponse();
        // the status alone, without the sign-out that disabling through the API does
        setStatus(e.id(), "DISABLED");
        try {
            com.nimbusds.oauth2.sdk.TokenResponse refreshed = refresh(flow, tokens.getOIDCTokens().getRefreshToken());
            Map<String, String> params = flow.params("openid");
            params.put("prompt", "none");
            AuthorizationResponse silent = OidcFlow.redirect(flow.authorize(params));
            org.junit.jupiter.api.Assertions.assertAll(
                    () -> assertEquals("invalid_grant", refreshed.indicatesSuccess() ? "tokens issued"
                            : refreshed.toErrorResponse().getErrorObject().getCode()),
                    () -> assertEquals("login_required", silent.indicatesSuccess() ? "code issued"
                            : silent.toErrorResponse().getErrorObject().getCode()));
        } finally {
            setStatus(e.id(), "ACTIVE");
        }
    }

    @Test
    void aRefreshTokenIsInactiveAtIntrospectionOnceItsDelegationRanOut() {
        Enterprise e = enterpriseWithAgent();
        OidcFlow flow = new OidcFlow("test-web", TestClients.SECRET);
        com.nimbusds.oauth2.sdk.token.RefreshToken refresh = agentTokens(e.agent(), e.uscc()).getOIDCTokens()
                .getRefreshToken();
        introspect(refresh.getValue()).then().statusCode(200).body("active", equalTo(true));
        // the authorisation's validTo passes (as if time had passed): nobody revoked anything
        ranOut(e);
        // introspection says what the token endpoint does: the token renews nothing any more
        introspect(refresh.getValue()).then().statusCode(200).body("active", equalTo(false))
                .body("sub", org.hamcrest.Matchers.nullValue());
        com.nimbusds.oauth2.sdk.TokenResponse refused = refresh(flow, refresh);
        assertEquals("invalid_grant", refused.indicatesSuccess() ? "tokens issued"
                : refused.toErrorResponse().getErrorObject().getCode());
    }

    /**
     * An agent's access token speaks for the enterprise only while the authorisation does: once its validTo passed,
     * introspection says {@code active: false} and UserInfo refuses it, although nobody revoked the grant.
     */
    @Test
    void anAgentsAccessTokenStopsWorkingOnceItsDelegationRanOut() {
        Enterprise e = enterpriseWithAgent();
        String access = agentTokens(e.agent(), e.uscc()).getOIDCTokens().getAccessToken().getValue();
        introspect(access).then().statusCode(200).body("active", equalTo(true));
        given().auth().oauth2(access).get("/oidc/userinfo").then().statusCode(200);
        ranOut(e);
        introspect(access).then().statusCode(200).body("active", equalTo(false))
                .body("sub", org.hamcrest.Matchers.nullValue());
        given().auth().oauth2(access).get("/oidc/userinfo").then().statusCode(401);
    }

    /** A code issued while the authorisation was in force is redeemed for nothing once it has run out. */
    @Test
    void aCodeIssuedForAnAgentIsNotRedeemedAfterTheDelegationRanOut() {
        Enterprise e = enterpriseWithAgent();
        OidcFlow flow = new OidcFlow("test-web", TestClients.SECRET);
        AuthorizationResponse signedIn = signIn(flow, e.agent(), e.uscc());
        ranOut(e);
        com.nimbusds.oauth2.sdk.TokenResponse refused = flow.exchange(signedIn.toSuccessResponse()
                .getAuthorizationCode());
        assertEquals("invalid_grant", refused.indicatesSuccess() ? "tokens issued"
                : refused.toErrorResponse().getErrorObject().getCode());
    }

    /**
     * Revoking the authorisation ends the agent's sign-in acting for the enterprise (with back-channel logout to its
     * applications), as disabling the enterprise does: the browser is not left in a session for the enterprise that
     * every application's request is refused in. The agent's own sign-ins are not touched.
     */
    @Test
    void revokingTheAuthorisationEndsTheAgentsSignInForTheEnterprise() {
        Enterprise e = enterpriseWithAgent();
        OidcFlow forEnterprise = new OidcFlow("test-web", TestClients.SECRET);
        assertTrue(signIn(forEnterprise, e.agent(), e.uscc()).indicatesSuccess());
        OidcFlow own = new OidcFlow("test-web", TestClients.SECRET);
        assertTrue(signIn(own, e.agent(), null).indicatesSuccess());

        given().auth().oauth2(OidcFlow.accessToken("test-web", e.uscc()))
                .post("/api/identity/v1/delegations/" + e.delegation() + "/revoke").then().statusCode(200);

        assertEquals("login_required", silently(forEnterprise));
        assertEquals("code", silently(own));
    }

    private static Response introspect(String token) {
        return given().auth().preemptive().basic("test-web", TestClients.SECRET).formParam("token", token)
                .post("/oidc/introspect");
    }

    private Enterprise enterpriseWithAgent() {
        return Agents.enterpriseWithAgent(accounts);
    }

    private static void setStatus(String accountId, String status) {
        QuarkusTransaction.requiringNew().run(() -> Account.update("status = ?1 where id = ?2", status,
                java.util.UUID.fromString(accountId)));
    }

    private static String agentSubject(OIDCTokenResponse tokens) {
        try {
            return tokens.getOIDCTokens().getIDToken().getJWTClaimsSet().getSubject();
        } catch (java.text.ParseException e) {
            throw new AssertionError(e);
        }
    }

    private static void forbidden(Response response) {
        response.then().statusCode(403).contentType("application/problem+json");
    }

    /** 赵六 signs in to the test client as the demo enterprise's agent (经办人). */
    private static OIDCTokenResponse agentTokens() {
        return agentTokens(AGENT, USCC);
    }

    /** The agent signs in to the test client for the enterprise. */
    private static OIDCTokenResponse agentTokens(String agent, String uscc) {
        OidcFlow flow = new OidcFlow("test-web", TestClients.SECRET);
        flow.authorize(flow.params("openid profile"));
        AuthorizationResponse response = OidcFlow.redirect(flow.submitLogin(agent, OidcFlow.PASSWORD, null, uscc));
        return (OIDCTokenResponse) flow.exchange(response.toSuccessResponse().getAuthorizationCode())
                .toSuccessResponse();
    }

    private static Response loginFor(String agent) {
        OidcFlow flow = new OidcFlow("test-web", TestClients.SECRET);
        flow.authorize(flow.params("openid"));
        return flow.submitLogin(agent, OidcFlow.PASSWORD, null, USCC);
    }
}
