package cn.onenet.exchange;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import cn.onenet.testsupport.TestTokens;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A stand-in for catalog-service serving the feed contract (docs/catalog-exchange-contract.md §1) and a token
 * endpoint for the oidc-client, on a random port of 127.0.0.1; it also serves identity-service's public department
 * register as {@link FakeDepartmentRegister} says. {@link #stop()} and {@link #restart()} show that
 * the exchange keeps serving while the catalogue is down.
 */
public class FakeCatalog implements QuarkusTestResourceLifecycleManager {

    public static final String CONDITIONAL = "330000-01-02/900001";
    public static final String UNCONDITIONAL = "330000-01-02/900002";
    public static final String NOT_SHARED = "330000-01-02/900003";
    public static final String LICENCES = "330000-01-09/000006";
    public static final String POPULATION = "330000-01-02/000123";
    public static final String REAL_ESTATE = "330000-01-03/000201";
    public static final String ENTERPRISES = "330000-01-07/000501";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<Map<String, Object>> FEED = new ArrayList<>();
    private static HttpServer server;
    private static int port;
    public static volatile int feedCalls;

    static {
        add("PUBLISHED", POPULATION, "居民户籍信息", "11330000002481020A", "CONDITIONAL", "LEVEL_3", "GMSFHM",
                items("GMSFHM:公民身份号码:s", "XM:姓名:s", "XB:性别:", "CSRQ:出生日期:", "HJDZ:户籍地址:s"));
        add("PUBLISHED", REAL_ESTATE, "不动产登记信息", "123300004701410402", "CONDITIONAL", "LEVEL_3", "BDCDYH",
                items("BDCDYH:不动产单元号:", "QLRXM:权利人姓名:s", "QLRZJHM:权利人证件号码:s", "ZL:坐落:", "MJ:面积:"));
        add("PUBLISHED", "330000-01-04/000301", "住房公积金缴存信息", "123300004701410503", "CONDITIONAL", "LEVEL_3",
                "GMSFHM", items("GMSFHM:公民身份号码:s", "XM:姓名:s", "GRZH:个人账号:s", "JCJS:缴存基数:", "JCZT:缴存状态:"));
        add("PUBLISHED", "330000-01-05/000401", "社会保险参保信息", "11330000002481060E", "UNCONDITIONAL", "LEVEL_2",
                "GMSFHM", items("GMSFHM:公民身份号码:s", "XM:姓名:s", "CBXZ:参保险种:", "CBZT:参保状态:", "CBDW:参保单位:"));
        add("PUBLISHED", ENTERPRISES, "企业登记信息", "11330000002481070F", "UNCONDITIONAL", "LEVEL_1", "TYSHXYDM",
                items("TYSHXYDM:统一社会信用代码:", "QYMC:企业名称:", "FDDBR:法定代表人:s", "ZCZB:注册资本:", "DJZT:登记状态:"));
        add("PUBLISHED", LICENCES, "电子证照", "11330000002481070F", "UNCONDITIONAL", "LEVEL_2", "ZZBH",
                items("ZZBH:证照编号:", "ZZMC:证照名称:", "CZZT:持证主体:", "CZZTDM:持证主体代码:s", "YXQZ:有效期至:"));
        add("PUBLISHED", CONDITIONAL, "测试有条件共享目录", "11330000002481080G", "CONDITIONAL", "LEVEL_3", "GMSFHM",
                items("GMSFHM:公民身份号码:s", "XM:姓名:s", "ZY:职业:"));
        add("PUBLISHED", UNCONDITIONAL, "测试无条件共享目录", "11330000002481080G", "UNCONDITIONAL", "LEVEL_2", "GMSFHM",
                items("GMSFHM:公民身份号码:s", "XM:姓名:s", "ZY:职业:"));
        Map<String, Object> ns = add("PUBLISHED", NOT_SHARED, "测试不予共享目录", "11330000002481080G", "NOT_SHARED",
                "LEVEL_4", "GMSFHM", items("GMSFHM:公民身份号码:s", "AJXX:案件信息:s"));
        ns.put("notSharedReason", "涉及国家秘密");
        ns.put("notSharedLegalBasis", Map.of("type", "LAW", "title", "中华人民共和国保守国家秘密法", "article", "第二条"));
    }

    private static List<Map<String, Object>> items(String... specs) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String s : specs) {
            String[] p = s.split(":", -1);
            out.add(Map.of("code", p[0], "name", p[1], "dataType", "C", "length", 100, "sensitive", "s".equals(p[2])));
        }
        return out;
    }

    public static synchronized Map<String, Object> add(String type, String code, String name, String provider,
            String share, String grade, String keyItem, List<Map<String, Object>> items) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("resourceCode", code);
        entry.put("version", 1);
        entry.put("name", name);
        entry.put("providerDepartmentCode", provider);
        entry.put("providerDepartmentName", name + "提供部门");
        entry.put("regionCode", "330000");
        entry.put("shareAttribute", share);
        entry.put("shareConditions", "CONDITIONAL".equals(share) ? "仅限履行法定职责" : null);
        entry.put("shareScope", "省内各级政务部门");
        entry.put("permittedPurposes", List.of("社会保障待遇资格认证", "最低生活保障家庭经济状况核对"));
        entry.put("notSharedReason", null);
        entry.put("notSharedLegalBasis", null);
        entry.put("openAttribute", "NOT_OPEN");
        entry.put("updateCycle", "DAILY");
        entry.put("grade", grade);
        entry.put("keyItem", keyItem);
        entry.put("items", typed(items));
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("cursor", (long) FEED.size() + 1);
        item.put("type", type);
        item.put("occurredAt", "2026-11-21T09:30:00Z");
        item.put("entry", entry);
        FEED.add(item);
        return entry;
    }

    /**
     * The items as the catalogue publishes them: catalog-service requires a data type on every item, so an item a test
     * states without one is published as 备注型 text ({@code M}, no length), which takes any single value.
     */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> typed(List<?> items) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object o : items) {
            Map<String, Object> item = (Map<String, Object>) o;
            if (item != null && !item.containsKey("dataType")) {
                item = new LinkedHashMap<>(item);
                item.put("dataType", "M");
            }
            out.add(item);
        }
        return out;
    }

    /** Appends an item to the feed; returns its cursor. */
    public static synchronized long addItem(String type, Map<String, Object> entry) {
        if (entry != null && entry.get("items") instanceof List<?> items
                && items.stream().anyMatch(i -> i instanceof Map<?, ?> m && !m.containsKey("dataType"))) {
            entry = new LinkedHashMap<>(entry);
            entry.put("items", typed(items));
        }
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("cursor", (long) FEED.size() + 1);
        item.put("type", type);
        item.put("occurredAt", "2026-11-21T10:00:00Z");
        item.put("entry", entry);
        FEED.add(item);
        return FEED.size();
    }

    /** The cursor of the newest item. */
    public static synchronized long lastCursor() {
        return FEED.size();
    }

    @Override
    public Map<String, String> start() {
        startServer(0);
        String base = "http://127.0.0.1:" + port;
        return Map.of("quarkus.rest-client.catalog.url", base,
                "quarkus.rest-client.identity.url", base,
                "quarkus.oidc-client.auth-server-url", base + "/oidc",
                "quarkus.oidc-client.credentials.secret", "test-secret");
    }

    private static synchronized void startServer(int wanted) {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", wanted), 0);
        } catch (IOException e) {
            throw new IllegalStateException("fake catalogue did not start", e);
        }
        port = server.getAddress().getPort();
        server.createContext("/oidc/token", FakeCatalog::token);
        server.createContext("/api/catalog/v1/feed", FakeCatalog::feed);
        server.createContext("/api/catalog/v1/calendar/snapshot", FakeCatalog::calendar);
        server.createContext("/api/identity/v1/departments", ex -> {
            Map.Entry<Integer, Object> answer = FakeDepartmentRegister.answer();
            send(ex, answer.getKey(), answer.getValue());
        });
        server.start();
    }

    /** The catalogue goes down. */
    public static synchronized void down() {
        server.stop(0);
    }

    /** The catalogue comes back on the same address. */
    public static synchronized void up() {
        startServer(port);
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private static void token(HttpExchange ex) throws IOException {
        String token = TestTokens.departmentClient("data-exchange-service", "113300000024810109", "onenet-catalog",
                "system");
        send(ex, 200, Map.of("access_token", token, "token_type", "Bearer", "expires_in", 300));
    }

    /** While set, feed reads wait for it (at most 10 s), after counting down {@link #feedEntered}. */
    private static volatile CountDownLatch feedGate;
    private static volatile CountDownLatch feedEntered;

    /** Feed reads from now on wait until {@link #openFeed()}; the latch counts down when the first one is waiting. */
    public static CountDownLatch holdFeed() {
        feedEntered = new CountDownLatch(1);
        feedGate = new CountDownLatch(1);
        return feedEntered;
    }

    public static void openFeed() {
        CountDownLatch gate = feedGate;
        feedGate = null;
        if (gate != null) {
            gate.countDown();
        }
    }

    private static void feed(HttpExchange ex) throws IOException {
        feedCalls++;
        CountDownLatch gate = feedGate;
        if (gate != null) {
            feedEntered.countDown();
            try {
                gate.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (auth == null || !auth.startsWith("Bearer ")) {
            send(ex, 401, Map.of("title", "unauthorized"));
            return;
        }
        long after = 0;
        int limit = 100;
        String q = ex.getRequestURI().getQuery();
        if (q != null) {
            for (String kv : q.split("&")) {
                String[] p = kv.split("=", 2);
                if ("after".equals(p[0])) {
                    after = Long.parseLong(p[1]);
                } else if ("limit".equals(p[0])) {
                    limit = Integer.parseInt(p[1]);
                }
            }
        }
        List<Map<String, Object>> page = new ArrayList<>();
        long next = after;
        synchronized (FakeCatalog.class) {
            for (Map<String, Object> item : FEED) {
                long c = (Long) item.get("cursor");
                if (c > after && page.size() < limit) {
                    page.add(item);
                    next = c;
                }
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", page);
        body.put("next", next);
        send(ex, 200, body);
    }

    private static void send(HttpExchange ex, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    // ---- the working-day calendar (GET /calendar/snapshot, ETag = generation), seeded as the real catalogue is

    private static final Map<String, Map<String, Object>> CALENDAR = new java.util.TreeMap<>();
    private static long calendarGeneration = 1;
    /** The If-None-Match of the last calendar read (null: none sent). */
    public static volatile String lastCalendarIfNoneMatch;

    static {
        try (var in = FakeCatalog.class.getResourceAsStream("/calendar/cn-public-holidays.csv")) {
            new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().skip(1).filter(l -> !l.isBlank())
                    .map(l -> l.split(",", 3)).forEach(p -> putCalendarDay(p[0].trim(), p[1].trim(), p[2].trim()));
            calendarGeneration = 1;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** An admin sets a day in the catalogue's calendar (kind holiday or workday); the generation moves. */
    public static synchronized void putCalendarDay(String day, String kind, String name) {
        CALENDAR.put(day, new LinkedHashMap<>(Map.of("day", day, "kind", kind, "name", name)));
        calendarGeneration++;
    }

    /** An admin removes a day from the catalogue's calendar; the generation moves. */
    public static synchronized void removeCalendarDay(String day) {
        CALENDAR.remove(day);
        calendarGeneration++;
    }

    private static void calendar(HttpExchange ex) throws IOException {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (auth == null || !auth.startsWith("Bearer ")) {
            send(ex, 401, Map.of("title", "unauthorized"));
            return;
        }
        String ifNoneMatch = ex.getRequestHeaders().getFirst("If-None-Match");
        lastCalendarIfNoneMatch = ifNoneMatch;
        Map<String, Object> body = new LinkedHashMap<>();
        String etag;
        synchronized (FakeCatalog.class) {
            etag = "\"" + calendarGeneration + "\"";
            body.put("generation", calendarGeneration);
            body.put("days", new ArrayList<>(CALENDAR.values()));
        }
        ex.getResponseHeaders().add("ETag", etag);
        if (etag.equals(ifNoneMatch)) {
            ex.sendResponseHeaders(304, -1);
            ex.close();
            return;
        }
        send(ex, 200, body);
    }

    public static String encoded(String resourceCode) {
        return java.net.URLEncoder.encode(resourceCode, StandardCharsets.UTF_8);
    }
}
