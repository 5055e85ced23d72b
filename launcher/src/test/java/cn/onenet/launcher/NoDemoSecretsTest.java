package cn.onenet.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Without demo data the gateway gets a console client secret of the data directory's own, and identity-service the
 * same secret for its client {@code gateway}: otherwise console sign-in and the gateway's fetch of the revocation
 * list fail. Services are stand-ins ({@link StandInService}) that answer their environment.
 */
class NoDemoSecretsTest {

    private static final int OFFSET = 37_500;

    @Test
    void identityKnowsTheConsoleSecretTheGatewayIsGiven() throws Exception {
        Path data = Files.createTempDirectory("suite-no-demo-data");
        Suite.Options options = new Suite.Options(SuiteDataDirectoryTest.standInCheckout(), data, true, false, OFFSET,
                Duration.ofSeconds(60), List.of("-Xmx32m", "-XX:TieredStopAtLevel=1"));
        try (Suite suite = Suite.start(options)) {
            String gateway = env(suite.service("gateway"), "GATEWAY_CONSOLE_CLIENT_SECRET");
            String identity = env(suite.service("identity-service"), "IDENTITY_BOOTSTRAP_CLIENTS_GATEWAY_SECRET");
            assertFalse(gateway.isBlank());
            assertEquals(gateway, identity);
            assertEquals(Files.readString(data.resolve("gateway-console-client-secret")).trim(), gateway);
        }
    }

    private static String env(Suite.Running service, String name) throws Exception {
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + service.port() + "/env/" + name)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answer.statusCode(), service.spec().name() + " has no " + name);
        return answer.body();
    }
}
