package cn.onenet.gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

import org.junit.jupiter.api.Test;

/** The kubernetes profile's trust in forwarding headers, as the pods run it. */
class ForwardingConfigTest {

    private static Properties settings() throws IOException {
        Properties properties = new Properties();
        try (InputStream in = ForwardingConfigTest.class.getResourceAsStream("/application.properties")) {
            properties.load(in);
        }
        return properties;
    }

    @Test
    void theHostIsNotTakenFromXForwardedHost() throws IOException {
        assertEquals("false", settings().getProperty("%kubernetes.quarkus.http.proxy.enable-forwarded-host"));
    }

    @Test
    void theTrustedProxiesAreTheOperatorsToSet() throws IOException {
        String trusted = settings().getProperty("%kubernetes.quarkus.http.proxy.trusted-proxies");
        assertTrue(trusted.startsWith("${gateway.trusted-proxies:"), trusted);
    }
}
