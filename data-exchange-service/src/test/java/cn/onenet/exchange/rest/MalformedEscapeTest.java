package cn.onenet.exchange.rest;

import static cn.onenet.testsupport.RawTarget.refusedEscape;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URL;

import org.junit.jupiter.api.Test;

import cn.onenet.exchange.ExchangeTestBase;
import cn.onenet.testsupport.RawTarget;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A percent-escape that is not {@code %} and two hexadecimal digits, or whose bytes are not UTF-8, in the query or
 * the path (a resource code, whose slash is sent as {@code %2F}) is a 400 problem naming the parameter (or
 * {@code path}) with the request id, not an empty 400.
 */
@QuarkusTest
class MalformedEscapeTest extends ExchangeTestBase {

    @TestHTTPResource("/")
    URL base;

    @Test
    void aMalformedEscapeInTheQueryIsA400NamingTheParameter() {
        String token = operator(RequestWorkflowTest.PROVIDER);
        for (String value : new String[] { "%", "%E4%B8", "%ZZ", "%C0%AF" }) {
            refusedEscape(base, "GET", "/api/exchange/v1/datasets?provider=" + value, token, "provider");
        }
        refusedEscape(base, "GET", "/api/exchange/v1/datasets?page=0&%E4=1", token, "query");
        // well formed (%30 is "0"), the department's own filter is answered
        assertEquals(200, RawTarget.send(base, "GET", "/api/exchange/v1/datasets?provider="
                + RequestWorkflowTest.PROVIDER.replace("80G", "8%30G"), null, "Authorization: Bearer " + token)
                .status());
    }

    @Test
    void aMalformedEscapeInAResourceCodeIsA400NamingThePath() {
        String token = operator(RequestWorkflowTest.PROVIDER);
        for (String code : new String[] { "330000-01-02%2F%ZZ", "330000-01-02%2", "%E4%B8-01" }) {
            refusedEscape(base, "GET", "/api/exchange/v1/datasets/" + code + "/freshness", token, "path");
            refusedEscape(base, "POST", "/api/exchange/v1/datasets/" + code + "/records", token, "path");
        }
        // a well-formed code is read as before (an unknown one is 404, not a malformed request)
        int known = RawTarget.send(base, "GET", "/api/exchange/v1/datasets/330000-01-02%2F999999/freshness", null,
                "Authorization: Bearer " + token).status();
        assertEquals(404, known);
    }
}
