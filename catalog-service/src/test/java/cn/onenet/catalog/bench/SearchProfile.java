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
        // -Dprofile.index=DIR keeps the index in DIR and reuses it on the next run (same entries: same seed)
        String keptDir = System.getProperty("profile.index");
        boolean reuse = false;
        if (keptDir != null && Files.isDirectory(Path.of(keptDir))) {
            try (var files = Files.list(Path.of(keptDir))) {
                reuse = files.findAny().isPresent();
            }
        }
        Path dir = keptDir != null ? Files.createDirectories(Path.of(keptDir)) : Files.createTempDirectory("search-profile");
        String provider = gen.next().content().providerDepartmentName();
        try (SearchIndex index = new SearchIndex(dir.toString(), reuse)) {
            if (reuse) {
                System.out.printf("reusing the index in %s (%,d entries)%n", dir, index.size());
            } else {
                build(index, n, json);
            }

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
            String only = System.getProperty("profile.only"); // e.g. -Dprofile.only=行政处罚: just the kinds containing it
            if (only != null) {
                for (int i = kinds.size() - 1; i >= 0; i--) {
                    if (!kinds.get(i).contains(only)) {
                        kinds.remove(i);
                        reqs.remove(i);
                    }
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
            if (keptDir == null) {
                try (var files = Files.walk(dir)) {
                    files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                }
            }
        }
    }

    /**
     * Indexes {@code n} synthetic entries the way the startup rebuild does (batches, one worker per core, at most two
     * batches per worker in memory), then merges.
     */
    private static void build(SearchIndex index, int n, ObjectMapper json) throws Exception {
        SyntheticCatalogue gen = new SyntheticCatalogue(42);
        long t1 = System.nanoTime();
        int workers = Runtime.getRuntime().availableProcessors();
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore(2 * workers);
        List<Future<?>> done = new ArrayList<>();
        index.ramBuffer(256);
        for (int start = 0; start < n; start += 1000) {
            List<ObjectNode> batch = new ArrayList<>();
            for (int i = start; i < Math.min(n, start + 1000); i++) {
                SyntheticCatalogue.Entry e = gen.next();
                ObjectNode o = (ObjectNode) json.valueToTree(e.content());
                o.put("resourceCode", e.resourceCode());
                o.put("version", 1);
                o.put("versionLabel", "1.0");
                batch.add(o);
            }
            int first = start + 1;
            inFlight.acquire();
            done.add(pool.submit(() -> {
                try {
                    for (int i = 0; i < batch.size(); i++) {
                        index.upsert(first + i, batch.get(i));
                    }
                    return null;
                } finally {
                    inFlight.release();
                }
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        index.forgetSentences();
        index.ramBuffer(64);
        long t2 = System.nanoTime();
        index.merge(1);
        long t3 = System.nanoTime();
        index.commit();
        index.refresh();
        long t4 = System.nanoTime();
        System.out.printf("index: analysed %.1f s, merged %.1f s, committed %.1f s, total %.1f s (%.0f entries/s)%n",
                (t2 - t1) / 1e9, (t3 - t2) / 1e9, (t4 - t3) / 1e9, (t4 - t1) / 1e9, n / ((t4 - t1) / 1e9));
    }
}
