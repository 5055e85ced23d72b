package cn.onenet.systemtests;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import cn.onenet.launcher.Suite;

/**
 * One running suite (as {@code ./run} starts it) for every test class that extends with this, started before the
 * first of them and stopped after the last: the classes share its demo data the way the suite's users do.
 */
public final class SharedSuite implements BeforeAllCallback {

    private static final int PORT_OFFSET = 11_000;

    private static volatile Running running;

    @Override
    public void beforeAll(ExtensionContext context) {
        running = context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(SharedSuite.class, key -> start(), Running.class);
    }

    /** The gateway's base URL, the one entry point every test goes through. */
    public static String gateway() {
        if (running == null) {
            throw new IllegalStateException("the suite is not started: annotate the test class with "
                    + "@ExtendWith(SharedSuite.class)");
        }
        return running.gateway();
    }

    /** A service's own base URL, for the few checks that must reach it past the gateway. */
    public static String service(String name) {
        gateway();
        return running.suite().service(name).baseUrl();
    }

    private static Running start() {
        try {
            Path root = Path.of(System.getProperty("suite.root", "..")).toAbsolutePath().normalize();
            Suite.Options defaults = Suite.Options.defaults(root);
            Suite suite = Suite.start(new Suite.Options(root, Files.createTempDirectory("suite-e2e"), true, true,
                    PORT_OFFSET, Duration.ofSeconds(180), defaults.jvmOptions()));
            return new Running(suite, suite.service("gateway").baseUrl());
        } catch (Exception e) {
            throw new IllegalStateException("the suite did not start: " + e.getMessage(), e);
        }
    }

    /** Closed by JUnit once the whole run is over. */
    private record Running(Suite suite, String gateway) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            suite.close();
        }
    }
}
