package cn.onenet.exchange.service;

import java.util.List;
import java.util.Map;

import cn.onenet.common.problem.ApiException;
import cn.onenet.common.problem.FieldError;
import cn.onenet.common.problem.ProblemType;
import cn.onenet.exchange.model.CatalogEntry;

/**
 * 共享方式 (条例第十三条第二款: the catalogue states how an entry is shared; 第二十二条: the provider shares by that
 * method). The catalogue's {@code shareMethod.methodType} names the form the provider gives the data in; a request asks
 * for one of the exchange's delivery methods ({@code deliveryMethod}), and only those that hand the data over in that
 * form are covered:
 * <ul>
 * <li>API 接口 — API only: record by record, as the provider's interface answers. Not SUBSCRIPTION: its feed read
 * from the start holds every record's latest change, a copy of the whole dataset.</li>
 * <li>FILE 文件 — FILE and BULK: both are a file of the granted records.</li>
 * <li>DATABASE 数据库 (库表交换) — BULK, FILE and SUBSCRIPTION: a copy of the tables and then their changes.</li>
 * </ul>
 * The class (PLATFORM 共享平台方式 / OTHER 其他方式) is not judged: requests are filed through the exchange either way.
 * An entry without a share method (the catalogue states none for 不予共享; rows replicated before V70 until the feed is
 * read again, {@link ReplicaBackfill}) restricts nothing; a type the exchange does not know covers no method.
 */
public final class ShareMethods {

    /** The column holds 20 characters; a longer value is not a type the exchange knows. */
    static final int MAX_TYPE_LENGTH = 20;
    private static final Map<String, List<String>> COVERED = Map.of(
            "API", List.of("API"),
            "FILE", List.of("BULK", "FILE"),
            "DATABASE", List.of("BULK", "FILE", "SUBSCRIPTION"));

    private ShareMethods() {
    }

    /**
     * The {@code shareMethod.methodType} of a feed item's entry as the replica stores it: trimmed, null when absent,
     * blank or longer than the column.
     */
    static String type(Map<String, Object> entry) {
        Object v = entry.get("shareMethod") instanceof Map<?, ?> m ? m.get("methodType") : null;
        String s = v == null ? null : v.toString().trim();
        return s == null || s.isEmpty() || s.length() > MAX_TYPE_LENGTH ? null : s;
    }

    /** The delivery methods a share-method type covers: all of them for none ({@code null}), none for an unknown one. */
    public static List<String> deliveryMethods(String type) {
        if (type == null) {
            return RequestService.DELIVERY_METHODS.stream().sorted().toList();
        }
        return COVERED.getOrDefault(type, List.of());
    }

    /** Whether a share-method type ({@code null}: none) covers the delivery method. */
    public static boolean covers(String type, String deliveryMethod) {
        return deliveryMethods(type).contains(deliveryMethod);
    }

    /**
     * Refuses a call under a grant whose delivery method the entry's current share method does not cover (the grant is
     * ended when the replica applies that version, {@link GrantService#endForShareMethod}; this holds meanwhile and
     * wherever the replica's row is ahead of the grants): 403 naming {@code deliveryMethod}, with the grant, its
     * method, the allowed methods and the catalogue's type.
     */
    static void requireDeliverable(long grantId, String shareMethodType, String deliveryMethod) {
        if (covers(shareMethodType, deliveryMethod)) {
            return;
        }
        List<String> allowed = deliveryMethods(shareMethodType);
        String detail = "目录现行共享方式为 " + shareMethodType + "，已不含授权 #" + grantId + " 的共享方式 " + deliveryMethod
                + "，不能交付 / the catalogue now shares this entry by " + shareMethodType + ", which no longer covers "
                + "grant #" + grantId + "'s delivery method " + deliveryMethod + ": nothing is delivered under it";
        Map<String, Object> extensions = new java.util.LinkedHashMap<>();
        extensions.put("grantId", grantId);
        extensions.put("deliveryMethod", deliveryMethod);
        extensions.put("allowedDeliveryMethods", allowed);
        extensions.put("shareMethodType", shareMethodType);
        throw new ApiException(ProblemType.FORBIDDEN, detail, List.of(new FieldError("deliveryMethod", detail)),
                extensions, Map.of());
    }

    /**
     * Refuses a delivery method the entry's share method does not cover: 400 naming {@code deliveryMethod} at filing,
     * 409 when checked again on a request already filed ({@code again}: the entry changed since the filing — the
     * head's approval, the provider's approval or its proposal, the head's approval of a proposed answer, the
     * resubmission, an extension asked for or approved), both with
     * the allowed methods ({@code allowedDeliveryMethods}) and the catalogue's type ({@code shareMethodType}).
     */
    static void require(CatalogEntry entry, String deliveryMethod, boolean again) {
        List<String> allowed = deliveryMethods(entry.shareMethodType);
        if (allowed.contains(deliveryMethod)) {
            return;
        }
        String methods = allowed.isEmpty() ? "无 / none" : String.join("、", allowed);
        String detail = "目录所列共享方式为 " + entry.shareMethodType + "，可申请的共享方式：" + methods + " / the catalogue "
                + "shares this entry by " + entry.shareMethodType + ": deliveryMethod may be " + methods;
        List<FieldError> errors = List.of(new FieldError("deliveryMethod", detail));
        Map<String, Object> extensions = Map.of("allowedDeliveryMethods", allowed, "shareMethodType",
                entry.shareMethodType);
        throw again ? new ApiException(ProblemType.ILLEGAL_TRANSITION, "目录的共享方式已不含申请的方式 / the entry's "
                + "share method no longer covers the requested delivery method", errors, extensions, Map.of())
                : new ApiException(ProblemType.VALIDATION, detail, errors, extensions, Map.of());
    }
}
