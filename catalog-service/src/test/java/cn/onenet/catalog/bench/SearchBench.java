package cn.onenet.catalog.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import cn.onenet.catalog.service.search.SearchIndex;
import cn.onenet.catalog.service.search.SearchRequest;

/**
 * Search benchmark on the production index code: generates N synthetic entries (feed shape), times the index build
 * (the rebuild path without the database read), then runs a concurrent Chinese query mix with facets for a fixed
 * duration and prints p50/p95/p99. A bare one-term query on the same index runs as the baseline of the same go.
 * Usage: SearchBench <entries> [threads] [seconds] [index-dir]
 */
public final class SearchBench {

    static final String[] REGIONS = {"浙江省", "杭州市", "宁波市", "温州市", "嘉兴市", "湖州市", "绍兴市", "金华市", "衢州市",
            "舟山市", "台州市", "丽水市", "西湖区", "余杭区", "鄞州区"};
    static final String[] SUBJECTS = {"户籍", "居民身份证", "社会保险参保", "养老保险待遇", "住房公积金缴存", "住房公积金贷款",
            "不动产登记", "不动产抵押", "企业登记", "个体工商户", "食品经营许可", "药品经营许可", "机动车登记", "驾驶证", "婚姻登记",
            "最低生活保障", "特困人员供养", "残疾人补贴", "安全生产许可", "危险化学品", "自然灾害灾情", "应急避难场所", "出生医学证明",
            "死亡医学证明", "学历学位", "教师资格", "医师执业", "护士执业", "建筑施工许可", "排污许可", "取水许可", "林木采伐许可",
            "道路运输经营许可", "船舶登记", "税务登记", "纳税信用", "行政处罚", "经营异常名录", "社会组织登记", "养老机构", "殡葬服务",
            "就业登记", "失业保险金", "工伤认定", "职业技能等级", "土地利用现状", "标准地名地址", "国土空间规划", "水文监测", "空气质量监测"};
    static final String[] SUFFIXES = {"信息", "数据", "登记信息", "统计数据", "明细", "名录", "台账", "证照信息", "监测数据", "变更记录"};
    static final String[] PROVIDERS = {"浙江省公安厅", "浙江省不动产登记中心", "浙江省住房公积金管理中心", "浙江省人力资源和社会保障厅",
            "浙江省市场监督管理局", "浙江省应急管理厅", "浙江省民政厅", "浙江省自然资源厅", "浙江省卫生健康委员会", "浙江省教育厅",
            "浙江省交通运输厅", "浙江省生态环境厅", "浙江省税务局", "浙江省大数据发展管理局"};
    static final String[] ITEMS = {"公民身份号码", "姓名", "性别", "出生日期", "统一社会信用代码", "企业名称", "法定代表人", "地址",
            "联系电话", "登记日期", "有效期至", "发证机关", "证照编号", "不动产单元号", "金额", "状态", "类型", "备注", "经度", "纬度"};
    static final String[] SHARE = {"UNCONDITIONAL", "CONDITIONAL", "NOT_SHARED"};
    static final String[] CYCLE = {"REAL_TIME", "DAILY", "WEEKLY", "MONTHLY", "QUARTERLY", "YEARLY"};
    static final String[] GRADE = {"LEVEL_1", "LEVEL_2", "LEVEL_3", "LEVEL_4", "IMPORTANT"};
    static final String[] FORMAT = {"DATABASE", "SERVICE_INTERFACE", "SPREADSHEET", "ELECTRONIC_FILE"};
    static final String[] CLASS = {"BASE", "THEMATIC", "DEPARTMENT"};

    static final List<String> QUERIES = List.of("户籍", "社保", "公积金", "不动产", "企业登记", "房", "车", "低保",
            "宁波 户籍", "杭州市 住房公积金缴存信息", "统一社会信用代码", "营业执照", "API 企业", "养老", "危险化学品", "101",
            "许可", "婚姻登记信息", "西湖区 最低生活保障", "监测数据");

    private SearchBench() {
    }

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args.length > 0 ? args[0] : "100000");
        int threads = Integer.parseInt(args.length > 1 ? args[1] : "4");
        int seconds = Integer.parseInt(args.length > 2 ? args[2] : "20");
        String dir = args.length > 3 ? args[3] : null;
        if (dir != null) {
            Path p = Path.of(dir);
            if (Files.exists(p)) {
                try (var files = Files.walk(p)) {
                    files.sorted((a, b) -> b.compareTo(a)).forEach(f -> f.toFile().delete());
                }
            }
        }
        ObjectMapper json = new ObjectMapper();
        Random rnd = new Random(42);
        Map<String, String> synonyms = Map.of("社保", "社会保险", "公积金", "住房公积金", "低保", "最低生活保障", "营业执照",
                "企业登记", "户口", "户籍", "房产", "不动产");
        try (SearchIndex index = new SearchIndex(dir)) {
            long t0 = System.nanoTime();
            for (int i = 1; i <= n; i++) {
                index.upsert(i, synthetic(json, rnd, i));
            }
            index.commit();
            index.refresh();
            long buildMs = (System.nanoTime() - t0) / 1_000_000;
            System.out.printf("entries=%d index_build_ms=%d (%.0f entries/s) dir=%s%n", n, buildMs,
                    n * 1000.0 / Math.max(1, buildMs), dir == null ? "memory" : dir);
            // warm-up
            run(index, synonyms, threads, 5, false);
            double[] base = run(index, synonyms, threads, Math.max(5, seconds / 2), true);
            double[] real = run(index, synonyms, threads, seconds, false);
            System.out.printf("baseline (one TermQuery, no facets): p50=%.2fms p95=%.2fms p99=%.2fms qps=%.0f%n",
                    base[0], base[1], base[2], base[3]);
            System.out.printf("search (Chinese mix, synonyms, facets, highlight): p50=%.2fms p95=%.2fms p99=%.2fms "
                    + "qps=%.0f threads=%d%n", real[0], real[1], real[2], real[3], threads);
            double target = n >= 1_000_000 ? 60 : 25;
            System.out.printf("ratios: p95/baseline_p95=%.1f  p95/target(%.0fms)=%.2f  %s%n", real[1] / base[1],
                    target, real[1] / target, real[1] <= target ? "TARGET MET" : "TARGET MISSED");
        }
    }

    static ObjectNode synthetic(ObjectMapper json, Random rnd, int i) {
        ObjectNode e = json.createObjectNode();
        String region = REGIONS[rnd.nextInt(REGIONS.length)];
        String subject = SUBJECTS[rnd.nextInt(SUBJECTS.length)];
        String name = region + subject + SUFFIXES[rnd.nextInt(SUFFIXES.length)];
        String cls = CLASS[rnd.nextInt(CLASS.length)];
        e.put("resourceCode", (cls.equals("BASE") ? "1" : cls.equals("THEMATIC") ? "2" : "3")
                + String.format("%02d%03d/%06d", 1 + rnd.nextInt(12), 1 + rnd.nextInt(200), i));
        e.put("name", name);
        e.put("abstract", region + "范围内的" + subject + "相关" + SUFFIXES[rnd.nextInt(SUFFIXES.length)]
                + "，供各级政务部门按共享属性申请使用。编号" + i);
        e.put("providerDepartmentName", PROVIDERS[rnd.nextInt(PROVIDERS.length)]);
        e.put("regionCode", String.valueOf(330000 + 100 * rnd.nextInt(12)));
        ObjectNode k = e.putObject("classification");
        k.put("resourceClass", cls);
        k.put("category", subject.substring(0, 2));
        e.put("shareAttribute", SHARE[rnd.nextInt(SHARE.length)]);
        e.put("openAttribute", rnd.nextInt(4) == 0 ? "OPEN" : "NOT_OPEN");
        e.put("updateCycle", CYCLE[rnd.nextInt(CYCLE.length)]);
        e.put("grade", GRADE[rnd.nextInt(GRADE.length)]);
        e.put("dataCategory", subject + "数据");
        e.putObject("format").put("formatClass", FORMAT[rnd.nextInt(FORMAT.length)]);
        ArrayNode items = e.putArray("items");
        List<String> pool = new ArrayList<>(Arrays.asList(ITEMS));
        for (int j = 0; j < 4 + rnd.nextInt(6); j++) {
            String item = pool.remove(rnd.nextInt(pool.size()));
            items.addObject().put("name", item).put("code", "F" + j);
        }
        e.putArray("keywords").add(subject).add(region);
        e.put("version", 1);
        return e;
    }

    /** Runs the query mix on {@code threads} threads for {@code seconds}; returns p50, p95, p99 (ms) and qps. */
    static double[] run(SearchIndex index, Map<String, String> synonyms, int threads, int seconds, boolean baseline)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        List<Future<List<Long>>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int seed = t;
            futures.add(pool.submit(() -> {
                List<Long> lat = new ArrayList<>();
                Random r = new Random(seed);
                while (System.nanoTime() < end) {
                    String q = baseline ? "企" : QUERIES.get(r.nextInt(QUERIES.size()));
                    long s = System.nanoTime();
                    index.search(new SearchRequest(q, Map.of(), 20, null, false, !baseline),
                            baseline ? Map.of() : synonyms);
                    lat.add(System.nanoTime() - s);
                }
                return lat;
            }));
        }
        List<Long> all = new ArrayList<>();
        for (Future<List<Long>> f : futures) {
            all.addAll(f.get());
        }
        pool.shutdown();
        all.sort(Long::compare);
        double qps = all.size() / (double) seconds;
        return new double[] {pct(all, 50), pct(all, 95), pct(all, 99), qps};
    }

    static double pct(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int i = Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1);
        return sorted.get(Math.max(0, i)) / 1e6;
    }
}
