package cn.onenet.gateway.client;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.impl.HttpServerRequestInternal;
import io.vertx.core.impl.ContextInternal;

/**
 * An HTTP/2 request without {@code content-length}. HTTP/2 frames the body in DATA frames, so a client need not
 * declare its length (nor may it send {@code Transfer-Encoding}): whether there is a body at all shows only when the
 * first DATA frame arrives or the stream ends. Until then the request must neither be taken for body-less (its body
 * would be dropped, and the route's size limit never applied) nor for a streamed upload (every GET would become one,
 * and could no longer be retried).
 */
final class UndeclaredBody {

    /** The answer when nothing arrived within the wait: a body may still follow, none of it read yet. */
    static final Buffer UNKNOWN = Buffer.buffer();

    private UndeclaredBody() {
    }

    /** Whether the request's headers leave its body undeclared, i.e. HTTP/2 without content-length. */
    static boolean undeclared(HttpServerRequest request) {
        return request.version() == HttpVersion.HTTP_2 && request.getHeader(HttpHeaders.CONTENT_LENGTH) == null
                && !request.isEnded();
    }

    /**
     * Reads up to the first non-empty chunk of the (paused) request and pauses it again. Completes with that chunk,
     * with null when the stream ended without data, or with {@link #UNKNOWN} when nothing came within
     * {@code waitMillis}; fails when the client resets the stream. Runs on the request's event loop.
     */
    static Future<Buffer> firstChunk(HttpServerRequest request, long waitMillis) {
        ContextInternal context = (ContextInternal) ((HttpServerRequestInternal) request).context();
        Promise<Buffer> promise = context.promise();
        long timer = context.setTimer(waitMillis, t -> {
            request.pause();
            promise.tryComplete(UNKNOWN);
        });
        request.exceptionHandler(failure -> {
            context.owner().cancelTimer(timer);
            promise.tryFail(failure);
        });
        request.endHandler(v -> {
            context.owner().cancelTimer(timer);
            promise.tryComplete(null);
        });
        request.handler(chunk -> {
            if (chunk.length() > 0 && !promise.future().isComplete()) {
                request.pause();
                context.owner().cancelTimer(timer);
                promise.complete(chunk);
            }
        });
        request.resume();
        return promise.future();
    }
}
