package cn.onenet.gateway.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, for requests no HTTP client sends: bodies written a few bytes at a time or never
 * finished, declared lengths that never arrive, header lines clients normally refuse to send.
 */
public final class RawHttp implements AutoCloseable {

    /** One answer: status, header lines by lower-case name, body as text. */
    public record Answer(int status, Map<String, List<String>> headers, String body) {
        public String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null ? null : values.get(0);
        }
    }

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    public RawHttp(URL gateway, int readTimeoutMillis) throws IOException {
        socket = new Socket(gateway.getHost(), gateway.getPort());
        socket.setSoTimeout(readTimeoutMillis);
        socket.setTcpNoDelay(true);
        out = socket.getOutputStream();
        in = socket.getInputStream();
    }

    /** Writes the request line and header lines (each without CRLF), then the empty line. */
    public RawHttp head(String requestLine, String... headerLines) throws IOException {
        StringBuilder head = new StringBuilder(requestLine).append("\r\n");
        for (String line : headerLines) {
            head.append(line).append("\r\n");
        }
        head.append("\r\n");
        return write(head.toString().getBytes(StandardCharsets.UTF_8));
    }

    public RawHttp write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** Reads one answer (Content-Length or chunked body). */
    public Answer read() throws IOException {
        Answer head = readHead();
        Map<String, List<String>> headers = head.headers();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        List<String> length = headers.get("content-length");
        List<String> encoding = headers.get("transfer-encoding");
        if (length != null) {
            body.write(in.readNBytes(Integer.parseInt(length.get(0))));
        } else if (encoding != null && encoding.get(0).equalsIgnoreCase("chunked")) {
            for (int size = Integer.parseInt(line().trim(), 16); size > 0; size = Integer.parseInt(line().trim(), 16)) {
                body.write(in.readNBytes(size));
                line();
            }
            line();
        }
        return new Answer(head.status(), headers, body.toString(StandardCharsets.UTF_8));
    }

    /** Reads the status line and header lines of one answer, not its body (an interim 1xx answer has none). */
    public Answer readHead() throws IOException {
        String status = line();
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String line = line(); !line.isEmpty(); line = line()) {
            int colon = line.indexOf(':');
            headers.computeIfAbsent(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(line.substring(colon + 1).trim());
        }
        return new Answer(Integer.parseInt(status.split(" ")[1]), headers, "");
    }

    /** Reads one chunk of a chunked body ("" for the last one); fails if the connection closes first. */
    public String readChunk() throws IOException {
        int size = Integer.parseInt(line().trim(), 16);
        String chunk = new String(in.readNBytes(size), StandardCharsets.UTF_8);
        line();
        return chunk;
    }

    /** Reads exactly {@code n} bytes of a body. */
    public String readExactly(int n) throws IOException {
        byte[] bytes = in.readNBytes(n);
        if (bytes.length < n) {
            throw new IOException("connection closed after " + bytes.length + " of " + n + " bytes");
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Reads until the server closes the connection (a body delimited by the connection's end). */
    public String readToClose() throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    /** Whether the server closed the connection (reads end of stream within the read timeout). */
    public boolean closedByServer() {
        try {
            return in.read() < 0;
        } catch (IOException e) {
            return e instanceof java.net.SocketException;
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new IOException("connection closed within the answer's head");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
