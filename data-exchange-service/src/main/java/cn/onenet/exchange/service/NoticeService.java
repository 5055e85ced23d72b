package cn.onenet.exchange.service;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import cn.onenet.exchange.model.Notice;

/**
 * Notices to departments: the record that a change, extension or escalation was announced. A notice for the 主管部门
 * of a region whose department the exchange cannot name (it has no department register) is addressed to the region;
 * the reviewers of that region (token claim {@code region}) read it next to their department's own.
 */
@ApplicationScoped
public class NoticeService {

    private final TimeSource time;

    public NoticeService(TimeSource time) {
        this.time = time;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void notify(String department, String kind, String subjectType, long subjectId, String message) {
        persist(department, null, kind, subjectType, subjectId, message);
    }

    /** A notice to the 主管部门 of {@code regionCode} (a region at county level or above). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void notifyAuthorityOf(String regionCode, String kind, String subjectType, long subjectId, String message) {
        String region = Regions.authorityRegion(regionCode);
        if (region == null) {
            throw new IllegalArgumentException("no 主管部门 for region " + regionCode);
        }
        persist(null, region, kind, subjectType, subjectId, message);
    }

    /**
     * The latest notices to {@code department} and, with {@code authorityRegion} (a reviewer's region, see
     * {@link Regions#authorityRegion}), to the 主管部门 of that region; newest first.
     */
    public List<Notice> latest(String department, String authorityRegion, int limit) {
        if (authorityRegion == null) {
            return Notice.find("departmentCode = ?1 order by id desc", department).page(0, limit).list();
        }
        return Notice.find("departmentCode = ?1 or regionCode = ?2 order by id desc", department, authorityRegion)
                .page(0, limit).list();
    }

    private void persist(String department, String region, String kind, String subjectType, long subjectId,
            String message) {
        Notice n = new Notice();
        n.departmentCode = department;
        n.regionCode = region;
        n.kind = kind;
        n.subjectType = subjectType;
        n.subjectId = subjectId;
        n.message = message;
        n.createdAt = time.now();
        n.persist();
    }
}
