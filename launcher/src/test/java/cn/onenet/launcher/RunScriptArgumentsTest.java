package cn.onenet.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * {@code ./run} itself, on a checkout that was never built: a wrong option is refused in one line before anything is
 * built. The checkout is a copy of the script and the launcher's sources, whose {@code mvnw} only notes that it was
 * called, so a build that should not happen shows, and one that should is not run for real.
 */
class RunScriptArgumentsTest {

    @Test
    void aWrongOptionIsRefusedBeforeTheBuild() throws Exception {
        Path checkout = unbuiltCheckout();
        Result unknown = run(checkout, "--bogus");
        assertEquals("unknown option --bogus (try --help)", unknown.output().strip());
        assertEquals(2, unknown.exit());
        Result offset = run(checkout, "--fresh", "--port-offset", "99999");
        assertEquals("--port-offset 99999 would move port 15432 to 115431, outside 1..65535; the offset must be from"
                + " -8079 to 50103 (try --help)", offset.output().strip());
        assertEquals(2, offset.exit());
        Result notANumber = run(checkout, "--port-offset", "ten");
        assertEquals(2, notANumber.exit(), notANumber.output());
        assertFalse(Files.exists(checkout.resolve("mvnw-called")), "the build ran for a refused command line");
    }

    @Test
    void aValidCommandLineGoesOnToTheBuild() throws Exception {
        Path checkout = unbuiltCheckout();
        Result valid = run(checkout, "--fresh", "--no-demo", "--port-offset", "1000", "--exit-when-ready");
        assertTrue(Files.exists(checkout.resolve("mvnw-called")), valid.output());
        assertNotEquals(2, valid.exit(), valid.output());
    }

    private record Result(int exit, String output) {
    }

    private static Result run(Path checkout, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", checkout.resolve("run").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(checkout.toFile()).redirectErrorStream(true);
        // the java of this build, first on the PATH, as for someone who typed ./run
        String javaBin = Path.of(System.getProperty("java.home"), "bin").toString();
        builder.environment().put("PATH", javaBin + ":" + System.getenv("PATH"));
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(process.waitFor(), output);
    }

    /** The script, the launcher's sources and a stand-in for mvnw, in an empty directory. */
    private static Path unbuiltCheckout() throws IOException {
        Path repository = Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent();
        Path checkout = Files.createTempDirectory("run-script");
        Files.copy(repository.resolve("run"), checkout.resolve("run"), StandardCopyOption.COPY_ATTRIBUTES);
        Path sources = repository.resolve("launcher/src/main/java");
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Path target = checkout.resolve("launcher/src/main/java").resolve(sources.relativize(file));
                Files.createDirectories(target.getParent());
                Files.copy(file, target);
            }
        }
        Path mvnw = checkout.resolve("mvnw");
        Files.writeString(mvnw, "#!/usr/bin/env bash\ntouch mvnw-called\nexit 1\n");
        mvnw.toFile().setExecutable(true);
        return checkout;
    }
}
