package cn.onenet.catalog.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import com.fasterxml.jackson.databind.ObjectMapper;

import cn.onenet.catalog.model.DataGrade;
import cn.onenet.catalog.model.DataType;
import cn.onenet.catalog.model.EntryContent;
import cn.onenet.catalog.model.FormatClass;
import cn.onenet.catalog.model.OpenAttribute;
import cn.onenet.catalog.model.ResourceClass;
import cn.onenet.catalog.model.ShareAttribute;
import cn.onenet.catalog.model.ShareMethodClass;
import cn.onenet.catalog.model.ShareMethodType;
import cn.onenet.catalog.model.UpdateCycle;
import cn.onenet.common.identifiers.CreditCode;

/**
 * A provincial catalogue of any size for benchmarks: the demo catalogue's resources (real names, data items,
 * keywords, abstracts) held by the departments of the province, its 11 cities and their counties, plus further
 * common government subjects; published entries written straight into {@code catalog_entry} with COPY.
 */
public final class SyntheticCatalogue {

    /** Zhejiang: cities and their districts/counties (GB/T 2260 names). */
    static final String[][] CITIES = {
            {"杭州市", "上城区", "拱墅区", "西湖区", "滨江区", "萧山区", "余杭区", "临平区", "钱塘区", "富阳区", "临安区", "桐庐县", "淳安县", "建德市"},
            {"宁波市", "海曙区", "江北区", "北仑区", "镇海区", "鄞州区", "奉化区", "余姚市", "慈溪市", "象山县", "宁海县"},
            {"温州市", "鹿城区", "龙湾区", "瓯海区", "洞头区", "瑞安市", "乐清市", "龙港市", "永嘉县", "平阳县", "苍南县", "文成县", "泰顺县"},
            {"嘉兴市", "南湖区", "秀洲区", "海宁市", "平湖市", "桐乡市", "嘉善县", "海盐县"},
            {"湖州市", "吴兴区", "南浔区", "德清县", "长兴县", "安吉县"},
            {"绍兴市", "越城区", "柯桥区", "上虞区", "诸暨市", "嵊州市", "新昌县"},
            {"金华市", "婺城区", "金东区", "兰溪市", "义乌市", "东阳市", "永康市", "武义县", "浦江县", "磐安县"},
            {"衢州市", "柯城区", "衢江区", "江山市", "常山县", "开化县", "龙游县"},
            {"舟山市", "定海区", "普陀区", "岱山县", "嵊泗县"},
            {"台州市", "椒江区", "黄岩区", "路桥区", "临海市", "温岭市", "玉环市", "三门县", "天台县", "仙居县"},
            {"丽水市", "莲都区", "龙泉市", "青田县", "缙云县", "遂昌县", "松阳县", "云和县", "庆元县", "景宁畲族自治县"}};

    /** Further subjects a department catalogues, with the department that holds them. */
    static final String[][] SUBJECTS = {
            {"出生医学证明", "卫生健康委员会"}, {"死亡医学证明", "卫生健康委员会"}, {"医师执业注册", "卫生健康委员会"},
            {"护士执业注册", "卫生健康委员会"}, {"学历学位", "教育厅"}, {"教师资格", "教育厅"}, {"学生学籍", "教育厅"},
            {"建筑施工许可", "住房和城乡建设厅"}, {"商品房预售许可", "住房和城乡建设厅"}, {"排污许可", "生态环境厅"},
            {"空气质量监测", "生态环境厅"}, {"取水许可", "水利厅"}, {"水文监测", "水利厅"}, {"林木采伐许可", "林业局"},
            {"道路运输经营许可", "交通运输厅"}, {"船舶登记", "交通运输厅"}, {"纳税信用等级", "税务局"}, {"税务登记", "税务局"},
            {"经营异常名录", "市场监督管理局"}, {"食品生产许可", "市场监督管理局"}, {"药品经营许可", "药品监督管理局"},
            {"特困人员供养", "民政厅"}, {"残疾人两项补贴", "残疾人联合会"}, {"殡葬服务", "民政厅"}, {"婚姻登记档案", "民政厅"},
            {"安全生产许可", "应急管理厅"}, {"危险化学品经营许可", "应急管理厅"}, {"烟花爆竹经营许可", "应急管理厅"},
            {"高龄津贴发放", "民政厅"}, {"退役军人优抚对象", "退役军人事务厅"}, {"法律援助案件", "司法厅"},
            {"律师执业", "司法厅"}, {"公证文书", "司法厅"}, {"农业补贴发放", "农业农村厅"}, {"农村土地承包经营权", "农业农村厅"},
            {"文物保护单位", "文化和旅游厅"}, {"旅行社经营许可", "文化和旅游厅"}, {"体育场馆", "体育局"},
            {"医疗保障参保", "医疗保障局"}, {"医保定点医药机构", "医疗保障局"}, {"公共资源交易", "公共资源交易中心"},
            {"政府采购合同", "财政厅"}, {"非税收入缴款", "财政厅"}, {"统计调查单位名录", "统计局"}, {"人口抽样调查汇总", "统计局"}};
    static final String[] SUFFIXES = {"信息", "数据", "登记信息", "明细", "名录", "台账", "证照信息", "变更记录", "统计数据", "办件信息"};
    static final String[] VARIANTS = {"", "", "", "", "（历史数据）", "（2024年度）", "（2025年度）", "汇总", "（按月更新）", "（归集库）"};
    static final String[] SENTENCES = {"数据覆盖辖区内全部乡镇（街道）。", "按国家标准规定的数据元统一字段口径。", "历史数据自2015年起完整归集。",
            "经数据治理后每日与业务系统比对。", "用于一网通办事项的材料免提交。", "支撑基层治理“一件事”联办。", "已接入省一体化智能化公共数据平台。",
            "敏感字段按最小必要原则脱敏后共享。", "可按统一社会信用代码或公民身份号码查询。", "数据质量问题可通过异议流程反馈。"};
    static final String[][] ITEMS = {{"GMSFHM", "公民身份号码", "C", "18"}, {"XM", "姓名", "C", "50"}, {"XB", "性别", "C", "1"},
            {"CSRQ", "出生日期", "D", ""}, {"TYSHXYDM", "统一社会信用代码", "C", "18"}, {"DWMC", "单位名称", "C", "200"},
            {"FDDBR", "法定代表人", "C", "50"}, {"DZ", "地址", "C", "200"}, {"LXDH", "联系电话", "C", "20"},
            {"DJRQ", "登记日期", "D", ""}, {"YXQZ", "有效期至", "D", ""}, {"FZJG", "发证机关", "C", "100"},
            {"ZZBH", "证照编号", "C", "40"}, {"JE", "金额", "Y", "18"}, {"ZT", "状态", "C", "2"}, {"LX", "类型", "C", "20"},
            {"BZ", "备注", "M", ""}, {"JD", "经度", "F", "12"}, {"WD", "纬度", "F", "12"}, {"GXSJ", "更新时间", "T", ""}};

    private final Random rnd;
    private final List<String[]> templates;
    private final Map<String, Integer> sequences = new HashMap<>();
    private final ObjectMapper json = new ObjectMapper();

    public SyntheticCatalogue(long seed) {
        rnd = new Random(seed);
        templates = DemoDataLoader.lines().stream().map(l -> l.split("\\|", -1)).toList();
    }

    /** A published entry: its resource code, classification code and content. */
    public record Entry(String resourceCode, String classificationCode, EntryContent content) {
    }

    public Entry next() {
        // 5 % provincial, 25 % city, 70 % county departments
        int level = rnd.nextInt(20);
        int city = rnd.nextInt(CITIES.length);
        String[] c = CITIES[city];
        int county = 1 + rnd.nextInt(c.length - 1);
        String region = level == 0 ? "浙江省" : level < 6 ? c[0] : c[0] + c[county];
        String regionCode = level == 0 ? "330000" : String.format("33%02d%02d", city + 1, level < 6 ? 0 : county);
        EntryContent base;
        String department;
        if (rnd.nextBoolean()) {
            String[] t = templates.get(rnd.nextInt(templates.size()));
            base = DemoDataLoader.content(t);
            department = base.providerDepartmentName().replace("浙江省", "");
        } else {
            String[] s = SUBJECTS[rnd.nextInt(SUBJECTS.length)];
            base = subject(s[0]);
            department = s[1];
        }
        if (level != 0) {
            department = department.replace("厅", "局");
        }
        String variant = VARIANTS[rnd.nextInt(VARIANTS.length)];
        String name = (level == 0 ? "" : region) + base.name() + variant;
        StringBuilder summary = new StringBuilder(region).append(base.summary());
        for (int i = rnd.nextInt(4); i > 0; i--) {
            summary.append(SENTENCES[rnd.nextInt(SENTENCES.length)]);
        }
        List<String> keywords = new ArrayList<>(base.keywords());
        keywords.add(region);
        String providerCode = creditCode(regionCode, department);
        String classificationCode = base.classification().code();
        int seq = sequences.merge(classificationCode, 1, Integer::sum);
        EntryContent e = new EntryContent(base.classification(), name, providerCode, region + department, regionCode,
                summary.toString(), base.format(), base.items(), base.keyItem(), base.shareAttribute(),
                base.shareConditions(), base.shareScope(), base.permittedPurposes(), base.notSharedReason(),
                base.notSharedLegalBasis(), base.shareMethod(), base.openAttribute(), base.openConditions(),
                base.updateCycle(), base.dataCategory(), base.grade(), null, keywords, false);
        return new Entry(classificationCode + "/" + String.format("%06d", seq), classificationCode, e);
    }

    private EntryContent subject(String subject) {
        ResourceClass rc = ResourceClass.values()[rnd.nextInt(3)];
        String category = rc.categories().get(rnd.nextInt(rc.categories().size()));
        var classification = new EntryContent.Classification(rc, category, rc.itemCodeOf(category),
                String.format("%03d", 1 + rnd.nextInt(200)), null);
        List<EntryContent.DataItem> items = new ArrayList<>();
        List<String[]> pool = new ArrayList<>(List.of(ITEMS));
        for (int j = 0, n = 4 + rnd.nextInt(6); j < n; j++) {
            String[] it = pool.remove(rnd.nextInt(pool.size()));
            items.add(new EntryContent.DataItem(it[0], it[1], DataType.valueOf(it[2]),
                    it[3].isEmpty() ? null : Integer.valueOf(it[3]), null, it[1].contains("身份") || it[1].equals("姓名"),
                    null));
        }
        ShareAttribute share = ShareAttribute.values()[rnd.nextInt(8) == 0 ? 2 : rnd.nextInt(2)];
        boolean open = share == ShareAttribute.UNCONDITIONAL && rnd.nextBoolean();
        FormatClass fc = FormatClass.values()[rnd.nextInt(FormatClass.values().length)];
        String suffix = SUFFIXES[rnd.nextInt(SUFFIXES.length)];
        return new EntryContent(classification, subject + suffix, null, null, null,
                subject + "相关" + suffix + "，供各级政务部门依共享属性申请使用。", new EntryContent.Format(fc, "其他"), items,
                items.get(0).code(), share,
                share == ShareAttribute.CONDITIONAL ? "仅限履行法定职责、办理相关政务服务事项时使用" : null,
                share == ShareAttribute.CONDITIONAL ? "省内各级政务部门" : null,
                share == ShareAttribute.CONDITIONAL ? List.of("政务服务事项办理") : null,
                share == ShareAttribute.NOT_SHARED ? "涉及依法应予保密的信息" : null,
                share == ShareAttribute.NOT_SHARED
                        ? new EntryContent.LegalBasis(cn.onenet.catalog.model.LegalBasisType.LAW, "中华人民共和国保守国家秘密法",
                                "第九条")
                        : null,
                share == ShareAttribute.NOT_SHARED ? null
                        : new EntryContent.ShareMethod(ShareMethodClass.PLATFORM, ShareMethodType.API),
                open ? OpenAttribute.OPEN : OpenAttribute.NOT_OPEN, open ? "引用时注明数据来源" : null,
                UpdateCycle.values()[rnd.nextInt(UpdateCycle.values().length)], category + "数据",
                DataGrade.values()[2 + rnd.nextInt(4)], null, List.of(subject), false);
    }

    /** A well-formed 统一社会信用代码 of a government body (机关, 11) in the region. */
    private static String creditCode(String regionCode, String department) {
        String body = String.format("11%s%09d", regionCode, Math.floorMod(department.hashCode(), 1_000_000_000));
        return body + CreditCode.checkCharacter(body);
    }

    /** Writes {@code n} published entries into {@code catalog_entry} with COPY; returns the rows written. */
    public long copyInto(Connection c, int n) throws SQLException, IOException {
        CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY catalog_entry (metadata_id, resource_code, "
                + "classification_code, provider_code, name, state, draft, published, published_version, version_label, "
                + "created_by, created_at, registered_on, updated_by, updated_at, region_code, name_key) FROM STDIN (FORMAT csv)");
        StringBuilder b = new StringBuilder(1 << 20);
        for (int i = 0; i < n; i++) {
            Entry e = next();
            String doc = json.writeValueAsString(e.content());
            b.append(new UUID(rnd.nextLong(), rnd.nextLong())).append(',').append(e.resourceCode()).append(',')
                    .append(e.classificationCode()).append(',').append(e.content().providerDepartmentCode()).append(',');
            csv(b, e.content().name()).append(",PUBLISHED,");
            csv(b, doc).append(',');
            csv(b, doc).append(",1,1.0,bench,2026-01-05 09:00:00+08,2026-01-05,bench,2026-01-05 09:00:00+08,")
                    .append(e.content().regionCode()).append(',');
            // name_key (V12) is unique per department, classification and name; drawn names repeat, so the
            // synthetic key carries the resource code (the import that reads the key never runs on this catalogue)
            csv(b, e.content().name() + "/" + e.resourceCode()).append('\n');
            if (b.length() > (1 << 20) - 16384) {
                byte[] bytes = b.toString().getBytes(StandardCharsets.UTF_8);
                copy.writeToCopy(bytes, 0, bytes.length);
                b.setLength(0);
            }
        }
        byte[] bytes = b.toString().getBytes(StandardCharsets.UTF_8);
        copy.writeToCopy(bytes, 0, bytes.length);
        return copy.endCopy();
    }

    private static StringBuilder csv(StringBuilder b, String s) {
        return b.append('"').append(s.replace("\"", "\"\"")).append('"');
    }
}
