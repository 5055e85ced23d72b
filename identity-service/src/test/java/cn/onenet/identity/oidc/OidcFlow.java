package cn.onenet.identity.oidc;

import static io.restassured.RestAssured.given;

import java.net.URI;
import java.util.HashMap;
import java.util.LinkedHashMap;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;

import io.restassured.RestAssured;
import io.restassured.response.Response;

/** Drives the code flow the way a browser and a relying party would, with Nimbus on the client side. */
public class OidcFlow {

    public static final String PASSWORD = "Zj@2026onenet";
    public static final String REDIRECT = "http://127.0.0.1:9/cb";

    public final Map<String, String> cookies = new HashMap<>();
    public final String clientId;
    public final String secret;
    public CodeVerifier verifier = new CodeVerifier();
    public String state;
    public String nonce;
    public Response last;

    public OidcFlow(String clientId, String secret) {
        this.clientId = clientId;
        this.secret = secret;
    }

    public static URI endpoint(String path) {
        return URI.create("http://127.0.0.1:" + RestAssured.port + "/oidc/" + path);
    }

    /** Standard authorization parameters, PKCE S256, fresh state and nonce. */
    public Map<String, String> params(String scope) {
        verifier = new CodeVerifier();
        state = "st-" + System.nanoTime();
        nonce = "n-" + System.nanoTime();
        Map<String, String> p = new LinkedHashMap<>();
        p.put("response_type", "code");
        p.put("client_id", clientId);
        p.put("redirect_uri", REDIRECT);
        p.put("scope", scope);
        p.put("state", state);
        p.put("nonce", nonce);
        p.put("code_challenge", CodeChallenge.compute(CodeChallengeMethod.S256, verifier).getValue());
        p.put("code_challenge_method", "S256");
        return p;
    }

    public Response authorize(Map<String, String> params) {
        last = given().redirects().follow(false).cookies(cookies).queryParams(params).get("/oidc/authorize");
        keepCookies(last);
        return last;
    }

    public Response submitLogin(String username, String password, String otp, String enterprise) {
        String html = last.asString();
        Map<String, String> form = new LinkedHashMap<>();
        form.put("req", hidden(html, "req"));
        form.put("csrf", hidden(html, "csrf"));
        form.put("username", username);
        form.put("password", password);
        if (otp != null) {
            form.put("otp", otp);
        }
        if (enterprise != null) {
            form.put("enterprise", enterprise);
        }
        last = given().redirects().follow(false).cookies(cookies).contentType("application/x-www-form-urlencoded")
                .formParams(form).post("/oidc/login");
        keepCookies(last);
        return last;
    }

    public Response submitConsent(boolean approve) {
        String html = last.asString();
        last = given().redirects().follow(false).cookies(cookies).contentType("application/x-www-form-urlencoded")
                .formParam("req", hidden(html, "req")).formParam("csrf", hidden(html, "csrf"))
                .formParam("decision", approve ? "approve" : "deny").post("/oidc/consent");
        keepCookies(last);
        return last;
    }

    /** Authorize, log in if the login page is shown, and return the redirect to the client. */
    public AuthorizationResponse login(Map<String, String> params, String username) {
        Response r = authorize(params);
        if (r.statusCode() == 200 && r.asString().contains("name=\"password\"")) {
            r = submitLogin(username, PASSWORD, null, null);
        }
        return redirect(r);
    }

    public static AuthorizationResponse redirect(Response r) {
        if (r.statusCode() != 303) {
            throw new AssertionError("expected a redirect, got " + r.statusCode() + ": " + r.asString());
        }
        try {
            return AuthorizationResponse.parse(URI.create(r.header("Location")));
        } catch (com.nimbusds.oauth2.sdk.ParseException e) {
            throw new AssertionError(e);
        }
    }

    public AuthorizationCode code(String username, String scope) {
        AuthorizationResponse response = login(params(scope), username);
        if (!response.indicatesSuccess()) {
            throw new AssertionError("authorization failed: " + response.toErrorResponse().getErrorObject());
        }
        return response.toSuccessResponse().getAuthorizationCode();
    }

    public ClientAuthentication auth() {
        return new ClientSecretBasic(new ClientID(clientId), new Secret(secret));
    }

    public TokenResponse exchange(AuthorizationCode code) {
        return exchange(code, verifier);
    }

    public TokenResponse exchange(AuthorizationCode code, CodeVerifier v) {
        TokenRequest request = new TokenRequest(endpoint("token"), auth(),
                new AuthorizationCodeGrant(code, URI.create(REDIRECT), v));
        return send(request);
    }

    public static TokenResponse send(TokenRequest request) {
        try {
            HTTPResponse http = request.toHTTPRequest().send();
            return OIDCTokenResponseParser.parse(http);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Full login for a user: returns the OIDC tokens. */
    public OIDCTokenResponse tokens(String username, String scope) {
        TokenResponse response = exchange(code(username, scope));
        if (!response.indicatesSuccess()) {
            throw new AssertionError("token request failed: " + response.toErrorResponse().getErrorObject());
        }
        return (OIDCTokenResponse) response.toSuccessResponse();
    }

    public static String accessToken(String clientId, String username) {
        return new OidcFlow(clientId, TestClients.SECRET).tokens(username, "openid profile").getOIDCTokens()
                .getAccessToken().getValue();
    }

    private void keepCookies(Response r) {
        for (io.restassured.http.Cookie c : r.getDetailedCookies()) {
            if (c.getMaxAge() == 0 || c.getValue() == null || c.getValue().isEmpty()) {
                cookies.remove(c.getName());
            } else {
                cookies.put(c.getName(), c.getValue());
            }
        }
    }

    public static String hidden(String html, String name) {
        Matcher m = Pattern.compile("name=\"" + name + "\" value=\"([^\"]*)\"").matcher(html);
        if (!m.find()) {
            throw new AssertionError("no hidden field " + name + " in: " + html);
        }
        return m.group(1);
    }

    /**
     * Whether the login page takes the password (from an address of its own, so a refusal counts against no other
     * test's address).
     */
    public static boolean signsIn(String username, String password) {
        OidcFlow flow = new OidcFlow("test-web", TestClients.SECRET);
        flow.authorize(flow.params("openid"));
        String html = flow.last.asString();
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        Response answer = given().redirects().follow(false).cookies(flow.cookies)
                .header("X-Forwarded-For", "10.77." + random.nextInt(256) + "." + random.nextInt(1, 255))
                .contentType("application/x-www-form-urlencoded").formParam("req", hidden(html, "req"))
                .formParam("csrf", hidden(html, "csrf")).formParam("username", username)
                .formParam("password", password).post("/oidc/login");
        return answer.statusCode() == 303 && redirect(answer).indicatesSuccess();
    }
}
