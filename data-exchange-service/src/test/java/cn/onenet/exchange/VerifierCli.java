package cn.onenet.exchange;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

import io.restassured.response.Response;

/** The outside auditor's program, usage-log-verifier, run on files as its command line would be. */
public final class VerifierCli {

    /** Its exit code, and what it printed (stdout and stderr). */
    public record Run(int code, String said) {
    }

    private VerifierCli() {
    }

    public static Run run(Object... args) {
        String[] texts = new String[args.length];
        for (int i = 0; i < args.length; i++) {
            texts[i] = args[i].toString();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        int code = cn.onenet.usagelog.verifier.UsageLogVerifier.run(texts, print, print);
        return new Run(code, out.toString(StandardCharsets.UTF_8));
    }

    /** The answer's status line and headers as {@code curl -D} saves them. */
    public static Path savedHeaders(Path file, Response r) throws java.io.IOException {
        return Files.writeString(file, r.statusLine() + "\r\n" + r.headers().asList().stream()
                .map(h -> h.getName() + ": " + h.getValue()).collect(Collectors.joining("\r\n")) + "\r\n\r\n");
    }
}
