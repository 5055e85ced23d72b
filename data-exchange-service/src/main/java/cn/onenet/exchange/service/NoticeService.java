package cn.onenet.exchange.service;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import jakarta.transaction.Transactional;

import cn.onenet.common.identifiers.CreditCode;
import cn.onenet.common.problem.ApiException;
import cn.onenet.exchange.model.Notice;

/**
 * Notices to departments: the record that a change, extension or escalation was announced. A notice for the 主管部门
 * of a region goes to the department identity-service's register names for it ({@link DepartmentRegister}); for a
 * region the register names none of (identity-service unreachable since the exchange first started, a region without
 * one), to the configured 主管部门 in its own region, else to the region, whose reviewers (token claim {@code region})
 * read it next to their department's own. A notice to a citizen or an enterprise about its own correction request or
 * complaint is addressed to the data subject (the hash its request keeps, {@link #notifyDataSubject}) and read in its
 * own inbox ({@link Inbox#ofDataSubject}), never in a department's. Each reader (the account, token subject) marks
 * notices read for itself: table {@code notice_read}.
 */
@ApplicationScoped
public class NoticeService {

    /**
     * The notices a caller reads: those to {@code department} and, with {@code authorityRegion} (a reviewer's region,
     * see {@link Regions#authorityRegion}), to the 主管部门 of that region; read state is {@code reader}'s own.
     */
    public record Inbox(String department, String authorityRegion, String subjectHash, String reader) {

        /** A staff inbox: its department's notices and, for a reviewer, its region's. */
        public Inbox(String department, String authorityRegion, String reader) {
            this(department, authorityRegion, null, reader);
        }

        /** A citizen's or an enterprise's inbox: the notices to that data subject (hash) only. */
        public static Inbox ofDataSubject(String subjectHash, String reader) {
            return new Inbox(null, null, Objects.requireNonNull(subjectHash), reader);
        }
    }

    /** A notice and whether the inbox's reader has marked it read. */
    public record Seen(Notice notice, boolean read) {
    }

    private final TimeSource time;
    private final EntityManager em;
    private final DepartmentRegister register;
    private final SubjectHasher hasher;

    public NoticeService(TimeSource time, EntityManager em, DepartmentRegister register, SubjectHasher hasher) {
        this.time = time;
        this.em = em;
        this.register = register;
        this.hasher = hasher;
    }

    /**
     * The inbox of a citizen (its cn_id) or an enterprise (its uscc, for every account acting with it), as its
     * requests are keyed; read state is the account's own. 403 without a data subject or an account.
     */
    public Inbox dataSubjectInbox(Caller caller) {
        String subject = caller.dataSubject();
        if (subject == null) {
            throw ApiException.forbidden("令牌中没有身份证号或信用代码 / the token carries no cn_id or uscc");
        }
        if (Texts.blank(caller.subject())) {
            throw ApiException.forbidden("令牌缺少账号 (sub) / the token names no account");
        }
        return Inbox.ofDataSubject(hasher.hash(subject), caller.subject());
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
     * A notice to the 主管部门 that acts in {@code regionCode}: to the department the register names for that region
     * ({@link DepartmentRegister#authorityOf}); when it names none, to {@code configuredAuthority} (the configured
     * 主管部门) when the region is its own or cannot be determined (null, or a township or village), else to the
     * region, whose reviewers read it ({@link #notifyAuthorityOf}); the configured 主管部门 of another region is not
     * told.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void notifyAuthorityActingIn(String regionCode, String configuredAuthority, String kind, String subjectType,
            long subjectId, String message) {
        String region = Regions.authorityRegion(regionCode);
        String named = register.authorityCodeOf(region);
        if (named != null) {
            notify(named, kind, subjectType, subjectId, message);
        } else if (region == null || Regions.same(region, Regions.ofCreditCode(configuredAuthority))) {
            notify(configuredAuthority, kind, subjectType, subjectId, message);
        } else {
            persist(null, region, kind, subjectType, subjectId, message);
        }
    }

    /**
     * A notice to the citizen or enterprise whose data subject hash is {@code subjectHash}: about its own request, with
     * no other person's data and no civil servant's name or account.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void notifyDataSubject(String subjectHash, String kind, String subjectType, long subjectId,
            String message) {
        Notice n = notice(kind, subjectType, subjectId, message);
        n.subjectHash = Objects.requireNonNull(subjectHash);
        n.persist();
    }

    /** The latest notices of the inbox, newest first, each with its read state; only unread ones if asked. */
    @SuppressWarnings("unchecked")
    public List<Seen> latest(Inbox inbox, boolean unreadOnly, int limit) {
        Query q = em.createNativeQuery("SELECT n.* FROM notice n WHERE " + visible(inbox)
                + (unreadOnly ? " AND NOT " + READ : "") + " ORDER BY n.id DESC LIMIT " + limit, Notice.class);
        if (unreadOnly) {
            q.setParameter("reader", inbox.reader());
        }
        List<Notice> found = bind(q, inbox).getResultList();
        Set<Long> read = new HashSet<>();
        if (!unreadOnly && !found.isEmpty()) {
            for (Object id : em.createNativeQuery("SELECT notice_id FROM notice_read WHERE reader = :reader "
                    + "AND notice_id IN (:ids)").setParameter("reader", inbox.reader())
                    .setParameter("ids", found.stream().map(n -> n.id).toList()).getResultList()) {
                read.add(((Number) id).longValue());
            }
        }
        return found.stream().map(n -> new Seen(n, !unreadOnly && read.contains(n.id))).toList();
    }

    /** How many notices of the inbox its reader has not marked read. */
    public long unread(Inbox inbox) {
        return ((Number) bind(em.createNativeQuery("SELECT count(*) FROM notice n WHERE " + visible(inbox) + " AND NOT "
                + READ), inbox).setParameter("reader", inbox.reader()).getSingleResult()).longValue();
    }

    /**
     * Marks one notice of the inbox read (again: nothing changes); false when the inbox has no such notice (another
     * department's or region's notices are not found, as in the list).
     */
    @Transactional
    public boolean markRead(Inbox inbox, long id) {
        if (!holds(inbox, id)) {
            return false;
        }
        markRead(inbox, "n.id = :id", id);
        return true;
    }

    /**
     * Marks every notice of the inbox up to id {@code upTo} (included) read; returns how many were unread, or -1 when
     * {@code upTo} is not a notice of the inbox.
     */
    @Transactional
    public int markReadUpTo(Inbox inbox, long upTo) {
        return holds(inbox, upTo) ? markRead(inbox, "n.id <= :id", upTo) : -1;
    }

    /** Whether notice {@code id} is in the inbox (its list would show it, were it among the latest). */
    private boolean holds(Inbox inbox, long id) {
        return ((Number) bind(em.createNativeQuery("SELECT count(*) FROM notice n WHERE n.id = :id AND "
                + visible(inbox)), inbox).setParameter("id", id).getSingleResult()).longValue() > 0;
    }

    private int markRead(Inbox inbox, String which, long id) {
        return bind(em.createNativeQuery("INSERT INTO notice_read (notice_id, reader, read_at) SELECT n.id, :reader, "
                + ":at FROM notice n WHERE " + which + " AND " + visible(inbox) + " ON CONFLICT DO NOTHING"), inbox)
                .setParameter("reader", inbox.reader()).setParameter("id", id).setParameter("at", time.now())
                .executeUpdate();
    }

    /** Read by the inbox's reader (n: the notice). */
    private static final String READ = "EXISTS (SELECT 1 FROM notice_read r WHERE r.reader = :reader "
            + "AND r.notice_id = n.id)";

    /** The notices the inbox holds (n: the notice); {@link #bind} sets the parameters. */
    private static String visible(Inbox inbox) {
        if (inbox.subjectHash() != null) {
            return "n.subject_hash = :subject";
        }
        return inbox.authorityRegion() == null ? "n.department_code = :dept"
                : "(n.department_code = :dept OR n.region_code = :region)";
    }

    private static Query bind(Query q, Inbox inbox) {
        if (inbox.subjectHash() != null) {
            return q.setParameter("subject", inbox.subjectHash());
        }
        q.setParameter("dept", inbox.department());
        if (inbox.authorityRegion() != null) {
            q.setParameter("region", inbox.authorityRegion());
        }
        return q;
    }

    private void persist(String department, String region, String kind, String subjectType, long subjectId,
            String message) {
        Notice n = notice(kind, subjectType, subjectId, message);
        // the department's inbox is read under the code its tokens carry (upper case)
        n.departmentCode = CreditCode.normalise(department);
        n.regionCode = region;
        n.persist();
    }

    private Notice notice(String kind, String subjectType, long subjectId, String message) {
        Notice n = new Notice();
        n.kind = kind;
        n.subjectType = subjectType;
        n.subjectId = subjectId;
        n.message = message;
        n.createdAt = time.now();
        return n;
    }
}
