package cn.onenet.gateway.client;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.impl.HttpServerRequestInternal;
import io.vertx.core.impl.ContextInternal;

/**
 * A request body read whole at the edge before the request goes upstream, for the few small bodies the edge must
 * look into (the form of a call to identity's token endpoint names its client): at most the route's
 * {@code max-body-size}, all of it within the route's {@code body-timeout} (a bound on the whole read, not on the
 * pause between two chunks: a body trickled in slowly would otherwise hold its read, and its buffer, for days). The
 * proxy then sends the bytes read
 * ({@link RouteProxy#readBody}) with their {@code Content-Length}, in place of streaming them.
 */
public final class ReadBody {

    /** The body passed the route's limit; the rest is not read. */
    public static final class TooLarge extends RuntimeException {
        TooLarge() {
            super("request body exceeds the route's limit", null, false, false);
        }
    }

    /** The body did not arrive whole within the route's body timeout. */
    public static final class Stalled extends RuntimeException {
        Stalled() {
            super("request body did not arrive in time", null, false, false);
        }
    }

    private ReadBody() {
    }

    /**
     * Reads the rest of the request's body, on the request's event loop. Fails with {@link TooLarge} past
     * {@code maxBytes}, {@link Stalled} when the body has not ended {@code deadlineMillis} after the read began, or
     * the connection's failure.
     */
    public static Future<Buffer> read(HttpServerRequest request, long maxBytes, long deadlineMillis) {
        if (request.isEnded()) {
            return Future.succeededFuture(Buffer.buffer());
        }
        ContextInternal context = (ContextInternal) ((HttpServerRequestInternal) request).context();
        Promise<Buffer> done = context.promise();
        Buffer body = Buffer.buffer();
        long timer = context.setTimer(deadlineMillis, t -> {
            request.handler(null).endHandler(null);
            done.tryFail(new Stalled());
        });
        request.handler(chunk -> {
            if (done.future().isComplete()) {
                return;
            }
            if (body.length() + (long) chunk.length() > maxBytes) {
                context.owner().cancelTimer(timer);
                request.handler(null).endHandler(null);
                done.tryFail(new TooLarge());
                return;
            }
            body.appendBuffer(chunk);
        });
        request.endHandler(v -> {
            context.owner().cancelTimer(timer);
            done.tryComplete(body);
        });
        request.exceptionHandler(failure -> {
            context.owner().cancelTimer(timer);
            done.tryFail(failure);
        });
        request.resume();
        return done.future();
    }
}
