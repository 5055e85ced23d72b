package cn.onenet.gateway.client;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * A request body streamed without Content-Length, cut off once it passes the route's limit: the upstream request
 * is then reset (logged at DEBUG only, {@link RouteInterceptor#upstreamRequestFailed}) and the client gets 413. Nothing is buffered beyond the one chunk an HTTP/2 body may already have
 * delivered ({@link UndeclaredBody}), which goes first and counts like the rest.
 */
final class LimitedBody implements ReadStream<Buffer> {

    /** Raised into the pipe when the body passes the limit. */
    static final class TooLarge extends RuntimeException {
        TooLarge() {
            super("request body too large", null, false, false);
        }
    }

    private final ReadStream<Buffer> source;
    private final long max;
    private long seen;
    private boolean exceeded;
    private Handler<Throwable> exceptionHandler;
    private Handler<Buffer> chunkHandler;
    private Buffer first;
    private boolean paused = true;

    LimitedBody(ReadStream<Buffer> source, long max) {
        this(source, max, null);
    }

    /** {@code first}: a chunk already read from the (paused) source, delivered before the source resumes. */
    LimitedBody(ReadStream<Buffer> source, long max, Buffer first) {
        this.source = source;
        this.max = max;
        this.first = first == null || first.length() == 0 ? null : first;
    }

    boolean exceeded() {
        return exceeded;
    }

    @Override
    public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
        this.exceptionHandler = handler;
        source.exceptionHandler(handler);
        return this;
    }

    @Override
    public ReadStream<Buffer> handler(Handler<Buffer> handler) {
        if (handler == null) {
            chunkHandler = null;
            source.handler(null);
            return this;
        }
        chunkHandler = chunk -> {
            if (exceeded) {
                return;
            }
            seen += chunk.length();
            if (seen > max) {
                exceeded = true;
                source.handler(null);
                source.resume();
                if (exceptionHandler != null) {
                    exceptionHandler.handle(new TooLarge());
                }
                return;
            }
            handler.handle(chunk);
        };
        source.handler(chunkHandler);
        return this;
    }

    @Override
    public ReadStream<Buffer> pause() {
        paused = true;
        source.pause();
        return this;
    }

    @Override
    public ReadStream<Buffer> resume() {
        paused = false;
        deliverFirst();
        // The first chunk's consumer may have paused again (its write queue full).
        if (!paused) {
            source.resume();
        }
        return this;
    }

    @Override
    public ReadStream<Buffer> fetch(long amount) {
        paused = false;
        if (deliverFirst()) {
            amount--;
        }
        if (amount > 0 && !paused) {
            source.fetch(amount);
        }
        return this;
    }

    private boolean deliverFirst() {
        Buffer chunk = first;
        if (chunk == null || chunkHandler == null) {
            return false;
        }
        first = null;
        chunkHandler.handle(chunk);
        return true;
    }

    @Override
    public ReadStream<Buffer> endHandler(Handler<Void> endHandler) {
        source.endHandler(endHandler);
        return this;
    }
}
