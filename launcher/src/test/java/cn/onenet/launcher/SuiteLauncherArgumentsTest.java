package cn.onenet.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The run command's options, as a user types them: a wrong {@code --port-offset} is one line and exit code 2 before
 * anything starts, like an unknown option.
 */
class SuiteLauncherArgumentsTest {

    @Test
    void aPortOffsetThatIsNoNumberIsOneLineNotAStackTrace() throws Exception {
        Result result = run("--port-offset", "abc");
        assertEquals(2, result.exit(), result.output());
        assertEquals("--port-offset needs a whole number from -8079 to 50103, not \"abc\" (try --help)",
                result.output().strip());
    }

    @Test
    void aPortOffsetThatMovesAPortOutOfRangeIsRefusedBeforeStarting() throws Exception {
        Result high = run("--port-offset", "60000");
        assertEquals(2, high.exit(), high.output());
        assertEquals("--port-offset 60000 would move port 15432 to 75432, outside 1..65535; the offset must be from"
                + " -8079 to 50103 (try --help)", high.output().strip());
        Result low = run("--fresh", "--port-offset", "-20000");
        assertEquals(2, low.exit(), low.output());
        assertEquals("--port-offset -20000 would move port 8080 to -11920, outside 1..65535; the offset must be from"
                + " -8079 to 50103 (try --help)", low.output().strip());
        Result missing = run("--port-offset");
        assertEquals(2, missing.exit(), missing.output());
        assertTrue(missing.output().startsWith("--port-offset needs a whole number"), missing.output());
        Result unknown = run("--bogus");
        assertEquals("unknown option --bogus (try --help)", unknown.output().strip());
    }

    @Test
    void theWholeRangeIsAccepted() {
        assertEquals(-8079, SuiteLauncher.parse(new String[] {"--port-offset", "-8079"}).portOffset());
        assertEquals(50103, SuiteLauncher.parse(new String[] {"--port-offset", "50103"}).portOffset());
        RunArguments.Arguments parsed = SuiteLauncher.parse(new String[] {"--fresh", "--port-offset", "22000"});
        assertTrue(parsed.fresh());
        assertEquals(22000, parsed.portOffset());
        assertFalse(parsed.help());
    }

    @Test
    void theChecksKnowEveryPortTheSuiteUses() {
        // RunArguments stands alone (./run runs it from source), so it lists the ports itself
        assertEquals(SuiteLayout.ports().stream().sorted().toList(),
                RunArguments.PORTS.stream().sorted().toList());
    }

    private record Result(int exit, String output) {
    }

    /** Runs the launcher in an empty directory (no checkout: had it gone on to start, it would fail otherwise). */
    private static Result run(String... args) throws IOException, InterruptedException {
        Path cwd = Files.createTempDirectory("launcher-args");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), SuiteLauncher.class.getName()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(process.waitFor(), output);
    }
}
