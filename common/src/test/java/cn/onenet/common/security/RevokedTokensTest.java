package cn.onenet.common.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import io.vertx.core.Vertx;

/** The list as fetched over HTTP from a server answering as identity's {@code /oidc/revocations} does. */
class RevokedTokensTest {

    private HttpServer server;
    private Vertx vertx;
    private final AtomicReference<String> body = new AtomicReference<>();
    private final AtomicInteger status = new AtomicInteger(200);
    private final AtomicReference<String> authorization = new AtomicReference<>();

    @BeforeEach
    void start() throws IOException {
        vertx = Vertx.vertx();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/oidc/revocations", exchange -> {
            authorization.set(exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] bytes = body.get().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status.get(), bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        vertx.close();
    }

    private RevokedTokens list() {
        return new RevokedTokens(vertx, Optional.of("http://127.0.0.1:" + server.getAddress().getPort() + "/oidc/revocations"),
                Optional.of("catalog-service"), Optional.of("s3cret"), Duration.ofSeconds(5));
    }

    private static boolean fetched(RevokedTokens list) {
        try {
            return list.refresh().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void grantsTokensAndClientsAreRefusedAsListed() {
        body.set("""
                {"asOf":"2026-12-07T11:20:05+08:00","lookback":"PT6M","grants":["0b6f3c52-5d0e-4b8a-9a51-6f1c2d7e9a10"],
                 "tokens":["8d1e2f30-44a5-4b6c-8d7e-9f0a1b2c3d4e.3"],"clients":["old-portal"]}""");
        RevokedTokens list = list();
        assertFalse(list.revoked("0b6f3c52-5d0e-4b8a-9a51-6f1c2d7e9a10.1", "test-web"), "nothing fetched yet");
        assertTrue(fetched(list));
        assertEquals("Basic Y2F0YWxvZy1zZXJ2aWNlOnMzY3JldA==", authorization.get());
        assertTrue(list.revoked("0b6f3c52-5d0e-4b8a-9a51-6f1c2d7e9a10.1", "test-web"), "a token of a revoked grant");
        assertTrue(list.revoked("0b6f3c52-5d0e-4b8a-9a51-6f1c2d7e9a10.7", null));
        assertTrue(list.revoked("8d1e2f30-44a5-4b6c-8d7e-9f0a1b2c3d4e.3", "test-web"), "a revoked token");
        assertFalse(list.revoked("8d1e2f30-44a5-4b6c-8d7e-9f0a1b2c3d4e.4", "test-web"), "its sibling is not");
        assertTrue(list.revoked("cc.5f2a", "old-portal"), "a disabled client's token");
        assertFalse(list.revoked("cc.0b6f3c52-5d0e-4b8a-9a51-6f1c2d7e9a10.1", "gat-population-system"),
                "a client-credentials token is no grant's");
        assertFalse(list.revoked(null, null));
    }

    @Test
    void theLastListStaysInForceWhileIdentityDoesNotAnswerIt() {
        body.set("{\"grants\":[],\"tokens\":[\"a.1\"],\"clients\":[]}");
        RevokedTokens list = list();
        assertTrue(fetched(list));
        status.set(503);
        body.set("{\"status\":503}");
        assertFalse(fetched(list));
        assertTrue(list.revoked("a.1", null));
        status.set(200);
        body.set("{\"grants\":[],\"tokens\":[]}");
        assertFalse(fetched(list), "a list without clients is not taken");
        assertTrue(list.revoked("a.1", null));
        body.set("{\"grants\":[],\"tokens\":[],\"clients\":[]}");
        assertTrue(fetched(list));
        assertFalse(list.revoked("a.1", null), "taken back by identity");
    }

    @Test
    void withoutAnAddressNothingIsFetchedNorRefused() {
        RevokedTokens list = new RevokedTokens(vertx, Optional.of(" "), Optional.empty(), Optional.empty(),
                Duration.ofSeconds(5));
        assertFalse(list.active());
    }
}
