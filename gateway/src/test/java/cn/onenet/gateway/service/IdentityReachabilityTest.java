package cn.onenet.gateway.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import org.junit.jupiter.api.Test;

import cn.onenet.gateway.config.OidcUnavailableLogFilter;
import cn.onenet.gateway.support.LogCapture;
import io.quarkus.oidc.SecurityEvent;

/**
 * While identity-service starts in parallel, the gateway's start-up says so in its own words, once per outage, and
 * quarkus-oidc's advice about Keycloak realms is not shown.
 */
class IdentityReachabilityTest {

    private static final String URL = "http://127.0.0.1:8081/oidc";

    private static SecurityEvent event(SecurityEvent.Type type) {
        return new SecurityEvent(type, Map.of(SecurityEvent.AUTH_SERVER_URL, URL));
    }

    @Test
    void anOutageIsLoggedOnceInWordsThatFitAndItsEndToo() {
        IdentityReachability reachability = new IdentityReachability();
        try (LogCapture log = new LogCapture(IdentityReachability.class.getName())) {
            reachability.onOidcServer(event(SecurityEvent.Type.OIDC_SERVER_NOT_AVAILABLE));
            // every console request tries again while it is down: no line each time
            reachability.onOidcServer(event(SecurityEvent.Type.OIDC_SERVER_NOT_AVAILABLE));
            assertEquals(List.of("identity-service not reachable (yet) at " + URL
                    + ": the console's sign-in answers 503 until it is"), log.lines());
            reachability.onOidcServer(event(SecurityEvent.Type.OIDC_SERVER_AVAILABLE));
            reachability.onOidcServer(event(SecurityEvent.Type.OIDC_SERVER_AVAILABLE));
            assertEquals(2, log.lines().size(), log.lines().toString());
            assertEquals("identity-service reachable at " + URL + ": the console's sign-in works", log.lines().get(1));
            assertTrue(log.lines().stream().noneMatch(line -> line.contains("Keycloak")), log.lines().toString());
        }
    }

    @Test
    void quarkusOidcsKeycloakAdviceIsDroppedItsOtherRecordsPass() {
        OidcUnavailableLogFilter filter = new OidcUnavailableLogFilter();
        LogRecord keycloak = new LogRecord(Level.WARNING, "OIDC server is not available at the '" + URL + "' URL. "
                + "Please make sure it is correct. Note it has to end with a realm value if you work with Keycloak, "
                + "for example: 'https://localhost:8180/auth/realms/quarkus'");
        keycloak.setLoggerName("io.quarkus.oidc.runtime.OidcRecorder");
        assertFalse(filter.isLoggable(keycloak));
        LogRecord other = new LogRecord(Level.WARNING, "Secret key for encrypting the state cookie is missing");
        other.setLoggerName("io.quarkus.oidc.runtime.OidcRecorder");
        assertTrue(filter.isLoggable(other));
        LogRecord elsewhere = new LogRecord(Level.WARNING, keycloak.getMessage());
        elsewhere.setLoggerName("cn.onenet.gateway.rest.EdgeHandlers");
        assertTrue(filter.isLoggable(elsewhere));
    }
}
