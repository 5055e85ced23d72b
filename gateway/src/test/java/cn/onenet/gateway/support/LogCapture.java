package cn.onenet.gateway.support;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.jboss.logmanager.ExtLogRecord;

/** Keeps each formatted message a logger publishes while open; closing it detaches it from the logger. */
public final class LogCapture implements AutoCloseable {

    private final Logger logger;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            lines.add(record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    public LogCapture(String loggerName) {
        logger = Logger.getLogger(loggerName);
        handler.setLevel(Level.ALL);
        logger.addHandler(handler);
    }

    public List<String> lines() {
        return lines;
    }

    /**
     * The lines that match, once {@code count} of them have been logged or 5 s have passed (the access log line is
     * written when the answer has been sent, after the client may have read it).
     */
    public List<String> await(Predicate<String> match, int count) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 5_000;
        while (lines.stream().filter(match).count() < count && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        return lines.stream().filter(match).toList();
    }

    @Override
    public void close() {
        logger.removeHandler(handler);
    }
}
