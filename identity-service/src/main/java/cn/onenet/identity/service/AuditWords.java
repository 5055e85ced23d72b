package cn.onenet.identity.service;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import cn.onenet.identity.model.Account;
import cn.onenet.identity.model.AccountType;
import cn.onenet.identity.model.AuditEvent;
import cn.onenet.identity.model.Department;
import cn.onenet.identity.model.OAuthClient;

/**
 * The audit trail in words, rendered when it is read (rows of every age alike, nothing migrated): an event's stored
 * {@code detail} ({@code type=NATURAL_PERSON level=2}, {@code roles=[admin] removed=[auditor]; grants revoked=2}) as
 * a summary in Chinese (自然人，实名等级 2（身份号码格式校验）) and as structured fields for tools, and the names of the
 * accounts, departments and clients an event's actor and subject name by id.
 * <p>
 * Names follow the product's rule for personal data: a natural person's name is masked to the family name (张*), as
 * in the legal-person reference's listing; staff (acting in office), enterprises, departments and clients by their
 * full names. Text the words do not know is kept as it was written.
 */
@ApplicationScoped
public class AuditWords {

    /** An event with its names and words. */
    public record Described(AuditEvent event, String actorName, String subjectName, String summary,
            Map<String, Object> fields) {
    }

    /** The stored detail in words and as fields. */
    public record Words(String summary, Map<String, Object> fields) {
    }

    /** {@code key=value}: a key of one to three words, a value up to a space, comma or semicolon, or a [list]. */
    private static final Pattern PAIR = Pattern.compile(
            "([A-Za-z][A-Za-z]*(?: [A-Za-z]+){0,2})=(\\[[^\\]]*\\]|[^\\s;,]*)");
    private static final Pattern UUID_TEXT = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern NUMBER = Pattern.compile("-?\\d{1,9}");

    /** Keys whose value may hold spaces: it runs to the next known key, a semicolon or the end. */
    private static final Set<String> LONG_VALUES = Set.of("scope", "amr", "name", "reason");

    /** The field name and the Chinese label of each key the words know. */
    private static final Map<String, String[]> KEYS = new LinkedHashMap<>();

    static {
        key("type", "type", "账户类型");
        key("level", "level", "实名等级");
        key("method", "method", "核验方式");
        key("source", "source", "核验来源");
        key("department", "department", "部门");
        key("roles", "roles", "角色");
        key("removed", "removed", "收回的角色");
        key("grants", "grants", "令牌授权");
        key("grants revoked", "grantsRevoked", "撤销令牌授权（个）");
        key("other grants revoked", "otherGrantsRevoked", "撤销其他令牌授权（个）");
        key("client grants revoked", "clientGrantsRevoked", "撤销系统应用令牌授权（个）");
        key("sessions ended", "sessionsEnded", "结束登录会话（个）");
        key("other sessions ended", "otherSessionsEnded", "结束其他登录会话（个）");
        key("delegations revoked", "delegationsRevoked", "撤销委托（项）");
        key("delegations ended", "delegationsEnded", "终止委托（项）");
        key("accounts", "accounts", "涉及账户（个）");
        key("legalRepresentative", "legalRepresentative", "法定代表人");
        key("previous representative", "previousRepresentative", "原法定代表人");
        key("recorded representative", "recordedRepresentative", "在册法定代表人");
        key("amr", "amr", "登录方式");
        key("device", "device", "设备");
        key("scope", "scope", "授权范围");
        key("acr", "acr", "实名等级");
        key("channel", "channel", "联系方式");
        key("uscc", "uscc", "统一社会信用代码");
        key("enterprise", "enterprise", "企业");
        key("delegation", "delegation", "委托编号");
        key("agent", "agent", "经办人");
        key("grant", "grant", "授权方式");
        key("error", "error", "错误");
        key("kind", "kind", "类别");
        key("region", "region", "行政区划");
        key("parent", "parent", "上级部门");
        key("name", "name", "名称");
        key("nameEn", "nameEn", "英文名称");
        key("next", "next", "新发布的签名密钥");
        key("auth", "auth", "认证方式");
        key("applications", "applications", "应用（个）");
        key("sessions", "sessions", "登录会话（个）");
        key("events", "events", "安全事件（条）");
        key("rows", "rows", "行数");
        key("added", "added", "新增");
        key("replaced", "replaced", "更新");
        key("representative changes", "representativeChanges", "法定代表人变更");
        key("status changes", "statusChanges", "登记状态变更");
        key("idNumber", "idNumber", "公民身份号码");
        key("second factor reset", "secondFactorReset", "重置动态口令");
        key("reason", "reason", "理由");
    }

    private static void key(String key, String field, String label) {
        KEYS.put(key, new String[] { field, label });
    }

    static final Map<String, String> ACCOUNT_TYPES = Map.of(AccountType.NATURAL_PERSON.name(), "自然人",
            AccountType.LEGAL_PERSON.name(), "法人", AccountType.CIVIL_SERVANT.name(), "政务工作人员");
    /** 实名等级 (R27): how each level is reached. */
    static final Map<String, String> LEVELS = Map.of("1", "仅注册账号，未核验", "2", "身份号码格式校验", "3",
            "人口库或法人库比对", "4", "现场或数字证书核验");
    static final Map<String, String> METHODS = Map.ofEntries(Map.entry("format-check", "身份号码格式校验"),
            Map.entry("population-register", "人口库比对"), Map.entry("in-person", "窗口现场核验"),
            Map.entry("certificate", "数字证书"), Map.entry("employer", "所在单位核验"),
            Map.entry("department", "所在部门"), Map.entry("business-licence", "营业执照核验"),
            Map.entry("legal-person-registry", "法人库比对"), Map.entry("counter", "柜台核验"));
    static final Map<String, String> ROLES = Map.of("operator", "共享专员", AccountService.EDITOR, "目录编制",
            AccountService.REVIEWER, "审核员", AccountService.HEAD, "部门负责人", AccountService.AUDITOR, "审计员",
            Administrators.ROLE, "管理员", "system", "系统");
    static final Map<String, String> ADMIN_LEVELS = Map.of("PROVINCE", "省级", "CITY", "市级", "COUNTY", "县级",
            "TOWNSHIP", "乡级", "VILLAGE", "村级");
    static final Map<String, String> KINDS = Map.ofEntries(Map.entry("GOVERNMENT_DEPARTMENT", "政府部门"),
            Map.entry("AUTHORISED_ORGANISATION", "授权组织"), Map.entry("ROLES", "角色"), Map.entry("LEVEL", "实名等级"),
            Map.entry("COUNTER_VERIFICATION", "柜台核验"), Map.entry("CREATE", "新建管理员账户"),
            Map.entry("DISABLE", "停用"), Map.entry("ENABLE", "启用"), Map.entry("TOTP_RESET", "重置动态口令"),
            Map.entry("DEPARTMENT_DEACTIVATE", "撤销部门"), Map.entry("DEPARTMENT_REACTIVATE", "恢复部门"));
    static final Map<String, String> AMR = Map.of("pwd", "密码", "otp", "动态口令");
    static final Map<String, String> CHANNELS = Map.of("phone", "手机号", "email", "电子邮箱", "PHONE", "手机号",
            "EMAIL", "电子邮箱");
    /** Phrases written as they are, whole. */
    static final Map<String, String> PHRASES = Map.ofEntries(Map.entry("lock lifted", "已解除登录锁定"),
            Map.entry("none held", "当时未被锁定"), Map.entry("awaiting confirmation", "等待确认"),
            Map.entry("first factor", "首次启用"), Map.entry("replaced the active factor", "替换原动态口令"),
            Map.entry("access token", "访问令牌"), Map.entry("refresh token family", "刷新令牌及同系列令牌"),
            Map.entry("invalid or expired token", "令牌无效或已过期"),
            Map.entry("invalid or spent cancel token", "撤销令牌无效或已使用"),
            Map.entry("invalid, expired or used reset token", "重置令牌无效、过期或已使用"),
            Map.entry("wrong current password", "当前密码错误"), Map.entry("wrong password", "密码错误"),
            Map.entry("bad_credentials", "用户名或密码错误"), Map.entry("bad_otp", "动态口令错误"),
            Map.entry("otp_required", "需要动态口令"), Map.entry("locked", "暂时锁定"),
            Map.entry("refused: admin and auditor exclude each other", "拒绝：管理员与审计员不得由同一人担任"),
            Map.entry("refused: own account, done by another administrator", "拒绝：本人账户须由另一名管理员办理"),
            Map.entry("no change", "无变更"), Map.entry("deactivated", "撤销"), Map.entry("competentAuthority", "主管部门"),
            Map.entry("by the holder", "本人撤销"), Map.entry("a factor is active", "已启用动态口令"),
            Map.entry("code expired", "验证码已过期"), Map.entry("wrong code", "验证码错误"),
            Map.entry("earlier request superseded", "取代之前的申请"), Map.entry("none before", "此前没有"),
            Map.entry("replaced", "已替换"), Map.entry("unknown client", "未知的应用"),
            Map.entry("redirect_uri not registered", "回调地址未登记"),
            Map.entry("authorization code of another client", "其他应用的授权码"),
            Map.entry("authorization code used twice; grant revoked", "授权码被重复使用，已撤销授权"),
            Map.entry("refresh token used twice; token family revoked", "刷新令牌被重复使用，已撤销同系列令牌"),
            Map.entry("token of another client: refused", "拒绝：其他应用的令牌"), Map.entry("attempted", "试图设置"),
            Map.entry("by enterprise", "由企业撤销"), Map.entry("by agent", "由经办人撤销"));
    /** Phrases followed by a value (a time, mostly). */
    static final Map<String, String> PREFIXES = Map.of("locked until ", "锁定至 ", "effective at ", "生效时间 ",
            "requested at ", "申请时间 ", "contacts set:", "核验后的联系方式：",
            "contacts:", "联系方式：", "second factor reset=", "重置动态口令：");

    /**
     * The events with their names and words, the names of a page looked up together (one query per kind of id).
     */
    public List<Described> describe(List<AuditEvent> events) {
        List<Words> words = events.stream().map(e -> words(e.detail)).toList();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < events.size(); i++) {
            ids.add(events.get(i).actor);
            ids.add(events.get(i).subject);
            words.get(i).fields().values().forEach(v -> {
                if (v instanceof String s) {
                    ids.add(s);
                }
            });
        }
        Names names = names(ids);
        List<Described> described = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            AuditEvent e = events.get(i);
            Words w = words.get(i);
            described.add(new Described(e, names.of(e.actor), names.of(e.subject), summary(e.detail, names),
                    w.fields()));
        }
        return described;
    }

    /** The detail in words and as fields, departments and accounts it names by name. */
    public Words of(String detail) {
        Words w = words(detail);
        Set<String> ids = new HashSet<>();
        w.fields().values().forEach(v -> {
            if (v instanceof String s) {
                ids.add(s);
            }
        });
        return new Words(summary(detail, names(ids)), w.fields());
    }

    // ------------------------------------------------------------------ reading the detail

    /** A piece of the detail: a known or unknown key and its value, or text (key null). */
    record Part(String key, String value) {
    }

    static List<Part> parts(String detail) {
        List<Part> parts = new ArrayList<>();
        if (detail == null || detail.isBlank()) {
            return parts;
        }
        String text = detail;
        String reason = null;
        // a department's reason is written last, after "reason: ", and may hold anything
        int at = text.indexOf("reason: ");
        if (at >= 0 && (at == 0 || text.startsWith("; ", at - 2))) {
            reason = text.substring(at + "reason: ".length());
            text = text.substring(0, Math.max(0, at - 2));
        }
        Matcher m = PAIR.matcher(text);
        int from = 0;
        while (from < text.length() && m.find(from)) {
            String[] words = m.group(1).split(" ");
            int first = knownSuffix(words);
            if (first < 0) {
                first = words.length - 1;
            }
            String key = String.join(" ", java.util.Arrays.copyOfRange(words, first, words.length));
            StringBuilder before = new StringBuilder(text.substring(from, m.start()));
            for (int w = 0; w < first; w++) {
                before.append(w == 0 ? "" : " ").append(words[w]);
            }
            text(parts, before.toString());
            int end = m.end();
            String value = m.group(2);
            if (LONG_VALUES.contains(key)) {
                end = valueEnd(text, m.start(2));
                value = text.substring(m.start(2), end).strip();
            }
            parts.add(new Part(key, value));
            from = end;
        }
        text(parts, text.substring(Math.min(from, text.length())));
        if (reason != null) {
            parts.add(new Part("reason", reason.strip()));
        }
        return parts;
    }

    /** Where a long value ends: at a semicolon, the next known key or the end. */
    private static int valueEnd(String text, int start) {
        int semicolon = text.indexOf(';', start);
        int end = semicolon < 0 ? text.length() : semicolon;
        Matcher next = PAIR.matcher(text);
        int from = start;
        while (next.find(from) && next.start() < end) {
            String[] words = next.group(1).split(" ");
            int first = knownSuffix(words);
            if (first >= 0) {
                int keyStart = next.end(1) - String.join(" ", java.util.Arrays.copyOfRange(words, first,
                        words.length)).length();
                if (keyStart > start) {
                    return Math.min(end, keyStart);
                }
            }
            from = next.end();
        }
        return end;
    }

    /** The first of the words that, with those after it, make a known key (the longest); -1 for none. */
    private static int knownSuffix(String[] words) {
        for (int first = 0; first < words.length; first++) {
            if (KEYS.containsKey(String.join(" ", java.util.Arrays.copyOfRange(words, first, words.length)))) {
                return first;
            }
        }
        return -1;
    }

    /** Text between the pairs, a part per clause (semicolon). */
    private static void text(List<Part> parts, String text) {
        for (String clause : text.split(";\\s")) {
            String t = clause.strip().replaceAll("^[;,:]+|[;,]+$", "").strip();
            if (!t.isEmpty()) {
                parts.add(new Part(null, t));
            }
        }
    }

    /** The fields of the detail, in its order: numbers as numbers, [lists] as lists, text left over as note. */
    static Words words(String detail) {
        Map<String, Object> fields = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        for (Part p : parts(detail)) {
            if (p.key() == null) {
                notes.add(p.value());
                continue;
            }
            String[] known = KEYS.get(p.key());
            String field = known != null ? known[0] : p.key();
            fields.putIfAbsent(field, value(p.value()));
        }
        if (!notes.isEmpty()) {
            fields.put("note", String.join("; ", notes));
        }
        return new Words(null, fields);
    }

    private static Object value(String value) {
        if (value.startsWith("[") && value.endsWith("]")) {
            String inner = value.substring(1, value.length() - 1).strip();
            return inner.isEmpty() ? List.of() : List.of(inner.split(",\\s*"));
        }
        if (NUMBER.matcher(value).matches()) {
            return Integer.parseInt(value);
        }
        return "null".equals(value) ? null : value;
    }

    // ------------------------------------------------------------------ words

    static String summary(String detail, Names names) {
        List<String> said = new ArrayList<>();
        for (Part p : parts(detail)) {
            said.add(p.key() == null ? phrase(p.value()) : pair(p.key(), p.value(), names));
        }
        return said.isEmpty() ? null : String.join("；", said);
    }

    private static String phrase(String text) {
        String known = PHRASES.get(text);
        if (known != null) {
            return known;
        }
        for (Map.Entry<String, String> prefix : PREFIXES.entrySet()) {
            if (text.startsWith(prefix.getKey())) {
                return prefix.getValue() + phrase(text.substring(prefix.getKey().length()).strip());
            }
        }
        // bilingual text (a verifier's reason): its Chinese half
        int slash = text.indexOf(" / ");
        if (slash > 0 && text.substring(0, slash).codePoints().anyMatch(c -> Character.UnicodeScript.of(c)
                == Character.UnicodeScript.HAN)) {
            return text.substring(0, slash);
        }
        return text;
    }

    private static String pair(String key, String value, Names names) {
        String[] known = KEYS.get(key);
        if (known == null) {
            return key + "=" + value;
        }
        String label = known[1];
        return switch (key) {
            case "type" -> label + "：" + ACCOUNT_TYPES.getOrDefault(value, value);
            case "level" -> LEVELS.containsKey(value) ? label + " " + value + "（" + LEVELS.get(value) + "）"
                    : "层级：" + ADMIN_LEVELS.getOrDefault(value, value);
            case "acr" -> Acr.level(value).stream().mapToObj(l -> label + " " + l + "（" + LEVELS.get(
                    String.valueOf(l)) + "）").findFirst().orElse(label + " " + value);
            case "method", "source" -> label + "：" + METHODS.getOrDefault(value, value);
            case "roles", "removed" -> label + "：" + list(value, ROLES);
            case "grants" -> (value.length() > 2 && UUID_TEXT.matcher(value).find() ? label : "授权类型") + "："
                    + list(value, Map.of());
            case "department", "parent", "enterprise", "legalRepresentative", "previous representative",
                    "recorded representative" -> label + "：" + names.named(value);
            case "amr" -> label + "：" + String.join("、", java.util.Arrays.stream(value.split("[\\s,]+"))
                    .map(a -> AMR.getOrDefault(a, a)).toList());
            case "device" -> "trusted".equals(value) ? "受信任的设备" : label + "：" + value;
            case "channel" -> label + "：" + CHANNELS.getOrDefault(value, value);
            case "kind" -> label + "：" + KINDS.getOrDefault(value, value);
            default -> label.endsWith("）") ? label.substring(0, label.indexOf('（')) + " " + value
                    + label.substring(label.indexOf('（') + 1, label.length() - 1)
                    : label + "：" + ("true".equals(value) ? "是" : "false".equals(value) ? "否" : value);
        };
    }

    private static String list(String value, Map<String, String> words) {
        String inner = value.startsWith("[") && value.endsWith("]") ? value.substring(1, value.length() - 1) : value;
        if (inner.isBlank()) {
            return "无";
        }
        return String.join("、", java.util.Arrays.stream(inner.split(",\\s*"))
                .map(v -> words.containsKey(v) ? words.get(v) + "（" + v + "）" : v).toList());
    }

    // ------------------------------------------------------------------ names

    /** 张三 → 张*, 欧阳小明 → 欧***: the family name only. */
    public static String maskName(String name) {
        if (name == null || name.isBlank()) {
            return null;
        }
        String n = name.strip();
        int first = n.offsetByCodePoints(0, 1);
        return n.substring(0, first) + "*".repeat(Math.max(1, n.codePointCount(first, n.length())));
    }

    /** How an account is named to others: a natural person masked, staff and enterprises in full. */
    public static String nameOf(Account account) {
        if (account == null) {
            return null;
        }
        return account.type == AccountType.NATURAL_PERSON ? maskName(account.displayName) : account.displayName;
    }

    /** The names of the accounts, departments and clients among some ids. */
    static final class Names {
        private final Map<String, String> byId = new HashMap<>();

        String of(String id) {
            if (id == null) {
                return null;
            }
            String name = byId.get(id);
            if (name != null) {
                return name;
            }
            return switch (id) {
                case AuditService.SYSTEM -> "系统";
                case "self" -> "本人（自助注册）";
                case "old-contact" -> "原联系方式的持有人";
                default -> id.startsWith("migration ") ? "数据库迁移 " + id.substring("migration ".length()) : null;
            };
        }

        /** A code or id with its name: 浙江省公安厅（11330000002481020A）; as it is when it names nothing known. */
        String named(String id) {
            String name = byId.get(id);
            return name == null ? id : name + "（" + id + "）";
        }
    }

    static Names names(Collection<String> ids) {
        Names names = new Names();
        List<UUID> accounts = new ArrayList<>();
        List<String> codes = new ArrayList<>();
        for (String id : ids) {
            if (id == null || id.isBlank() || id.length() > 120) {
                continue;
            }
            if (UUID_TEXT.matcher(id).matches()) {
                accounts.add(UUID.fromString(id));
            } else {
                codes.add(id);
            }
        }
        if (!accounts.isEmpty()) {
            Account.<Account>list("id in ?1", accounts).forEach(a -> names.byId.put(a.id.toString(), nameOf(a)));
        }
        if (!codes.isEmpty()) {
            Department.<Department>list("code in ?1", codes).forEach(d -> names.byId.put(d.code, d.name));
            OAuthClient.<OAuthClient>list("clientId in ?1", codes).forEach(c -> names.byId.putIfAbsent(c.clientId,
                    c.name));
            // a login name recorded as actor (a failed login naming an account)
            Account.<Account>list("username in ?1", codes).forEach(a -> names.byId.putIfAbsent(a.username,
                    nameOf(a)));
        }
        return names;
    }

    /** The name an id stands for, looked up alone. */
    public Optional<String> name(String id) {
        return Optional.ofNullable(names(java.util.Collections.singleton(id)).of(id));
    }
}
