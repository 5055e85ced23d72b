package cn.onenet.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One HTTP/1.1 request over a plain socket with the request target exactly as written: HTTP clients refuse to send a
 * malformed percent-escape ({@code %ZZ}, a lone {@code %}) or re-encode it.
 */
public final class RawTarget {

    /** The answer: status, raw head and body (de-chunked). */
    public record Answer(int status, String head, String body) {

        /** The first header of this name (case-insensitive), else null. */
        public String header(String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT)
                        .equals(name.toLowerCase(Locale.ROOT))) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }

        public JsonNode json() {
            try {
                return new ObjectMapper().readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + this, e);
            }
        }

        @Override
        public String toString() {
            return head + "\r\n\r\n" + body;
        }
    }

    private RawTarget() {
    }

    /**
     * Sends {@code GET target} (with {@code token} as Bearer token unless null) and checks the answer is a 400
     * problem naming {@code field} for a malformed percent-escape, with the request id sent in header and body.
     */
    public static Answer refusedEscape(URL server, String method, String target, String token, String field) {
        String id = "bad-escape-" + Integer.toHexString(target.hashCode());
        Answer answer = token == null ? send(server, method, target, null, "X-Request-Id: " + id)
                : send(server, method, target, null, "X-Request-Id: " + id, "Authorization: Bearer " + token);
        String what = method + " " + target + ": " + answer;
        check(answer.status() == 400, what);
        check("application/problem+json".equals(answer.header("Content-Type")), what);
        JsonNode problem = answer.json();
        check(field.equals(problem.path("field").asText()), what);
        check(field.equals(problem.path("errors").path(0).path("field").asText()), what);
        check(problem.path("detail").asText().contains("percent-escape"), what);
        check(id.equals(answer.header("X-Request-Id")) && id.equals(problem.path("requestId").asText()), what);
        return answer;
    }

    private static void check(boolean condition, String what) {
        if (!condition) {
            throw new AssertionError("not a 400 problem naming the field of a malformed percent-escape: " + what);
        }
    }

    /**
     * Sends {@code method target} with a Host, {@code Connection: close} and the given header lines, and the body
     * (null: none) with its Content-Length; reads the answer to the end of the connection.
     */
    public static Answer send(URL server, String method, String target, String body, String... headerLines) {
        StringBuilder request = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                .append("Host: ").append(server.getHost()).append(':').append(server.getPort()).append("\r\n");
        for (String line : headerLines) {
            request.append(line).append("\r\n");
        }
        byte[] content = body == null ? null : body.getBytes(StandardCharsets.UTF_8);
        if (content != null) {
            request.append("Content-Length: ").append(content.length).append("\r\n");
        }
        request.append("Connection: close\r\n\r\n");
        try (Socket socket = new Socket(server.getHost(), server.getPort())) {
            socket.setSoTimeout(15_000);
            socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.UTF_8));
            if (content != null) {
                socket.getOutputStream().write(content);
            }
            // decoded only after de-chunking: a chunk may end inside a multi-byte character
            byte[] answer = socket.getInputStream().readAllBytes();
            int end = headEnd(answer);
            String head = new String(answer, 0, end < 0 ? answer.length : end, StandardCharsets.UTF_8);
            byte[] rest = end < 0 ? new byte[0] : Arrays.copyOfRange(answer, end + 4, answer.length);
            Answer raw = new Answer(Integer.parseInt(head.substring(9, 12)), head,
                    new String(rest, StandardCharsets.UTF_8));
            return "chunked".equalsIgnoreCase(raw.header("Transfer-Encoding"))
                    ? new Answer(raw.status(), head, dechunk(rest)) : raw;
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + target, e);
        }
    }

    /** Where the blank line after the head starts, -1 when there is none. */
    private static int headEnd(byte[] answer) {
        for (int i = 0; i + 3 < answer.length; i++) {
            if (answer[i] == '\r' && answer[i + 1] == '\n' && answer[i + 2] == '\r' && answer[i + 3] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static String dechunk(byte[] bytes) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int at = 0;
        while (at < bytes.length) {
            int lineEnd = at;
            while (lineEnd + 1 < bytes.length && !(bytes[lineEnd] == '\r' && bytes[lineEnd + 1] == '\n')) {
                lineEnd++;
            }
            String size = new String(bytes, at, lineEnd - at, StandardCharsets.US_ASCII).trim();
            int semicolon = size.indexOf(';');
            int length = Integer.parseInt(semicolon < 0 ? size : size.substring(0, semicolon), 16);
            if (length == 0) {
                break;
            }
            body.write(bytes, lineEnd + 2, length);
            at = lineEnd + 2 + length + 2;
        }
        return body.toString(StandardCharsets.UTF_8);
    }
}
