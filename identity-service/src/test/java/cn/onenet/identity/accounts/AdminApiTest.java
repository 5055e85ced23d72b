package cn.onenet.identity.accounts;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;

import cn.onenet.identity.oidc.TestClients;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * What the tests of the administration API's registrations share: its paths, the test clients in place before each
 * test, the demo administrator's JSON requests and the check of a refusal naming a field.
 */
abstract class AdminApiTest {

    static final String ACCOUNTS = "/api/identity/v1/accounts";
    static final String CLIENTS = "/api/identity/v1/clients";

    @Inject
    TestClients clients;

    @BeforeEach
    void clients() {
        clients.ensure(null);
    }

    /** A JSON request of the demo administrator {@code dsj.admin}. */
    static RequestSpecification admin() {
        return AccountListTest.as("dsj.admin").contentType("application/json");
    }

    /** A problem+json refusal with this status, naming {@code field} and carrying the request id. */
    static void refused(Response response, int status, String field) {
        response.then().statusCode(status).contentType("application/problem+json").body("field", equalTo(field))
                .body("errors.field", hasItem(field)).body("requestId", notNullValue());
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
