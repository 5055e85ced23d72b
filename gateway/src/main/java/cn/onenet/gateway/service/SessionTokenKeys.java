package cn.onenet.gateway.service;

import java.time.Duration;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import cn.onenet.common.security.RevokedTokens;
import io.netty.util.concurrent.FastThreadLocal;

/**
 * The revocation-list keys ({@code jti}, grant, {@code client_id}) of console sessions' access tokens, read from each
 * token's payload once: a session's every request checks its access token against identity's list, and decoding
 * the token's base64 and JSON each time cost more than the three set lookups themselves. Bounded: at most
 * {@code maxTokens} tokens, each forgotten after {@link #IDLE} without use (a session's token is renewed well before).
 */
final class SessionTokenKeys {

    /** The key of a token whose payload does not parse: it names nothing, so nothing refuses it (as before). */
    static final RevokedTokens.Key NONE = new RevokedTokens.Key(null, null, null);

    static final Duration IDLE = Duration.ofMinutes(10);

    private final Cache<String, RevokedTokens.Key> keys;

    /** Each thread's last token: a session's requests repeat it, and comparing costs less than hashing its length. */
    private final FastThreadLocal<Last> last = new FastThreadLocal<>() {
        @Override
        protected Last initialValue() {
            return new Last();
        }
    };

    private static final class Last {
        String token;
        RevokedTokens.Key key;
    }

    SessionTokenKeys(long maxTokens) {
        this.keys = Caffeine.newBuilder().maximumSize(maxTokens).expireAfterAccess(IDLE).build();
    }

    /** The token's key, {@link #NONE} when it has none; the same as {@link RevokedTokens#keyOf} would read. */
    RevokedTokens.Key of(String token) {
        if (token == null) {
            return NONE;
        }
        Last recent = last.get();
        if (token.equals(recent.token)) {
            return recent.key;
        }
        RevokedTokens.Key key = keys.get(token, SessionTokenKeys::read);
        recent.token = token;
        recent.key = key;
        return key;
    }

    /** How many tokens are remembered (after pending evictions). */
    long size() {
        keys.cleanUp();
        return keys.estimatedSize();
    }

    private static RevokedTokens.Key read(String token) {
        RevokedTokens.Key key = RevokedTokens.keyOf(token);
        return key == null ? NONE : key;
    }
}
