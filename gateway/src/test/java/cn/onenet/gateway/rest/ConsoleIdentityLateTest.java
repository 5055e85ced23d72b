package cn.onenet.gateway.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import cn.onenet.gateway.support.TestUpstream;
import cn.onenet.testsupport.TestOidcResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.Vertx;

/**
 * identity-service comes up a moment after the gateway (./run starts every service at once; pods start in any order):
 * the console tenant waits for its keys instead of logging at every start that the OIDC server is not available.
 */
@QuarkusTest
@TestProfile(ConsoleIdentityLateTest.LateIdentity.class)
@QuarkusTestResource(TestOidcResource.class)
class ConsoleIdentityLateTest {

    static final Path LOG = Path.of("target", "console-identity-late.log");
    /** Where the late identity-service listens (the profile may be read in another class loader than the test's). */
    static final String URL_PROPERTY = "console-identity-late.url";
    private static Vertx vertx;
    private static TestUpstream identity;

    /** An identity-service whose first answer for the keys is "not there yet"; the gateway's log in a file. */
    public static class LateIdentity implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.oidc.console.auth-server-url", lateIdentity() + "/oidc",
                    "gateway.console.client-secret", TestUpstream.CONSOLE_SECRET,
                    "quarkus.log.file.enabled", "true",
                    "quarkus.log.file.path", LOG.toString());
        }
    }

    private static synchronized String lateIdentity() {
        // the overrides may be read more than once, in other class loaders: one identity-service for all of them
        String started = System.getProperty(URL_PROPERTY);
        if (started != null) {
            return started;
        }
        if (identity == null) {
            try {
                Files.deleteIfExists(LOG);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            vertx = Vertx.vertx();
            identity = new TestUpstream(vertx);
            identity.keysNotYetPublished.set(1);
            identity.start();
            System.setProperty(URL_PROPERTY, identity.url());
        }
        return identity.url();
    }

    @AfterAll
    static void stopIdentity() {
        if (identity != null) {
            identity.stop();
            vertx.close();
            identity = null;
        }
    }

    @Test
    void theConsoleWaitsForTheIdentityServiceWithoutAWarning() throws IOException {
        // the keys were asked for twice during the start: "not yet", then the keys
        assertEquals("2", keyRequests());
        String log = Files.readString(LOG);
        assertFalse(log.contains("OIDC server is not available"), log);
        assertFalse(log.contains("Keycloak"), log);
        // the console's login works at once, with the keys fetched at startup
        given().redirects().follow(false).get("/console").then().statusCode(302)
                .header("Location", containsString("/authorize"));
        assertEquals("2", keyRequests());
    }

    private static String keyRequests() {
        return given().get(System.getProperty(URL_PROPERTY) + "/test/key-requests").then().statusCode(200).extract()
                .asString();
    }
}
