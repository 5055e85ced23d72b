package cn.onenet.identity.oidc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.URI;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.nimbusds.oauth2.sdk.util.URLUtils;

import cn.onenet.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Errors for response types whose default response mode is the fragment go back in the fragment (RFC 6749
 * §4.2.2.1, OAuth 2.0 Multiple Response Type Encoding Practices §5); errors for {@code code} in the query.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class ErrorResponseModeTest {

    @Inject
    TestClients clients;

    @BeforeEach
    void clients() {
        clients.ensure(null);
    }

    @Test
    void implicitAndHybridErrorsGoInTheFragment() {
        OidcFlow flow = new OidcFlow("test-web", TestClients.SECRET);
        for (String type : List.of("token", "id_token", "code id_token", "code token", "id_token token")) {
            Map<String, String> params = flow.params("openid");
            params.put("response_type", type);
            URI location = URI.create(flow.authorize(params).header("Location"));
            assertNull(location.getRawQuery(), type + ": " + location);
            Map<String, List<String>> fragment = URLUtils.parseParameters(location.getRawFragment());
            assertEquals(List.of("unsupported_response_type"), fragment.get("error"), type);
            assertEquals(List.of(flow.state), fragment.get("state"), type);
            assertNotNull(fragment.get("iss"), type);
        }
        // without a nonce the same: the response type is refused before the rules of the types it would allow
        for (String type : List.of("code id_token", "id_token", "code id_token token")) {
            Map<String, String> params = flow.params("openid");
            params.remove("nonce");
            params.put("response_type", type);
            URI location = URI.create(flow.authorize(params).header("Location"));
            Map<String, List<String>> fragment = URLUtils.parseParameters(location.getRawFragment());
            assertEquals(List.of("unsupported_response_type"), fragment.get("error"), type + ": " + location);
            assertEquals(List.of(flow.state), fragment.get("state"), type);
        }
        // a response_mode asking for the query does not move them there (tokens never go in the query)
        Map<String, String> query = flow.params("openid");
        query.put("response_type", "token");
        query.put("response_mode", "query");
        URI inFragment = URI.create(flow.authorize(query).header("Location"));
        assertNull(inFragment.getRawQuery(), inFragment.toString());
        assertEquals(List.of("unsupported_response_type"),
                URLUtils.parseParameters(inFragment.getRawFragment()).get("error"));
        // code with a response_mode not offered (JARM): the query, as code's default
        Map<String, String> params = flow.params("openid");
        params.put("response_mode", "jwt");
        URI location = URI.create(flow.authorize(params).header("Location"));
        assertNull(location.getRawFragment(), location.toString());
        assertEquals(List.of("invalid_request"), URLUtils.parseParameters(location.getRawQuery()).get("error"));
    }
}
