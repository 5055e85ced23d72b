package cn.onenet.gateway.client;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.impl.ContextInternal;
import io.vertx.core.streams.ReadStream;

/**
 * A request body on its way upstream, watched while it streams. The route's timeout only starts once the body has
 * been sent whole ({@link #whenEnded}); until then two limits apply instead:
 * <ul>
 * <li>the client must deliver more of the body within the body timeout while the upstream is ready for it, otherwise
 * the body has stalled at the client ({@link Outcome#CLIENT_STALLED}, 408);</li>
 * <li>the upstream must take more of it within the route's timeout while the client's data waits for it, otherwise
 * the upstream has stalled ({@link Outcome#UPSTREAM_STALLED}, 504).</li>
 * </ul>
 * Either stall raises {@link Stalled} into the pipe, which resets the upstream request. The clock starts when the pipe
 * first asks for data, i.e. once the upstream connection is there.
 */
final class TimedBody implements ReadStream<Buffer> {

    enum Outcome {
        STREAMING,
        ENDED,
        CLIENT_STALLED,
        UPSTREAM_STALLED
    }

    /** Raised into the pipe when the body stalls. */
    static final class Stalled extends RuntimeException {
        Stalled() {
            super("request body stalled", null, false, false);
        }
    }

    private final ReadStream<Buffer> source;
    private final ContextInternal context;
    private final long clientTimeoutNanos;
    private final long upstreamTimeoutNanos;
    private final long checkMillis;
    private Handler<Throwable> exceptionHandler;
    private Runnable onEnd;
    private Outcome outcome = Outcome.STREAMING;
    private boolean paused = true;
    private long lastProgress;
    private long timer = -1;
    private boolean finished;

    TimedBody(ReadStream<Buffer> source, ContextInternal context, long clientTimeoutMillis,
            long upstreamTimeoutMillis) {
        this.source = source;
        this.context = context;
        this.clientTimeoutNanos = clientTimeoutMillis * 1_000_000L;
        this.upstreamTimeoutNanos = upstreamTimeoutMillis * 1_000_000L;
        this.checkMillis = Math.max(1, Math.min(clientTimeoutMillis, upstreamTimeoutMillis));
    }

    Outcome outcome() {
        return outcome;
    }

    boolean ended() {
        return outcome == Outcome.ENDED;
    }

    /** Runs {@code action} once the whole body has been handed to the upstream request (at once if it has). */
    void whenEnded(Runnable action) {
        if (outcome == Outcome.ENDED) {
            action.run();
        } else {
            onEnd = action;
        }
    }

    @Override
    public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
        this.exceptionHandler = handler;
        source.exceptionHandler(handler == null ? null : failure -> {
            stop();
            handler.handle(failure);
        });
        return this;
    }

    @Override
    public ReadStream<Buffer> handler(Handler<Buffer> handler) {
        if (handler == null) {
            source.handler(null);
            return this;
        }
        source.handler(chunk -> {
            lastProgress = System.nanoTime();
            handler.handle(chunk);
        });
        return this;
    }

    @Override
    public ReadStream<Buffer> pause() {
        if (!paused) {
            paused = true;
            lastProgress = System.nanoTime();
        }
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
        if (outcome != Outcome.STREAMING || finished) {
            return;
        }
        if (paused) {
            paused = false;
            lastProgress = System.nanoTime();
        }
        if (timer < 0) {
            timer = context.setTimer(checkMillis, this::check);
        }
    }

    private void check(long id) {
        timer = -1;
        if (outcome != Outcome.STREAMING || finished) {
            return;
        }
        long silent = System.nanoTime() - lastProgress;
        long allowed = paused ? upstreamTimeoutNanos : clientTimeoutNanos;
        if (silent < allowed) {
            long wait = Math.min(checkMillis, Math.max(1, (allowed - silent) / 1_000_000L + 1));
            timer = context.setTimer(wait, this::check);
            return;
        }
        outcome = paused ? Outcome.UPSTREAM_STALLED : Outcome.CLIENT_STALLED;
        finished = true;
        source.handler(null);
        Handler<Throwable> handler = exceptionHandler;
        if (handler != null) {
            handler.handle(new Stalled());
        }
    }

    private void stop() {
        finished = true;
        if (timer >= 0) {
            context.owner().cancelTimer(timer);
            timer = -1;
        }
    }

    @Override
    public ReadStream<Buffer> endHandler(Handler<Void> endHandler) {
        if (endHandler == null) {
            source.endHandler(null);
            return this;
        }
        source.endHandler(v -> {
            if (outcome == Outcome.STREAMING) {
                outcome = Outcome.ENDED;
                stop();
                Runnable action = onEnd;
                onEnd = null;
                if (action != null) {
                    action.run();
                }
            }
            endHandler.handle(v);
        });
        return this;
    }
}
