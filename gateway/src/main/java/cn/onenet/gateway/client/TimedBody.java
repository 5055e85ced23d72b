package cn.onenet.gateway.client;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.impl.ContextInternal;
import io.vertx.core.streams.ReadStream;

/**
 * A body on its way through the gateway, watched while it streams: its source must deliver more within one limit
 * while the pipe is ready for it ({@link Outcome#SOURCE_STALLED}), and its destination must take more within another
 * while the source's data waits for it ({@link Outcome#SINK_STALLED}); either stall raises {@link Stalled} into the
 * pipe. The clock starts when the pipe first asks for data.
 * <p>
 * A request body ({@link #request}): the route's timeout only starts once the body has been sent whole
 * ({@link #whenEnded}); until then the client must deliver more within the body timeout (else 408) and the upstream
 * must take more within the route's timeout (else 504); a stall resets the upstream request.
 * <p>
 * An upstream's answer ({@link #answer}): Vert.x's request timeout ends with the answer's head, so without this an
 * upstream going silent within a streamed export would leave the client waiting for ever. The upstream must send more
 * within the route's timeout whenever the client is ready for it; a client that does not take more is not timed
 * here. A stall fails the pipe to the client, which resets the upstream request and the client's stream: the client
 * sees the answer cut off (no last chunk), never an answer that looks complete.
 */
final class TimedBody implements ReadStream<Buffer> {

    enum Outcome {
        STREAMING,
        ENDED,
        SOURCE_STALLED,
        SINK_STALLED
    }

    /** Raised into the pipe when the body stalls. */
    static final class Stalled extends RuntimeException {
        Stalled() {
            super("body stalled", null, false, false);
        }
    }

    private final ReadStream<Buffer> source;
    private final ContextInternal context;
    private final long sourceTimeoutNanos;
    /** 0: the destination is not timed. */
    private final long sinkTimeoutNanos;
    private final long checkMillis;
    private Handler<Throwable> exceptionHandler;
    /** Told before the pipe learns that the body failed (an answer about to be cut off); may be null. */
    private final Runnable onFailure;
    private Runnable onEnd;
    private Outcome outcome = Outcome.STREAMING;
    private boolean paused = true;
    private long lastProgress;
    private long timer = -1;
    private boolean finished;

    private TimedBody(ReadStream<Buffer> source, ContextInternal context, long sourceTimeoutMillis,
            long sinkTimeoutMillis, Runnable onFailure) {
        this.source = source;
        this.context = context;
        this.onFailure = onFailure;
        this.sourceTimeoutNanos = sourceTimeoutMillis * 1_000_000L;
        this.sinkTimeoutNanos = sinkTimeoutMillis * 1_000_000L;
        this.checkMillis = Math.max(1, sinkTimeoutMillis > 0 ? Math.min(sourceTimeoutMillis, sinkTimeoutMillis)
                : sourceTimeoutMillis);
    }

    /** A client's request body: {@code bodyTimeoutMillis} for the client, {@code timeoutMillis} for the upstream. */
    static TimedBody request(ReadStream<Buffer> body, ContextInternal context, long bodyTimeoutMillis,
            long timeoutMillis) {
        return new TimedBody(body, context, bodyTimeoutMillis, timeoutMillis, null);
    }

    /**
     * An upstream's answer: {@code timeoutMillis} for the upstream, the client not timed; {@code onFailure} runs when
     * the answer fails or stalls, before the pipe cuts it off.
     */
    static TimedBody answer(ReadStream<Buffer> body, ContextInternal context, long timeoutMillis, Runnable onFailure) {
        return new TimedBody(body, context, timeoutMillis, 0, onFailure);
    }

    /** The stream this watches. */
    ReadStream<Buffer> source() {
        return source;
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
            failed();
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
        long allowed = paused ? sinkTimeoutNanos : sourceTimeoutNanos;
        if (allowed <= 0) {
            // the destination is not timed: the clock starts again when it wants more
            return;
        }
        long silent = System.nanoTime() - lastProgress;
        if (silent < allowed) {
            long wait = Math.min(checkMillis, Math.max(1, (allowed - silent) / 1_000_000L + 1));
            timer = context.setTimer(wait, this::check);
            return;
        }
        outcome = paused ? Outcome.SINK_STALLED : Outcome.SOURCE_STALLED;
        finished = true;
        source.handler(null);
        failed();
        Handler<Throwable> handler = exceptionHandler;
        if (handler != null) {
            handler.handle(new Stalled());
        }
    }

    private void failed() {
        if (onFailure != null) {
            onFailure.run();
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
