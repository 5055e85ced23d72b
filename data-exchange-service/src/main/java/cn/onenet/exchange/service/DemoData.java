package cn.onenet.exchange.service;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import cn.onenet.exchange.config.ExchangeConfig;
import cn.onenet.exchange.model.CatalogEntry;
import cn.onenet.exchange.model.ShareRequest;
import cn.onenet.exchange.service.Commands.Approve;
import cn.onenet.exchange.service.Commands.Attestation;
import cn.onenet.exchange.service.Commands.FileRequest;
import cn.onenet.exchange.service.Commands.HeadApproval;
import cn.onenet.exchange.service.Commands.RegisterProxy;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.vertx.http.HttpServer;

/**
 * Demo data (only with {@code exchange.demo.enabled}): hosted datasets for the catalogue's demo entries, the demo
 * 电子证照 provider as a proxied service, and a few requests and grants between demo departments. Idempotent; runs
 * through the service layer and retries on schedule until the catalogue feed has delivered the entries.
 */
@ApplicationScoped
public class DemoData {

    private static final Logger LOG = Logger.getLogger(DemoData.class);

    public static final String POLICE = "11330000002481020A";
    public static final String REAL_ESTATE = "123300004701410402";
    public static final String HOUSING_FUND = "123300004701410503";
    public static final String HUMAN_RESOURCES = "11330000002481060E";
    public static final String MARKET = "11330000002481070F";
    public static final String EMERGENCY = "11330000002481080G";
    public static final String CIVIL_AFFAIRS = "11330000002481090H";
    public static final String AUTHORITY = "113300000024810109";

    /**
     * The heads (部门负责人, role {@code head}) who approve the demo departments' share requests, by name as in
     * identity-service's demo accounts (民政厅 has none there).
     */
    public static final Map<String, String> HEADS = Map.of(
            POLICE, "钱伟（公安厅数据共享工作负责人）",
            REAL_ESTATE, "杨帆（不动产登记中心负责人）",
            HOUSING_FUND, "朱红（公积金中心负责人）",
            HUMAN_RESOURCES, "秦岭（人社厅数据共享工作负责人）",
            MARKET, "尤佳（市场监管局数据共享工作负责人）",
            CIVIL_AFFAIRS, "民政厅数据共享工作负责人");

    public static final List<String> CITIZENS = List.of("33010619850312001X", "33010619920708002X",
            "330282196509230044", "330110200102150052");
    public static final String ENTERPRISE = "91330106MA2H00001E";

    /** The demo 电子证照 provider's records, keyed by 证照编号. */
    public static final Map<String, Map<String, Object>> LICENCES = Map.of(
            "DZZZ-330106-0001", record("ZZBH", "DZZZ-330106-0001", "ZZMC", "营业执照", "CZZT", "杭州数智科技有限公司",
                    "CZZTDM", ENTERPRISE, "YXQZ", "2046-06-30"),
            "DZZZ-330106-0002", record("ZZBH", "DZZZ-330106-0002", "ZZMC", "居民身份证电子证照", "CZZT", "张三",
                    "CZZTDM", "33010619850312001X", "YXQZ", "2035-03-12"));

    /**
     * The demo datasets by entry name. The persons are identity-service's demo citizens and enterprise, under the
     * names their accounts carry there (张三 is also the enterprise's legal representative), so what a citizen reads of
     * himself here is what he signed in as. Values fit the demo catalogue's items, as every upload must (data type and
     * length: 缴存状态 and 参保状态 are two characters, 注册资本 a 货币型 amount); items the entry does not list are left out
     * when loading.
     */
    static final Map<String, List<Map<String, Object>>> DATASETS = new LinkedHashMap<>();

    static {
        DATASETS.put("居民户籍信息", List.of(
                record("GMSFHM", "33010619850312001X", "XM", "张三", "XB", "男", "CSRQ", "1985-03-12", "HJDZ",
                        "浙江省杭州市西湖区文三路 100 号"),
                record("GMSFHM", "33010619920708002X", "XM", "李四", "XB", "女", "CSRQ", "1992-07-08", "HJDZ",
                        "浙江省杭州市西湖区天目山路 8 号"),
                record("GMSFHM", "330282196509230044", "XM", "王秀英", "XB", "女", "CSRQ", "1965-09-23", "HJDZ",
                        "浙江省宁波市慈溪市浒山街道 21 号"),
                record("GMSFHM", "330110200102150052", "XM", "赵六", "XB", "男", "CSRQ", "2001-02-15", "HJDZ",
                        "浙江省杭州市余杭区良渚街道 5 号")));
        DATASETS.put("不动产登记信息", List.of(
                record("BDCDYH", "330106001001GB00001F00010001", "QLRXM", "张三", "QLRZJHM", "33010619850312001X",
                        "ZL", "西湖区文三路 100 号 1 幢 101 室", "MJ", "89.5"),
                record("BDCDYH", "330282001002GB00002F00020002", "QLRXM", "王秀英", "QLRZJHM", "330282196509230044",
                        "ZL", "慈溪市浒山街道 21 号", "MJ", "120.3")));
        DATASETS.put("住房公积金缴存信息", List.of(
                record("GMSFHM", "33010619850312001X", "XM", "张三", "GRZH", "330100012345", "JCJS", "12000",
                        "JCZT", "正常"),
                record("GMSFHM", "33010619920708002X", "XM", "李四", "GRZH", "330100067890", "JCJS", "9800",
                        "JCZT", "正常")));
        DATASETS.put("社会保险参保信息", List.of(
                record("GMSFHM", "33010619850312001X", "XM", "张三", "CBXZ", "企业职工基本养老保险", "CBZT", "参保",
                        "CBDW", "杭州数智科技有限公司"),
                record("GMSFHM", "330282196509230044", "XM", "王秀英", "CBXZ", "城乡居民基本养老保险", "CBZT", "退休",
                        "CBDW", "慈溪市浒山街道")));
        DATASETS.put("企业登记信息", List.of(
                record("TYSHXYDM", ENTERPRISE, "QYMC", "杭州数智科技有限公司", "FDDBR", "张三", "ZCZB", "5000000.00",
                        "DJZT", "存续")));
    }

    private final ExchangeConfig config;
    private final DatasetService datasets;
    private final ProxyService proxies;
    private final RequestService requests;
    private final HttpServer server;

    public DemoData(ExchangeConfig config, DatasetService datasets, ProxyService proxies, RequestService requests,
            HttpServer server) {
        this.config = config;
        this.datasets = datasets;
        this.proxies = proxies;
        this.requests = requests;
        this.server = server;
    }

    @Scheduled(every = "20s", delayed = "3s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        if (config.demo().enabled()) {
            try {
                load();
            } catch (RuntimeException e) {
                LOG.warnf("Demo data not (yet) complete: %s", e.getMessage());
            }
        }
    }

    /** Loads whatever demo data the replica's entries allow; safe to call repeatedly. */
    public synchronized void load() {
        for (Map.Entry<String, List<Map<String, Object>>> ds : DATASETS.entrySet()) {
            CatalogEntry entry = byName(ds.getKey());
            if (entry == null || QuarkusTransaction.requiringNew().call(() -> datasets.count(entry.resourceCode)) > 0) {
                continue;
            }
            Set<String> items = RequestService.itemCodes(entry);
            List<Map<String, Object>> records = ds.getValue().stream().map(r -> {
                Map<String, Object> m = new LinkedHashMap<>(r);
                m.keySet().retainAll(items);
                return m;
            }).filter(m -> m.containsKey(entry.keyItem)).toList();
            if (!records.isEmpty()) {
                QuarkusTransaction.requiringNew().run(() -> datasets.storeUnchecked(entry, "demo", records, "demo", null));
                LOG.infof("Demo dataset %s loaded (%d records)", entry.name, records.size());
            }
        }
        CatalogEntry licences = byName("电子证照");
        if (licences != null && proxies.endpoint(licences.resourceCode) == null) {
            Caller provider = new Caller("demo", "demo", licences.providerDepartmentCode, Set.of("operator"), null,
                    null);
            proxies.register(provider, licences.resourceCode, new RegisterProxy(
                    "http://127.0.0.1:" + server.getPort() + "/api/exchange/v1/demo-provider/licences", 3000));
        }
        grant("社会保险参保信息", HOUSING_FUND, "住房公积金提取", List.of("GMSFHM", "XM", "CBZT"));
        grant("居民户籍信息", HUMAN_RESOURCES, "社会保障待遇资格认证", List.of("GMSFHM", "XM", "HJDZ"));
        grant("不动产登记信息", HOUSING_FUND, "住房公积金提取", List.of("BDCDYH", "QLRXM", "QLRZJHM", "ZL"));
        grant("企业登记信息", CIVIL_AFFAIRS, "社会组织登记核验", List.of("TYSHXYDM", "QYMC", "DJZT"));
        grant("住房公积金缴存信息", REAL_ESTATE, "不动产登记业务核验", List.of("GMSFHM", "XM", "JCZT"));
    }

    private void grant(String entryName, String consumer, String purpose, List<String> wanted) {
        CatalogEntry entry = byName(entryName);
        if (entry == null || "NOT_SHARED".equals(entry.shareAttribute) || consumer.equals(entry.providerDepartmentCode)) {
            return;
        }
        // a request still awaiting its head (approval failed last time) is approved now
        boolean exists = QuarkusTransaction.requiringNew().call(() -> ShareRequest.count(
                "resourceCode = ?1 and consumerDepartmentCode = ?2 and status <> ?3", entry.resourceCode, consumer,
                RequestService.AWAITING_HEAD_APPROVAL) > 0);
        if (exists) {
            return;
        }
        Set<String> items = RequestService.itemCodes(entry);
        List<String> asked = wanted.stream().filter(items::contains).toList();
        if (asked.isEmpty()) {
            return;
        }
        Caller operator = new Caller("demo-operator-" + consumer, "demo", consumer, Set.of("operator"), null, null);
        LocalDate today = LocalDate.now(TimeSource.ZONE);
        // 有条件共享 is asked for a purpose the entry lists; the demo's own wording is then the scenario
        List<String> listed = entry.permittedPurposes == null ? List.of() : Json.strings(entry.permittedPurposes);
        String listedPurpose = "CONDITIONAL".equals(entry.shareAttribute) && !listed.isEmpty() && !listed.contains(purpose)
                ? listed.get(0) : purpose;
        ShareRequest r = requests.file(operator, new FileRequest(entry.resourceCode, asked, "《政务数据共享条例》第十二条",
                purpose, listedPurpose, "本部门业务经办", "API", today, today.plusYears(1), new Attestation(true, true, true),
                null, null), "demo-" + entry.resourceCode + "-" + consumer);
        if (RequestService.AWAITING_HEAD_APPROVAL.equals(r.status)) {
            Caller head = new Caller("demo-head-" + consumer, "demo", consumer, Set.of("head"), null, null, null,
                    HEADS.get(consumer));
            r = requests.approveAsHead(head, r.id, new HeadApproval(r.version, "演示数据：同意申请"));
        }
        if ("PENDING".equals(r.status)) {
            // answered by the provider's head itself (an operator's answer would wait for the head's approval)
            String providerHead = HEADS.get(entry.providerDepartmentCode);
            Caller provider = new Caller("demo-head-" + entry.providerDepartmentCode, "demo",
                    entry.providerDepartmentCode, Set.of("operator", "head"), null, null, null, providerHead);
            requests.approve(provider, r.id, new Approve(r.version, null, null, null, null, null, "演示数据：同意共享"));
        }
    }

    private static CatalogEntry byName(String name) {
        return QuarkusTransaction.requiringNew().call(() -> CatalogEntry
                .<CatalogEntry>find("name = ?1 and deregistered = false", name).firstResult());
    }

    private static Map<String, Object> record(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
