package cn.onenet.common.security;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.Test;

/** Only a JWS whose header says {@code typ: at+jwt} (RFC 9068) counts as an access token. */
class AccessTokenTypeTest {

    @Test
    void accessTokenTypesAreAccepted() {
        assertTrue(AccessTokenTypeRefusal.accessToken(jws("{\"alg\":\"RS256\",\"typ\":\"at+jwt\",\"kid\":\"k\"}")));
        assertTrue(AccessTokenTypeRefusal.accessToken(jws("{\"alg\":\"RS256\",\"typ\":\"application/at+jwt\"}")));
        assertTrue(AccessTokenTypeRefusal.accessToken(jws("{\"alg\":\"RS256\",\"typ\":\"AT+JWT\"}")));
    }

    @Test
    void idTokensLogoutTokensAndUntypedTokensAreRefused() {
        assertFalse(AccessTokenTypeRefusal.accessToken(jws("{\"alg\":\"RS256\",\"typ\":\"JWT\"}")), "ID token");
        assertFalse(AccessTokenTypeRefusal.accessToken(jws("{\"alg\":\"RS256\"}")), "no typ");
        assertFalse(AccessTokenTypeRefusal.accessToken(jws("{\"alg\":\"RS256\",\"typ\":\"logout+jwt\"}")), "logout");
        assertFalse(AccessTokenTypeRefusal.accessToken(jws("{\"alg\":\"RS256\",\"typ\":[\"at+jwt\"]}")), "array");
        assertFalse(AccessTokenTypeRefusal.accessToken(jws("{\"alg\":\"RS256\",\"typ\":\"at+jwt2\"}")), "other");
        assertFalse(AccessTokenTypeRefusal.accessToken("not-a-token"));
        assertFalse(AccessTokenTypeRefusal.accessToken("%%%.e30.sig"));
        assertFalse(AccessTokenTypeRefusal.accessToken(null));
    }

    private static String jws(String header) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString("{\"sub\":\"u\"}".getBytes(StandardCharsets.UTF_8)) + ".c2ln";
    }
}
