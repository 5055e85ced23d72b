package cn.onenet.gateway.client;

import java.util.concurrent.TimeoutException;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.impl.ContextInternal;
import io.vertx.core.streams.ReadStream;

/**
 * An upstream's answer body on its way to the client: whenever the client is ready for more, the upstream must send
 * more within the route's timeout. Vert.x's request timeout ends with the answer's head, so without this an upstream
 * going silent within a streamed export would leave the client waiting for ever, on a connection that never ends. A
 * stall raises a {@link TimeoutException} into the pipe, which resets the upstream request and the client's stream:
 * the client sees the answer cut off (no last chunk), never an answer that looks complete. While the client does
 * not take more (the pipe paused), the upstream is not blamed.
 */
final class TimedAnswer implements ReadStream<Buffer> {

    private final ReadStream<Buffer> source;
    private final ContextInternal context;
    private final long timeoutMillis;
    private Handler<Throwable> exceptionHandler;
    private boolean paused = true;
    private boolean finished;
    private long lastChunk;
    private long timer = -1;

    TimedAnswer(ReadStream<Buffer> source, ContextInternal context, long timeoutMillis) {
        this.source = source;
        this.context = context;
        this.timeoutMillis = timeoutMillis;
    }

    /** The upstream's answer this watches. */
    ReadStream<Buffer> source() {
        return source;
    }

    @Override
    public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
        exceptionHandler = handler;
        source.exceptionHandler(handler == null ? null : failure -> {
            stop();
            handler.handle(failure);
        });
        return this;
    }

    @Override
    public ReadStream<Buffer> handler(Handler<Buffer> handler) {
        source.handler(handler == null ? null : chunk -> {
            lastChunk = System.nanoTime();
            handler.handle(chunk);
        });
        return this;
    }

    @Override
    public ReadStream<Buffer> endHandler(Handler<Void> handler) {
        source.endHandler(handler == null ? null : v -> {
            stop();
            handler.handle(v);
        });
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
        flowing();
        source.resume();
        return this;
    }

    @Override
    public ReadStream<Buffer> fetch(long amount) {
        flowing();
        source.fetch(amount);
        return this;
    }

    private void flowing() {
        if (finished) {
            return;
        }
        if (paused) {
            paused = false;
            lastChunk = System.nanoTime();
        }
        if (timer < 0) {
            timer = context.setTimer(timeoutMillis, this::check);
        }
    }

    private void check(long id) {
        timer = -1;
        if (finished || paused) {
            // paused: the client's turn; the clock starts again when it wants more
            return;
        }
        long silentMillis = (System.nanoTime() - lastChunk) / 1_000_000L;
        if (silentMillis < timeoutMillis) {
            timer = context.setTimer(Math.max(1, timeoutMillis - silentMillis), this::check);
            return;
        }
        finished = true;
        source.handler(null);
        Handler<Throwable> handler = exceptionHandler;
        if (handler != null) {
            handler.handle(new TimeoutException("upstream stopped sending its answer"));
        }
    }

    private void stop() {
        finished = true;
        if (timer >= 0) {
            context.owner().cancelTimer(timer);
            timer = -1;
        }
    }
}
