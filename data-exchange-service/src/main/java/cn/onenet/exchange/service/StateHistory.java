package cn.onenet.exchange.service;

import java.time.temporal.TemporalAccessor;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import cn.onenet.common.requestid.RequestIds;
import cn.onenet.exchange.model.Complaint;
import cn.onenet.exchange.model.Correction;
import cn.onenet.exchange.model.Dispute;
import cn.onenet.exchange.model.Objection;
import cn.onenet.exchange.model.SecurityIncident;
import cn.onenet.exchange.model.ShareGrant;
import cn.onenet.exchange.model.ShareRequest;
import cn.onenet.exchange.model.StateChange;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * The history of every state change of share requests, grants, disputes, objections, complaints, security
 * incidents and correction requests ("who, when, what, why"):
 * written in the transaction of the change, append-only. There is no update or delete path: rows are only ever
 * inserted ({@link StateChange} is immutable to Hibernate and a trigger refuses UPDATE, DELETE and TRUNCATE).
 */
@ApplicationScoped
public class StateHistory {

    public static final String REQUEST = "REQUEST";
    public static final String GRANT = "GRANT";
    public static final String DISPUTE = "DISPUTE";
    public static final String OBJECTION = "OBJECTION";
    public static final String COMPLAINT = "COMPLAINT";
    public static final String INCIDENT = "INCIDENT";
    /** 个人信息更正补充申请 (PIPL 第四十六条). */
    public static final String CORRECTION = "CORRECTION";

    /** Who made a change, the role it was accepted under, and the display name the token gave (or null). */
    public record Actor(String subject, String clientId, String department, String role, String name) {

        /** The exchange's own scheduled jobs (expiry, overdue escalation). */
        public static final Actor SCHEDULER = new Actor("data-exchange-service", null, null, "scheduler", null);

        /** Longest display name kept (the column's size). */
        static final int MAX_NAME = 200;

        public static Actor of(Caller caller, String role) {
            String subject = caller.subject() != null ? caller.subject()
                    : caller.clientId() != null ? caller.clientId() : "(no subject)";
            String name = caller.name() == null || caller.name().isBlank() ? null : caller.name().strip();
            return new Actor(subject, caller.clientId(), caller.department(), role,
                    name == null || name.codePointCount(0, name.length()) <= MAX_NAME ? name
                            : name.substring(0, name.offsetByCodePoints(0, MAX_NAME)));
        }

        /** The first of the roles, in the order given, that the caller holds. */
        public static Actor of(Caller caller, String role, String... otherRoles) {
            if (!caller.has(role)) {
                for (String other : otherRoles) {
                    if (caller.has(other)) {
                        return of(caller, other);
                    }
                }
            }
            return of(caller, role);
        }
    }

    private final TimeSource time;
    private final GrantEvidence evidence;

    public StateHistory(TimeSource time, GrantEvidence evidence) {
        this.time = time;
        this.evidence = evidence;
    }

    public Entry request(ShareRequest r, String action, String from, Actor by) {
        return new Entry(REQUEST, r.id, r.id, action, from, r.status, by);
    }

    /** A grant's change; writing it also chains the grant's terms in the usage log ({@link GrantEvidence}). */
    public Entry grant(ShareGrant g, String action, String from, Actor by) {
        Entry e = new Entry(GRANT, g.id, g.requestId, action, from, g.status, by);
        e.grant = g;
        e.by = by;
        return e;
    }

    public Entry dispute(Dispute d, String action, String from, Actor by) {
        return new Entry(DISPUTE, d.id, d.requestId, action, from, d.status, by);
    }

    public Entry objection(Objection o, String action, String from, Actor by) {
        return new Entry(OBJECTION, o.id, null, action, from, o.status, by);
    }

    public Entry complaint(Complaint c, String action, String from, Actor by) {
        return new Entry(COMPLAINT, c.id, null, action, from, c.status, by);
    }

    public Entry incident(SecurityIncident i, String action, String from, Actor by) {
        return new Entry(INCIDENT, i.id, null, action, from, i.status, by);
    }

    public Entry correction(Correction c, String action, String from, Actor by) {
        return new Entry(CORRECTION, c.id, null, action, from, c.status, by);
    }

    /** The changes of one object, oldest first. */
    public List<StateChange> of(String objectType, long id) {
        return StateChange.list("objectType = ?1 and objectId = ?2 order by id", objectType, id);
    }

    /** The newest decision on each of the objects that has one. */
    public Map<Long, StateChange> lastDecisions(String objectType, Collection<Long> ids) {
        Map<Long, StateChange> last = new HashMap<>();
        if (ids.isEmpty()) {
            return last;
        }
        List<StateChange> decisions = StateChange.list(
                "objectType = ?1 and objectId in ?2 and decision = true order by id", objectType, ids);
        for (StateChange c : decisions) {
            last.put(c.objectId, c);
        }
        return last;
    }

    public StateChange lastDecision(String objectType, long id) {
        return lastDecisions(objectType, List.of(id)).get(id);
    }

    /** One change being described; {@link #write()} inserts it in the current transaction. */
    public final class Entry {

        private final StateChange row = new StateChange();
        private final Map<String, Object> details = new LinkedHashMap<>();
        private ShareGrant grant;
        private Actor by;

        private Entry(String type, long id, Long shareRequestId, String action, String from, String to, Actor by) {
            row.objectType = type;
            row.objectId = id;
            row.shareRequestId = shareRequestId;
            row.action = action;
            row.fromStatus = from;
            row.toStatus = to;
            row.actorSubject = by.subject();
            row.actorClientId = by.clientId();
            row.actorDepartment = by.department();
            row.actorRole = by.role();
            row.actorName = by.name();
        }

        /** A decision on the object (shown as the object's last decision). */
        public Entry decision() {
            row.decision = true;
            return this;
        }

        /** Made by the exchange's rules rather than by the actor's choice. */
        public Entry automatic(boolean automatic) {
            row.automatic = automatic;
            return this;
        }

        public Entry reason(String reason) {
            row.reason = reason;
            return this;
        }

        public Entry legalBasis(String legalBasis) {
            row.legalBasis = legalBasis;
            return this;
        }

        /** What the action set; null values are left out. */
        public Entry detail(String name, Object value) {
            if (value != null) {
                details.put(name, value instanceof TemporalAccessor ? value.toString() : value);
            }
            return this;
        }

        public StateChange write() {
            if (!QuarkusTransaction.isActive()) {
                throw new IllegalStateException("a state change is recorded in the transaction of the change");
            }
            row.details = details.isEmpty() ? null : Json.write(details);
            // the scheduler's jobs serve no request (and its threads may carry no request's context)
            row.requestId = Actor.SCHEDULER.role().equals(row.actorRole) ? null : RequestIds.current();
            row.changedAt = time.now();
            row.persist();
            if (grant != null) {
                evidence.chain(grant, row.action, by);
            }
            return row;
        }
    }
}
