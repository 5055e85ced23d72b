package cn.onenet.launcher;

import java.util.List;

/**
 * The run command's options and their checks. Self-contained (no other class of the launcher, no library), so that
 * {@code ./run} can check a command line with {@code java RunArguments.java ...} before anything is built.
 * {@code main} prints nothing and exits 0 for a valid command line, and one line and exit code 2 otherwise.
 */
public final class RunArguments {

    static final String USAGE = "usage: ./run [--fresh] [--no-demo] [--port-offset N] [--exit-when-ready]";

    /** Every fixed port of the suite: PostgreSQL's, then identity, catalog, exchange and the gateway. */
    static final List<Integer> PORTS = List.of(15432, 8081, 8082, 8083, 8080);

    /** What the command line asks for. */
    record Arguments(boolean fresh, boolean demo, int portOffset, boolean exitWhenReady, boolean help,
            boolean recordClassData) {
    }

    private RunArguments() {
    }

    public static void main(String[] args) {
        try {
            parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage() + " (try --help)");
            System.exit(2);
        }
    }

    /**
     * Reads the command line; a wrong one is an {@link IllegalArgumentException} whose message is the one line the
     * user sees (before anything is built or started).
     */
    static Arguments parse(String[] args) {
        boolean fresh = false;
        boolean demo = true;
        boolean exitWhenReady = false;
        int offset = 0;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--fresh" -> fresh = true;
                case "--no-demo" -> demo = false;
                case "--exit-when-ready" -> exitWhenReady = true;
                case "--port-offset" -> {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException("--port-offset needs a whole number, e.g. --port-offset 1000");
                    }
                    offset = portOffset(args[++i]);
                }
                case "--record-class-data" -> {
                    return new Arguments(false, true, 0, false, false, true);
                }
                case "-h", "--help" -> {
                    return new Arguments(false, true, 0, false, true, false);
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        return new Arguments(fresh, demo, offset, exitWhenReady, false, false);
    }

    private static int portOffset(String value) {
        int offset;
        try {
            offset = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--port-offset needs a whole number from " + minPortOffset()
                    + " to " + maxPortOffset() + ", not \"" + value + "\"");
        }
        checkPortOffset(offset);
        return offset;
    }

    /** The smallest port offset that keeps every port at 1 or above. */
    static int minPortOffset() {
        return 1 - PORTS.stream().mapToInt(Integer::intValue).min().orElseThrow();
    }

    /** The largest port offset that keeps every port at 65535 or below. */
    static int maxPortOffset() {
        return 65535 - PORTS.stream().mapToInt(Integer::intValue).max().orElseThrow();
    }

    /** Refuses an offset that would move a port out of 1..65535, naming the port and the allowed range. */
    static void checkPortOffset(int offset) {
        if (offset < minPortOffset() || offset > maxPortOffset()) {
            int worst = offset < 0 ? PORTS.stream().mapToInt(Integer::intValue).min().orElseThrow()
                    : PORTS.stream().mapToInt(Integer::intValue).max().orElseThrow();
            throw new IllegalArgumentException("--port-offset " + offset + " would move port " + worst + " to "
                    + (worst + offset) + ", outside 1..65535; the offset must be from " + minPortOffset() + " to "
                    + maxPortOffset());
        }
    }
}
