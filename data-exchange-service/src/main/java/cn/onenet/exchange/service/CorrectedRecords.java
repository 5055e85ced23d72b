package cn.onenet.exchange.service;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import cn.onenet.common.problem.ApiException;
import cn.onenet.common.problem.FieldError;
import cn.onenet.common.problem.ProblemType;

/**
 * An answer "corrected" / "supplemented" to a correction request (PIPL 第四十六条) or a 校核 objection (条例第二十六条)
 * holds only once the data shows it: on a dataset the exchange hosts, the record's item (an objection: the record)
 * must differ from what it held when the case was filed, as the digest taken at filing (V78) records it; else 409
 * "记录尚未更正：请先上传更正后的数据". The dataset keeps only a record's current data, and a record's update time
 * moves with every upload, an unchanged one too, so the value at filing is what tells a correction from a re-upload.
 * Where the exchange cannot see the data (a proxied service, a dataset not hosted here, a record not keyed by the
 * requester's identifier, a case filed before the digest was kept) the answer is accepted and says that the change
 * could not be checked here. The departments whose grants delivered the item of that record are then told
 * (条例第二十六条: verify, correct, feed back).
 */
@ApplicationScoped
public class CorrectedRecords {

    /** The digest of a record not hosted at filing (or now). */
    static final String NONE = "NONE";

    /** What the check found: {@code checked} false with the words the answer adds when the exchange cannot see. */
    public record Check(boolean checked, String note) {
    }

    private final EntityManager em;
    private final ProxyService proxies;
    private final NoticeService notices;

    public CorrectedRecords(EntityManager em, ProxyService proxies, NoticeService notices) {
        this.em = em;
        this.proxies = proxies;
        this.notices = notices;
    }

    /**
     * Checks that the record keyed {@code key} of {@code resourceCode} changed since filing: its {@code item}, or the
     * whole record when {@code item} is null. {@code filedDigest} is the digest taken at filing (null: not taken).
     * {@code keyedBySubject}: whether the entry's records are keyed by the identifier {@code key} is (a correction
     * request's record is found by the requester's identifier). 409 naming {@code field} when unchanged.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Check requireChanged(String resourceCode, String key, String item, String filedDigest,
            boolean keyedBySubject, String field) {
        if (proxies.endpoint(resourceCode) != null) {
            return notChecked("该资源由数源部门自有接口提供，交换平台无法核对数据是否已更改 / served by the provider's own "
                    + "service: the exchange cannot check the change");
        }
        if (!hosted(resourceCode)) {
            return notChecked("该资源的数据不在交换平台上，交换平台无法核对数据是否已更改 / the exchange does not host this "
                    + "dataset: it cannot check the change");
        }
        if (filedDigest == null) {
            return notChecked("申请提出时未留存数据摘要，交换平台无法核对数据是否已更改 / no digest was kept when the case was "
                    + "filed: the exchange cannot check the change");
        }
        String now = (String) em.createNativeQuery("SELECT hosted_value_digest(CAST(?1 AS text), CAST(?2 AS text), "
                + "CAST(?3 AS text))")
                .setParameter(1, resourceCode).setParameter(2, key).setParameter(3, item).getSingleResult();
        if (NONE.equals(filedDigest) && NONE.equals(now) && !keyedBySubject) {
            return notChecked("该资源的记录不以申请人的证件号码为主键，交换平台无法核对数据是否已更改 / the dataset's records "
                    + "are not keyed by the requester's identifier: the exchange cannot check the change");
        }
        if (filedDigest.equals(now)) {
            String what = item == null ? "该记录与校核申请提出时相同" : "数据项 " + item + " 的值与申请提出时相同";
            String whatEn = item == null ? "the record is as it was when the objection was filed"
                    : "item " + item + " holds the value it held when the request was filed";
            String detail = "记录尚未更正：请先上传更正后的数据（" + what + "） / record not yet corrected: upload the "
                    + "corrected data first (" + whatEn + ")";
            Map<String, Object> extensions = new LinkedHashMap<>();
            extensions.put("resourceCode", resourceCode);
            if (item != null) {
                extensions.put("item", item);
            }
            throw new ApiException(ProblemType.CONFLICT, detail, List.of(new FieldError(field, detail)), extensions,
                    Map.of());
        }
        return new Check(true, null);
    }

    private static Check notChecked(String note) {
        return new Check(false, note);
    }

    private boolean hosted(String resourceCode) {
        return (Boolean) em.createNativeQuery("SELECT EXISTS (SELECT 1 FROM dataset_record WHERE resource_code = ?1)")
                .setParameter(1, resourceCode).getSingleResult();
    }

    /**
     * Tells each consumer department that received {@code item} (null: any item) of the subject's record (a delivered
     * usage-log entry on {@code resourceCode} naming {@code subjectHash}: lookups, queries, exports, feeds, webhooks)
     * that the provider corrected it, naming its own usage-log entries so it can find what to fetch again;
     * {@code except} (the department that objected, told by the answer) is left out. Returns the departments told.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<String> notifyRecipients(String resourceCode, String subjectHash, String item, String except,
            String subjectType, long subjectId, String outcomeZh, String outcomeEn) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT consumer_department_code, "
                + "string_agg(seq::text, ', ' ORDER BY seq) FROM usage_log WHERE resource_code = ?1 "
                + "AND outcome = 'DELIVERED' AND subject_hashes @> ARRAY[CAST(?2 AS text)] "
                + "AND (CAST(?3 AS text) IS NULL OR items::jsonb @> jsonb_build_array(CAST(?3 AS text))) "
                + "AND consumer_department_code IS NOT NULL GROUP BY consumer_department_code "
                + "ORDER BY consumer_department_code").setParameter(1, resourceCode).setParameter(2, subjectHash)
                .setParameter(3, item).getResultList();
        List<String> told = new ArrayList<>();
        String what = item == null ? "一条记录" : "一条记录的数据项 " + item;
        String whatEn = item == null ? "a record" : "item " + item + " of a record";
        for (Object[] row : rows) {
            String department = (String) row[0];
            if (department.equals(except)) {
                continue;
            }
            notices.notify(department, "RECORD_CORRECTED", subjectType, subjectId, "数源部门" + outcomeZh + "资源 "
                    + resourceCode + " 中" + what + "，贵部门此前获取的该数据（调用记录 " + row[1] + "）已过时，请重新获取并"
                    + "更新 / the provider " + outcomeEn + " " + whatEn + " of " + resourceCode + " that your "
                    + "department received (usage-log entries " + row[1] + "): fetch it again");
            told.add(department);
        }
        return told;
    }
}
