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
 * {@code max-body-size}, with the route's {@code body-timeout} between two chunks. The proxy then sends the bytes read
 * ({@link RouteProxy#readBody}) with their {@code Content-Length}, in place of streaming them.
 */
public final class ReadBody {

    /** The body passed the route's limit; the rest is not read. */
    public static final class TooLarge extends RuntimeException {
        TooLarge() {
            super("request body exceeds the route's limit", null, false, false);
        }
    }

    /** The body stopped arriving for longer than the route's body timeout. */
    public static final class Stalled extends RuntimeException {
        Stalled() {
            super("request body stopped arriving", null, false, false);
        }
    }

    private ReadBody() {
    }

    /**
     * Reads the rest of the request's body, on the request's event loop. Fails with {@link TooLarge} past
     * {@code maxBytes}, {@link Stalled} after {@code idleMillis} without data, or the connection's failure.
     */
    public static Future<Buffer> read(HttpServerRequest request, long maxBytes, long idleMillis) {
        if (request.isEnded()) {
            return Future.succeededFuture(Buffer.buffer());
        }
        ContextInternal context = (ContextInternal) ((HttpServerRequestInternal) request).context();
        Promise<Buffer> done = context.promise();
        Buffer body = Buffer.buffer();
        long[] timer = { -1 };
        Runnable arm = () -> {
            if (timer[0] >= 0) {
                context.owner().cancelTimer(timer[0]);
            }
            timer[0] = context.setTimer(idleMillis, t -> {
                request.handler(null).endHandler(null);
                done.tryFail(new Stalled());
            });
        };
        request.handler(chunk -> {
            if (body.length() + (long) chunk.length() > maxBytes) {
                context.owner().cancelTimer(timer[0]);
                request.handler(null).endHandler(null);
                done.tryFail(new TooLarge());
                return;
            }
            body.appendBuffer(chunk);
            arm.run();
        });
        request.endHandler(v -> {
            context.owner().cancelTimer(timer[0]);
            done.tryComplete(body);
        });
        request.exceptionHandler(failure -> {
            context.owner().cancelTimer(timer[0]);
            done.tryFail(failure);
        });
        arm.run();
        request.resume();
        return done.future();
    }
}
