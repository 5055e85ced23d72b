package cn.onenet.identity.oidc;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.xml.parsers.DocumentBuilderFactory;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

import cn.onenet.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;

/**
 * Every page of the provider names its icon, and the link resolves to an image the page's Content-Security-Policy
 * lets the browser load: without one, browsers ask for {@code /favicon.ico}, which nobody serves (a 404 problem from
 * the gateway in front of these pages).
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class PageIconTest {

    private static final Pattern ICON = Pattern.compile("<link\\b[^>]*\\brel=\"icon\"[^>]*>");
    private static final Pattern HREF = Pattern.compile("\\bhref=\"([^\"]*)\"");

    @Inject
    TestClients clients;

    @BeforeEach
    void clients() {
        clients.ensure(null);
    }

    /** The pages, by the address they are shown at (the icon's link is resolved against it). */
    private static Map<String, Response> pages() {
        Map<String, Response> pages = new LinkedHashMap<>();
        OidcFlow web = new OidcFlow("test-web", TestClients.SECRET);
        pages.put("/oidc/authorize", web.authorize(web.params("openid")));
        OidcFlow third = new OidcFlow("test-third", TestClients.SECRET);
        third.authorize(third.params("openid profile"));
        pages.put("/oidc/login", third.submitLogin("33010619920708002X", OidcFlow.PASSWORD, null, null));
        OidcFlow posted = new OidcFlow("test-web", TestClients.SECRET);
        Map<String, String> params = posted.params("openid");
        params.put("response_mode", "form_post");
        posted.authorize(params);
        pages.put("/oidc/login#form-post", posted.submitLogin("33010619920708002X", OidcFlow.PASSWORD, null, null));
        pages.put("/oidc/authorize#error", given().get("/oidc/authorize"));
        pages.put("/oidc/recover", given().get("/oidc/recover"));
        pages.put("/oidc/recover/reset", given().queryParam("token", "no-such-token").get("/oidc/recover/reset"));
        pages.put("/oidc/register", given().get("/oidc/register"));
        pages.put("/oidc/logout", given().redirects().follow(false).get("/oidc/logout"));
        pages.put("/oidc/logout#error", given().redirects().follow(false).queryParam("id_token_hint", "abc")
                .get("/oidc/logout"));
        pages.put("/oidc/logout#unregistered", given().redirects().follow(false).queryParam("client_id", "test-web")
                .queryParam("post_logout_redirect_uri", "https://elsewhere.example/").get("/oidc/logout"));
        pages.put("/oidc/contact-change/cancel",
                given().queryParam("token", "no-such-token").get("/oidc/contact-change/cancel"));
        return pages;
    }

    @Test
    void everyPageNamesAnIconThatResolves() throws Exception {
        Map<String, Response> pages = pages();
        assertTrue(pages.get("/oidc/login").asString().contains("decision"), "the consent page");
        assertTrue(pages.get("/oidc/login#form-post").asString().contains("data-auto-submit"), "the form_post page");
        assertEquals(400, pages.get("/oidc/logout#error").statusCode(), "the logout error page");
        assertEquals(400, pages.get("/oidc/logout#unregistered").statusCode(), "the logout error page");
        for (Map.Entry<String, Response> page : pages.entrySet()) {
            String where = page.getKey();
            Response response = page.getValue();
            String html = response.asString();
            assertTrue(response.contentType().startsWith("text/html"), where + ": " + response.contentType());
            Matcher link = ICON.matcher(html);
            assertTrue(link.find(), where + " names no icon: " + html);
            Matcher href = HREF.matcher(link.group());
            assertTrue(href.find(), where + ": " + link.group());
            URI base = URI.create("http://127.0.0.1:" + RestAssured.port + where.replaceAll("#.*", ""));
            URI icon = base.resolve(href.group(1).replace("&amp;", "&"));
            String policy = response.header("Content-Security-Policy");
            String images = policy == null ? null : policy.replaceAll(".*img-src ([^;]*).*", "$1");
            byte[] image;
            if ("data".equals(icon.getScheme())) {
                String uri = href.group(1);
                String data = uri.substring(uri.indexOf(',') + 1);
                assertTrue(uri.startsWith("data:image/svg+xml"), where + ": " + uri);
                image = uri.substring(0, uri.indexOf(',')).endsWith(";base64") ? Base64.getDecoder().decode(data)
                        : URLDecoder.decode(data.replace("+", "%2B"), StandardCharsets.UTF_8)
                                .getBytes(StandardCharsets.UTF_8);
                assertTrue(policy == null || images.contains("data:"), where + ": " + policy);
            } else {
                Response fetched = given().get(icon.getRawPath());
                assertEquals(200, fetched.statusCode(), where + ": " + icon);
                assertTrue(fetched.contentType().startsWith("image/svg+xml"), where + ": " + fetched.contentType());
                image = fetched.asByteArray();
                assertTrue(policy == null || images.contains("'self'"), where + ": " + policy);
            }
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            Document svg = factory.newDocumentBuilder().parse(new ByteArrayInputStream(image));
            assertNotNull(svg.getDocumentElement());
            assertEquals("svg", svg.getDocumentElement().getLocalName(), where);
            assertEquals("http://www.w3.org/2000/svg", svg.getDocumentElement().getNamespaceURI(), where);
        }
    }
}
