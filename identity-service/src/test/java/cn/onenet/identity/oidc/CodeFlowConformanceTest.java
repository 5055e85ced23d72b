package cn.onenet.identity.oidc;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;

import cn.onenet.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * The OpenID conformance suite's Basic and Config OP modules, re-expressed as tests against the real endpoints.
 * Names in comments are the suite's module names.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class CodeFlowConformanceTest {

    static final String ISSUER = "http://127.0.0.1:8080/oidc";
    static final String CITIZEN = "33010619850312001X";

    @Inject
    TestClients clients;

    @BeforeEach
    void clients() {
        clients.ensure(null);
    }

    @Test
    void discoveryIsBuiltFromTheIssuer() {
        // oidcc-discovery-endpoint-verification (Config OP)
        given().get("/oidc/.well-known/openid-configuration").then().statusCode(200)
                .body("issuer", equalTo(ISSUER))
                .body("authorization_endpoint", equalTo(ISSUER + "/authorize"))
                .body("token_endpoint", equalTo(ISSUER + "/token"))
                .body("userinfo_endpoint", equalTo(ISSUER + "/userinfo"))
                .body("jwks_uri", equalTo(ISSUER + "/jwks"))
                .body("end_session_endpoint", equalTo(ISSUER + "/logout"))
                .body("introspection_endpoint", equalTo(ISSUER + "/introspect"))
                .body("revocation_endpoint", equalTo(ISSUER + "/revoke"))
                .body("response_types_supported", equalTo(List.of("code")))
                .body("code_challenge_methods_supported", equalTo(List.of("S256")))
                .body("id_token_signing_alg_values_supported", hasItem("RS256"))
                .body("scopes_supported", hasItem("openid"))
                .body("grant_types_supported", not(hasItem("implicit")))
                .body("grant_types_supported", not(hasItem("password")))
                .body("token_endpoint_auth_methods_supported", hasItem("private_key_jwt"))
                .body("authorization_response_iss_parameter_supported", equalTo(true))
                .body("backchannel_logout_supported", equalTo(true))
                .body("acr_values_supported", hasItem("urn:onenet:loa:3"))
                .body("claims_supported", org.hamcrest.Matchers.hasItems("email", "email_verified", "phone_number",
                        "phone_number_verified"));
        Response jwks = given().get("/oidc/jwks");
        jwks.then().statusCode(200).body("keys.kid", not(hasItem((Object) null)))
                .body("keys.alg", hasItem("RS256")).body(not(containsString("\"d\"")));
    }

    @Test
    void serverHappyPath() throws Exception {
        // oidcc-server: code flow, ID token signature and claims, nonce, state, iss, at_hash
        OidcFlow flow = new OidcFlow("test-web", TestClients.SECRET);
        AuthorizationResponse response = flow.login(flow.params("openid profile id_number"), CITIZEN);
        assertTrue(response.indicatesSuccess());
        assertEquals(flow.state, response.getState().getValue());
        assertEquals(ISSUER, response.getIssuer().getValue()); // RFC 9207
        OIDCTokenResponse tokens = (OIDCTokenResponse) flow.exchange(
                response.toSuccessResponse().getAuthorizationCode()).toSuccessResponse();

        SignedJWT idToken = (SignedJWT) tokens.getOIDCTokens().getIDToken();
        assertNotNull(idToken.getHeader().getKeyID());
        assertEquals(JWSAlgorithm.RS256, idToken.getHeader().getAlgorithm());
        IDTokenValidator validator = new IDTokenValidator(new Issuer(ISSUER), new ClientID("test-web"),
                JWSAlgorithm.RS256, OidcFlow.endpoint("jwks").toURL());
        IDTokenClaimsSet claims = validator.validate(idToken, new Nonce(flow.nonce));
        assertEquals("urn:onenet:loa:3", claims.getACR().getValue());
        assertNotNull(claims.getAuthenticationTime());
        assertNotNull(claims.getAccessTokenHash());
        assertNotNull(claims.getSessionID());
        assertEquals("natural_person", claims.getStringClaim("account_type"));
        assertEquals(CITIZEN, claims.getStringClaim("cn_id"));

        // the access token as a quarkus-oidc resource server sees it: JWKS, iss, aud, exp, typ at+jwt
        JWTClaimsSet at = resourceServer("onenet-catalog").process(
                tokens.getOIDCTokens().getAccessToken().getValue(), null);
        assertEquals(List.of("citizen"), at.getStringListClaim("roles"));
        assertEquals("test-web", at.getStringClaim("client_id"));
        assertEquals("urn:onenet:loa:3", at.getStringClaim("acr"));
        assertEquals(claims.getSubject().getValue(), at.getSubject());
        assertTrue(at.getExpirationTime().getTime() - at.getIssueTime().getTime() <= 300_000);
    }

    /** What a resource server does: keys from /oidc/jwks, issuer, audience, expiry and the at+jwt type checked. */
    static DefaultJWTProcessor<SecurityContext> resourceServer(String audience) throws Exception {
        URL jwks = OidcFlow.endpoint("jwks").toURL();
        JWKSource<SecurityContext> keys = JWKSourceBuilder.create(jwks).retrying(false).build();
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType("at+jwt")));
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256), keys));
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(audience,
                new JWTClaimsSet.Builder().issuer(ISSUER).build(), Set.of("sub", "exp", "iat", "roles")));
        return processor;
    }

    @Test
    void requestWithoutNonceSucceeds() {
        // oidcc-ensure-request-without-nonce-succeeds-for-code-flow
        OidcFlow flow = new OidcFlow("test-web", TestClients.SECRET);
        Map<String, String> params = flow.params("openid");
        params.remove("nonce");
        assertTrue(flow.login(params, CITIZEN).indicatesSuccess());
    }

    @Test
    void codeReuseIsRefusedAndRevokesTheTokens() {
        // oidcc-codereuse: the second use fails and what the first issued is revoked
        OidcFlow flow = new OidcFlow("test-web", TestClients.SECRET);
        AuthorizationCode code = flow.code(CITIZEN, "openid");
        OIDCTokenResponse first = (OIDCTokenResponse) flow.exchange(code).toSuccessResponse();
        TokenResponse second = flow.exchange(code);
        assertFalse(second.indicatesSuccess());
        assertEquals("invalid_grant", second.toErrorResponse().getErrorObject().getCode());
        introspect(first.getOIDCTokens().getAccessToken().getValue()).then().body("active", equalTo(false));
        TokenResponse refresh = OidcFlow.send(new TokenRequest(OidcFlow.endpoint("token"), flow.auth(),
                new RefreshTokenGrant(first.getOIDCTokens().getRefreshToken())));
        assertEquals("invalid_grant", refresh.toErrorResponse().getErrorObject().getCode());
    }

    @Test
    void aCodePresentedByAnotherClientIsRefusedAndStillRedeemsForItsOwnClient() {
        // RFC 6749 §4.1.3: the code is bound to its client; another client presenting it neither uses it up nor
        // makes the rightful redemption look like reuse
        OidcFlow owner = new OidcFlow("test-web", TestClients.SECRET);
        AuthorizationCode code = owner.code(CITIZEN, "openid");
        OidcFlow other = new OidcFlow("test-es256", TestClients.SECRET);
        TokenResponse stolen = other.exchange(code, owner.verifier);
        assertEquals("invalid_grant", stolen.indicatesSuccess() ? "tokens issued"
                : stolen.toErrorResponse().getErrorObject().getCode());
        // nor does the owner's request with another redirect_uri than the authorization request's
        TokenResponse misdirected = OidcFlow.send(new TokenRequest(OidcFlow.endpoint("token"), owner.auth(),
                new com.nimbusds.oauth2.sdk.AuthorizationCodeGrant(code, URI.create(OidcFlow.REDIRECT + "/other"),
                        owner.verifier)));
        assertEquals("invalid_grant", misdirected.indicatesSuccess() ? "tokens issued"
                : misdirected.toErrorResponse().getErrorObject().getCode());
        TokenResponse redeemed = owner.exchange(code);
        assertTrue(redeemed.indicatesSuccess(), () -> redeemed.toErrorResponse().getErrorObject().toString());
        introspect(redeemed.toSuccessResponse().getTokens().getAccessToken().getValue()).then()
                .body("active", equalTo(true));
        // and it stays single-use for its own client
        assertEquals("invalid_grant", owner.exchange(code).toErrorResponse().getErrorObject().getCode());
    }

    @Test
    void declinedConsentWithAnEmptyStateRedirectsAccessDenied() {
        // state= (empty) is no state: the user who declines is sent back to the client, not shown a server error
        for (String state : List.of("", " ")) {
            OidcFlow flow = new OidcFlow("test-third", TestClients.SECRET);
            Map<String, String> params = flow.params("openid profile");
            params.put("state", state);
            params.put("prompt", "consent");
            flow.authorize(params);
            Response consentPage = flow.submitLogin(CITIZEN, OidcFlow.PASSWORD, null, null);
            assertEquals(200, consentPage.statusCode(), consentPage::asString);
            assertTrue(consentPage.asString().contains("name=\"decision\""), consentPage::asString);
            AuthorizationResponse declined = OidcFlow.redirect(flow.submitConsent(false));
            assertEquals("access_denied", declined.indicatesSuccess() ? "code issued"
                    : declined.toErrorResponse().getErrorObject().getCode());
            assertNull(declined.getState());
            assertEquals(ISSUER, declined.getIssuer().getValue());
        }
    }

    @Test
    void pkceIsRequiredAndOnlyS256() {
        OidcFlow flow = new OidcFlow("test-web", TestClients.SECRET);
        // missing challenge: error back to the client, with state and iss
        Map<String, String> params = flow.params("openid");
        params.remove("code_challenge");
        params.remove("code_challenge_method");
        AuthorizationResponse missing = OidcFlow.redirect(flow.authorize(params));
        assertEquals("invalid_request", missing.toErrorResponse().getErrorObject().getCode());
        assertEquals(flow.state, missing.getState().getValue());
        assertEquals(ISSUER, missing.getIssuer().getValue());
        // plain refused
        params = flow.params("openid");
        params.put("code_challenge", flow.verifier.getValue());
        params.put("code_challenge_method", "plain");
        assertEquals("invalid_request",
                OidcFlow.redirect(flow.authorize(params)).toErrorResponse().getErrorObject().getCode());
        // method omitted means plain: refused
        params = flow.params("openid");
        params.remove("code_challenge_method");
        assertEquals("invalid_request",
                OidcFlow.redirect(flow.authorize(params)).toErrorResponse().getErrorObject().getCode());
        // wrong verifier at the token endpoint
        AuthorizationCode code = flow.code(CITIZEN, "openid");
        TokenResponse wrong = flow.exchange(code, new CodeVerifier());
        assertEquals("invalid_grant", wrong.toErrorResponse().getErrorObject().getCode());
        // no verifier at all
        code = flow.code(CITIZEN, "openid");
        given().auth().preemptive().basic("test-web", TestClients.SECRET).contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "authorization_code").formParam("code", code.getValue())
                .formParam("redirect_uri", OidcFlow.REDIRECT).post("/oidc/token").then().statusCode(400)
                .body("error", equalTo("invalid_grant"));
    }

    @Test
    void unregisteredRedirectOrClientIsAnErrorPageNeverARedirect() {
        // oidcc-ensure-registered-redirect-uri
        OidcFlow flow = new OidcFlow("test-web", TestClients.SECRET);
        Map<String, String> params = flow.params("openid");
        params.put("redirect_uri", "https://evil.example/cb");
        Response r = flow.authorize(params);
        assertEquals(400, r.statusCode());
        assertNull(r.header("Location"));
        assertTrue(r.asString().contains("redirect_uri"));
        // a near miss is still a miss: exact match only
        params.put("redirect_uri", OidcFlow.REDIRECT + "/");
        assertEquals(400, flow.authorize(params).statusCode());
        params = flow.params("openid");
        params.put("client_id", "no-such-client");
        r = flow.authorize(params);
        assertEquals(400, r.statusCode());
        assertNull(r.header("Location"));
    }

    @Test
    void onlyTheCodeResponseTypeIsOffered() {
        // oidcc-response-type-missing and no implicit/hybrid
        OidcFlow flow = new OidcFlow("test-web", TestClients.SECRET);
        for (String type : List.of("token", "id_token", "code id_token", "code token")) {
            Map<String, String> params = flow.params("openid");
            params.put("response_type", type);
            AuthorizationResponse r = OidcFlow.redirect(flow.authorize(params));
            assertFalse(r.indicatesSuccess(), type);
        }
        Map<String, String> params = flow.params("openid");
        params.remove("response_type");
        AuthorizationResponse r = OidcFlow.redirect(flow.authorize(params));
        assertEquals("invalid_request", r.toErrorResponse().getErrorObject().getCode());
        assertEquals(flow.state, r.getState().getValue());
    }

    @Test
    void refreshRotatesAndReuseRevokesTheFamily() {
        OidcFlow flow = new OidcFlow("test-web", TestClients.SECRET);
        OIDCTokenResponse tokens = flow.tokens(CITIZEN, "openid profile");
        RefreshToken first = tokens.getOIDCTokens().getRefreshToken();
        assertNotNull(first);
        TokenResponse rotated = OidcFlow.send(new TokenRequest(OidcFlow.endpoint("token"), flow.auth(),
                new RefreshTokenGrant(first)));
        assertTrue(rotated.indicatesSuccess());
        RefreshToken second = rotated.toSuccessResponse().getTokens().getRefreshToken();
        assertNotEquals(first, second);
        // the old token again: refused, and the whole family is revoked
        TokenResponse reuse = OidcFlow.send(new TokenRequest(OidcFlow.endpoint("token"), flow.auth(),
                new RefreshTokenGrant(first)));
        assertEquals("invalid_grant", reuse.toErrorResponse().getErrorObject().getCode());
        TokenResponse afterReuse = OidcFlow.send(new TokenRequest(OidcFlow.endpoint("token"), flow.auth(),
                new RefreshTokenGrant(second)));
        assertEquals("invalid_grant", afterReuse.toErrorResponse().getErrorObject().getCode());
        introspect(rotated.toSuccessResponse().getTokens().getAccessToken().getValue()).then()
                .body("active", equalTo(false));
    }

    @Test
    void aRefreshAskingMoreThanTheGrantIsRefusedAndTheTokenStaysUsable() {
        OidcFlow flow = new OidcFlow("test-web", TestClients.SECRET);
        RefreshToken refresh = flow.tokens(CITIZEN, "openid profile").getOIDCTokens().getRefreshToken();
        TokenResponse wide = OidcFlow.send(new TokenRequest(OidcFlow.endpoint("token"), flow.auth(),
                new RefreshTokenGrant(refresh), com.nimbusds.oauth2.sdk.Scope.parse("openid profile email")));
        assertEquals("invalid_scope", wide.toErrorResponse().getErrorObject().getCode());
        // the corrected retry with the same refresh token is no reuse: it works, and the grant is not revoked
        TokenResponse retry = OidcFlow.send(new TokenRequest(OidcFlow.endpoint("token"), flow.auth(),
                new RefreshTokenGrant(refresh), com.nimbusds.oauth2.sdk.Scope.parse("openid")));
        assertTrue(retry.indicatesSuccess(), () -> retry.toErrorResponse().getErrorObject().toString());
        introspect(retry.toSuccessResponse().getTokens().getAccessToken().getValue()).then()
                .body("active", equalTo(true)).body("scope", equalTo("openid"));
        // the token it replaced is now used: reuse is still detected
        TokenResponse reuse = OidcFlow.send(new TokenRequest(OidcFlow.endpoint("token"), flow.auth(),
                new RefreshTokenGrant(refresh)));
        assertEquals("invalid_grant", reuse.toErrorResponse().getErrorObject().getCode());
    }

    @Test
    void clientAuthenticationMethods() {
        OidcFlow flow = new OidcFlow("test-web", TestClients.SECRET);
        AuthorizationCode code = flow.code(CITIZEN, "openid");
        // wrong secret: 401 invalid_client, code untouched
        given().auth().preemptive().basic("test-web", "wrong").contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "authorization_code").formParam("code", code.getValue())
                .formParam("redirect_uri", OidcFlow.REDIRECT).formParam("code_verifier", flow.verifier.getValue())
                .post("/oidc/token").then().statusCode(401).body("error", equalTo("invalid_client"))
                .header("WWW-Authenticate", notNullValue());
        // client_secret_post for a basic client: refused
        given().contentType("application/x-www-form-urlencoded").formParam("grant_type", "client_credentials")
                .formParam("client_id", "test-web").formParam("client_secret", TestClients.SECRET)
                .post("/oidc/token").then().statusCode(401).body("error", equalTo("invalid_client"));
        // client_secret_post client
        OidcFlow post = new OidcFlow("test-post", TestClients.SECRET);
        AuthorizationCode postCode = post.code(CITIZEN, "openid");
        given().contentType("application/x-www-form-urlencoded").formParam("grant_type", "authorization_code")
                .formParam("code", postCode.getValue()).formParam("redirect_uri", OidcFlow.REDIRECT)
                .formParam("code_verifier", post.verifier.getValue()).formParam("client_id", "test-post")
                .formParam("client_secret", TestClients.SECRET).post("/oidc/token").then().statusCode(200)
                .header("Cache-Control", containsString("no-store"))
                .body("id_token", notNullValue()).body("token_type", equalTo("Bearer"));
        // no authentication at all
        given().contentType("application/x-www-form-urlencoded").formParam("grant_type", "client_credentials")
                .post("/oidc/token").then().statusCode(401).body("error", equalTo("invalid_client"));
    }

    @Test
    void passwordAndImplicitGrantsAreRefused() {
        given().auth().preemptive().basic("test-web", TestClients.SECRET).contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "password").formParam("username", CITIZEN)
                .formParam("password", OidcFlow.PASSWORD).post("/oidc/token").then().statusCode(400)
                .body("error", equalTo("unsupported_grant_type"));
    }

    @Test
    void userInfoByGetAndPost() {
        // oidcc-userinfo-get, -post-header, -post-body
        OidcFlow flow = new OidcFlow("test-web", TestClients.SECRET);
        String token = flow.tokens(CITIZEN, "openid profile").getOIDCTokens().getAccessToken().getValue();
        given().auth().oauth2(token).get("/oidc/userinfo").then().statusCode(200)
                .body("name", equalTo("张三")).body("account_type", equalTo("natural_person"))
                .body("sub", notNullValue()).body("cn_id", equalTo(null));
        given().auth().oauth2(token).post("/oidc/userinfo").then().statusCode(200).body("name", equalTo("张三"));
        given().contentType("application/x-www-form-urlencoded").formParam("access_token", token)
                .post("/oidc/userinfo").then().statusCode(200).body("name", equalTo("张三"));
        given().auth().oauth2(token + "x").get("/oidc/userinfo").then().statusCode(401)
                .header("WWW-Authenticate", containsString("invalid_token"));
        given().get("/oidc/userinfo").then().statusCode(401);
    }

    @Test
    void userInfoWithATokenWithoutOpenidIsInsufficientScope() {
        // RFC 6750 §3.1: a valid token without the scope UserInfo needs is 403 insufficient_scope, not invalid_token
        OidcFlow flow = new OidcFlow("test-web", TestClients.SECRET);
        String oauthOnly = flow.exchange(flow.code(CITIZEN, "profile")).toSuccessResponse().getTokens()
                .getAccessToken().getValue();
        String system = given().auth().preemptive().basic("catalog-service", "demo-catalog-secret")
                .contentType("application/x-www-form-urlencoded").formParam("grant_type", "client_credentials")
                .post("/oidc/token").then().statusCode(200).extract().path("access_token");
        for (String token : List.of(oauthOnly, system)) {
            given().auth().oauth2(token).get("/oidc/userinfo").then().statusCode(403)
                    .header("WWW-Authenticate", containsString("error=\"insufficient_scope\""))
                    .body(not(containsString("\"sub\"")));
        }
    }

    @Test
    void overlongRequestValuesAreRefusedAtTheClientNotAServerError() {
        OidcFlow flow = new OidcFlow("test-web", TestClients.SECRET);
        // the nonce goes into the ID token: at most 255 characters
        Map<String, String> params = flow.params("openid");
        params.put("nonce", "n".repeat(255));
        assertTrue(flow.login(params, CITIZEN).indicatesSuccess());
        for (int length : new int[] {256, 1000}) {
            params = flow.params("openid");
            params.put("nonce", "n".repeat(length));
            assertInvalidRequest(flow, params);
        }
        // an S256 challenge is exactly 43 base64url characters
        for (String challenge : List.of("a".repeat(42), "a".repeat(44), "a".repeat(129), "a".repeat(42) + "=",
                "a".repeat(42) + "+")) {
            params = flow.params("openid");
            params.put("code_challenge", challenge);
            assertInvalidRequest(flow, params);
        }
    }

    @Test
    void withoutOpenidThereIsNoIdTokenNorAtRefresh() {
        // OIDC Core 3.1.2.1: a request without scope openid is plain OAuth 2.0
        OidcFlow flow = new OidcFlow("test-web", TestClients.SECRET);
        Response first = given().auth().preemptive().basic("test-web", TestClients.SECRET)
                .contentType("application/x-www-form-urlencoded").formParam("grant_type", "authorization_code")
                .formParam("code", flow.code(CITIZEN, "profile").getValue()).formParam("redirect_uri", OidcFlow.REDIRECT)
                .formParam("code_verifier", flow.verifier.getValue()).post("/oidc/token");
        first.then().statusCode(200).body("scope", equalTo("profile")).body("$", not(org.hamcrest.Matchers.hasKey("id_token")));
        given().auth().preemptive().basic("test-web", TestClients.SECRET).contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "refresh_token").formParam("refresh_token", first.path("refresh_token").toString())
                .post("/oidc/token").then().statusCode(200).body("$", not(org.hamcrest.Matchers.hasKey("id_token")));
    }

    @Test
    void aNegativeMaxAgeIsInvalidRequest() {
        // OIDC Core 3.1.2.1: max_age is a number of seconds; a negative one was read as no max_age at all
        OidcFlow flow = new OidcFlow("test-web", TestClients.SECRET);
        assertTrue(flow.login(flow.params("openid"), CITIZEN).indicatesSuccess());
        for (String maxAge : List.of("-1", "-600")) {
            Map<String, String> params = flow.params("openid");
            params.put("max_age", maxAge);
            assertInvalidRequest(flow, params);
        }
        // 0 is a valid value: the signed-in user is asked to sign in again
        Map<String, String> params = flow.params("openid");
        params.put("max_age", "0");
        flow.authorize(params).then().statusCode(200).body(containsString("name=\"password\""));
    }

    private static void assertInvalidRequest(OidcFlow flow, Map<String, String> params) {
        Response r = flow.authorize(params);
        assertEquals(303, r.statusCode(), () -> r.statusCode() + " " + r.asString());
        AuthorizationResponse response = OidcFlow.redirect(r);
        assertEquals("invalid_request", response.indicatesSuccess() ? "code issued"
                : response.toErrorResponse().getErrorObject().getCode());
        assertEquals(flow.state, response.getState().getValue());
    }

    @Test
    void perClientSigningAlgorithm() throws Exception {
        OidcFlow flow = new OidcFlow("test-es256", TestClients.SECRET);
        OIDCTokenResponse tokens = flow.tokens(CITIZEN, "openid");
        SignedJWT id = (SignedJWT) tokens.getOIDCTokens().getIDToken();
        assertEquals(JWSAlgorithm.ES256, id.getHeader().getAlgorithm());
        new IDTokenValidator(new Issuer(ISSUER), new ClientID("test-es256"), JWSAlgorithm.ES256,
                OidcFlow.endpoint("jwks").toURL()).validate(id, new Nonce(flow.nonce));
        resourceServer("onenet-catalog").process(tokens.getOIDCTokens().getAccessToken().getValue(), null);
    }

    static Response introspect(String token) {
        return given().auth().preemptive().basic("test-web", TestClients.SECRET)
                .contentType("application/x-www-form-urlencoded").formParam("token", token).post("/oidc/introspect");
    }

}
