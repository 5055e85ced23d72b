package cn.onenet.exchange.service;

import java.util.Map;

/**
 * The Chinese word for a status code, for the Chinese half of a message ("授权已暂停", not "授权状态为 SUSPENDED"); the
 * English half keeps the code, which is what the API returns. The words are those the console shows.
 */
final class StatusLabels {

    private static final Map<String, String> REQUEST = Map.ofEntries(
            Map.entry("AWAITING_HEAD_APPROVAL", "待本部门负责人审核"), Map.entry("RETURNED_BY_HEAD", "已被负责人退回"),
            Map.entry("PENDING", "待审核"), Map.entry("ANSWER_AWAITING_HEAD", "答复待提供部门负责人审核"),
            Map.entry("SUPPLEMENT_REQUESTED", "待补充材料"), Map.entry("APPROVED", "已批准"),
            Map.entry("GRANTED", "已授权"), Map.entry("REFUSED", "已拒绝"), Map.entry("NOT_SHARED", "不予共享"),
            Map.entry("WITHDRAWN", "已撤回"));
    private static final Map<String, String> GRANT = Map.of("ACTIVE", "有效", "SUSPENDED", "已暂停",
            "TERMINATED", "已终止", "EXPIRED", "已到期");
    private static final Map<String, String> INCIDENT = Map.of("REPORTED", "已报告", "RECTIFYING", "整改中",
            "RECTIFIED", "已整改", "CLOSED", "已结案");
    private static final Map<String, String> WEBHOOK = Map.of("ACTIVE", "正常", "FAILING", "推送失败",
            "STOPPED", "已停止");

    private StatusLabels() {
    }

    static String request(String status) {
        return REQUEST.getOrDefault(status, status);
    }

    static String grant(String status) {
        return GRANT.getOrDefault(status, status);
    }

    static String incident(String status) {
        return INCIDENT.getOrDefault(status, status);
    }

    static String webhook(String status) {
        return WEBHOOK.getOrDefault(status, status);
    }
}
