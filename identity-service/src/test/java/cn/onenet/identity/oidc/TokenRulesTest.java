package cn.onenet.identity.oidc;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Date;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT;
import com.nimbusds.oauth2.sdk.auth.Secret;

import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.jose.JWSAlgorithm;

import cn.onenet.identity.service.GrantStore;
import cn.onenet.identity.service.KeyService;
import cn.onenet.identity.service.Secrets;
import cn.onenet.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** Client credentials, private_key_jwt, introspection, revocation, expiry and hostile input at every endpoint. */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class TokenRulesTest {

    static final String ISSUER = CodeFlowConformanceTest.ISSUER;

    @Inject
    TestClients clients;

    @Inject
    KeyService keys;

    @Inject
    EntityManager em;

    @Inject
    GrantStore grants;

    @BeforeEach
    void clients() {
        clients.ensure(null);
    }

    @Test
    void departmentSystemGetsAClientCredentialsToken() throws Exception {
        TokenResponse response = OidcFlow.send(new TokenRequest(OidcFlow.endpoint("token"),
                new ClientSecretBasic(new ClientID("gat-population-system"), new Secret("demo-gat-population-secret")),
                new ClientCredentialsGrant(), new Scope("catalog")));
        assertTrue(response.indicatesSuccess(), () -> response.toErrorResponse().getErrorObject().toString());
        String token = response.toSuccessResponse().getTokens().getAccessToken().getValue();
        JWTClaimsSet claims = CodeFlowConformanceTest.resourceServer("onenet-catalog").process(token, null);
        assertEquals("gat-population-system", claims.getSubject());
        assertEquals(List.of("system"), claims.getStringListClaim("roles"));
        assertEquals("11330000002481020A", claims.getStringClaim("dept"));
        assertEquals("330000", claims.getStringClaim("region"));
        assertEquals("client", claims.getStringClaim("account_type"));
        assertEquals("catalog", claims.getStringClaim("scope"));
        assertFalse(claims.getAudience().contains("onenet-identity"));
        // the suite's own service clients, with the contract's demo secrets
        given().auth().preemptive().basic("catalog-service", "demo-catalog-secret")
                .contentType("application/x-www-form-urlencoded").formParam("grant_type", "client_credentials")
                .post("/oidc/token").then().statusCode(200).body("token_type", equalTo("Bearer"))
                .body("expires_in", lessThan(301));
        given().auth().preemptive().basic("data-exchange-service", "demo-exchange-secret")
                .contentType("application/x-www-form-urlencoded").formParam("grant_type", "client_credentials")
                .post("/oidc/token").then().statusCode(200);
        // a scope the client was not given
        given().auth().preemptive().basic("gat-population-system", "demo-gat-population-secret")
                .contentType("application/x-www-form-urlencoded").formParam("grant_type", "client_credentials")
                .formParam("scope", "openid id_number").post("/oidc/token").then().statusCode(400)
                .body("error", equalTo("invalid_scope"));
        // the gateway may not use client credentials
        given().auth().preemptive().basic("gateway", "demo-gateway-secret")
                .contentType("application/x-www-form-urlencoded").formParam("grant_type", "client_credentials")
                .post("/oidc/token").then().statusCode(400).body("error", equalTo("unauthorized_client"));
    }

    @Test
    void privateKeyJwtWorksOnceAndReplayIsRefused() throws Exception {
        PrivateKeyJWT assertion = new PrivateKeyJWT(new ClientID("test-jwt"), java.net.URI.create(ISSUER + "/token"),
                JWSAlgorithm.RS256, TestClients.JWT_KEY.toRSAPrivateKey(), "rp-key-1", null);
        TokenResponse first = OidcFlow.send(new TokenRequest(OidcFlow.endpoint("token"), assertion,
                new ClientCredentialsGrant()));
        assertTrue(first.indicatesSuccess(), () -> first.toErrorResponse().getErrorObject().toString());
        TokenResponse replay = OidcFlow.send(new TokenRequest(OidcFlow.endpoint("token"), assertion,
                new ClientCredentialsGrant()));
        assertFalse(replay.indicatesSuccess());
        assertEquals("invalid_client", replay.toErrorResponse().getErrorObject().getCode());
        // audience = the issuer is accepted too (RFC 7523bis)
        PrivateKeyJWT toIssuer = new PrivateKeyJWT(new ClientID("test-jwt"), java.net.URI.create(ISSUER),
                JWSAlgorithm.RS256, TestClients.JWT_KEY.toRSAPrivateKey(), "rp-key-1", null);
        assertTrue(OidcFlow.send(new TokenRequest(OidcFlow.endpoint("token"), toIssuer, new ClientCredentialsGrant()))
                .indicatesSuccess());
        // signed with another key
        PrivateKeyJWT forged = new PrivateKeyJWT(new ClientID("test-jwt"), java.net.URI.create(ISSUER + "/token"),
                JWSAlgorithm.RS256, new com.nimbusds.jose.jwk.gen.RSAKeyGenerator(2048).generate().toRSAPrivateKey(),
                "rp-key-1", null);
        TokenResponse bad = OidcFlow.send(new TokenRequest(OidcFlow.endpoint("token"), forged,
                new ClientCredentialsGrant()));
        assertEquals("invalid_client", bad.toErrorResponse().getErrorObject().getCode());
    }

    @Test
    void privateKeyJwtWithoutJtiOrWithALongLifetimeIsRefused() throws Exception {
        Instant now = Instant.now();
        // no jti: nothing to make it single use
        assertClientAssertionRefused(assertionClaims(null, now.plusSeconds(120)));
        // valid for a day: too long to be remembered as used
        assertClientAssertionRefused(assertionClaims("day-" + System.nanoTime(), now.plus(java.time.Duration.ofHours(24))));
        // no expiry at all
        assertClientAssertionRefused(assertionClaims("noexp-" + System.nanoTime(), null));
        // the same assertion within five minutes is accepted
        clientAssertion(assertionClaims("ok-" + System.nanoTime(), now.plusSeconds(240))).then().statusCode(200);
    }

    @Test
    void theAssertionAudienceIsTheIssuerOrTheTokenEndpointAlone() throws Exception {
        Instant exp = Instant.now().plusSeconds(120);
        // several audiences, even with the issuer among them: refused
        assertClientAssertionRefused(withAudience(List.of(ISSUER, ISSUER + "/token"), exp));
        assertClientAssertionRefused(withAudience(List.of(ISSUER, "https://other.example.gov.cn"), exp));
        // another endpoint of this provider: refused at the token endpoint
        assertClientAssertionRefused(withAudience(List.of(ISSUER + "/introspect"), exp));
        assertClientAssertionRefused(withAudience(List.of(ISSUER + "/revoke"), exp));
        // the issuer alone, or the token endpoint alone: accepted
        clientAssertion(withAudience(List.of(ISSUER), exp)).then().statusCode(200);
        clientAssertion(withAudience(List.of(ISSUER + "/token"), exp)).then().statusCode(200);
    }

    private static JWTClaimsSet withAudience(List<String> audience, Instant exp) {
        return new JWTClaimsSet.Builder(assertionClaims("aud-" + System.nanoTime(), exp)).audience(audience).build();
    }

    @Test
    void aUsedAssertionIdIsRememberedUntilTheAssertionExpires() throws Exception {
        String jti = "kept-" + System.nanoTime();
        Instant exp = Instant.now().plusSeconds(280);
        JWTClaimsSet claims = assertionClaims(jti, exp);
        clientAssertion(claims).then().statusCode(200);
        grants.purge();
        Instant remembered = Instant.ofEpochSecond(((Number) em.createNativeQuery(
                "SELECT extract(epoch FROM expires_at) FROM client_assertion_jti WHERE client_id = 'test-jwt' AND jti = ?1")
                .setParameter(1, jti).getSingleResult()).longValue());
        // kept at least as long as the assertion is accepted (its exp plus the allowed clock skew), no longer needed after
        assertFalse(remembered.isBefore(exp.plusSeconds(59)), () -> "remembered until " + remembered);
        assertTrue(remembered.isBefore(exp.plusSeconds(180)), () -> "remembered until " + remembered);
        clientAssertion(claims).then().statusCode(401).body("error", equalTo("invalid_client"));
    }

    private static JWTClaimsSet assertionClaims(String jti, Instant exp) {
        JWTClaimsSet.Builder b = new JWTClaimsSet.Builder().issuer("test-jwt").subject("test-jwt")
                .audience(ISSUER + "/token").issueTime(new Date()).jwtID(jti);
        if (exp != null) {
            b.expirationTime(Date.from(exp));
        }
        return b.build();
    }

    private static Response clientAssertion(JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rp-key-1").build(), claims);
        jwt.sign(new com.nimbusds.jose.crypto.RSASSASigner(TestClients.JWT_KEY));
        return given().contentType("application/x-www-form-urlencoded").formParam("grant_type", "client_credentials")
                .formParam("client_id", "test-jwt")
                .formParam("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
                .formParam("client_assertion", jwt.serialize()).post("/oidc/token");
    }

    private static void assertClientAssertionRefused(JWTClaimsSet claims) throws Exception {
        Response first = clientAssertion(claims);
        assertEquals("invalid_client", first.path("error"), () -> claims + " -> " + first.asString());
        // and so is the same assertion again (a replay)
        Response again = clientAssertion(claims);
        assertEquals("invalid_client", again.path("error"), () -> claims + " -> " + again.asString());
    }

    @Test
    void introspectionAnswersOnlyTheTokensClientAndTheServicesItIsFor() throws Exception {
        OidcFlow flow = new OidcFlow("test-web", TestClients.SECRET);
        String access = flow.tokens(CodeFlowConformanceTest.CITIZEN, "openid profile id_number").getOIDCTokens()
                .getAccessToken().getValue();
        // the token's own client: everything, the ID number included
        CodeFlowConformanceTest.introspect(access).then().statusCode(200).body("active", equalTo(true))
                .body("cn_id", equalTo(CodeFlowConformanceTest.CITIZEN));
        // the catalogue service, a resource server named in the token's audience: active, but no ID number
        introspect("catalog-service", "demo-catalog-secret", access).then().statusCode(200)
                .body("active", equalTo(true)).body("client_id", equalTo("test-web"))
                .body("roles", hasItem("citizen")).body("$", not(hasKey("cn_id")));
        introspect("data-exchange-service", "demo-exchange-secret", access).then().body("active", equalTo(true))
                .body("$", not(hasKey("cn_id")));
        // another relying party learns nothing, not even that the token is valid
        introspect("test-third", TestClients.SECRET, access).then().statusCode(200).body("active", equalTo(false))
                .body("$", not(hasKey("sub"))).body("$", not(hasKey("cn_id")));
        introspect("gat-population-system", "demo-gat-population-secret", access).then()
                .body("active", equalTo(false));
        // test-jwt is registered for the catalogue's API only: the exchange may not introspect its tokens
        String catalogOnly = OidcFlow.send(new TokenRequest(OidcFlow.endpoint("token"),
                new PrivateKeyJWT(new ClientID("test-jwt"), java.net.URI.create(ISSUER + "/token"), JWSAlgorithm.RS256,
                        TestClients.JWT_KEY.toRSAPrivateKey(), "rp-key-1", null),
                new ClientCredentialsGrant())).toSuccessResponse().getTokens().getAccessToken().getValue();
        introspect("catalog-service", "demo-catalog-secret", catalogOnly).then().body("active", equalTo(true));
        introspect("data-exchange-service", "demo-exchange-secret", catalogOnly).then().body("active", equalTo(false));
        introspect("test-web", TestClients.SECRET, catalogOnly).then().body("active", equalTo(false));
        // refresh tokens: only their own client
        String refresh = new OidcFlow("test-web", TestClients.SECRET).tokens(CodeFlowConformanceTest.CITIZEN, "openid")
                .getOIDCTokens().getRefreshToken().getValue();
        introspect("catalog-service", "demo-catalog-secret", refresh).then().body("active", equalTo(false));
    }

    static Response introspect(String clientId, String secret, String token) {
        return given().auth().preemptive().basic(clientId, secret).contentType("application/x-www-form-urlencoded")
                .formParam("token", token).post("/oidc/introspect");
    }

    @Test
    void introspectionAndRevocation() {
        OidcFlow flow = new OidcFlow("test-web", TestClients.SECRET);
        var tokens = flow.tokens(CodeFlowConformanceTest.CITIZEN, "openid profile").getOIDCTokens();
        String access = tokens.getAccessToken().getValue();
        CodeFlowConformanceTest.introspect(access).then().statusCode(200).body("active", equalTo(true))
                .body("client_id", equalTo("test-web")).body("acr", equalTo("urn:onenet:loa:3"))
                .body("roles", hasItem("citizen")).body("iss", equalTo(ISSUER));
        CodeFlowConformanceTest.introspect(tokens.getRefreshToken().getValue()).then().body("active", equalTo(true));
        CodeFlowConformanceTest.introspect("garbage").then().statusCode(200).body("active", equalTo(false));
        // unauthenticated introspection
        given().contentType("application/x-www-form-urlencoded").formParam("token", access).post("/oidc/introspect")
                .then().statusCode(401).body("error", equalTo("invalid_client"));
        // revoke the access token: introspection and UserInfo stop accepting it
        revoke(access).then().statusCode(200);
        CodeFlowConformanceTest.introspect(access).then().body("active", equalTo(false));
        given().auth().oauth2(access).get("/oidc/userinfo").then().statusCode(401);
        // revoke the refresh token: the family is gone
        revoke(tokens.getRefreshToken().getValue()).then().statusCode(200);
        given().auth().preemptive().basic("test-web", TestClients.SECRET).contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "refresh_token").formParam("refresh_token", tokens.getRefreshToken().getValue())
                .post("/oidc/token").then().statusCode(400).body("error", equalTo("invalid_grant"));
        // unknown tokens: 200 all the same (RFC 7009 §2.2)
        revoke("never-issued").then().statusCode(200);
    }

    @Test
    void expiredAndForgedTokensAreRefused() throws Exception {
        KeyService.ActiveKey key = keys.signingKey("RS256");
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(ISSUER).subject("00000000-0000-0000-0000-000000000001")
                .audience(List.of("onenet-identity")).issueTime(Date.from(Instant.now().minusSeconds(900)))
                .expirationTime(Date.from(Instant.now().minusSeconds(600))).jwtID("cc.x")
                .claim("client_id", "test-web").claim("account_type", "natural_person").build();
        SignedJWT expired = new SignedJWT(new JWSHeader.Builder(key.alg()).keyID(key.jwk().getKeyID())
                .type(new JOSEObjectType("at+jwt")).build(), claims);
        expired.sign(key.signer());
        given().auth().oauth2(expired.serialize()).get("/oidc/userinfo").then().statusCode(401);
        CodeFlowConformanceTest.introspect(expired.serialize()).then().body("active", equalTo(false));
        // alg none is never accepted
        String unsigned = new com.nimbusds.jwt.PlainJWT(new JWTClaimsSet.Builder(claims)
                .expirationTime(Date.from(Instant.now().plusSeconds(600))).build()).serialize();
        given().auth().oauth2(unsigned).get("/oidc/userinfo").then().statusCode(401);
    }

    @Test
    void anAccessTokenIsRefusedFromTheSecondItExpires() throws Exception {
        // this provider's own clock set exp: no clock skew for its own tokens at introspection, UserInfo, its API
        String expired = ownAccessToken(Instant.now().minusSeconds(30));
        CodeFlowConformanceTest.introspect(expired).then().statusCode(200).body("active", equalTo(false));
        given().auth().oauth2(expired).get("/oidc/userinfo").then().statusCode(401)
                .header("WWW-Authenticate", containsString("invalid_token"));
        given().auth().oauth2(expired).get("/api/identity/v1/me").then().statusCode(401)
                .header("WWW-Authenticate", containsString("error=\"invalid_token\""));
        // the same token 30 s before its exp is accepted
        String valid = ownAccessToken(Instant.now().plusSeconds(30));
        CodeFlowConformanceTest.introspect(valid).then().body("active", equalTo(true));
        given().auth().oauth2(valid).get("/oidc/userinfo").then().statusCode(200);
    }

    /** An access token signed with the provider's key for test-web, scope openid, expiring at {@code exp}. */
    private String ownAccessToken(Instant exp) throws Exception {
        KeyService.ActiveKey key = keys.signingKey("RS256");
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(ISSUER).subject("00000000-0000-0000-0000-000000000001")
                .audience(List.of("onenet-identity")).issueTime(Date.from(exp.minusSeconds(300)))
                .expirationTime(Date.from(exp)).jwtID("cc." + Secrets.random(8)).claim("client_id", "test-web")
                .claim("scope", "openid").claim("account_type", "natural_person").build();
        SignedJWT token = new SignedJWT(new JWSHeader.Builder(key.alg()).keyID(key.jwk().getKeyID())
                .type(new JOSEObjectType("at+jwt")).build(), claims);
        token.sign(key.signer());
        return token.serialize();
    }

    @Test
    void revokingAnotherClientsTokenIsRefusedAndTheTokenKeepsWorking() {
        var tokens = new OidcFlow("test-web", TestClients.SECRET).tokens(CodeFlowConformanceTest.CITIZEN, "openid")
                .getOIDCTokens();
        String access = tokens.getAccessToken().getValue();
        String refresh = tokens.getRefreshToken().getValue();
        // RFC 7009 §2.1: the token was not issued to test-third, so the request is refused and test-third told so
        for (String token : List.of(access, refresh)) {
            given().auth().preemptive().basic("test-third", TestClients.SECRET)
                    .contentType("application/x-www-form-urlencoded").formParam("token", token).post("/oidc/revoke")
                    .then().statusCode(400).body("error", equalTo("unauthorized_client"));
        }
        CodeFlowConformanceTest.introspect(access).then().body("active", equalTo(true));
        given().auth().preemptive().basic("test-web", TestClients.SECRET).contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "refresh_token").formParam("refresh_token", refresh).post("/oidc/token")
                .then().statusCode(200);
    }

    @Test
    void expiredCodeIsRefused() {
        OidcFlow flow = new OidcFlow("test-web", TestClients.SECRET);
        AuthorizationCode code = flow.code(CodeFlowConformanceTest.CITIZEN, "openid");
        age(code.getValue());
        TokenResponse response = flow.exchange(code);
        assertEquals("invalid_grant", response.toErrorResponse().getErrorObject().getCode());
    }

    @Transactional
    void age(String code) {
        em.createNativeQuery("UPDATE authorization_code SET expires_at = ?2 WHERE code_hash = ?1")
                .setParameter(1, Secrets.sha256(code)).setParameter(2, OffsetDateTime.now().minusSeconds(1))
                .executeUpdate();
    }

    @Test
    void codesLiveAtMostSixtySeconds() {
        OidcFlow flow = new OidcFlow("test-web", TestClients.SECRET);
        AuthorizationCode code = flow.code(CodeFlowConformanceTest.CITIZEN, "openid");
        Object expires = em.createNativeQuery(
                "SELECT extract(epoch FROM expires_at - now()) FROM authorization_code WHERE code_hash = ?1")
                .setParameter(1, Secrets.sha256(code.getValue())).getSingleResult();
        assertTrue(((Number) expires).doubleValue() <= 60.0);
    }

    @Test
    void hostileInputGetsOAuthErrorsNeverA500() {
        // token endpoint
        given().contentType("application/json").body("{\"grant_type\":\"client_credentials\"}").post("/oidc/token")
                .then().statusCode(400).body("error", equalTo("invalid_request"));
        given().post("/oidc/token").then().statusCode(400).body("error", equalTo("invalid_request"));
        given().header("Authorization", "Basic !!!notbase64").contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "client_credentials").post("/oidc/token").then()
                .statusCode(lessThan(500)).body("error", not(equalTo(null)));
        given().auth().preemptive().basic("test-web", TestClients.SECRET).contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "authorization_code").formParam("code", "x".repeat(5000))
                .formParam("redirect_uri", "::not a uri::").post("/oidc/token").then().statusCode(400);
        given().auth().preemptive().basic("test-web", TestClients.SECRET).contentType("application/x-www-form-urlencoded")
                .body("grant_type=refresh_token&refresh_token=%ZZ%").post("/oidc/token").then().statusCode(400);
        given().auth().preemptive().basic("test-web", TestClients.SECRET).contentType("application/x-www-form-urlencoded")
                .body("a=" + "b".repeat(70_000)).post("/oidc/token").then().statusCode(400);
        given().auth().preemptive().basic("test-web", TestClients.SECRET).contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer").formParam("assertion", "e30.e30.")
                .post("/oidc/token").then().statusCode(400);
        // authorization endpoint
        for (Map<String, String> params : List.of(Map.<String, String>of(), Map.of("client_id", "test-web"),
                Map.of("client_id", "x".repeat(500), "redirect_uri", "javascript:alert(1)"),
                Map.of("client_id", "test-web", "redirect_uri", OidcFlow.REDIRECT, "response_type", "code",
                        "scope", "openid", "code_challenge", "abc", "code_challenge_method", "S256",
                        "max_age", "not-a-number"),
                Map.of("client_id", "test-web", "redirect_uri", OidcFlow.REDIRECT, "response_type", "code",
                        "scope", "openid", "code_challenge", "abc", "code_challenge_method", "S256",
                        "request", "eyJhbGciOiJub25lIn0.e30."),
                Map.of("client_id", "test-web", "redirect_uri", OidcFlow.REDIRECT, "response_type", "code",
                        "scope", "openid", "code_challenge", "abc", "code_challenge_method", "S256",
                        "prompt", "none login"))) {
            Response r = given().redirects().follow(false).queryParams(params).get("/oidc/authorize");
            assertTrue(r.statusCode() < 500, () -> params + " -> " + r.statusCode() + " " + r.asString());
        }
        given().redirects().follow(false).queryParam("client_id", "test-web").queryParam("client_id", "test-post")
                .get("/oidc/authorize").then().statusCode(400);
        // login, consent, logout with nonsense
        given().contentType("application/x-www-form-urlencoded").formParam("req", "nope").formParam("csrf", "x")
                .post("/oidc/login").then().statusCode(400);
        given().contentType("application/x-www-form-urlencoded").post("/oidc/consent").then().statusCode(400);
        given().queryParam("id_token_hint", "not.a.jwt").get("/oidc/logout").then().statusCode(400);
        given().queryParam("post_logout_redirect_uri", "https://evil.example/").get("/oidc/logout").then()
                .statusCode(400);
        // userinfo, introspection, revocation
        given().header("Authorization", "Bearer").get("/oidc/userinfo").then().statusCode(lessThan(500));
        given().header("Authorization", "Bearer " + "a.b.c").post("/oidc/userinfo").then().statusCode(401);
        given().auth().preemptive().basic("test-web", TestClients.SECRET).contentType("application/x-www-form-urlencoded")
                .post("/oidc/introspect").then().statusCode(400).body("error", equalTo("invalid_request"));
        given().auth().preemptive().basic("test-web", TestClients.SECRET).contentType("text/plain").body("token=x")
                .post("/oidc/revoke").then().statusCode(400);
    }

    static Response revoke(String token) {
        return given().auth().preemptive().basic("test-web", TestClients.SECRET)
                .contentType("application/x-www-form-urlencoded").formParam("token", token).post("/oidc/revoke");
    }

}
