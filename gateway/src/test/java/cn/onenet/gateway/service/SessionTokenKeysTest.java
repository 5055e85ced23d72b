package cn.onenet.gateway.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import cn.onenet.common.security.RevokedTokens;

/** A console session's access token is decoded once for the revocation check, in a bounded memory. */
class SessionTokenKeysTest {

    private static String token(String jti, String clientId) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String payload = "{\"sub\":\"u-1\",\"jti\":\"" + jti + "\",\"client_id\":\"" + clientId + "\"}";
        return b64.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + ".c2ln";
    }

    @Test
    void theKeyIsTheOneThePayloadNamesReadOncePerToken() throws Exception {
        SessionTokenKeys keys = new SessionTokenKeys(100);
        String token = token("g-1.a-1", "gateway");
        RevokedTokens.Key first = keys.of(token);
        assertEquals(RevokedTokens.keyOf(token), first);
        assertEquals(new RevokedTokens.Key("g-1.a-1", "g-1", "gateway"), first);
        // the same token again, as a new string (each request decrypts the session cookie anew): not read again
        assertSame(first, keys.of(new String(token.toCharArray())));
        // another thread (another event loop) finds it remembered too
        AtomicReference<RevokedTokens.Key> elsewhere = new AtomicReference<>();
        Thread other = new Thread(() -> elsewhere.set(keys.of(new String(token.toCharArray()))));
        other.start();
        other.join();
        assertSame(first, elsewhere.get());
        // another token has its own key
        assertEquals(new RevokedTokens.Key("g-2.a-1", "g-2", "gateway"), keys.of(token("g-2.a-1", "gateway")));
    }

    @Test
    void aTokenWithoutAPayloadNamesNothing() {
        SessionTokenKeys keys = new SessionTokenKeys(100);
        assertSame(SessionTokenKeys.NONE, keys.of("not-a-jwt"));
        assertSame(SessionTokenKeys.NONE, keys.of("a.%%%.b"));
        assertSame(SessionTokenKeys.NONE, keys.of(null));
    }

    @Test
    void atMostTheBoundIsRemembered() {
        SessionTokenKeys keys = new SessionTokenKeys(64);
        for (int i = 0; i < 5_000; i++) {
            assertEquals("g-" + i, keys.of(token("g-" + i + ".a", "gateway")).grant());
        }
        assertTrue(keys.size() <= 64, "remembered " + keys.size());
    }
}
