package cn.onenet.systemtests;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;

/**
 * Logs a person in through the real identity-service login page, reached through the gateway, the way a browser and
 * the console's relying party would: authorize with PKCE, submit the login form, take the code from the redirect to
 * the registered redirect URI (never following it) and redeem it with the client's secret. Nimbus does the protocol.
 */
final class CodeFlowClient {

    private static final Pattern HIDDEN = Pattern.compile("name=\"(req|csrf)\" value=\"([^\"]*)\"");

    private final String gateway;
    private final String clientId;
    private final String secret;
    private final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager())
            .followRedirects(HttpClient.Redirect.NEVER).build();

    CodeFlowClient(String gateway, String clientId, String secret) {
        this.gateway = gateway;
        this.clientId = clientId;
        this.secret = secret;
    }

    /** The access token of {@code username} for the given scope. */
    String accessToken(String username, String password, String scope) throws Exception {
        CodeVerifier verifier = new CodeVerifier();
        String redirect = gateway + "/console/callback";
        Map<String, String> params = new LinkedHashMap<>();
        params.put("response_type", "code");
        params.put("client_id", clientId);
        params.put("redirect_uri", redirect);
        params.put("scope", scope);
        params.put("state", "st-" + System.nanoTime());
        params.put("nonce", "n-" + System.nanoTime());
        params.put("code_challenge", CodeChallenge.compute(CodeChallengeMethod.S256, verifier).getValue());
        params.put("code_challenge_method", "S256");
        HttpResponse<String> page = send(HttpRequest.newBuilder(URI.create(gateway + "/oidc/authorize?" + form(params)))
                .GET().build());
        if (page.statusCode() != 200 || !page.body().contains("name=\"password\"")) {
            throw new AssertionError("expected the login page, got " + page.statusCode() + ": " + page.body());
        }
        Map<String, String> login = new LinkedHashMap<>();
        Matcher m = HIDDEN.matcher(page.body());
        while (m.find()) {
            login.put(m.group(1), m.group(2));
        }
        login.put("username", username);
        login.put("password", password);
        HttpResponse<String> answer = send(HttpRequest.newBuilder(URI.create(gateway + "/oidc/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(login))).build());
        String location = answer.headers().firstValue("Location")
                .orElseThrow(() -> new AssertionError("no redirect after login: " + answer.statusCode() + " "
                        + answer.body()));
        if (!location.startsWith(redirect)) {
            throw new AssertionError("login redirected elsewhere: " + location);
        }
        AuthorizationResponse response = AuthorizationResponse.parse(URI.create(location));
        if (!response.indicatesSuccess()) {
            throw new AssertionError("authorization refused: " + response.toErrorResponse().getErrorObject());
        }
        TokenRequest request = new TokenRequest(URI.create(gateway + "/oidc/token"),
                new ClientSecretBasic(new ClientID(clientId), new Secret(secret)),
                new AuthorizationCodeGrant(response.toSuccessResponse().getAuthorizationCode(), URI.create(redirect),
                        verifier));
        TokenResponse tokens = parse(request);
        return tokens.toSuccessResponse().getTokens().getAccessToken().getValue();
    }

    static TokenResponse parse(TokenRequest request) throws IOException, ParseException {
        TokenResponse tokens = OIDCTokenResponseParser.parse(request.toHTTPRequest().send());
        if (!tokens.indicatesSuccess()) {
            throw new AssertionError("token request refused: " + tokens.toErrorResponse().getErrorObject());
        }
        return tokens;
    }

    private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static String form(Map<String, String> values) {
        return values.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }
}
