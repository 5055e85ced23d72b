package cn.onenet.catalog.demo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import cn.onenet.catalog.config.CatalogConfig;
import cn.onenet.catalog.model.CatalogEntry;
import cn.onenet.catalog.model.DataGrade;
import cn.onenet.catalog.model.DataType;
import cn.onenet.catalog.model.EntryContent;
import cn.onenet.catalog.model.FormatClass;
import cn.onenet.catalog.model.LegalBasisType;
import cn.onenet.catalog.model.OpenAttribute;
import cn.onenet.catalog.model.ResourceClass;
import cn.onenet.catalog.model.ShareAttribute;
import cn.onenet.catalog.model.ShareMethodClass;
import cn.onenet.catalog.model.ShareMethodType;
import cn.onenet.catalog.model.UpdateCycle;
import cn.onenet.catalog.service.Caller;
import cn.onenet.catalog.service.CatalogService;
import cn.onenet.catalog.service.Workflow;
import io.quarkus.runtime.StartupEvent;

/**
 * Loads the demo catalogue (about 50 entries of the demo departments) once, through the service layer, so each
 * entry has a real history: drafts, entries in review, returned, approved and published ones.
 */
@ApplicationScoped
public class DemoDataLoader {

    private static final Logger LOG = Logger.getLogger(DemoDataLoader.class);
    static final String LOADER = "demo-loader";
    static final String BUREAU = "113300000024810109";

    /** The demonstration register's departments (identity-service's demo data): code and name. */
    public static final Map<String, String> DEPARTMENTS = Map.ofEntries(
            Map.entry("113300000024810109", "浙江省大数据发展管理局"),
            Map.entry("11330000002481020A", "浙江省公安厅"),
            Map.entry("11330000002481030B", "浙江省自然资源厅"),
            Map.entry("123300004701410402", "浙江省不动产登记中心"),
            Map.entry("123300004701410503", "浙江省住房公积金管理中心"),
            Map.entry("11330000002481060E", "浙江省人力资源和社会保障厅"),
            Map.entry("11330000002481070F", "浙江省市场监督管理局"),
            Map.entry("11330000002481080G", "浙江省应急管理厅"),
            Map.entry("11330000002481090H", "浙江省民政厅"),
            Map.entry("113301000024910207", "杭州市公安局"),
            Map.entry("113302000025010108", "宁波市市场监督管理局"));

    private final CatalogConfig config;
    private final CatalogService catalog;

    public DemoDataLoader(CatalogConfig config, CatalogService catalog) {
        this.config = config;
        this.catalog = catalog;
    }

    void load(@Observes @Priority(20) StartupEvent event) {
        if (!config.demo().enabled() || CatalogEntry.count("createdBy", LOADER) > 0) {
            return;
        }
        int n = 0;
        for (String line : lines()) {
            String[] f = line.split("\\|", -1);
            EntryContent content = content(f);
            // the department's editor, whose token carries the department's region (R5)
            Caller editor = new Caller(LOADER, Set.of(Caller.EDITOR), f[1], content.regionCode());
            // the department's head approves the department's entries with the head's own account (R4)
            Caller head = new Caller("demo-head", Set.of(Caller.HEAD), f[1], content.regionCode(), "部门负责人");
            // the 主管部门 of the entry's own region reviews it (R5)
            Caller reviewer = new Caller("demo-reviewer", Set.of(Caller.REVIEWER), BUREAU, content.regionCode(),
                    null, true);
            // the demonstration register's own name of the department: identity-service may not answer yet at start-up
            CatalogEntry created = catalog.createForRegisteredDepartment(editor, content, DEPARTMENTS.get(f[1]));
            long id = created.id;
            // assessed on the day the entry is registered: an assessment is not dated before its entry existed
            LocalDate registered = created.registeredOn;
            String state = f[0];
            if (!state.equals("D")) {
                catalog.attachAssessment(editor, id, "secrecy", new Workflow.Assessment("BM-2026-" + (100 + n),
                        "不涉及国家秘密和工作秘密", registered, null, null));
                int assessed = catalog.attachAssessment(editor, id, "personal-information", new Workflow.Assessment(
                        "PIA-2026-" + (100 + n), "个人信息处理限于履职所需，风险可控", registered, null, null))
                        .lockVersion;
                catalog.recordHeadApproval(head, id, "同意报送", null, assessed);
                catalog.submitForRegisteredDepartment(editor, id, "报送审核", DEPARTMENTS.get(f[1]));
            }
            if (state.equals("R")) {
                catalog.returnWithOpinion(reviewer, id, "共享条件表述不够具体，请明确使用范围");
            }
            if (state.equals("A") || state.equals("P")) {
                catalog.approve(reviewer, id, "同意");
            }
            if (state.equals("P")) {
                catalog.publish(reviewer, id, "统一通告发布");
            }
            n++;
        }
        LOG.infof("Demo catalogue loaded: %d entries", n);
    }

    static EntryContent content(String[] f) {
        ResourceClass rc = ResourceClass.valueOf(f[2]);
        String category = f[3];
        var classification = new EntryContent.Classification(rc, category, rc.itemCodeOf(category), f[4], null);
        List<EntryContent.DataItem> items = new ArrayList<>();
        for (String spec : f[7].split(",")) {
            String[] p = spec.split(":", -1);
            List<String> flags = p.length > 4 ? Arrays.asList(p).subList(4, p.length) : List.of();
            String length = p.length > 3 ? p[3] : "";
            items.add(new EntryContent.DataItem(p[0], p[1], DataType.valueOf(p[2]),
                    length.isEmpty() ? null : Integer.valueOf(length), null, flags.contains("S"),
                    flags.contains("A") ? Boolean.TRUE : null));
        }
        ShareAttribute share = switch (f[8]) {
            case "U" -> ShareAttribute.UNCONDITIONAL;
            case "C" -> ShareAttribute.CONDITIONAL;
            default -> ShareAttribute.NOT_SHARED;
        };
        boolean open = f[9].equals("Y");
        FormatClass fc = switch (f[12]) {
            case "DB" -> FormatClass.DATABASE;
            case "API" -> FormatClass.SERVICE_INTERFACE;
            case "XLS" -> FormatClass.SPREADSHEET;
            case "OFD" -> FormatClass.ELECTRONIC_FILE;
            default -> FormatClass.IMAGE;
        };
        String formatType = switch (f[12]) {
            case "DB" -> "PostgreSQL";
            case "API" -> "REST/JSON";
            case "XLS" -> "xlsx";
            case "OFD" -> "OFD";
            default -> "jpg";
        };
        ShareMethodType method = fc.fileLike() ? ShareMethodType.FILE : ShareMethodType.API;
        EntryContent.LegalBasis basis = null;
        if (share == ShareAttribute.NOT_SHARED) {
            String[] b = f[15].split(":");
            basis = new EntryContent.LegalBasis(LegalBasisType.valueOf(b[0]), b[1], b[2]);
        }
        String region = f[1].startsWith("113301") ? "330100" : f[1].startsWith("113302") ? "330200" : "330000";
        return new EntryContent(classification, f[5], f[1], DEPARTMENTS.get(f[1]), region, f[14],
                new EntryContent.Format(fc, formatType), items, f[6], share,
                share == ShareAttribute.CONDITIONAL ? "仅限履行法定职责、办理相关政务服务事项时使用" : null,
                share == ShareAttribute.CONDITIONAL ? "省内各级政务部门" : null,
                share == ShareAttribute.CONDITIONAL ? List.of("政务服务事项办理", "监管执法核查") : null,
                share == ShareAttribute.NOT_SHARED ? "涉及依法应予保密的个人信息" : null, basis,
                share == ShareAttribute.NOT_SHARED ? null
                        : new EntryContent.ShareMethod(ShareMethodClass.PLATFORM, method),
                open ? OpenAttribute.OPEN : OpenAttribute.NOT_OPEN, open ? "引用时注明数据来源" : null,
                UpdateCycle.valueOf(f[10]), category + "数据", DataGrade.valueOf(f[11]), null,
                List.of(f[13].split(",")), false);
    }

    static List<String> lines() {
        try (InputStream in = DemoDataLoader.class.getResourceAsStream("/demo/entries.txt")) {
            if (in == null) {
                throw new IllegalStateException("missing /demo/entries.txt");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
