package cn.onenet.exchange.service;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import cn.onenet.common.problem.ApiException;
import cn.onenet.common.problem.FieldError;

/**
 * The words a validation message names a field and its allowed values by. The message is read by people, in Chinese
 * and English ("使用场景必填 / the scenario is required"); the API name of the field stays in {@code errors[].field},
 * where programs and the console find it, and a code the API accepts is shown in brackets after its words
 * (接口调用（API）), so the reader learns what to send. Every message of these two kinds — a field left out, a value
 * not among those allowed — is made here, so none shows a bare code or lacks its English half.
 */
public final class Fields {

    /** A field of a request: its API name and what it is called in Chinese and in English (with the article). */
    public record Field(String name, String zh, String en) {

        /** "使用场景必填 / the scenario is required". */
        public String required() {
            return zh + "必填 / " + en + " is required";
        }

        /** "推送地址必填，最长 1000 字符 / the address to push to is required, at most 1000 characters". */
        public String required(String zhMore, String enMore) {
            return zh + "必填，" + zhMore + " / " + en + " is required, " + enMore;
        }

        /** "{zh}须为{zhWhat} / {en} must be {enWhat}" (a space before a number or a Latin word, as in 须为 1–200 个字符). */
        public String mustBe(String zhWhat, String enWhat) {
            char first = zhWhat.isEmpty() ? ' ' : zhWhat.charAt(0);
            return zh + "须为" + (first < 128 && Character.isLetterOrDigit(first) ? " " : "") + zhWhat + " / " + en
                    + " must be " + enWhat;
        }

        /**
         * "每页条数须为 1 到 200 之间的整数 / the page size must be a whole number from 1 to 200": {@code min}
         * {@link Long#MIN_VALUE} for any whole number, {@code max} {@link Long#MAX_VALUE} for no upper bound.
         */
        public String wholeNumber(long min, long max) {
            if (min == Long.MIN_VALUE) {
                return mustBe("整数", "a whole number");
            }
            if (max == Long.MAX_VALUE || max == Integer.MAX_VALUE) {
                return mustBe("不小于 " + min + " 的整数", "a whole number of at least " + min);
            }
            return mustBe(min + " 到 " + max + " 之间的整数", "a whole number from " + min + " to " + max);
        }

        /** "共享方式须为接口调用（API）、…或订阅（SUBSCRIPTION） / the delivery method must be …". */
        public String oneOf(Collection<Choice> choices) {
            List<String> zhs = new ArrayList<>();
            List<String> ens = new ArrayList<>();
            for (Choice c : choices) {
                zhs.add(c.zh() + "（" + c.code() + "）");
                ens.add(c.en() + " (" + c.code() + ")");
            }
            return mustBe(join(zhs, "、", "或"), (choices.size() > 1 ? "one of " : "") + join(ens, ", ", " or "));
        }

        /** The error for this field when {@code value} shows nothing, else null (for checks that collect errors). */
        public FieldError missing(String value) {
            return Texts.missing(value, name, required());
        }

        /** "页码过大 / the page number is too large". */
        public String tooLarge() {
            return zh + "过大 / " + en + " is too large";
        }

        /** 400 naming this field, with {@code message}. */
        public ApiException error(String message) {
            return ApiException.field(name, message);
        }

        /** 400 naming this field: required. */
        public ApiException isRequired() {
            return error(required());
        }

        /** 400 naming this field: not one of {@code choices}. */
        public ApiException notOneOf(Collection<Choice> choices) {
            return error(oneOf(choices));
        }

        /** 400 naming this field: a positive whole number is expected. */
        public ApiException notPositive() {
            return error(mustBe("正整数", "a positive whole number"));
        }
    }

    /** A value the API accepts: its code and what it means in Chinese and in English. */
    public record Choice(String code, String zh, String en) {
    }

    // ---- fields of a share request (共享申请)
    public static final Field BODY = new Field("body", "请求体", "a body");
    public static final Field RESOURCE_CODE = new Field("resourceCode", "资源代码", "the resource code");
    public static final Field LEGAL_BASIS = new Field("legalBasis", "申请依据", "the legal basis");
    public static final Field SCENARIO = new Field("scenario", "使用场景", "the scenario");
    public static final Field PURPOSE = new Field("purpose", "使用用途", "the purpose");
    public static final Field SCOPE = new Field("scope", "使用范围", "the scope of use");
    public static final Field DELIVERY_METHOD = new Field("deliveryMethod", "共享方式", "the delivery method");
    public static final Field PERIOD_FROM = new Field("periodFrom", "使用期限起始日", "the first day of the period");
    public static final Field PERIOD_TO = new Field("periodTo", "使用期限截止日", "the last day of the period");
    public static final Field QUOTA_PER_SECOND = new Field("quotaPerSecond", "每秒调用上限",
            "the limit of calls per second");
    public static final Field QUOTA_PER_DAY = new Field("quotaPerDay", "每日调用上限", "the limit of calls per day");
    public static final Field STATUS = new Field("status", "状态", "the status");
    public static final Field PAGE = new Field("page", "页码", "the page number");
    public static final Field SIZE = new Field("size", "每页条数", "the page size");
    public static final Field REGION = new Field("region", "区划代码", "the region");
    public static final Field VERSION = new Field("version", "所见版本号", "the version you saw");

    // ---- other fields
    public static final Field GRANT_ID = new Field("grantId", "授权编号", "the grant");
    public static final Field REQUEST_ID = new Field("requestId", "申请编号", "the request");
    public static final Field SUBJECT = new Field("subject", "争议事项", "the subject of the dispute");
    public static final Field OUTCOME = new Field("outcome", "处理结果", "the outcome");
    public static final Field DISPUTE_OUTCOME = new Field("outcome", "协调结论", "the decision");
    public static final Field EXPORT_FORMAT = new Field("format", "导出格式", "the format");
    public static final Field INCIDENT_TYPE = new Field("type", "事件类型", "the kind of incident");
    public static final Field RECORD_KIND = new Field("kind", "使用记录类别", "the kind of usage record");
    public static final Field WEBHOOK_URL = new Field("url", "推送地址", "the address to push to");
    public static final Field WITNESS_URL = new Field("url", "见证方地址", "the witness's address");
    public static final Field ENDPOINT_URL = new Field("endpointUrl", "接口地址", "the endpoint's address");
    public static final Field ID = new Field("id", "编号", "the id");
    public static final Field UP_TO = new Field("upTo", "标记截至的通知", "the notice to mark up to");
    public static final Field IDEMPOTENCY_KEY = new Field("Idempotency-Key", "幂等键（Idempotency-Key）",
            "the Idempotency-Key");
    public static final Field FROM = new Field("from", "起始日", "the first day");
    public static final Field TO = new Field("to", "截止日", "the last day");
    /** The usage log's query: entries after and before a sequence number, newest or oldest first. */
    public static final Field LOG_AFTER = new Field("after", "起始序号", "the sequence number to start after");
    public static final Field LOG_BEFORE = new Field("before", "截止序号", "the sequence number to stop before");
    public static final Field LIMIT = new Field("limit", "条数上限", "the limit");
    public static final Field ORDER = new Field("order", "排列顺序", "the order");
    /** A subscription's change feed: the position to read after. */
    public static final Field FEED_AFTER = new Field("after", "读取起点", "the position to read after");
    public static final Field USAGE_LOG_SEQ = new Field("usageLogSeq", "使用记录序号", "the usage log entry's number");
    public static final Field RECORD_KEY = new Field("recordKey", "记录主键", "the record's key");
    /** The request list's query: the provider's or the consumer's requests. */
    public static final Field SIDE = new Field("side", "申请方向", "the side");
    /** The request list's query: the answers awaiting the head's approval. */
    public static final Field AWAITING = new Field("awaiting", "待办事项", "what the list awaits");

    // ---- values
    public static final List<Choice> SIDES = List.of(new Choice("provider", "本部门提供的", "the provider's"),
            new Choice("consumer", "本部门申请的", "the consumer's"));
    public static final List<Choice> AWAITINGS = List.of(new Choice("answer-approval", "答复待负责人审核",
            "answers awaiting the head's approval"));
    /** 共享方式 a request asks for ({@code deliveryMethod}). */
    public static final List<Choice> DELIVERY_METHODS = List.of(new Choice("API", "接口调用", "calls to an interface"),
            new Choice("BULK", "批量交付", "a bulk copy"), new Choice("FILE", "文件交付", "a file"),
            new Choice("SUBSCRIPTION", "订阅变更", "a subscription to changes"));

    public static final List<Choice> REQUEST_STATUSES = List.of(
            new Choice("AWAITING_HEAD_APPROVAL", "待本部门负责人审核", "awaiting the head's approval"),
            new Choice("RETURNED_BY_HEAD", "已被负责人退回", "returned by the head"),
            new Choice("PENDING", "待审核", "pending"),
            new Choice("ANSWER_AWAITING_HEAD", "答复待提供部门负责人审核", "answer awaiting the provider head's approval"),
            new Choice("SUPPLEMENT_REQUESTED", "待补充材料", "supplement requested"),
            new Choice("APPROVED", "已批准", "approved"), new Choice("GRANTED", "已授权", "granted"),
            new Choice("REFUSED", "已拒绝", "refused"), new Choice("NOT_SHARED", "不予共享", "not shared"),
            new Choice("WITHDRAWN", "已撤回", "withdrawn"));
    public static final List<Choice> GRANT_STATUSES = List.of(new Choice("ACTIVE", "有效", "active"),
            new Choice("SUSPENDED", "已暂停", "suspended"), new Choice("TERMINATED", "已终止", "terminated"),
            new Choice("EXPIRED", "已到期", "expired"));
    public static final List<Choice> DISPUTE_STATUSES = List.of(new Choice("OPEN", "协调中", "open"),
            new Choice("RESOLVED_SHARE", "协调共享", "decided: share"),
            new Choice("RESOLVED_UPHELD", "维持原决定", "decided: upheld"));
    public static final List<Choice> OBJECTION_STATUSES = List.of(new Choice("OPEN", "待核实", "open"),
            new Choice("ANSWERED", "已答复", "answered"));
    public static final List<Choice> COMPLAINT_STATUSES = List.of(new Choice("OPEN", "待说明", "awaiting explanation"),
            new Choice("ANSWERED", "已说明", "explained"), new Choice("UPHELD", "投诉成立", "upheld"),
            new Choice("DISMISSED", "投诉不成立", "dismissed"));
    public static final List<Choice> INCIDENT_STATUSES = List.of(new Choice("REPORTED", "已报告", "reported"),
            new Choice("RECTIFYING", "整改中", "rectifying"), new Choice("RECTIFIED", "已整改", "rectified"),
            new Choice("CLOSED", "已结案", "closed"));
    public static final List<Choice> CORRECTION_OUTCOMES = List.of(new Choice("CORRECTED", "已更正", "corrected"),
            new Choice("SUPPLEMENTED", "已补充", "supplemented"),
            new Choice("NOT_CORRECTED", "不予更正", "not corrected"));
    public static final List<Choice> CORRECTION_STATUSES = List.of(new Choice("OPEN", "待答复", "awaiting the answer"),
            CORRECTION_OUTCOMES.get(0), CORRECTION_OUTCOMES.get(1), CORRECTION_OUTCOMES.get(2));
    public static final List<Choice> DISPUTE_SUBJECTS = List.of(new Choice("REFUSAL", "拒绝共享", "a refusal"),
            new Choice("SUSPENSION", "提供部门暂停授权", "a suspension by the provider"),
            new Choice("TERMINATION", "提供部门终止授权", "a termination by the provider"),
            new Choice("LATE_ANSWER", "逾期答复", "a late answer"),
            new Choice("NON_DELIVERY", "逾期未交付数据", "data not delivered in time"));
    public static final List<Choice> DISPUTE_OUTCOMES = List.of(new Choice("SHARE", "协调共享", "share"),
            new Choice("UPHOLD", "维持原决定", "uphold"));
    public static final List<Choice> EXPORT_FORMATS = List.of(new Choice("CSV", "逗号分隔表格", "a CSV table"),
            new Choice("JSONL", "逐行 JSON 文本", "JSON Lines"));
    public static final List<Choice> INCIDENT_TYPES = List.of(new Choice("LEAK", "泄露", "a leak"),
            new Choice("MISUSE", "滥用", "misuse"), new Choice("TAMPERING", "篡改", "tampering"),
            new Choice("UNAVAILABILITY", "不可用", "unavailability"));
    public static final List<Choice> DISPOSAL_METHODS = List.of(new Choice("DELETE", "删除", "deletion"),
            new Choice("RETURN", "退回提供部门", "return to the provider"),
            new Choice("ARCHIVE_SEALED", "封存归档", "archiving under seal"),
            new Choice("OTHER", "其他（见处置说明）", "other (see the instructions)"));
    public static final List<Choice> RECORD_KINDS = List.of(new Choice("SCENARIO", "使用场景", "the scenario"),
            new Choice("PROCESSING", "使用过程（加工处理）", "the processing"), new Choice("STORAGE", "存储", "the storage"),
            new Choice("OUTCOME", "应用成效", "the outcomes"), new Choice("DESTRUCTION", "销毁", "the destruction"));

    private Fields() {
    }

    /** The codes of {@code choices}, in their order. */
    public static List<String> codes(List<Choice> choices) {
        return choices.stream().map(Choice::code).toList();
    }

    private static String join(List<String> parts, String separator, String last) {
        if (parts.size() <= 1) {
            return String.join("", parts);
        }
        return String.join(separator, parts.subList(0, parts.size() - 1)) + last + parts.get(parts.size() - 1);
    }
}
