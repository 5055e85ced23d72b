package cn.onenet.exchange.service;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import cn.onenet.exchange.model.Notice;

/** Notices to departments: the record that a change, extension or escalation was announced. */
@ApplicationScoped
public class NoticeService {

    private final TimeSource time;

    public NoticeService(TimeSource time) {
        this.time = time;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void notify(String department, String kind, String subjectType, long subjectId, String message) {
        Notice n = new Notice();
        n.departmentCode = department;
        n.kind = kind;
        n.subjectType = subjectType;
        n.subjectId = subjectId;
        n.message = message;
        n.createdAt = time.now();
        n.persist();
    }

    public List<Notice> forDepartment(String department, int limit) {
        return Notice.find("departmentCode = ?1 order by id desc", department).page(0, limit).list();
    }
}
