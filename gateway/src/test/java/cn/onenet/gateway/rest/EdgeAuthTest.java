package cn.onenet.gateway.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import cn.onenet.gateway.support.UpstreamsResource;
import cn.onenet.testsupport.TestOidcResource;
import cn.onenet.testsupport.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(UpstreamsResource.class)
@QuarkusTestResource(TestOidcResource.class)
class EdgeAuthTest {

    @Test
    void apiWithoutTokenIsRefusedAtTheEdge() {
        given().get("/api/exchange/v1/requests").then().statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer")
                .body("type", equalTo("urn:onenet:problem:unauthorized"))
                .body("requestId", notNullValue());
    }

    @Test
    void expiredTokenIsRefused() {
        String expired = TestTokens.expired("c-1", "onenet-exchange", "operator");
        given().auth().oauth2(expired).get("/api/exchange/v1/requests").then().statusCode(401)
                .contentType("application/problem+json");
    }

    @Test
    void tamperedSignatureIsRefused() {
        String token = TestTokens.departmentClient("tamper-client", "11330000002482170X", "onenet-exchange",
                "operator");
        String tampered = token.substring(0, token.length() - 4)
                + (token.endsWith("AAAA") ? "BBBB" : "AAAA");
        given().auth().oauth2(tampered).get("/api/exchange/v1/requests").then().statusCode(401);
    }

    @Test
    void tokenOfAnotherIssuerOrAudienceIsRefused() {
        String foreignAudience = TestTokens.departmentClient("aud-client", "11330000002482170X", "someone-else",
                "operator");
        given().auth().oauth2(foreignAudience).get("/api/exchange/v1/requests").then().statusCode(401);
    }

    @Test
    void validTokenPasses() {
        given().auth().oauth2(TestTokens.departmentClient("valid-client", "11330000002482170X", "onenet-exchange",
                "operator")).get("/api/exchange/v1/requests").then().statusCode(200)
                .body("uri", equalTo("/api/exchange/v1/requests"));
    }

    /**
     * An ID token of a client registered as {@code onenet-exchange}: identity's signature, issuer, that audience and
     * the user's roles, but JWS {@code typ} {@code JWT} (or none) instead of an access token's {@code at+jwt}. Refused at
     * the edge, also after the same claims as an access token were accepted (and remembered) on the fast path.
     */
    @Test
    void idTokenIsNoAccessToken() {
        Map<String, Object> claims = Map.of("sub", "u-idtoken", "aud", "onenet-exchange", "azp", "onenet-exchange",
                "roles", java.util.List.of("operator", "catalog-editor"), "dept", "11330000002481020A",
                "account_type", "civil_servant");
        String access = TestTokens.typed(claims, java.time.Duration.ofMinutes(5), TestTokens.ACCESS_TOKEN);
        given().auth().oauth2(access).get("/api/exchange/v1/requests").then().statusCode(200);
        given().auth().oauth2(access).get("/api/exchange/v1/requests").then().statusCode(200);
        for (String type : new String[] { TestTokens.ID_TOKEN, null, TestTokens.LOGOUT_TOKEN }) {
            String idToken = TestTokens.typed(claims, java.time.Duration.ofMinutes(5), type);
            for (int i = 0; i < 2; i++) {
                given().auth().oauth2(idToken).get("/api/exchange/v1/requests").then().statusCode(401)
                        .contentType("application/problem+json")
                        .body("type", equalTo("urn:onenet:problem:unauthorized"))
                        .body("requestId", notNullValue());
                given().auth().oauth2(idToken).contentType("application/json").body("[]")
                        .post("/api/exchange/v1/datasets/101001%2F000001/records").then().statusCode(401);
            }
        }
    }

    @Test
    void tokenForAnotherApiIsForbiddenOnThisOne() {
        String catalogOnly = TestTokens.departmentClient("catalog-only", "11330000002482170X", "onenet-catalog",
                "operator");
        given().auth().oauth2(catalogOnly).get("/api/exchange/v1/requests").then().statusCode(403)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:onenet:problem:forbidden"));
        given().auth().oauth2(catalogOnly).get("/api/catalog/v1/entries").then().statusCode(200);
    }

    /**
     * identity-service's and the exchange's read-only settings (a client form's limits) are routed like the rest of
     * their APIs: any valid token of the API's audience, none refused at the edge.
     */
    @Test
    void theServicesSettingsReachThemWithAnyTokenAndNotWithout() {
        for (String[] api : new String[][] { { "/api/identity/v1/settings", "onenet-identity" },
                { "/api/exchange/v1/settings", "onenet-exchange" } }) {
            given().get(api[0]).then().statusCode(401).contentType("application/problem+json")
                    .header("WWW-Authenticate", "Bearer").body("requestId", notNullValue());
            for (String token : new String[] { TestTokens.citizen("settings-citizen", "33010619920708002X", api[1]),
                    TestTokens.civilServant("settings-staff", "11330000002482170X", api[1], "operator") }) {
                given().auth().oauth2(token).get(api[0]).then().statusCode(200).body("uri", equalTo(api[0]));
            }
            given().auth().oauth2(TestTokens.citizen("settings-other", "33010619920708002X", "onenet-catalog"))
                    .get(api[0]).then().statusCode(403);
        }
    }

    private static String identityToken(String subject, String... roles) {
        return TestTokens.civilServant(subject, "11330000002482170X", "onenet-identity", roles);
    }

    private static String catalogToken(String subject, String... roles) {
        return TestTokens.civilServant(subject, "11330000002482170X", "onenet-catalog", roles);
    }

    private static String exchangeToken(String subject, String... roles) {
        return TestTokens.civilServant(subject, "11330000002482170X", "onenet-exchange", roles);
    }

    @Test
    void identitysAdministrationNeedsItsRolesAtTheEdge() {
        String staff = identityToken("u-staff", "operator");
        String admin = identityToken("u-admin", "admin");
        String auditor = identityToken("u-auditor", "auditor");
        // accounts: admins and auditors read, only admins change
        given().auth().oauth2(staff).get("/api/identity/v1/accounts?q=x").then().statusCode(403)
                .contentType("application/problem+json").body("type", equalTo("urn:onenet:problem:forbidden"));
        given().auth().oauth2(staff).get("/api/identity/v1/accounts/u-1").then().statusCode(403);
        given().auth().oauth2(admin).get("/api/identity/v1/accounts?q=x").then().statusCode(200);
        given().auth().oauth2(auditor).get("/api/identity/v1/accounts/u-1").then().statusCode(200);
        given().auth().oauth2(auditor).post("/api/identity/v1/accounts").then().statusCode(403);
        given().auth().oauth2(auditor).post("/api/identity/v1/accounts/u-1/disable").then().statusCode(403);
        given().auth().oauth2(auditor).put("/api/identity/v1/accounts/u-1/roles").then().statusCode(403);
        given().auth().oauth2(auditor).delete("/api/identity/v1/accounts/u-1/totp").then().statusCode(403);
        given().auth().oauth2(admin).post("/api/identity/v1/accounts/u-1/disable").then().statusCode(200);
        given().auth().oauth2(admin).delete("/api/identity/v1/accounts/u-1/totp").then().statusCode(200);
        // changes of administrators' accounts (双人复核): admins and auditors read, only admins decide
        given().auth().oauth2(staff).get("/api/identity/v1/admin-changes?status=PENDING").then().statusCode(403)
                .contentType("application/problem+json").body("type", equalTo("urn:onenet:problem:forbidden"));
        given().auth().oauth2(staff).get("/api/identity/v1/admin-changes/c-1").then().statusCode(403);
        given().auth().oauth2(admin).get("/api/identity/v1/admin-changes?status=PENDING").then().statusCode(200);
        given().auth().oauth2(auditor).get("/api/identity/v1/admin-changes/c-1").then().statusCode(200);
        given().auth().oauth2(auditor).post("/api/identity/v1/admin-changes/c-1/confirm").then().statusCode(403);
        given().auth().oauth2(staff).post("/api/identity/v1/admin-changes/c-1/reject").then().statusCode(403);
        given().auth().oauth2(admin).post("/api/identity/v1/admin-changes/c-1/confirm").then().statusCode(200);
        given().auth().oauth2(admin).post("/api/identity/v1/admin-changes/c-1/reject").then().statusCode(200);
        // OAuth clients and signing keys: admins only
        given().auth().oauth2(auditor).get("/api/identity/v1/clients").then().statusCode(403);
        given().auth().oauth2(staff).post("/api/identity/v1/clients/c-1/secret").then().statusCode(403);
        given().auth().oauth2(admin).get("/api/identity/v1/clients").then().statusCode(200);
        given().auth().oauth2(staff).post("/api/identity/v1/keys/rotate").then().statusCode(403);
        given().auth().oauth2(admin).post("/api/identity/v1/keys/rotate").then().statusCode(200);
        // the audit log: auditors only, an admin without the auditor role included
        given().auth().oauth2(admin).get("/api/identity/v1/audit").then().statusCode(403);
        given().auth().oauth2(auditor).get("/api/identity/v1/audit?type=LOGIN").then().statusCode(200);
        // departments: everyone signed in reads, only admins change
        given().auth().oauth2(staff).get("/api/identity/v1/departments").then().statusCode(200);
        given().auth().oauth2(staff).get("/api/identity/v1/departments/11330000002482170X").then().statusCode(200);
        given().auth().oauth2(staff).post("/api/identity/v1/departments").then().statusCode(403);
        given().auth().oauth2(staff).post("/api/identity/v1/departments/11330000002482170X/deactivate").then()
                .statusCode(403);
        given().auth().oauth2(admin).put("/api/identity/v1/departments/11330000002482170X").then().statusCode(200);
        // what the services let everyone signed in do stays open
        given().auth().oauth2(staff).get("/api/identity/v1/me").then().statusCode(200);
        given().auth().oauth2(staff).post("/api/identity/v1/delegations").then().statusCode(200);
    }

    @Test
    void theCatalogsAndTheExchangesAdministrationNeedsItsRolesAtTheEdge() {
        String staff = catalogToken("u-cat-staff", "operator", "catalog-editor", "reviewer");
        String admin = catalogToken("u-cat-admin", "admin");
        given().auth().oauth2(staff).put("/api/catalog/v1/calendar/2026-10-01").then().statusCode(403)
                .contentType("application/problem+json");
        given().auth().oauth2(staff).delete("/api/catalog/v1/calendar/2026-10-01").then().statusCode(403);
        given().auth().oauth2(staff).put("/api/catalog/v1/synonyms/户籍").then().statusCode(403);
        given().auth().oauth2(staff).get("/api/catalog/v1/search-index").then().statusCode(403);
        given().auth().oauth2(staff).post("/api/catalog/v1/search-index/rebuild").then().statusCode(403);
        given().auth().oauth2(staff).post("/api/catalog/v1/entries/12/reclassification").then().statusCode(403);
        given().auth().oauth2(admin).put("/api/catalog/v1/calendar/2026-10-01").then().statusCode(200);
        given().auth().oauth2(admin).put("/api/catalog/v1/synonyms/户籍").then().statusCode(200);
        given().auth().oauth2(admin).post("/api/catalog/v1/entries/12/reclassification").then().statusCode(200);
        // reads and the other roles' workflow steps stay the service's decision
        given().auth().oauth2(staff).get("/api/catalog/v1/calendar").then().statusCode(200);
        given().auth().oauth2(staff).get("/api/catalog/v1/calendar/working-days?from=2026-10-01&days=5").then()
                .statusCode(200);
        given().auth().oauth2(staff).get("/api/catalog/v1/synonyms").then().statusCode(200);
        given().auth().oauth2(staff).post("/api/catalog/v1/entries/12/submit").then().statusCode(200);

        String exchangeStaff = exchangeToken("u-ex-staff", "operator", "reviewer", "auditor");
        given().auth().oauth2(exchangeStaff).put("/api/exchange/v1/calendar/2026-10-01").then().statusCode(403);
        given().auth().oauth2(exchangeStaff).delete("/api/exchange/v1/calendar/2026-10-01").then().statusCode(403);
        given().auth().oauth2(exchangeStaff).get("/api/exchange/v1/calendar?year=2026").then().statusCode(200);
        given().auth().oauth2(exchangeToken("u-ex-admin", "admin")).put("/api/exchange/v1/calendar/2026-10-01")
                .then().statusCode(200);
    }

    /** The catalogue's documented public reads (catalog-service README) and the services' indexes. */
    private static final String[] OPEN_VIEW = { "/api/catalog/v1", "/api/exchange/v1", "/api/catalog/v1/search?q=x",
        "/api/catalog/v1/entries/12", "/api/catalog/v1/entries/by-code?code=103004", "/api/catalog/v1/entries/12/versions",
        "/api/catalog/v1/entries/12/versions/1", "/api/catalog/v1/entries/12/diff?from=1&to=2",
        "/api/catalog/v1/dcat/catalog?page=0&size=10", "/api/catalog/v1/dcat/entries/12",
        "/api/catalog/v1/classification", "/api/catalog/v1/classification/103004",
        "/api/catalog/v1/departments/11330000002481020A", "/api/catalog/v1/regions/330000",
        "/api/catalog/v1/entries/12/distribution", "/api/catalog/v1/entries/12/items/TBBH" };

    @Test
    void theOpenCatalogueViewIsPublicButTokensThereAreStillChecked() {
        for (String path : OPEN_VIEW) {
            given().get(path).then().statusCode(200).body("method", equalTo("GET")).body("uri", equalTo(path))
                    .body("headers.authorization", org.hamcrest.Matchers.nullValue())
                    // the anonymous plan (per address; 1000 in the tests) applies
                    .header("RateLimit-Limit", "1000");
            given().head(path).then().statusCode(200);
            // a token sent there is still checked; a valid one is the caller's
            given().auth().oauth2(TestTokens.expired("c-open", "onenet-catalog", "operator")).get(path).then()
                    .statusCode(401).contentType("application/problem+json");
            given().auth().oauth2(TestTokens.custom(Map.of("sub", "x", "aud",
                    java.util.List.of("onenet-catalog", "onenet-exchange")))).get(path).then().statusCode(200)
                    .body("uri", equalTo(path)).body("headers.authorization", notNullValue());
        }
        // the prefix the gateway opened before is no catalog path, and no longer public
        given().get("/api/catalog/v1/open/entries").then().statusCode(401);
    }

    @Test
    void theCataloguesWorkListsAndWritesStayClosedToAnonymousCallers() {
        String[][] closed = { { "GET", "/api/catalog/v1/entries" }, { "GET", "/api/catalog/v1/entries/overdue" },
            { "GET", "/api/catalog/v1/entries/12/history" }, { "GET", "/api/catalog/v1/entries/12/historyx" },
            { "GET", "/api/catalog/v1/entries/12/versionsx" }, { "GET", "/api/catalog/v1/entries/12/diff/x" },
            { "GET", "/api/catalog/v1/entries/12/items" }, { "GET", "/api/catalog/v1/entries/12/distribution/x" },
            { "GET", "/api/catalog/v1/departments" }, { "GET", "/api/catalog/v1/regions/330000/x" },
            { "GET", "/api/catalog/v1/regions" },
            { "PUT", "/api/catalog/v1/departments/11330000002481020A" }, { "GET", "/api/catalog/v1/departments/x/y" },
            { "GET", "/api/catalog/v1/classification/103004/x" }, { "GET", "/api/catalog/v1/entries/12/items/TBBH/x" },
            { "GET", "/api/catalog/v1/calendar" }, { "GET", "/api/catalog/v1/synonyms" },
            { "GET", "/api/catalog/v1/feed" }, { "GET", "/api/catalog/v1/compliance-report" },
            { "GET", "/api/catalog/v1/spreadsheets/entries" }, { "GET", "/api/catalog/v1/dcat" },
            { "GET", "/api/catalog/v1/dcat/catalog/x" }, { "GET", "/api/catalog/v1/classificationx" },
            { "GET", "/api/catalog/v1x" }, { "GET", "/api/exchange/v1/requests" },
            { "POST", "/api/catalog/v1/search" }, { "POST", "/api/catalog/v1/entries" },
            { "PUT", "/api/catalog/v1/entries/12" }, { "DELETE", "/api/catalog/v1/entries/12" },
            { "POST", "/api/catalog/v1/entries/12/submit" }, { "POST", "/api/catalog/v1/entries/12/versions" },
            { "POST", "/api/catalog/v1/entries/by-code" }, { "POST", "/api/catalog/v1/dcat/catalog" },
            { "PUT", "/api/catalog/v1/dcat/entries/12" }, { "POST", "/api/catalog/v1/classification" },
            { "POST", "/api/catalog/v1" }, { "DELETE", "/api/exchange/v1" } };
        for (String[] call : closed) {
            given().request(call[0], call[1]).then().log().ifValidationFails().statusCode(401)
                    .contentType("application/problem+json")
                    .header("WWW-Authenticate", "Bearer");
        }
        // with a token they reach the catalogue as before, which decides
        String editor = catalogToken("u-open-editor", "catalog-editor");
        given().auth().oauth2(editor).get("/api/catalog/v1/entries/12/history").then().statusCode(200);
        given().auth().oauth2(editor).get("/api/catalog/v1/entries").then().statusCode(200);
        given().auth().oauth2(editor).put("/api/catalog/v1/entries/12").then().statusCode(200);
        given().auth().oauth2(editor).post("/api/catalog/v1/entries/12/submit").then().statusCode(200);
    }

    @Test
    void identitysProtocolEndpointsJudgeTheTokenThemselves() {
        // an ordinary relying party's access token: no audience of the suite's APIs (identity's UserInfo answers any
        // client's user token)
        String relyingParty = TestTokens.custom(Map.of("sub", "u-rp", "aud", "r2-rp", "azp", "r2-rp"));
        given().auth().oauth2(relyingParty).get("/oidc/userinfo").then().statusCode(200)
                .body("uri", equalTo("/oidc/userinfo"))
                .body("headers.authorization", equalTo("Bearer " + relyingParty))
                // the plan of the client the token names (azp r2-rp) at this address (500 in the tests), not the
                // anonymous one
                .header("RateLimit-Limit", "500");
        // invalid or expired: identity answers with its own RFC 6750 error, the gateway passes the header on
        for (String token : new String[] { "abc", TestTokens.expired("u-rp", "onenet-identity") }) {
            given().auth().oauth2(token).get("/oidc/userinfo").then().statusCode(200)
                    .body("headers.authorization", equalTo("Bearer " + token));
            given().auth().oauth2(token).post("/oidc/revoke").then().statusCode(200)
                    .body("uri", equalTo("/oidc/revoke"));
            given().auth().oauth2(token).get("/.well-known/oauth-authorization-server/oidc").then().statusCode(200);
        }
        // the APIs behind the gateway still check the same tokens at the edge
        given().auth().oauth2(relyingParty).get("/api/identity/v1/me").then().statusCode(401);
        given().auth().oauth2("abc").get("/api/identity/v1/me").then().statusCode(401);
    }

    @Test
    void aRefusedTokenIsNamedInTheChallengeAMissingOneIsNot() {
        // RFC 6750 §3.1: invalid_token for a token sent and refused ...
        String expired = TestTokens.expired("c-4", "onenet-exchange", "operator");
        for (String token : new String[] { "abc", expired }) {
            given().auth().oauth2(token).get("/api/exchange/v1/requests").then().statusCode(401)
                    .contentType("application/problem+json")
                    .header("WWW-Authenticate", org.hamcrest.Matchers.startsWith("Bearer error=\"invalid_token\", "
                            + "error_description=\""))
                    .body("type", equalTo("urn:onenet:problem:unauthorized"));
        }
        // ... also where the path needs a role
        given().auth().oauth2(expired).post("/api/identity/v1/keys/rotate").then().statusCode(401)
                .header("WWW-Authenticate", org.hamcrest.Matchers.startsWith("Bearer error=\"invalid_token\""));
        // ... no error code when no credentials were sent, nor for another scheme
        given().get("/api/exchange/v1/requests").then().statusCode(401).header("WWW-Authenticate", "Bearer");
        given().header("Authorization", "Basic dTpw").get("/api/exchange/v1/requests").then().statusCode(401)
                .header("WWW-Authenticate", "Bearer");
        // ... and insufficient_scope when the edge refuses the token's roles (twice: the second time the token is
        // known and takes the fast path, whose refusals go through the full chain) or its audience
        String staff = identityToken("u-scope", "operator");
        for (int i = 0; i < 2; i++) {
            given().auth().oauth2(staff).get("/api/identity/v1/accounts").then().statusCode(403)
                    .contentType("application/problem+json")
                    .header("WWW-Authenticate", org.hamcrest.Matchers.startsWith(
                            "Bearer error=\"insufficient_scope\", error_description=\""));
        }
        given().auth().oauth2(staff).get("/api/exchange/v1/requests").then().statusCode(403)
                .header("WWW-Authenticate", org.hamcrest.Matchers.startsWith("Bearer error=\"insufficient_scope\""));
    }

    @Test
    void identitysPublicApiIsOpenToAnonymousCallersAndNothingElseOfIt() {
        // identity-service's @PermitAll endpoints: registration, recovery, the identifier check, departments, regions
        given().contentType("application/json").body("{}").post("/api/identity/v1/registrations").then()
                .statusCode(200).body("method", equalTo("POST")).body("uri", equalTo("/api/identity/v1/registrations"))
                .body("headers.authorization", org.hamcrest.Matchers.nullValue())
                // the anonymous plan (per address; 1000 in the tests) applies
                .header("RateLimit-Limit", "1000");
        given().contentType("application/json").body("{}").post("/api/identity/v1/registrations/confirm").then()
                .statusCode(200).body("uri", equalTo("/api/identity/v1/registrations/confirm"));
        given().contentType("application/json").body("{}").post("/api/identity/v1/recovery").then().statusCode(200);
        given().contentType("application/json").body("{}").post("/api/identity/v1/recovery/reset").then()
                .statusCode(200);
        given().contentType("application/json").body("{}").post("/api/identity/v1/identifiers/check").then()
                .statusCode(200);
        given().contentType("application/json").body("{}").post("/api/identity/v1/contact-changes/cancel").then()
                .statusCode(200).body("uri", equalTo("/api/identity/v1/contact-changes/cancel"));
        given().contentType("application/json").body("{}").post("/api/identity/v1/account-closures/cancel").then()
                .statusCode(200).body("uri", equalTo("/api/identity/v1/account-closures/cancel"));
        given().get("/api/identity/v1/departments?region=330000").then().statusCode(200)
                .body("uri", equalTo("/api/identity/v1/departments?region=330000"));
        given().get("/api/identity/v1/departments/11330000002482170X").then().statusCode(200);
        given().get("/api/identity/v1/regions").then().statusCode(200);
        given().get("/api/identity/v1/regions/330000").then().statusCode(200);
        // other methods on those paths, the departments' administration and the rest of identity's API: a token
        given().get("/api/identity/v1/registrations").then().statusCode(401)
                .contentType("application/problem+json");
        given().delete("/api/identity/v1/recovery").then().statusCode(401);
        given().get("/api/identity/v1/account-closures/cancel").then().statusCode(401);
        given().get("/api/identity/v1/contact-changes/cancel").then().statusCode(401);
        given().post("/api/identity/v1/contact-changes/other").then().statusCode(401);
        given().put("/api/identity/v1/me/contact").then().statusCode(401);
        given().post("/api/identity/v1/registrations/other").then().statusCode(401);
        given().post("/api/identity/v1/identifiers/check/x").then().statusCode(401);
        given().post("/api/identity/v1/departments").then().statusCode(401);
        given().put("/api/identity/v1/departments/11330000002482170X").then().statusCode(401);
        given().post("/api/identity/v1/departments/11330000002482170X/deactivate").then().statusCode(401);
        given().post("/api/identity/v1/regions").then().statusCode(401);
        given().get("/api/identity/v1/me").then().statusCode(401);
        given().get("/api/identity/v1/accounts").then().statusCode(401);
        given().post("/api/identity/v1/delegations").then().statusCode(401);
        // a token sent to a public path is still checked; a valid one passes as before
        given().auth().oauth2(TestTokens.expired("c-3", "onenet-identity", "operator")).contentType("application/json")
                .body("{}").post("/api/identity/v1/recovery").then().statusCode(401);
        String staff = identityToken("u-public", "operator");
        given().auth().oauth2(staff).get("/api/identity/v1/registrations").then().statusCode(200);
        given().auth().oauth2(staff).post("/api/identity/v1/departments").then().statusCode(403);
    }

    @Test
    void theExchangesSealKeysArePublicTheRestOfItsSealApiIsNot() {
        given().get("/api/exchange/v1/seals/jwks").then().statusCode(200)
                .body("uri", org.hamcrest.Matchers.equalTo("/api/exchange/v1/seals/jwks"));
        given().post("/api/exchange/v1/seals/jwks").then().statusCode(401);
        given().get("/api/exchange/v1/usage-log/checkpoint-keys").then().statusCode(200)
                .body("uri", org.hamcrest.Matchers.equalTo("/api/exchange/v1/usage-log/checkpoint-keys"));
        given().get("/api/exchange/v1/usage-log/checkpoints").then().statusCode(401);
        given().get("/api/exchange/v1/seals/jwks/other").then().statusCode(401);
        given().post("/api/exchange/v1/seals/departments/11330000002482170X/keys").then().statusCode(401);
        given().post("/api/exchange/v1/seals/verify").then().statusCode(401);
    }
}
