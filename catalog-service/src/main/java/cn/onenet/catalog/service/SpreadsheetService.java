package cn.onenet.catalog.service;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.dhatim.fastexcel.Workbook;
import org.dhatim.fastexcel.Worksheet;
import org.dhatim.fastexcel.reader.Cell;
import org.dhatim.fastexcel.reader.CellType;
import org.dhatim.fastexcel.reader.ReadableWorkbook;
import org.dhatim.fastexcel.reader.ReadingOptions;
import org.dhatim.fastexcel.reader.Row;
import org.dhatim.fastexcel.reader.Sheet;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jboss.logging.Logger;

import cn.onenet.catalog.config.CatalogConfig;
import cn.onenet.catalog.model.CatalogEntry;
import cn.onenet.catalog.model.Codes;
import cn.onenet.catalog.model.DataGrade;
import cn.onenet.catalog.model.DataType;
import cn.onenet.catalog.model.EntryContent;
import cn.onenet.catalog.model.EntryState;
import cn.onenet.catalog.model.FormatClass;
import cn.onenet.catalog.model.LegalBasisType;
import cn.onenet.catalog.model.OpenAttribute;
import cn.onenet.catalog.model.ResourceClass;
import cn.onenet.catalog.model.ShareAttribute;
import cn.onenet.catalog.model.ShareMethodClass;
import cn.onenet.catalog.model.ShareMethodType;
import cn.onenet.catalog.model.UpdateCycle;
import cn.onenet.common.problem.ApiException;
import cn.onenet.common.problem.FieldError;
import cn.onenet.common.problem.NulCharacterModule;
import cn.onenet.common.problem.ProblemType;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Bulk import and export in the sheet layout departments fill in: one row per data item (信息项), the entry's
 * columns repeated on each of its rows and grouped by 序号. Import is all-or-nothing per file unless partial import is
 * asked for; every problem is reported with its row and column.
 */
@ApplicationScoped
public class SpreadsheetService {

    public static final List<String> COLUMNS = List.of("序号", "资源属性分类", "类别", "项代码", "目代码", "细目代码",
            "信息资源名称", "信息资源代码", "信息资源提供方", "提供方代码", "行政区划代码", "信息资源摘要", "格式分类", "格式类型",
            "共享属性", "共享条件", "共享范围", "使用用途", "不予共享理由", "依据类型", "依据名称", "依据条款", "共享方式分类",
            "共享方式类型", "开放属性", "开放条件", "更新周期", "数据分类", "数据分级", "关联资源代码", "关键字", "关键信息项",
            "信息项代码", "信息项名称", "数据类型", "数据长度", "信息项描述", "是否敏感", "是否数源", "登记日期", "版本", "状态");

    /**
     * The API field of each column of the entry, by which every problem of an import is reported ({@code field}, with
     * the column's header in {@code column}); 序号 only groups the rows of an entry and has no field in the API.
     */
    private static final Map<String, String> COLUMN_FIELDS = Map.ofEntries(Map.entry("序号", "sequence"),
            Map.entry("资源属性分类", "classification.resourceClass"), Map.entry("类别", "classification.category"),
            Map.entry("项代码", "classification.itemCode"), Map.entry("目代码", "classification.catalogCode"),
            Map.entry("细目代码", "classification.detailCode"), Map.entry("信息资源名称", "name"),
            Map.entry("信息资源代码", "resourceCode"), Map.entry("信息资源提供方", "providerDepartmentName"),
            Map.entry("提供方代码", "providerDepartmentCode"), Map.entry("行政区划代码", "regionCode"),
            Map.entry("信息资源摘要", "abstract"), Map.entry("格式分类", "format.formatClass"),
            Map.entry("格式类型", "format.formatType"), Map.entry("共享属性", "shareAttribute"),
            Map.entry("共享条件", "shareConditions"), Map.entry("共享范围", "shareScope"),
            Map.entry("使用用途", "permittedPurposes"), Map.entry("不予共享理由", "notSharedReason"),
            Map.entry("依据类型", "notSharedLegalBasis.type"), Map.entry("依据名称", "notSharedLegalBasis.title"),
            Map.entry("依据条款", "notSharedLegalBasis.article"), Map.entry("共享方式分类", "shareMethod.methodClass"),
            Map.entry("共享方式类型", "shareMethod.methodType"), Map.entry("开放属性", "openAttribute"),
            Map.entry("开放条件", "openConditions"), Map.entry("更新周期", "updateCycle"),
            Map.entry("数据分类", "dataCategory"), Map.entry("数据分级", "grade"),
            Map.entry("关联资源代码", "relatedResourceCodes"), Map.entry("关键字", "keywords"),
            Map.entry("关键信息项", "keyItem"), Map.entry(SpreadsheetService.REGISTERED_ON_COLUMN, "registeredOn"),
            Map.entry(SpreadsheetService.VERSION_COLUMN, "lockVersion"), Map.entry("状态", "state"));

    /** The field of each column of a data item within its item ({@code items[i].<field>}). */
    private static final Map<String, String> ITEM_COLUMN_FIELDS = Map.of("信息项代码", "code", "信息项名称", "name",
            "数据类型", "dataType", "数据长度", "length", "信息项描述", "description", "是否敏感", "sensitive",
            "是否数源", "authoritativeSource");

    /** Which column an entry field is reported in (the other way round, and the fields a column holds in parts). */
    private static final Map<String, String> FIELD_COLUMNS = fieldColumns();

    private static Map<String, String> fieldColumns() {
        Map<String, String> columns = new java.util.HashMap<>();
        COLUMN_FIELDS.forEach((column, field) -> columns.put(field, column));
        columns.put("notSharedLegalBasis", "依据名称");
        columns.put("items", "信息项名称");
        columns.put("secret", "信息资源名称");
        return Map.copyOf(columns);
    }

    /** The field a problem at a column is reported by: {@code item} is the data item's place in its entry. */
    static String fieldOf(String column, int item) {
        String itemField = ITEM_COLUMN_FIELDS.get(column);
        return itemField != null ? "items[" + item + "]." + itemField : COLUMN_FIELDS.getOrDefault(column, column);
    }

    /** A column holding one value of an enumeration, typed as its code or its Chinese label. */
    private record Choice<E extends Enum<E>>(E[] values, Function<E, String> label) {

        /** The value the cell names, or null when it names none. */
        E parse(String v) {
            for (E e : values) {
                if (e.name().equalsIgnoreCase(v) || label.apply(e).equals(v)) {
                    return e;
                }
            }
            return null;
        }

        String invalid(String v) {
            return "取值无效 / invalid value: " + v + "（允许 "
                    + String.join("、", Arrays.stream(values).map(label).toList()) + "）";
        }
    }

    private static final Map<String, Choice<?>> CHOICES = Map.of(
            "资源属性分类", new Choice<>(ResourceClass.values(), ResourceClass::label),
            "格式分类", new Choice<>(FormatClass.values(), f -> f.label),
            "共享属性", new Choice<>(ShareAttribute.values(), s -> s.label),
            "依据类型", new Choice<>(LegalBasisType.values(), l -> l.label),
            "共享方式分类", new Choice<>(ShareMethodClass.values(), m -> m.label),
            "共享方式类型", new Choice<>(ShareMethodType.values(), m -> m.label),
            "开放属性", new Choice<>(OpenAttribute.values(), o -> o.label),
            "更新周期", new Choice<>(UpdateCycle.values(), u -> u.label),
            "数据分级", new Choice<>(DataGrade.values(), g -> g.label),
            "数据类型", new Choice<>(DataType.values(), d -> d.label));

    private static final Pattern ITEM_FIELD = Pattern.compile("items\\[(\\d+)]\\.?(.*)");
    private static final Pattern LIST_FIELD =
            Pattern.compile("(relatedResourceCodes|keywords|permittedPurposes)\\[\\d+]");

    public record RowProblem(@Schema(example = "5") int row, @Schema(example = "共享条件") String column,
            @Schema(example = "shareConditions") String field,
            @Schema(example = "共享条件必填 / shareConditions required") String message) {
    }

    /** What the import did with one entry of the sheet. */
    public enum Outcome {
        /** a new draft (新建) */
        CREATED,
        /** the department's existing draft of the same entry, updated (更新草稿) */
        UPDATED,
        /** left as it is, see the reason (跳过) */
        SKIPPED,
        /**
         * not applied: the entry changed since the sheet was exported (its 版本 differs from the entry's lockVersion),
         * so the sheet would undo that change (冲突)
         */
        CONFLICT
    }

    /** One entry of the sheet (its rows share a 序号): what became of it and why. */
    public record RowOutcome(@Schema(example = "2", description = "first sheet row of the entry (the header is row 1)") int row,
            @Schema(example = "[2, 3, 4]", description = "every sheet row of the entry") List<Integer> rows,
            @Schema(example = "居民户籍信息") String name, @Schema(example = "UPDATED") Outcome outcome,
            @Schema(example = "57") Long entryId,
            @Schema(example = "本部门已有同名同分类的草稿，已更新 / updated the department's draft of the same name and classification")
            String reason) {
    }

    public record ImportResult(
            @Schema(example = "11330000002481020A", description = "the department imported for (提供方代码)")
            String provider,
            @Schema(example = "false", description = "true when an admin imported for the department (代部门导入)")
            boolean onBehalf,
            @Schema(example = "2", description = "entries created or updated") int entries,
            @Schema(example = "[57, 58]", description = "ids of the entries created or updated") List<Long> ids,
            @Schema(example = "1") int created, @Schema(example = "1") int updated, @Schema(example = "1") int skipped,
            @Schema(example = "0", description = "entries not applied because they changed since the export")
            int conflicts,
            @Schema(description = "per entry of the sheet, in sheet order") List<RowOutcome> rows,
            List<RowProblem> problems) {
    }

    /**
     * 登记日期: the day an entry being created was first registered, in the catalogue a department kept before this
     * one (a province migrating its catalogue). Optional; read only from an admin's file, and only for entries the
     * import creates. The export leaves it empty: an entry's registration date is in its view ({@code registeredOn}).
     */
    public static final String REGISTERED_ON_COLUMN = "登记日期";

    /** The earliest registration date an import takes (no catalogue of government data resources is older). */
    public static final LocalDate REGISTERED_ON_FLOOR = LocalDate.of(2000, 1, 1);

    private static final Pattern ISO_DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

    /** Advisory lock namespace of imports; the second key is the department's. */
    private static final int IMPORT_LOCK = 0x494d504f;

    private final CatalogService catalog;
    private final EntryValidator validator;
    private final Json json;
    private final EntityManager em;
    private final CatalogConfig config;
    private final CalendarService calendar;
    private final DepartmentRegister departments;

    public SpreadsheetService(CatalogService catalog, EntryValidator validator, Json json, EntityManager em,
            CatalogConfig config, CalendarService calendar, DepartmentRegister departments) {
        this.catalog = catalog;
        this.validator = validator;
        this.json = json;
        this.em = em;
        this.config = config;
        this.calendar = calendar;
        this.departments = departments;
    }

    private static final Logger LOG = Logger.getLogger(SpreadsheetService.class);

    // ------------------------------------------------------------------ export

    /** Entries read from the database per query while an export is written. */
    static final int EXPORT_BATCH = 200;

    /**
     * The most data rows one worksheet of an .xlsx export takes before the export continues on the next worksheet
     * (Excel's limit is {@link Worksheet#MAX_ROWS} rows, the header included). Lowered by tests only.
     */
    static int sheetRows = Worksheet.MAX_ROWS - 1;

    /** The column that says which copy of the entry a row is: 已发布 or the state of the draft exported. */
    public static final String STATE_COLUMN = "状态";

    /**
     * The column with the entry's {@code lockVersion} when its draft was exported (empty on published copies), so that
     * an import does not undo what was changed since the export.
     */
    public static final String VERSION_COLUMN = "版本";

    /**
     * The entries a caller exports, one batch after the other ({@code after}: the last id of the previous batch):
     * published entries, plus those whose drafts the caller may read ({@link CatalogService#mayReadDrafts}), never a
     * deregistered one. Filtered in the query, so an export reads the catalogue a batch at a time.
     */
    public List<CatalogEntry> exportBatch(Caller caller, String provider, long after) {
        return QuarkusTransaction.requiringNew().call(() -> {
            StringBuilder q = new StringBuilder("state <> :deregistered and id > :after");
            Map<String, Object> p = new java.util.HashMap<>();
            p.put("deregistered", EntryState.DEREGISTERED);
            p.put("after", after);
            if (provider != null) {
                q.append(" and providerCode = :provider");
                p.put("provider", provider);
            }
            if (!caller.readsEveryRegion()) {
                q.append(" and (published is not null");
                if (caller.has(Caller.REVIEWER) && caller.region() != null) {
                    q.append(" or regionCode = :region");
                    p.put("region", caller.region());
                }
                if ((caller.has(Caller.EDITOR) || caller.has(Caller.HEAD)) && caller.department() != null) {
                    q.append(" or providerCode = :department");
                    p.put("department", caller.department());
                }
                q.append(")");
            }
            List<CatalogEntry> found = CatalogEntry.<CatalogEntry>find(q + " order by id", p).page(0, EXPORT_BATCH)
                    .list();
            found.forEach(e -> CatalogEntry.getEntityManager().detach(e));
            return found;
        });
    }

    /**
     * The copy of an entry a caller exports: the draft to those who may read it (the department's editors and head,
     * the region's reviewers, admins and auditors), so that the sheet they re-import is the draft they work on; the
     * published copy to everyone else.
     */
    private boolean draftCopy(Caller caller, CatalogEntry e) {
        return CatalogService.mayReadDrafts(caller, e) || e.published == null;
    }

    /** Writes the caller's export as .xlsx, a worksheet of at most {@link #sheetRows} data rows after another. */
    public void exportXlsx(Caller caller, String provider, OutputStream out) throws IOException {
        Workbook wb = new Workbook(out, "catalog-service", "1.0");
        int[] sheet = {0};
        Worksheet[] ws = {null};
        int[] r = {0};
        forEachRow(caller, provider, row -> {
            if (ws[0] == null || r[0] > sheetRows) {
                if (ws[0] != null) {
                    ws[0].finish();
                }
                sheet[0]++;
                ws[0] = wb.newWorksheet(sheet[0] == 1 ? "政务数据目录" : "政务数据目录" + sheet[0]);
                for (int c = 0; c < COLUMNS.size(); c++) {
                    ws[0].inlineString(0, c, COLUMNS.get(c));
                }
                r[0] = 1;
            }
            for (int c = 0; c < row.size(); c++) {
                if (!row.get(c).isEmpty()) {
                    ws[0].inlineString(r[0], c, row.get(c));
                }
            }
            r[0]++;
        }, () -> {
            if (ws[0] != null) {
                ws[0].flush();
            }
        });
        if (ws[0] == null) {
            ws[0] = wb.newWorksheet("政务数据目录");
            for (int c = 0; c < COLUMNS.size(); c++) {
                ws[0].inlineString(0, c, COLUMNS.get(c));
            }
        }
        ws[0].finish();
        wb.finish();
    }

    /** Writes the caller's export as CSV (UTF-8 with a BOM, which Excel needs to open it correctly), row by row. */
    public void exportCsv(Caller caller, String provider, OutputStream out) throws IOException {
        Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        CSVPrinter p = new CSVPrinter(w, CSVFormat.DEFAULT);
        w.write('\ufeff');
        p.printRecord(COLUMNS);
        forEachRow(caller, provider, row -> p.printRecord(row.stream().map(SpreadsheetService::csvCell).toList()),
                p::flush);
        p.flush();
    }

    /**
     * A cell that spreadsheet programs would run as a formula when they open the CSV file (it starts with = + - @, a
     * tab or a carriage return, possibly after quotes this escape added) is written with a leading {@code '}, which
     * they show as text; {@link #csvValue} takes it off again on import.
     */
    private static final Pattern FORMULA_LIKE = Pattern.compile("^'*[=+\\-@\t\r].*", Pattern.DOTALL);

    public static String csvCell(String value) {
        return FORMULA_LIKE.matcher(value).matches() ? "'" + value : value;
    }

    /** The value of a CSV cell written by {@link #csvCell}: its one escaping {@code '} taken off. */
    static String csvValue(String cell) {
        return cell.startsWith("'") && FORMULA_LIKE.matcher(cell.substring(1)).matches() ? cell.substring(1) : cell;
    }

    private interface RowSink {
        void accept(List<String> row) throws IOException;
    }

    private interface BatchEnd {
        void run() throws IOException;
    }

    /** The export's rows, one per data item, entries numbered 1, 2, ... by 序号; {@code batchEnd} after each batch. */
    private void forEachRow(Caller caller, String provider, RowSink sink, BatchEnd batchEnd) throws IOException {
        int seq = 1;
        long after = 0;
        while (true) {
            List<CatalogEntry> batch = exportBatch(caller, provider, after);
            for (CatalogEntry e : batch) {
                for (List<String> row : rows(caller, e, seq)) {
                    sink.accept(row);
                }
                seq++;
                after = e.id;
            }
            batchEnd.run();
            if (batch.size() < EXPORT_BATCH) {
                return;
            }
        }
    }

    private List<List<String>> rows(Caller caller, CatalogEntry e, int seq) {
        List<List<String>> rows = new ArrayList<>();
        boolean draft = draftCopy(caller, e);
        EntryContent c = catalog.content(draft ? e.draft : e.published);
        String state = draft ? e.state.label : EntryState.PUBLISHED.label;
        for (EntryContent.DataItem item : c.itemsOrEmpty()) {
            var k = c.classification();
            var b = c.notSharedLegalBasis();
            rows.add(List.of(String.valueOf(seq), k.resourceClass().label(), k.category(), k.itemCode(),
                    k.catalogCode(), s(k.detailCode()), c.name(), s(e.resourceCode), c.providerDepartmentName(),
                    c.providerDepartmentCode(), c.regionCode(), c.summary(), c.format().formatClass().label,
                    c.format().formatType(), c.shareAttribute().label, s(c.shareConditions()), s(c.shareScope()),
                    join(c.permittedPurposes()), s(c.notSharedReason()), b == null ? "" : b.type().label,
                    b == null ? "" : b.title(), b == null ? "" : s(b.article()),
                    c.shareMethod() == null ? "" : c.shareMethod().methodClass().label,
                    c.shareMethod() == null ? "" : c.shareMethod().methodType().label, c.openAttribute().label,
                    s(c.openConditions()), c.updateCycle().label, c.dataCategory(), c.grade().label,
                    join(c.relatedResourceCodes()), join(c.keywords()), s(c.keyItem()), item.code(), item.name(),
                    item.dataType().name(), item.length() == null ? "" : item.length().toString(),
                    s(item.description()), yes(item.sensitive()), yes(item.authoritativeSource()), "",
                    draft ? String.valueOf(e.lockVersion) : "", state));
        }
        return rows;
    }

    // ------------------------------------------------------------------ import

    /**
     * The department a file is imported for: the importing editor's own, or, for an admin, the department named by
     * {@code provider} (代部门导入: e.g. the province migrating a department's old catalogue into this one), with
     * {@code onBehalf} set. The entries are then that department's and in its region, as identity-service's register
     * gives them, the admin may fill 登记日期, and the history records the admin as having imported them on the
     * department's behalf.
     */
    public record ImportFor(String department, String region, CatalogService.OnBehalf onBehalf) {
    }

    /**
     * Who imports for which department: an editor for their own department ({@code provider} empty or theirs, else
     * 403); an admin for the department {@code provider} names (400 naming {@code provider} when it is missing, not a
     * registered active department; 503 when the register does not answer); anyone else 403. Decided before the file
     * is read, so a refused request reads and changes nothing.
     */
    public ImportFor importFor(Caller caller, String provider) {
        String asked = provider == null || provider.isBlank() ? null : Codes.department(provider);
        if (caller.has(Caller.EDITOR) && (asked == null || asked.equals(caller.department()))) {
            return new ImportFor(caller.department(), caller.region(), null);
        }
        if (!caller.has(Caller.ADMIN)) {
            throw ApiException.forbidden(caller.has(Caller.EDITOR)
                    ? "编目人员只能导入本部门的目录 / editors import only their own department's entries"
                    : "仅编目人员和管理员可导入目录 / only catalogue editors and admins import entries");
        }
        if (asked == null) {
            throw ApiException.field("provider", "管理员代部门导入须给出提供部门的统一社会信用代码 / an admin imports "
                    + "for a department: give the provider department's 统一社会信用代码");
        }
        var d = departments.active("provider", asked);
        return new ImportFor(d.code(), d.regionCode(), new CatalogService.OnBehalf(d.code(), d.name(),
                d.regionCode()));
    }

    /** A blank row of a sheet: kept in its place, so that the rows after it keep their numbers, and skipped. */
    private static final Map<String, String> BLANK = Map.of();

    /**
     * The data rows of the worksheets whose first row is the catalogue's header (an export too long for one worksheet
     * continues on the next ones, each with its header); other worksheets (填写说明, 代码表, ...) are skipped. Rows are
     * read one at a time and at most {@code catalog.spreadsheet.max-import-rows} of them.
     */
    public List<Map<String, String>> readXlsx(byte[] bytes) {
        List<Map<String, String>> rows = new ArrayList<>();
        int max = config.spreadsheet().maxImportRows();
        // with the cells' number formats, to tell a date cell (登记日期 typed into Excel) from a number
        try (InputStream in = new ByteArrayInputStream(bytes);
                ReadableWorkbook wb = new ReadableWorkbook(in, new ReadingOptions(true, false))) {
            List<String> firstHeader = null;
            boolean catalogue = false;
            for (Sheet sheet : wb.getSheets().toList()) {
                try (java.util.stream.Stream<Row> stream = sheet.openStream()) {
                    java.util.Iterator<Row> it = stream.iterator();
                    if (!it.hasNext()) {
                        continue;
                    }
                    Row first = it.next();
                    List<String> header = cells(first);
                    if (firstHeader == null) {
                        firstHeader = header;
                    }
                    if (!header.contains("序号") || !header.contains("信息资源名称")) {
                        continue; // not a sheet of entries: instructions, code tables, ...
                    }
                    checkHeader(header);
                    catalogue = true;
                    int dateColumn = header.indexOf(REGISTERED_ON_COLUMN);
                    // rows without any cell are not in the file: keep the places of the rows after them
                    int start = rows.size() - first.getRowNum() - 1;
                    while (it.hasNext()) {
                        Row row = it.next();
                        while (rows.size() < start + row.getRowNum()) {
                            add(rows, header, List.of(), max);
                        }
                        add(rows, header, cells(row, dateColumn), max);
                    }
                }
            }
            if (!catalogue) {
                checkHeader(firstHeader == null ? List.of() : firstHeader);
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof ApiException api) {
                throw api;
            }
            throw new ApiException(ProblemType.UNPROCESSABLE, "无法读取 Excel 文件 / not a readable .xlsx file");
        }
        return rows;
    }

    private static List<String> cells(Row row) {
        return cells(row, -1);
    }

    /** A row's cells as text; a date cell in {@code dateColumn} as its ISO date (Excel keeps a serial number). */
    private static List<String> cells(Row row, int dateColumn) {
        List<String> cells = new ArrayList<>();
        for (int i = 0; i < row.getCellCount(); i++) {
            Cell cell = i == dateColumn ? row.getCell(i) : null;
            if (cell != null && cell.getType() == CellType.NUMBER
                    && dateFormat(cell.getDataFormatId(), cell.getDataFormatString())) {
                cells.add(cell.asDate().toLocalDate().toString());
                continue;
            }
            String t = row.getCellText(i);
            cells.add(t == null ? "" : t);
        }
        return cells;
    }

    /**
     * Whether a number format shows a date: one of Excel's built-in date formats (14–22; 27–36 and 50–58 in Chinese
     * Excel), or a custom format with a day or year part outside quoted text and [...] sections.
     */
    static boolean dateFormat(Integer id, String format) {
        if (id != null && ((id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 50 && id <= 58))) {
            return true;
        }
        if (format == null) {
            return false;
        }
        String plain = format.replaceAll("\"[^\"]*\"|\\[[^]]*]|\\\\.", "").toLowerCase(java.util.Locale.ROOT);
        return plain.indexOf('y') >= 0 || plain.indexOf('d') >= 0;
    }

    /** Adds a data row, refusing the file once it holds more than {@code max} rows. */
    private static void add(List<Map<String, String>> rows, List<String> header, List<String> cells, int max) {
        if (rows.size() >= max) {
            throw new ApiException(ProblemType.UNPROCESSABLE, "文件超过" + max + "行，请分批导入 / the file has more than "
                    + max + " rows: import it in parts", List.of(new FieldError("rows", "至多" + max + "行 / at most "
                            + max + " rows")), Map.of("maxRows", max), Map.of());
        }
        rows.add(cells.stream().allMatch(String::isBlank) ? BLANK : toMap(header, cells));
    }

    /**
     * The rows of a CSV file: UTF-8 (with or without a BOM, as Excel's "CSV UTF-8" writes it) or, when the file is not
     * valid UTF-8 and has no BOM, GB18030 (which includes GBK: Excel's plain "CSV" on Chinese Windows). Cells escaped
     * against formulas on export ({@link #csvCell}) are read back as they were.
     */
    public List<Map<String, String>> readCsv(byte[] bytes) {
        List<Map<String, String>> rows = new ArrayList<>();
        int max = config.spreadsheet().maxImportRows();
        try (Reader r = new java.io.StringReader(decode(bytes)); CSVParser parser = CSVFormat.DEFAULT.parse(r)) {
            List<String> header = null;
            for (CSVRecord rec : parser) {
                List<String> cells = new ArrayList<>(rec.toList());
                if (header == null) {
                    if (!cells.isEmpty()) {
                        cells.set(0, cells.get(0).replace("\ufeff", ""));
                    }
                    header = cells;
                    checkHeader(header);
                    continue;
                }
                cells.replaceAll(SpreadsheetService::csvValue);
                add(rows, header, cells, max);
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof ApiException api) {
                throw api;
            }
            throw new ApiException(ProblemType.UNPROCESSABLE, "无法读取 CSV 文件 / not a readable CSV file");
        }
        return rows;
    }

    /** The text of a CSV file, decoded strictly: see {@link #readCsv}. */
    static String decode(byte[] bytes) {
        boolean bom = bytes.length >= 3 && (bytes[0] & 0xff) == 0xef && (bytes[1] & 0xff) == 0xbb
                && (bytes[2] & 0xff) == 0xbf;
        try {
            return strict(StandardCharsets.UTF_8, bytes);
        } catch (java.nio.charset.CharacterCodingException notUtf8) {
            if (!bom) {
                try {
                    return strict(java.nio.charset.Charset.forName("GB18030"), bytes);
                } catch (java.nio.charset.CharacterCodingException notGb) {
                    // neither: said below
                }
            }
            throw new ApiException(ProblemType.UNPROCESSABLE, "无法识别 CSV 文件的编码，请在 Excel 中另存为“CSV UTF-8（逗号分隔）” / "
                    + "the CSV file is neither UTF-8 nor GB18030: save it as \"CSV UTF-8\"",
                    List.of(new FieldError("encoding", "应为 UTF-8 / must be UTF-8")), Map.of(), Map.of());
        }
    }

    private static String strict(java.nio.charset.Charset charset, byte[] bytes)
            throws java.nio.charset.CharacterCodingException {
        return charset.newDecoder().onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
    }

    /**
     * The columns a sheet may leave out: the resource code (entries not yet coded have none), the registration date
     * (entries registered on the day of the import), the version column
     * (without it the sheet creates entries but updates none) and the state column of exports, which says which copy a
     * row is and is not read back.
     */
    private static final List<String> OPTIONAL_COLUMNS = List.of("信息资源代码", REGISTERED_ON_COLUMN, VERSION_COLUMN,
            STATE_COLUMN);

    private static void checkHeader(List<String> header) {
        // a column given twice: its later cells would silently replace the earlier ones of each row
        List<String> twice = header.stream().map(String::trim).filter(c -> !c.isEmpty())
                .filter(c -> header.stream().map(String::trim).filter(c::equals).count() > 1).distinct().toList();
        if (!twice.isEmpty()) {
            throw new ApiException(ProblemType.UNPROCESSABLE, "表头有重复的列 / columns given twice: "
                    + String.join("、", twice), List.of(new FieldError("header", String.join(",", twice))), Map.of(),
                    Map.of());
        }
        List<String> missing = COLUMNS.stream().filter(c -> !OPTIONAL_COLUMNS.contains(c) && !header.contains(c)).toList();
        if (!missing.isEmpty()) {
            throw new ApiException(ProblemType.UNPROCESSABLE, "表头缺少列 / missing columns: " + String.join("、", missing),
                    List.of(new FieldError("header", String.join(",", missing))), Map.of(), Map.of());
        }
    }

    private static Map<String, String> toMap(List<String> header, List<String> cells) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < header.size(); i++) {
            m.put(header.get(i).trim(), i < cells.size() ? cells.get(i).trim() : "");
        }
        return m;
    }

    /**
     * Validates every entry of the file and stores the valid ones as drafts: all of them, or (partial) the valid
     * ones. Rows are numbered as in the sheet (the header is row 1). Importing is idempotent per department: a row
     * with a 信息资源代码 is the entry of that code (whatever its name is now); a row without one is the department's
     * entry of the same name (as compared, {@link CatalogEntry#nameKey}) and classification code (the sheet has no
     * identifier of its own for entries not yet coded); a row matching several (registered twice before V12) is a
     * problem of the row, not applied to either. Its draft is updated when it is being edited (草稿, 退回修改, 变更中), left alone when it is identical
     * to the draft or, while a change is under way, to the published copy (an export of the published copy does not
     * undo the change), and skipped with the reason when it is in review or published (a change is started on the
     * entry itself). Only entries not in the catalogue yet are created. Imports of one department are serialised, so
     * that two imports of the same file cannot both create an entry.
     */
    @Transactional
    public ImportResult importRows(Caller caller, ImportFor target, List<Map<String, String>> rows, boolean partial) {
        if (rows.stream().allMatch(r -> r == BLANK)) {
            throw new ApiException(ProblemType.UNPROCESSABLE, "文件中没有数据行 / the file has no data rows");
        }
        em.createNativeQuery("SELECT pg_advisory_xact_lock(?1, hashtext(?2))").setParameter(1, IMPORT_LOCK)
                .setParameter(2, target.department() == null ? "" : target.department()).getSingleResult();
        Map<String, List<Integer>> groups = new LinkedHashMap<>();
        List<RowProblem> problems = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i) == BLANK) {
                continue; // an all-blank row (left between entries or below them) is no entry
            }
            String seq = rows.get(i).getOrDefault("序号", "");
            if (seq.isEmpty()) {
                problems.add(new RowProblem(i + 2, "序号", fieldOf("序号", 0), "序号必填 / sequence number required"));
                continue;
            }
            groups.computeIfAbsent(seq, k -> new ArrayList<>()).add(i);
        }
        List<Parsed> parsed = new ArrayList<>();
        Map<String, Integer> firstRowOfKey = new java.util.HashMap<>();
        for (List<Integer> group : groups.values()) {
            List<RowProblem> mine = new ArrayList<>();
            for (int k = 0; k < group.size(); k++) {
                for (Map.Entry<String, String> cell : rows.get(group.get(k)).entrySet()) {
                    if (cell.getValue().indexOf('\0') >= 0) {
                        // files are not read by the request mapper, which refuses these in JSON bodies
                        mine.add(new RowProblem(group.get(k) + 2, cell.getKey(), fieldOf(cell.getKey(), k),
                                NulCharacterModule.MESSAGE));
                    }
                }
            }
            EntryContent c = build(rows, group, mine);
            if (mine.isEmpty()) {
                for (FieldError fe : validator.validate(c)) {
                    mine.add(locate(fe, group));
                }
                if (target.department() == null || !target.department().equals(c.providerDepartmentCode())) {
                    mine.add(new RowProblem(group.get(0) + 2, "提供方代码", "providerDepartmentCode",
                            target.onBehalf() == null ? "只能导入本部门的目录 / only your own department's entries"
                                    : "提供方代码应为代其导入的部门 " + target.department() + " / the provider must be "
                                            + "the department imported for (" + target.department() + ")"));
                }
                if (target.region() == null || !target.region().equals(c.regionCode())) {
                    // R5: a department's entries are in its own region, which decides who reviews them
                    mine.add(new RowProblem(group.get(0) + 2, "行政区划代码", "regionCode", target.region() == null
                            ? "令牌缺少行政区划 / your token has no region"
                            : target.onBehalf() != null ? "行政区划代码应为该部门所在行政区划 " + target.region()
                                    + " / the region must be the department's own (" + target.region() + ")"
                                    : "行政区划代码应为本部门所在行政区划 " + target.region() + " / the region must be "
                                            + "your department's own (" + target.region() + ")"));
                }
            }
            String code = rows.get(group.get(0)).getOrDefault("信息资源代码", "");
            code = code.isBlank() ? null : code.trim();
            Integer version = null;
            String v = rows.get(group.get(0)).getOrDefault(VERSION_COLUMN, "");
            if (!v.isBlank()) {
                try {
                    version = Integer.valueOf(v.trim());
                } catch (NumberFormatException notANumber) {
                    mine.add(new RowProblem(group.get(0) + 2, VERSION_COLUMN, "lockVersion",
                            "版本应为导出时的整数，请勿修改 / the version must be the number exported with the entry"));
                }
            }
            LocalDate registeredOn = registeredOn(caller, rows.get(group.get(0)), group.get(0) + 2, mine);
            if (mine.isEmpty() && code == null) {
                // two current entries of the name and classification (registered before V12 made them unique):
                // the row cannot tell which of them it is, and updating either could be the wrong one
                List<CatalogEntry> same = sameNamed(c);
                if (same.size() > 1) {
                    mine.add(new RowProblem(group.get(0) + 2, "信息资源名称", "name", "本部门有" + same.size()
                            + "个同名同分类的条目（" + same.stream().map(e -> String.valueOf(e.id))
                                    .collect(java.util.stream.Collectors.joining("、"))
                            + "），无法确定是哪一个；请先将其中之一改名，或在“信息资源代码”列填写所指条目的代码 / " + same.size()
                            + " entries of the department have this name and classification: rename one of them "
                            + "first, or give the entry's resource code"));
                }
            }
            if (mine.isEmpty()) {
                Integer earlier = firstRowOfKey.putIfAbsent(key(c, code), group.get(0) + 2);
                if (earlier != null) {
                    mine.add(code != null
                            ? new RowProblem(group.get(0) + 2, "信息资源代码", "resourceCode", "与第" + earlier
                                    + "行是同一条目（同一信息资源代码） / the same entry (resource code) as row " + earlier)
                            : new RowProblem(group.get(0) + 2, "信息资源名称", "name", "与第" + earlier
                                    + "行是同一条目（同名同分类） / the same entry (name and classification) as row "
                                    + earlier));
                }
            }
            if (mine.isEmpty() && registeredOn != null) {
                CatalogEntry existing = existing(c, code);
                if (existing != null && !registeredOn.equals(existing.registeredOn)) {
                    // the registration date of an entry in the catalogue is not changed by an import
                    mine.add(new RowProblem(group.get(0) + 2, REGISTERED_ON_COLUMN, "registeredOn", "条目" + existing.id
                            + "已于 " + existing.registeredOn + " 登记，导入不能更改登记日期（清空该列） / entry "
                            + existing.id + " was registered on " + existing.registeredOn + ": an import does not "
                            + "change the registration date (leave the column empty)"));
                }
            }
            parsed.add(new Parsed(group, c, code, version, registeredOn, mine.isEmpty()));
            problems.addAll(mine);
        }
        problems.sort((a, b) -> Integer.compare(a.row(), b.row()));
        if (!problems.isEmpty() && !partial) {
            throw new ApiException(ProblemType.UNPROCESSABLE,
                    "导入文件有" + problems.size() + "处错误，未导入任何条目 / " + problems.size()
                            + " problems, nothing imported",
                    List.of(), Map.of("rows", problems), Map.of());
        }
        List<Long> ids = new ArrayList<>();
        List<RowOutcome> outcomes = new ArrayList<>();
        for (Parsed p : parsed) {
            RowOutcome o = p.valid() ? store(caller, target, p)
                    : p.outcome(Outcome.SKIPPED, null, "有错误，未导入（见 problems） / has problems, not imported (see problems)");
            if (o.outcome() == Outcome.CREATED || o.outcome() == Outcome.UPDATED) {
                ids.add(o.entryId());
            }
            outcomes.add(o);
        }
        LOG.infof("Spreadsheet import for department %s by %s (%s%s): %d created, %d updated", target.department(),
                caller.subject(), caller.mainRole(), target.onBehalf() == null ? "" : ", on the department's behalf",
                count(outcomes, Outcome.CREATED), count(outcomes, Outcome.UPDATED));
        return new ImportResult(target.department(), target.onBehalf() != null, ids.size(), ids, count(outcomes, Outcome.CREATED), count(outcomes, Outcome.UPDATED),
                count(outcomes, Outcome.SKIPPED), count(outcomes, Outcome.CONFLICT), outcomes, problems);
    }

    /**
     * One entry of the sheet: its rows (0-based data rows), the content read from them, the entry's lockVersion
     * when it was exported (column 版本, null when the sheet has none) and its registration date (登记日期, null when
     * not given).
     */
    private record Parsed(List<Integer> group, EntryContent content, String code, Integer version,
            LocalDate registeredOn, boolean valid) {

        RowOutcome outcome(Outcome outcome, Long entryId, String reason) {
            String name = content == null ? null : content.name();
            return new RowOutcome(group.get(0) + 2, group.stream().map(i -> i + 2).toList(), name, outcome, entryId,
                    reason);
        }
    }

    /** The key of an entry within its department: its resource code, else its name and classification code. */
    private static String key(EntryContent c, String code) {
        return code != null ? "code|" + code
                : c.providerDepartmentCode() + "|" + CatalogEntry.nameKey(c.name()) + "|" + c.classification().code();
    }

    /**
     * The registration date an entry of the sheet gives (登记日期), or null when its cell is empty; a problem of the
     * row when it is given by a caller who is not an admin (only admins backdate a registration), is not an ISO date
     * ({@code yyyy-MM-dd}), lies after today (Beijing time) or before {@link #REGISTERED_ON_FLOOR}.
     */
    private LocalDate registeredOn(Caller caller, Map<String, String> row, int number, List<RowProblem> problems) {
        String v = row.getOrDefault(REGISTERED_ON_COLUMN, "");
        if (v.isBlank()) {
            return null;
        }
        String message = null;
        LocalDate day = null;
        if (!caller.has(Caller.ADMIN)) {
            message = "只有管理员可以填写登记日期（补录原登记日期），请清空该列 / only an admin may give the registration "
                    + "date of an entry: leave the column empty";
        } else {
            try {
                day = ISO_DATE.matcher(v.trim()).matches() ? LocalDate.parse(v.trim()) : null;
            } catch (java.time.format.DateTimeParseException notADay) {
                day = null;
            }
            if (day == null) {
                message = "登记日期应为 yyyy-MM-dd 格式的日期，如 2019-03-01 / the registration date must be a date "
                        + "yyyy-MM-dd, e.g. 2019-03-01";
            } else if (day.isAfter(calendar.today())) {
                message = "登记日期不能晚于今天（北京时间） / the registration date cannot be in the future (Beijing time)";
            } else if (day.isBefore(REGISTERED_ON_FLOOR)) {
                message = "登记日期不能早于 " + REGISTERED_ON_FLOOR + " / the registration date cannot be before "
                        + REGISTERED_ON_FLOOR;
            }
        }
        if (message != null) {
            problems.add(new RowProblem(number, REGISTERED_ON_COLUMN, "registeredOn", message));
            return null;
        }
        return day;
    }

    /** The department's current entry a sheet's entry is: the entry of its code, else of its name and class. */
    private static CatalogEntry existing(EntryContent c, String code) {
        if (code != null) {
            CatalogEntry coded = CatalogEntry.find("resourceCode", code).firstResult();
            return coded == null || coded.state == EntryState.DEREGISTERED
                    || !coded.providerCode.equals(c.providerDepartmentCode()) ? null : coded;
        }
        List<CatalogEntry> same = sameNamed(c);
        return same.isEmpty() ? null : same.get(0);
    }

    /** The department's current entries of the row's name (as compared, {@link CatalogEntry#nameKey}) and class. */
    private static List<CatalogEntry> sameNamed(EntryContent c) {
        return CatalogEntry.list("providerCode = ?1 and nameKey = ?2 and classificationCode = ?3 and state <> ?4 "
                + "order by id", c.providerDepartmentCode(), CatalogEntry.nameKey(c.name()), c.classification().code(),
                EntryState.DEREGISTERED);
    }

    private RowOutcome store(Caller caller, ImportFor target, Parsed p) {
        EntryContent c = p.content();
        // a row matching several entries is a problem of the row (see importRows) and is not stored
        CatalogEntry e = existing(c, p.code());
        if (e != null) {
            return store(caller, target, p, e);
        }
        if (p.code() != null) {
            return p.outcome(Outcome.SKIPPED, null, "本部门没有信息资源代码为 " + p.code() + " 的现有条目（新建条目请清空该列）"
                    + " / the department has no current entry with the resource code " + p.code()
                    + " (leave the column empty to create a new entry)");
        }
        return p.outcome(Outcome.CREATED, catalog.create(caller, c, p.registeredOn(), target.onBehalf()).id,
                p.registeredOn() == null ? "新条目 / a new entry" : "新条目，登记日期 " + p.registeredOn()
                        + " / a new entry, registered on " + p.registeredOn());
    }

    /** The sheet's entry {@code p} is the catalogue's entry {@code e}. */
    private RowOutcome store(Caller caller, ImportFor target, Parsed p, CatalogEntry e) {
        EntryContent c = p.content();
        // Read again under the row lock: the entry was read before, and an edit committed since (a PUT, an assessment)
        // must be seen here, as a CONFLICT, rather than fail the whole import when the update then locks the row.
        em.refresh(e, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
        if (!e.state.editable()) {
            return p.outcome(Outcome.SKIPPED, e.id, "条目" + e.id + "处于" + e.state.label + "状态，不能经导入修改"
                    + "（已发布的条目请先发起变更） / entry " + e.id + " is " + e.state + " and cannot be changed by an "
                    + "import (start a change on a published entry first)");
        }
        if (asTheSheetHasIt(e.draft, c)) {
            return p.outcome(Outcome.SKIPPED, e.id, "与现有草稿相同 / identical to the existing draft");
        }
        if (e.published != null && asTheSheetHasIt(e.published, c)) {
            // an export of the published copy, e.g. made before the change began: it does not undo the change
            return p.outcome(Outcome.SKIPPED, e.id, "与已发布版本相同，变更中的草稿与之不同，未覆盖 / identical to the "
                    + "published version: the draft of the change under way differs from it and is kept");
        }
        if (e.publishedVersion > 0 && !c.classification().code().equals(e.classificationCode)) {
            return p.outcome(Outcome.SKIPPED, e.id, "已发布条目的分类只能经重新分类流程变更 / a published entry changes "
                    + "class only by reclassification");
        }
        if (p.version() == null) {
            // a hand-made sheet: it may create entries, but cannot tell whether it would undo a change made since
            return p.outcome(Outcome.SKIPPED, e.id, "条目" + e.id + "（" + e.name + "）已存在，表中没有其版本（列“版本”），"
                    + "无法确认是否覆盖他人的修改，未更新；请导出该条目后在导出的表中修改 / entry " + e.id + " (" + e.name
                    + ") exists and the sheet gives no 版本 for it, so it could undo changes made since: not applied "
                    + "(export the entry and edit that sheet)");
        }
        if (p.version() != e.lockVersion) {
            return p.outcome(Outcome.CONFLICT, e.id, "条目" + e.id + "（" + e.name + "）在导出后已被修改（导出时版本 "
                    + p.version() + "，现为 " + e.lockVersion + "），未导入，以免覆盖该修改；请重新导出后再改 / entry "
                    + e.id + " (" + e.name + ") changed since the export (version " + p.version() + " then, "
                    + e.lockVersion + " now): not applied, so as not to undo that change; export it again");
        }
        catalog.update(caller, e.id, c, p.version(), target.onBehalf() == null ? "电子表格导入 / spreadsheet import"
                : CatalogService.onBehalfNote(target.onBehalf()), target.onBehalf());
        return p.outcome(Outcome.UPDATED, e.id, p.code() != null
                ? "已更新信息资源代码为 " + p.code() + " 的草稿 / updated the draft of the entry with this resource code"
                : "已更新本部门同名同分类的草稿 / updated the department's draft of the same name and classification");
    }

    /**
     * Whether the sheet's entry is the stored copy as far as a sheet can hold it: a cell loses the white space around
     * its text when it is read ({@link #toMap}) and cannot tell an empty text from none, while the API keeps texts as
     * typed (an abstract typed in a text area ends in a line break; a client may send an optional text empty). An
     * unchanged export of such an entry is therefore no change of it, and re-importing it keeps its draft, its
     * assessments and the head's approval.
     */
    private boolean asTheSheetHasIt(String stored, EntryContent sheet) {
        return VersionDiff.diff(asInASheet(json.tree(stored)), asInASheet(json.tree(sheet))).isEmpty();
    }

    /** A copy of the document with its texts as a sheet reads them back: trimmed, and an empty one left out. */
    private static com.fasterxml.jackson.databind.JsonNode asInASheet(com.fasterxml.jackson.databind.JsonNode node) {
        if (node.isObject()) {
            var copy = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
            node.fields().forEachRemaining(f -> {
                var value = asInASheet(f.getValue());
                if (!(value.isTextual() && value.asText().isEmpty())) {
                    copy.set(f.getKey(), value);
                }
            });
            return copy;
        }
        if (node.isArray()) {
            var copy = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
            node.forEach(element -> copy.add(asInASheet(element)));
            return copy;
        }
        return node.isTextual() ? com.fasterxml.jackson.databind.node.TextNode.valueOf(node.asText().trim()) : node;
    }

    private static int count(List<RowOutcome> outcomes, Outcome outcome) {
        return (int) outcomes.stream().filter(o -> o.outcome() == outcome).count();
    }

    private static RowProblem locate(FieldError fe, List<Integer> group) {
        Matcher m = ITEM_FIELD.matcher(fe.field());
        if (m.matches()) {
            int i = Integer.parseInt(m.group(1));
            int row = (i < group.size() ? group.get(i) : group.get(0)) + 2;
            String sub = m.group(2).isEmpty() ? "name" : m.group(2);
            String column = ITEM_COLUMN_FIELDS.entrySet().stream().filter(c -> c.getValue().equals(sub))
                    .map(Map.Entry::getKey).findFirst().orElse("信息项代码");
            return new RowProblem(row, column, fe.field(), fe.message());
        }
        String f = LIST_FIELD.matcher(fe.field()).matches() ? fe.field().replaceAll("\\[\\d+]", "") : fe.field();
        String column = switch (f) {
            case "relatedResourceCodes" -> "关联资源代码";
            case "keywords" -> "关键字";
            default -> FIELD_COLUMNS.getOrDefault(f, f);
        };
        return new RowProblem(group.get(0) + 2, column, fe.field(), fe.message());
    }

    /** The columns that describe the data item; every other column repeats the entry's value. */
    private static final List<String> ITEM_COLUMNS = List.of("序号", "信息项代码", "信息项名称", "数据类型", "数据长度",
            "信息项描述", "是否敏感", "是否数源");

    private EntryContent build(List<Map<String, String>> rows, List<Integer> group, List<RowProblem> problems) {
        Map<String, String> first = rows.get(group.get(0));
        int row = group.get(0) + 2;
        // continuation rows either leave the entry's columns blank or repeat them unchanged; a value that is no value
        // of its column is named as such (a bad value in row 2 is reported there), and only two values that are
        // both valid and not the same (a code and its label are the same) differ
        for (int k = 1; k < group.size(); k++) {
            int idx = group.get(k);
            for (String column : COLUMNS) {
                String v = rows.get(idx).getOrDefault(column, "");
                String there = first.getOrDefault(column, "");
                if (ITEM_COLUMNS.contains(column) || v.isEmpty() || v.equals(there)) {
                    continue;
                }
                Choice<?> choice = CHOICES.get(column);
                if (choice != null && choice.parse(v) == null) {
                    problems.add(new RowProblem(idx + 2, column, fieldOf(column, k), choice.invalid(v)));
                    continue;
                }
                if (choice != null && !there.isEmpty() && choice.parse(there) == choice.parse(v)) {
                    continue;
                }
                if (choice != null && !there.isEmpty() && choice.parse(there) == null) {
                    continue;
                }
                String shown = there.isEmpty() ? "空" : "“" + there + "”";
                problems.add(new RowProblem(idx + 2, column, fieldOf(column, k), "与本条目第" + row + "行不一致：第" + row
                        + "行为" + shown + "，本行为“" + v + "” / differs from row " + row + " of the same entry: "
                        + (there.isEmpty() ? "empty" : "“" + there + "”") + " there, “" + v + "” here"));
            }
        }
        Cells cells = new Cells(first, row, 0, problems);
        ResourceClass rc = cells.enumOf("资源属性分类");
        var classification = rc == null ? null : new EntryContent.Classification(rc, cells.text("类别"),
                cells.text("项代码"), cells.text("目代码"), cells.text("细目代码"));
        FormatClass fc = cells.enumOf("格式分类");
        ShareAttribute share = cells.enumOf("共享属性");
        LegalBasisType basisType = cells.enumOf("依据类型");
        String basisTitle = cells.text("依据名称");
        EntryContent.LegalBasis basis = basisType == null && basisTitle == null ? null
                : new EntryContent.LegalBasis(basisType, basisTitle, cells.text("依据条款"));
        ShareMethodClass mc = cells.enumOf("共享方式分类");
        ShareMethodType mt = cells.enumOf("共享方式类型");
        List<EntryContent.DataItem> items = new ArrayList<>();
        for (int k = 0; k < group.size(); k++) {
            int idx = group.get(k);
            Cells ic = new Cells(rows.get(idx), idx + 2, k, problems);
            Integer length = null;
            String len = ic.text("数据长度");
            if (len != null) {
                try {
                    length = Integer.valueOf(len);
                } catch (NumberFormatException e) {
                    problems.add(new RowProblem(idx + 2, "数据长度", fieldOf("数据长度", k),
                            "数据长度应为整数 / length must be an integer"));
                }
            }
            items.add(new EntryContent.DataItem(ic.text("信息项代码"), ic.text("信息项名称"),
                    ic.enumOf("数据类型"), length, ic.text("信息项描述"),
                    ic.bool("是否敏感"), ic.bool("是否数源")));
        }
        return new EntryContent(classification, cells.text("信息资源名称"), cells.text("提供方代码"),
                cells.text("信息资源提供方"), cells.text("行政区划代码"), cells.text("信息资源摘要"),
                fc == null && cells.text("格式类型") == null ? null : new EntryContent.Format(fc, cells.text("格式类型")),
                items, cells.text("关键信息项"), share, cells.text("共享条件"), cells.text("共享范围"),
                cells.list("使用用途"), cells.text("不予共享理由"), basis,
                mc == null && mt == null ? null : new EntryContent.ShareMethod(mc, mt),
                cells.enumOf("开放属性"), cells.text("开放条件"),
                cells.enumOf("更新周期"), cells.text("数据分类"),
                cells.enumOf("数据分级"), cells.list("关联资源代码"),
                cells.list("关键字"), false);
    }

    /**
     * Reads one row's cells, accepting Chinese labels or enum names, recording unreadable values; {@code item} is the
     * place of the row's data item in its entry.
     */
    private record Cells(Map<String, String> row, int number, int item, List<RowProblem> problems) {

        String text(String column) {
            String v = row.getOrDefault(column, "");
            return v.isBlank() ? null : v;
        }

        List<String> list(String column) {
            String v = text(column);
            return v == null ? null : Arrays.stream(v.split("[;；]")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        }

        Boolean bool(String column) {
            String v = text(column);
            if (v == null) {
                return null;
            }
            return switch (v) {
                case "是", "Y", "true", "TRUE" -> Boolean.TRUE;
                case "否", "N", "false", "FALSE" -> Boolean.FALSE;
                default -> {
                    problems.add(new RowProblem(number, column, fieldOf(column, item), "应为 是 或 否 / must be 是 or 否"));
                    yield null;
                }
            };
        }

        @SuppressWarnings("unchecked")
        <E extends Enum<E>> E enumOf(String column) {
            String v = text(column);
            if (v == null) {
                return null;
            }
            Choice<E> choice = (Choice<E>) CHOICES.get(column);
            E e = choice.parse(v);
            if (e == null) {
                problems.add(new RowProblem(number, column, fieldOf(column, item), choice.invalid(v)));
            }
            return e;
        }
    }

    private static String s(String v) {
        return v == null ? "" : v;
    }

    private static String join(List<String> l) {
        return l == null ? "" : String.join("；", l);
    }

    private static String yes(Boolean b) {
        return b == null ? "" : b ? "是" : "否";
    }
}
