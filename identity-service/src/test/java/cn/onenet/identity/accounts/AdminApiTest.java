package cn.onenet.identity.accounts;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import cn.onenet.identity.oidc.WithTestClients;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * What the tests of the administration API's registrations share: its paths, the test clients in place before each
 * test, the demo administrator's JSON requests and the check of a refusal naming a field.
 */
abstract class AdminApiTest extends WithTestClients {

    static final String ACCOUNTS = "/api/identity/v1/accounts";
    /** The request id the tests' requests send: a refusal quotes it back. */
    static final String REQUEST_ID = "admin-api-test";

    /** A JSON request of the demo administrator {@code dsj.admin}, sending {@link #REQUEST_ID}. */
    static RequestSpecification admin() {
        return AccountListTest.as("dsj.admin").contentType("application/json").header("X-Request-Id", REQUEST_ID);
    }

    /** A problem+json refusal with this status, naming {@code field} and quoting the caller's {@link #REQUEST_ID}. */
    static void refused(Response response, int status, String field) {
        response.then().statusCode(status).contentType("application/problem+json").body("field", equalTo(field))
                .body("errors.field", hasItem(field)).body("requestId", equalTo(REQUEST_ID));
    }

    /** A 400 naming {@code field}. */
    static void refused(Response response, String field) {
        refused(response, 400, field);
    }

    /** No client is registered with this id. */
    static void absent(String clientId) {
        AccountListTest.as("dsj.admin").get(CLIENTS + "/" + clientId).then().statusCode(404);
    }
}
