package cn.onenet.catalog.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.flywaydb.core.Flyway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import cn.onenet.catalog.demo.SyntheticCatalogue;
import cn.onenet.testsupport.EmbeddedPostgres;
import cn.onenet.testsupport.TestTokens;

/**
 * Search benchmark over HTTP against the packaged service: for each size, N synthetic published entries are written
 * into a fresh PostgreSQL database (COPY), the service is started on it (its startup rebuilds the Lucene index from
 * the table: that is the rebuild time reported), and wrk drives a concurrent mix of Chinese searches on 127.0.0.1.
 * A baseline in the same run: exact resource-code lookups (a single term, no facets) through the same HTTP stack.
 * Usage: SearchBench <service-jar> <entries...>; env CONNECTIONS (8), WRK_THREADS (2), DURATION s (30), HEAP (3g).
 */
public final class SearchBench {

    private static final String AUDIENCE = "onenet-catalog";
    private static final String S = "/api/catalog/v1/search";
    private static final Pattern REBUILT = Pattern.compile("Search index rebuilt: (\\d+) entries in (\\d+) ms");
    private static final Pattern RESULT = Pattern.compile("RESULT requests=(\\d+) non2xx=(\\d+) errors=(\\d+) "
            + "p50=([0-9.]+) p95=([0-9.]+) p99=([0-9.]+) max=([0-9.]+) seconds=([0-9.]+)");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request of the mix: the path and query string, and whether it carries a civil servant's token. */
    record Req(String kind, String path, boolean auth) {
    }

    private SearchBench() {
    }

    /** One search of the mix, independent of the transport: text, facet filters, anonymous or signed in. */
    record Query(String kind, String q, Map<String, String> filters, boolean anonymous) {
    }

    /** The first pages of the mix; {@code provider} is a department present in the catalogue. */
    static List<Query> queries(String provider) {
        List<Query> out = new ArrayList<>();
        for (String q : List.of("房", "车", "婚", "证", "社保", "户籍", "养老", "许可", "证照", "信息", "登记", "公积金", "低保")) {
            out.add(new Query("short", q, Map.of(), false));
        }
        for (String q : List.of("不动产登记", "统一社会信用代码", "杭州 居住证", "宁波年报", "西湖区 最低生活保障", "住房公积金缴存信息",
                "危化品", "食品经营许可", "义乌市 企业登记", "出生医学证明", "行政处罚信息")) {
            out.add(new Query("phrase", q, Map.of(), false));
        }
        for (String q : List.of("API 企业", "GIS", "OFD 证照", "GMSFHM")) {
            out.add(new Query("latin", q, Map.of(), false));
        }
        out.add(new Query("filter", "户籍", Map.of("provider", provider), false));
        out.add(new Query("filter", "", Map.of("resourceClass", "BASE"), false));
        out.add(new Query("filter", "登记", Map.of("shareAttribute", "CONDITIONAL"), false));
        out.add(new Query("filter", "数据", Map.of("resourceClass", "THEMATIC", "updateCycle", "DAILY"), false));
        out.add(new Query("filter", "", Map.of("provider", provider), false));
        out.add(new Query("all", "", Map.of(), false));
        out.add(new Query("code", "101001", Map.of(), false));
        out.add(new Query("anonymous", "企业", Map.of(), true));
        out.add(new Query("anonymous", "地名", Map.of(), true));
        out.add(new Query("anonymous", "", Map.of(), true));
        return out;
    }

    /** Queries paged on by cursor (pages 2 and 3) in the mix. */
    static final List<String> PAGED = List.of("社保", "登记", "许可");

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[0]);
        int connections = Integer.parseInt(env("CONNECTIONS", "8"));
        int wrkThreads = Integer.parseInt(env("WRK_THREADS", "2"));
        int seconds = Integer.parseInt(env("DURATION", "30"));
        String heap = env("HEAP", "3g");
        List<String> table = new ArrayList<>();
        for (int a = 1; a < args.length; a++) {
            int n = Integer.parseInt(args[a]);
            System.out.printf("%n== %,d entries: %d connections, %d wrk threads, %d s per run, service heap %s ==%n", n,
                    connections, wrkThreads, seconds, heap);
            String url = EmbeddedPostgres.createDatabase("catalog_bench");
            Flyway.configure().dataSource(url, EmbeddedPostgres.username(), EmbeddedPostgres.password())
                    .locations("classpath:db/migration").load().migrate();
            long t0 = System.nanoTime();
            try (Connection c = DriverManager.getConnection(url, EmbeddedPostgres.username(), EmbeddedPostgres.password());
                    Statement st = c.createStatement()) {
                new SyntheticCatalogue(42).copyInto(c, n);
                st.execute("ANALYZE catalog_entry");
            }
            System.out.printf("generated %,d entries into PostgreSQL (COPY) in %.1f s%n", n, (System.nanoTime() - t0) / 1e9);
            Path indexDir = Files.createTempDirectory("catalog-bench-index");
            int port = freePort();
            Service svc = Service.start(jar, url, port, indexDir, heap);
            try {
                System.out.printf("service up in %.1f s; index rebuild from the table: %,d entries in %.1f s (%.0f entries/s)%n",
                        svc.startSeconds, svc.rebuiltEntries, svc.rebuildMs / 1000.0, svc.rebuiltEntries * 1000.0 / svc.rebuildMs);
                String base = "http://127.0.0.1:" + port;
                List<Req> mix = mix(base, url);
                List<Req> baseline = baseline(url);
                wrk(base, mix, connections, wrkThreads, 10); // warm-up (JIT, caches)
                double[] b = wrk(base, baseline, connections, wrkThreads, Math.max(10, seconds / 2));
                double[] m = wrk(base, mix, connections, wrkThreads, seconds);
                double target = n >= 1_000_000 ? 60 : 25;
                System.out.printf("baseline (code lookup, no facets): p50 %.2f  p95 %.2f  p99 %.2f ms  %.0f req/s%n", b[0], b[1],
                        b[2], b[3]);
                System.out.printf("search mix (%d kinds, facets, filters, paging): p50 %.2f  p95 %.2f  p99 %.2f ms  %.0f req/s%n",
                        mix.stream().map(Req::kind).distinct().count(), m[0], m[1], m[2], m[3]);
                System.out.printf("p95 %.2f ms vs target %.0f ms: %s (%.2f of target; %.1f× baseline p95)%n", m[1], target,
                        m[1] <= target ? "MET" : "MISSED", m[1] / target, m[1] / b[1]);
                perKind(base, mix);
                table.add(String.format("| %,d | %.1f s | %.2f / %.2f / %.2f ms | %.0f | %.2f / %.2f / %.2f ms | %.0f ms: %s |",
                        n, svc.rebuildMs / 1000.0, m[0], m[1], m[2], m[3], b[0], b[1], b[2], target,
                        m[1] <= target ? "met" : "missed"));
            } finally {
                svc.stop();
                deleteTree(indexDir);
                try (Connection c = DriverManager.getConnection(url, EmbeddedPostgres.username(), EmbeddedPostgres.password());
                        Statement st = c.createStatement()) {
                    // frees the disk (the history tables refuse TRUNCATE); the database is dropped with the server
                    st.execute("DROP SCHEMA public CASCADE");
                }
            }
        }
        System.out.println();
        System.out.println("| entries | index rebuild | search p50 / p95 / p99 | req/s | baseline p50 / p95 / p99 | target p95 |");
        System.out.println("| --- | --- | --- | --- | --- | --- |");
        table.forEach(System.out::println);
    }

    /**
     * The query mix: broad one- and two-character queries, abbreviations, codes, longer phrases, mixed
     * Chinese/English, department and class filters, first pages with facets and later pages by cursor, signed-in
     * staff and anonymous open-data visitors.
     */
    static List<Req> mix(String base, String jdbcUrl) throws Exception {
        List<Req> out = new ArrayList<>();
        for (Query q : queries(firstProvider(jdbcUrl))) {
            StringBuilder more = new StringBuilder();
            q.filters().forEach((dim, value) -> more.append('&').append(dim).append('=').append(enc(value)));
            out.add(new Req(q.kind(), search(q.q(), more.toString()), !q.anonymous()));
        }
        // later pages: cursors fetched once, then requested like a user paging on
        HttpClient http = HttpClient.newHttpClient();
        String token = TestTokens.civilServant("bench-reader", "11330000002481020A", AUDIENCE, "operator");
        for (String q : PAGED) {
            String path = search(q, "");
            for (int page = 2; page <= 3; page++) {
                JsonNode body = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(base + path))
                        .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString()).body());
                String cursor = body.path("nextCursor").asText(null);
                if (cursor == null) {
                    break;
                }
                path = search(q, "&cursor=" + enc(cursor));
                out.add(new Req("page" + page, path, true));
            }
        }
        return out;
    }

    /** Baseline: the exact lookup of a resource code, without facets. */
    static List<Req> baseline(String jdbcUrl) throws Exception {
        List<Req> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(jdbcUrl, EmbeddedPostgres.username(), EmbeddedPostgres.password());
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT resource_code FROM catalog_entry ORDER BY id LIMIT 50")) {
            while (rs.next()) {
                out.add(new Req("baseline", S + "?q=" + enc(rs.getString(1)) + "&facets=false&size=20", true));
            }
        }
        return out;
    }

    private static String firstProvider(String jdbcUrl) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbcUrl, EmbeddedPostgres.username(), EmbeddedPostgres.password());
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT published->>'providerDepartmentName' FROM catalog_entry ORDER BY id LIMIT 1")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static String search(String q, String more) {
        return S + "?q=" + enc(q) + "&size=20" + more;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** Runs wrk over the requests (picked at random per request); returns p50, p95, p99 (ms) and requests/s. */
    static double[] wrk(String base, List<Req> reqs, int connections, int threads, int seconds) throws Exception {
        String token = TestTokens.civilServant("bench-reader", "11330000002481020A", AUDIENCE, "operator");
        StringBuilder lua = new StringBuilder("local reqs = {\n");
        for (Req r : reqs) {
            lua.append("  {\"").append(r.path()).append("\", ").append(r.auth()).append("},\n");
        }
        lua.append("}\nlocal token = \"").append(token).append("\"\n").append("""
                local counter = 1
                function setup(thread) thread:set("id", counter); counter = counter + 1 end
                function init(args) math.randomseed(id * 7919) end
                function request()
                  local r = reqs[math.random(#reqs)]
                  if r[2] then return wrk.format("GET", r[1], {["Authorization"] = "Bearer " .. token}) end
                  return wrk.format("GET", r[1])
                end
                function done(summary, latency, requests)
                  local e = summary.errors
                  io.write(string.format("RESULT requests=%d non2xx=%d errors=%d p50=%.3f p95=%.3f p99=%.3f max=%.3f seconds=%.3f\\n",
                    summary.requests, e.status, e.connect + e.read + e.write + e.timeout,
                    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
                    latency.max / 1000, summary.duration / 1e6))
                end
                """);
        Path script = Files.createTempFile("search-bench", ".lua");
        Files.writeString(script, lua);
        Process p = new ProcessBuilder("wrk", "-t" + threads, "-c" + connections, "-d" + seconds + "s", "--timeout", "10s",
                "-s", script.toString(), base).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        Files.deleteIfExists(script);
        Matcher m = RESULT.matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("wrk gave no result:\n" + out);
        }
        long requests = Long.parseLong(m.group(1));
        if (Long.parseLong(m.group(2)) > 0 || Long.parseLong(m.group(3)) > 0) {
            throw new IllegalStateException("failed requests during the run:\n" + out);
        }
        return new double[] {Double.parseDouble(m.group(4)), Double.parseDouble(m.group(5)),
                Double.parseDouble(m.group(6)), requests / Double.parseDouble(m.group(8))};
    }

    /**
     * Unloaded latency of each request of the mix, slowest first: where the time goes. Measured with wrk on one
     * connection for a second per request (its median), the client of the load runs: a fresh JDK HttpClient measured
     * its own warm-up and its HTTP/2 upgrade instead (13-30 ms per request against 1-3 ms for the same requests).
     */
    static void perKind(String base, List<Req> mix) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String token = TestTokens.civilServant("bench-reader", "11330000002481020A", AUDIENCE, "operator");
        List<Object[]> rows = new ArrayList<>();
        for (Req r : mix) {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + r.path()));
            if (r.auth()) {
                b.header("Authorization", "Bearer " + token);
            }
            long total = JSON.readTree(http.send(b.build(), HttpResponse.BodyHandlers.ofString()).body()).path("total").asLong();
            double[] t = wrk(base, List.of(r), 1, 1, 1);
            rows.add(new Object[] {t[0], r.kind(), java.net.URLDecoder.decode(r.path().substring(S.length()),
                    StandardCharsets.UTF_8), total, t[2]});
        }
        rows.sort(Comparator.comparingDouble((Object[] o) -> (Double) o[0]).reversed());
        System.out.println("unloaded latency per request (wrk, one connection, 1 s each: p50 / p99), slowest first:");
        for (Object[] o : rows.subList(0, Math.min(12, rows.size()))) {
            String path = (String) o[2];
            System.out.printf("  %7.2f / %7.2f ms  %-9s total=%,9d  %s%n", o[0], o[4], o[1], o[3],
                    path.length() > 90 ? path.substring(0, 90) + "…" : path);
        }
        double sum = rows.stream().mapToDouble(o -> (Double) o[0]).sum();
        System.out.printf("  mean of the %d medians: %.2f ms%n", rows.size(), sum / rows.size());
    }

    /** The packaged service, started on the benchmark database with a key this process signs tokens with. */
    static final class Service {
        final Process process;
        double startSeconds;
        long rebuildMs;
        long rebuiltEntries;

        private Service(Process process) {
            this.process = process;
        }

        static Service start(Path jar, String jdbcUrl, int port, Path indexDir, String heap) throws Exception {
            List<String> cmd = List.of("java", "-Xms" + heap, "-Xmx" + heap, "-XX:+UseParallelGC",
                    "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=" + port,
                    "-Dquarkus.datasource.jdbc.url=" + jdbcUrl,
                    "-Dquarkus.datasource.username=" + EmbeddedPostgres.username(),
                    "-Dquarkus.datasource.password=" + EmbeddedPostgres.password(),
                    "-Dquarkus.oidc.auth-server-url=", "-Dquarkus.oidc.discovery-enabled=false",
                    "-Dquarkus.oidc.public-key=" + TestTokens.publicKeyBase64(),
                    "-Dquarkus.oidc.token.issuer=" + TestTokens.ISSUER,
                    "-Dcatalog.search.index-dir=" + indexDir, "-Dquarkus.log.level=INFO",
                    "-jar", jar.toString());
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            Service s = new Service(p);
            CompletableFuture<Boolean> up = new CompletableFuture<>();
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    StringBuilder head = new StringBuilder();
                    for (String line; (line = r.readLine()) != null;) {
                        if (!up.isDone()) {
                            head.append(line).append('\n');
                        }
                        Matcher m = REBUILT.matcher(line);
                        if (m.find() && s.rebuildMs == 0) {
                            s.rebuiltEntries = Long.parseLong(m.group(1));
                            s.rebuildMs = Long.parseLong(m.group(2));
                        }
                        if (line.contains("Listening on")) {
                            up.complete(true);
                        }
                    }
                    up.completeExceptionally(new IllegalStateException("service exited:\n" + head));
                } catch (IOException e) {
                    up.completeExceptionally(e);
                }
            }, "service-log");
            reader.setDaemon(true);
            reader.start();
            try {
                up.get(60, TimeUnit.MINUTES);
            } catch (Exception e) {
                p.destroyForcibly();
                throw e;
            }
            s.startSeconds = (System.nanoTime() - t0) / 1e9;
            return s;
        }

        void stop() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void deleteTree(Path p) throws IOException {
        try (var files = Files.walk(p)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
