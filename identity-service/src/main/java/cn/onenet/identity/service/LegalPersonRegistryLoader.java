package cn.onenet.identity.service;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import cn.onenet.common.identifiers.CreditCode;
import cn.onenet.common.identifiers.ResidentIdNumber;
import cn.onenet.common.problem.ApiException;
import cn.onenet.common.problem.FieldError;
import cn.onenet.common.problem.NulCharacterModule;
import cn.onenet.identity.config.LegalPersonRegistryConfig;
import cn.onenet.identity.model.Account;
import cn.onenet.identity.model.AccountType;
import cn.onenet.identity.model.LegalPersonRecord;
import cn.onenet.identity.model.RegistryStatus;
import cn.onenet.identity.model.RepresentativeChange;

/**
 * An administrator's load of the legal-person reference (法人库), as CSV or JSON rows: each row added or replaced by
 * its 统一社会信用代码, all or none (one bad row refuses the load, naming it). The representative's ID number is turned
 * into its keyed digest at once and never stored. When a row names another representative than a registered
 * enterprise's account records, the account is not switched: the difference is recorded
 * ({@link RepresentativeChange}), both persons are told, and the new representative may take the enterprise over
 * ({@link EnterpriseRegistration}).
 */
@ApplicationScoped
public class LegalPersonRegistryLoader {

    /** A digest as {@link Pseudonyms} writes it: 43 base64url characters. */
    private static final Pattern DIGEST = Pattern.compile("[A-Za-z0-9_-]{43}");
    /** Problems listed in one answer, at most. */
    private static final int MAX_PROBLEMS = 50;
    static final List<String> CSV_COLUMNS = List.of("uscc", "name", "representativeIdNumber", "representativeIdDigest",
            "status");

    /** One row as given: the representative by ID number or by its digest, exactly one of them. */
    public record Row(String uscc, String name, String representativeIdNumber, String representativeIdDigest,
            String status) {
    }

    /**
     * What a load did; {@code representativeChanges}: the registered enterprises now naming another representative;
     * {@code statusChanges}: the registered enterprises it turned to 吊销 or 注销.
     */
    public record Outcome(int rows, int added, int replaced, List<String> representativeChanges,
            List<String> statusChanges) {
    }

    private final TableLegalPersonRegistry registry;
    private final LegalPersonRegistryConfig config;
    private final AuditService audit;
    private final EnterpriseNotices notices;

    public LegalPersonRegistryLoader(TableLegalPersonRegistry registry, LegalPersonRegistryConfig config,
            AuditService audit, EnterpriseNotices notices) {
        this.registry = registry;
        this.config = config;
        this.audit = audit;
        this.notices = notices;
    }

    @Transactional
    public Outcome load(List<Row> rows, String actor) {
        if (rows == null || rows.isEmpty()) {
            throw ApiException.field("rows", "至少需要一行 / at least one row is required");
        }
        if (rows.size() > config.maxRows()) {
            throw ApiException.field("rows", "一次最多" + config.maxRows() + "行 / at most " + config.maxRows()
                    + " rows per load");
        }
        List<FieldError> problems = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < rows.size() && problems.size() < MAX_PROBLEMS; i++) {
            problems.addAll(problems(i, rows.get(i), seen));
        }
        if (!problems.isEmpty()) {
            throw ApiException.fields(problems);
        }
        int added = 0;
        List<String> changes = new ArrayList<>();
        List<String> statusChanges = new ArrayList<>();
        OffsetDateTime now = OffsetDateTime.now();
        for (Row row : rows) {
            String uscc = CreditCode.normalise(row.uscc());
            String digest = row.representativeIdNumber() != null && !row.representativeIdNumber().isBlank()
                    ? registry.digest(row.representativeIdNumber()) : row.representativeIdDigest().strip();
            LegalPersonRecord record = LegalPersonRecord.findById(uscc);
            if (record == null) {
                record = new LegalPersonRecord();
                record.uscc = uscc;
                added++;
            }
            RegistryStatus previous = record.status;
            record.name = row.name().strip();
            record.representativeIdDigest = digest;
            record.status = RegistryStatus.parse(row.status()).orElseThrow();
            record.loadedAt = now;
            record.loadedBy = actor;
            record.persist();
            Account enterprise = Account.find("uscc = ?1 and type = ?2 and status <> 'CLOSED'", uscc,
                    AccountType.LEGAL_PERSON).firstResult();
            if (enterprise == null) {
                continue;
            }
            if (compareWithAccount(enterprise, record, row.representativeIdNumber(), actor)) {
                changes.add(uscc);
            }
            if (statusEnded(enterprise, record, previous, actor)) {
                statusChanges.add(uscc);
            }
        }
        audit.recordInTransaction("LEGAL_PERSON_REGISTRY_LOADED", actor, null, null, null, "rows=" + rows.size()
                + " added=" + added + " replaced=" + (rows.size() - added) + " representative changes=" + changes
                + " status changes=" + statusChanges);
        return new Outcome(rows.size(), added, rows.size() - added, changes, statusChanges);
    }

    private static List<FieldError> problems(int i, Row row, Set<String> seen) {
        List<FieldError> problems = new ArrayList<>();
        String at = "rows[" + i + "].";
        if (row == null) {
            problems.add(new FieldError("rows[" + i + "]", "空行 / the row is empty"));
            return problems;
        }
        Optional<String> code = CreditCode.problem(row.uscc() == null ? null : row.uscc().strip());
        if (code.isPresent()) {
            problems.add(new FieldError(at + "uscc", code.get()));
        } else if (!seen.add(CreditCode.normalise(row.uscc()))) {
            problems.add(new FieldError(at + "uscc", "同一统一社会信用代码出现多次 / the code appears more than once"));
        }
        if (row.name() == null || row.name().isBlank() || row.name().strip().length() > 200) {
            problems.add(new FieldError(at + "name", "名称必填，最多200字 / name is required (max 200)"));
        } else if (row.name().indexOf('\0') >= 0) {
            // JSON bodies are refused with a NUL while read; a CSV body is parsed here.
            problems.add(new FieldError(at + "name", NulCharacterModule.MESSAGE));
        } else if (row.name().indexOf('\uFFFD') >= 0) {
            // the replacement character: the text was garbled (read in the wrong charset) before it reached us
            problems.add(new FieldError(at + "name", "名称含乱码（\uFFFD），请检查文件编码 / the name holds the "
                    + "replacement character U+FFFD: the text was garbled, check the file's charset"));
        }
        boolean byNumber = row.representativeIdNumber() != null && !row.representativeIdNumber().isBlank();
        boolean byDigest = row.representativeIdDigest() != null && !row.representativeIdDigest().isBlank();
        if (byNumber == byDigest) {
            problems.add(new FieldError(at + "representativeIdNumber", "须给出法定代表人的公民身份号码或其摘要之一 / give "
                    + "exactly one of the legal representative's ID number and its digest"));
        } else if (byNumber) {
            ResidentIdNumber.problem(row.representativeIdNumber().strip())
                    .ifPresent(p -> problems.add(new FieldError(at + "representativeIdNumber", p)));
        } else if (!DIGEST.matcher(row.representativeIdDigest().strip()).matches()) {
            problems.add(new FieldError(at + "representativeIdDigest",
                    "摘要应为43个base64url字符 / a digest is 43 base64url characters"));
        }
        if (RegistryStatus.parse(row.status()).isEmpty()) {
            problems.add(new FieldError(at + "status", "登记状态应为存续、吊销或注销 / status is one of 存续 (IN_BUSINESS), "
                    + "吊销 (REVOKED), 注销 (DEREGISTERED)"));
        }
        return problems;
    }

    /**
     * Compares the row's representative with the registered enterprise's account, if there is one: a difference is
     * recorded (once per person named) and told to both persons; the account is left as it is. Returns whether a
     * difference was newly recorded.
     */
    private boolean compareWithAccount(Account enterprise, LegalPersonRecord record, String idNumber, String actor) {
        if (enterprise.legalRepresentativeId == null) {
            return false;
        }
        Account recorded = Account.findById(enterprise.legalRepresentativeId);
        boolean same = recorded != null && recorded.idNumber != null
                && registry.digest(recorded.idNumber).equals(record.representativeIdDigest);
        RepresentativeChange open = RepresentativeChange.open(enterprise.id);
        if (same) {
            if (open != null) {
                end(open, RepresentativeChange.REVERTED);
                audit.recordInTransaction("LEGAL_REPRESENTATIVE_CHANGE_ENDED", actor, enterprise.id.toString(), null,
                        null, "uscc=" + record.uscc + " the registry names the recorded representative again");
            }
            return false;
        }
        if (open != null) {
            if (open.newRepresentativeDigest.equals(record.representativeIdDigest)) {
                return false; // recorded and told already
            }
            end(open, RepresentativeChange.SUPERSEDED);
        }
        Account named = idNumber == null || idNumber.isBlank() ? null
                : Account.find("idNumber = ?1 and type = ?2 and status = 'ACTIVE'",
                        ResidentIdNumber.normalise(idNumber.strip()), AccountType.NATURAL_PERSON).firstResult();
        RepresentativeChange change = recorded(enterprise, RepresentativeChange.REPRESENTATIVE, actor);
        change.newRepresentativeDigest = record.representativeIdDigest;
        change.newRepresentativeId = named == null ? null : named.id;
        change.persist();
        audit.recordInTransaction("LEGAL_REPRESENTATIVE_CHANGE_RECORDED", actor, enterprise.id.toString(), null, null,
                "uscc=" + record.uscc + " recorded representative=" + enterprise.legalRepresentativeId
                        + " registry names " + (named == null ? "a person without a known account" : named.id)
                        + "; account not switched");
        notices.representativeChanged(enterprise, recorded, named);
        return true;
    }

    /**
     * A load that turns a registered enterprise's status to 吊销 or 注销 (from 存续, from the other one, or on its first
     * row) is recorded and told to its representative and the administrators. The account is not disabled: whether
     * it may still act is an administrator's decision. Returns whether it was recorded.
     */
    private boolean statusEnded(Account enterprise, LegalPersonRecord record, RegistryStatus previous, String actor) {
        if (record.status == RegistryStatus.IN_BUSINESS || record.status == previous) {
            return false;
        }
        RepresentativeChange change = recorded(enterprise, RepresentativeChange.STATUS, actor);
        change.previousStatus = previous;
        change.registryStatus = record.status;
        change.persist();
        audit.recordInTransaction("LEGAL_PERSON_STATUS_CHANGE_RECORDED", actor, enterprise.id.toString(), null, null,
                "uscc=" + record.uscc + " status " + (previous == null ? "none" : previous.name()) + " -> "
                        + record.status.name() + "; account not disabled");
        Account representative = enterprise.legalRepresentativeId == null ? null
                : Account.findById(enterprise.legalRepresentativeId);
        notices.registryStatusChanged(enterprise, record.status, representative, Administrators.acting());
        return true;
    }

    /** A new record of a change a load found for the enterprise, with its representative at the time. */
    private static RepresentativeChange recorded(Account enterprise, String kind, String actor) {
        RepresentativeChange change = new RepresentativeChange();
        change.id = UUID.randomUUID();
        change.kind = kind;
        change.enterpriseId = enterprise.id;
        change.uscc = enterprise.uscc;
        change.recordedRepresentativeId = enterprise.legalRepresentativeId;
        change.detectedAt = OffsetDateTime.now();
        change.detectedBy = actor;
        return change;
    }

    static void end(RepresentativeChange change, String outcome) {
        change.endedAt = OffsetDateTime.now();
        change.outcome = outcome;
    }

    /**
     * Rows from CSV (RFC 4180: comma-separated, double quotes around a field holding a comma, quote or line break,
     * a doubled quote for a quote). The first line names the columns, in any order: {@code uscc}, {@code name},
     * {@code representativeIdNumber} or {@code representativeIdDigest}, {@code status}. A header without the
     * required columns, or a line with another number of fields, is a 400 naming it.
     */
    public static List<Row> parseCsv(String body) {
        List<List<String>> lines = csvLines(body == null ? "" : body.replace("\uFEFF", ""));
        if (lines.isEmpty()) {
            throw ApiException.field("rows", "CSV为空 / the CSV holds no rows");
        }
        List<String> header = lines.get(0).stream().map(h -> h.strip()).toList();
        Map<String, Integer> index = new java.util.HashMap<>();
        for (int i = 0; i < header.size(); i++) {
            String column = header.get(i);
            Optional<String> known = CSV_COLUMNS.stream().filter(c -> c.toLowerCase(Locale.ROOT)
                    .equals(column.toLowerCase(Locale.ROOT))).findFirst();
            if (known.isEmpty() || index.put(known.get(), i) != null) {
                throw ApiException.field("header", "未知或重复的列 / unknown or repeated column: " + column
                        + " (columns: " + String.join(", ", CSV_COLUMNS) + ")");
            }
        }
        for (String required : List.of("uscc", "name", "status")) {
            if (!index.containsKey(required)) {
                throw ApiException.field("header", "缺少列 / missing column: " + required);
            }
        }
        List<Row> rows = new ArrayList<>();
        for (int n = 1; n < lines.size(); n++) {
            List<String> fields = lines.get(n);
            if (fields.size() == 1 && fields.get(0).isBlank()) {
                continue; // a blank line
            }
            if (fields.size() != header.size()) {
                throw ApiException.field("rows[" + rows.size() + "]", "第" + (n + 1) + "行有" + fields.size()
                        + "个字段，应为" + header.size() + " / line " + (n + 1) + " has " + fields.size()
                        + " fields, the header " + header.size());
            }
            rows.add(new Row(get(fields, index, "uscc"), get(fields, index, "name"),
                    get(fields, index, "representativeIdNumber"), get(fields, index, "representativeIdDigest"),
                    get(fields, index, "status")));
        }
        return rows;
    }

    private static List<List<String>> csvLines(String body) {
        try (CSVParser parser = CSVFormat.RFC4180.builder().setIgnoreEmptyLines(true).get()
                .parse(new StringReader(body))) {
            List<List<String>> lines = new ArrayList<>();
            for (CSVRecord record : parser) {
                lines.add(record.toList());
            }
            return lines;
        } catch (IOException | UncheckedIOException | IllegalStateException e) {
            throw ApiException.field("rows", "CSV格式错误 / malformed CSV: " + e.getMessage());
        }
    }

    private static String get(List<String> fields, Map<String, Integer> index, String column) {
        Integer i = index.get(column);
        return i == null ? null : fields.get(i);
    }
}
