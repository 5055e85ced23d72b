package cn.onenet.catalog.rest;

import static cn.onenet.catalog.support.Fixtures.editor;
import static cn.onenet.testsupport.RawTarget.refusedEscape;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URL;

import org.junit.jupiter.api.Test;

import cn.onenet.catalog.support.FakeExchange;
import cn.onenet.testsupport.PostgresTestResource;
import cn.onenet.testsupport.RawTarget;
import cn.onenet.testsupport.TestOidcResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A percent-escape that is not {@code %} and two hexadecimal digits, or whose bytes are not UTF-8, in the query or
 * the path is a 400 problem naming the parameter (or {@code path}) with the request id, not an empty 400.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestOidcResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FakeExchange.class, restrictToAnnotatedClass = false)
class MalformedEscapeTest {

    @TestHTTPResource("/")
    URL base;

    @Test
    void aMalformedEscapeInTheQueryIsA400NamingTheParameter() {
        String token = editor();
        for (String value : new String[] { "%", "%E4%B8", "%ZZ", "%4", "abc%", "%C0%AF", "%E6%88%B7%" }) {
            refusedEscape(base, "GET", "/api/catalog/v1/search?size=5&q=" + value, null, "q");
            refusedEscape(base, "GET", "/api/catalog/v1/entries?state=DRAFT&provider=" + value, token, "provider");
        }
        // a name that does not decode names no parameter: the query is named
        refusedEscape(base, "GET", "/api/catalog/v1/search?q%ZZ=1", null, "query");
        // the same values well formed are searched
        assertEquals(200, RawTarget.send(base, "GET", "/api/catalog/v1/search?q=%E6%88%B7%E7%B1%8D", null).status());
        assertEquals(200, RawTarget.send(base, "GET", "/api/catalog/v1/search?q=100%25", null).status());
    }

    @Test
    void aMalformedEscapeInThePathIsA400NamingThePath() {
        String token = editor();
        for (String segment : new String[] { "%ZZ", "%", "%E4%B8", "12%G1" }) {
            refusedEscape(base, "GET", "/api/catalog/v1/entries/" + segment, token, "path");
        }
        // refused before authentication, as a NUL character is: nothing is read or changed either way
        refusedEscape(base, "GET", "/api/catalog/v1/entries/%ZZ", null, "path");
        refusedEscape(base, "DELETE", "/api/catalog/v1/calendar/%E4", token, "path");
    }
}
