package cn.onenet.catalog.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import cn.onenet.catalog.demo.SyntheticCatalogue;
import cn.onenet.catalog.service.search.SearchIndex;
import cn.onenet.catalog.service.search.SearchRequest;
import cn.onenet.catalog.service.search.SearchResult;

/**
 * In-process profile of the search index, without PostgreSQL or HTTP: indexes N synthetic entries the way the
 * startup rebuild does (one worker per core), then runs the benchmark's query mix one at a time and prints the time of
 * each kind (median of 5) and the sum. Meant to run under a profiler (e.g. {@code -XX:StartFlightRecording}).
 * Usage: SearchProfile <entries> [rounds] [file]: with a file, each request's total and first page (ids and scores)
 * are written to it, so two versions of the index can be compared for identical results.
 */
public final class SearchProfile {

    private static final Map<String, String> SYNONYMS = Map.of("社保", "社会保险", "公积金", "住房公积金", "低保", "最低生活保障",
            "医保", "医疗保险", "工商", "市场监督管理", "户口", "户籍", "营业执照", "企业登记", "房产", "不动产");

    private SearchProfile() {
    }

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        ObjectMapper json = new ObjectMapper();
        SyntheticCatalogue gen = new SyntheticCatalogue(42);
        long t0 = System.nanoTime();
        List<String> rows = new ArrayList<>(n);
        List<String> codes = new ArrayList<>(n);
        String provider = null;
        for (int i = 0; i < n; i++) {
            SyntheticCatalogue.Entry e = gen.next();
            rows.add(json.writeValueAsString(e.content()));
            codes.add(e.resourceCode());
            if (provider == null) {
                provider = e.content().providerDepartmentName();
            }
        }
        System.out.printf("generated %,d entries in %.1f s%n", n, (System.nanoTime() - t0) / 1e9);
        Path dir = Files.createTempDirectory("search-profile");
        try (SearchIndex index = new SearchIndex(dir.toString())) {
            long t1 = System.nanoTime();
            int workers = Runtime.getRuntime().availableProcessors();
            ExecutorService pool = Executors.newFixedThreadPool(workers);
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                int first = w;
                done.add(pool.submit(() -> {
                    for (int i = first; i < n; i += workers) {
                        ObjectNode e = (ObjectNode) json.readTree(rows.get(i));
                        e.put("resourceCode", codes.get(i));
                        e.put("version", 1);
                        e.put("versionLabel", "1.0");
                        index.upsert(i + 1, e);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            pool.shutdown();
            long t2 = System.nanoTime();
            index.merge(1);
            long t3 = System.nanoTime();
            index.commit();
            index.refresh();
            long t4 = System.nanoTime();
            System.out.printf("index: analysed %.1f s, merged %.1f s, committed %.1f s, total %.1f s (%.0f entries/s)%n",
                    (t2 - t1) / 1e9, (t3 - t2) / 1e9, (t4 - t3) / 1e9, (t4 - t1) / 1e9, n / ((t4 - t1) / 1e9));
            rows.clear();

            List<String> kinds = new ArrayList<>();
            List<SearchRequest> reqs = new ArrayList<>();
            for (SearchBench.Query q : SearchBench.queries(provider)) {
                kinds.add(q.kind() + " " + q.q() + (q.filters().isEmpty() ? "" : " " + q.filters()));
                reqs.add(new SearchRequest(q.q(), q.filters(), 20, null, q.anonymous(), true));
            }
            for (String q : SearchBench.PAGED) {
                String cursor = index.search(new SearchRequest(q, Map.of(), 20, null, false, true), SYNONYMS).nextCursor();
                for (int page = 2; page <= 3 && cursor != null; page++) {
                    SearchRequest r = new SearchRequest(q, Map.of(), 20, cursor, false, false);
                    kinds.add("page" + page + " " + q);
                    reqs.add(r);
                    cursor = index.search(r, SYNONYMS).nextCursor();
                }
            }
            for (int w = 0; w < 3; w++) {
                for (SearchRequest r : reqs) {
                    index.search(r, SYNONYMS);
                }
            }
            if (args.length > 2) {
                StringBuilder b = new StringBuilder();
                for (int i = 0; i < reqs.size(); i++) {
                    SearchResult res = index.search(reqs.get(i), SYNONYMS);
                    b.append(kinds.get(i)).append(" total=").append(res.total()).append(" facets=").append(res.facets())
                            .append('\n');
                    res.hits().forEach(h -> b.append("  ").append(h.id()).append(' ').append(h.score()).append(' ')
                            .append(h.nameHighlight()).append('\n'));
                }
                Files.writeString(Path.of(args[2]), b);
            }
            double[][] times = new double[reqs.size()][rounds];
            long[] totals = new long[reqs.size()];
            for (int round = 0; round < rounds; round++) {
                for (int i = 0; i < reqs.size(); i++) {
                    long s = System.nanoTime();
                    SearchResult res = index.search(reqs.get(i), SYNONYMS);
                    times[i][round] = (System.nanoTime() - s) / 1e6;
                    totals[i] = res.total();
                }
            }
            double sum = 0;
            List<Object[]> out = new ArrayList<>();
            for (int i = 0; i < reqs.size(); i++) {
                Arrays.sort(times[i]);
                double median = times[i][rounds / 2];
                sum += median;
                out.add(new Object[] {median, kinds.get(i), totals[i]});
            }
            out.sort(Comparator.comparingDouble((Object[] o) -> (Double) o[0]).reversed());
            for (Object[] o : out) {
                System.out.printf("  %8.2f ms  total=%,9d  %s%n", o[0], o[2], o[1]);
            }
            System.out.printf("sum of medians over %d requests: %.1f ms (mean %.2f ms)%n", reqs.size(), sum, sum / reqs.size());
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
