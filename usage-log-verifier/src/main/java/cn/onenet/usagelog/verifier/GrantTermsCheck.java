package cn.onenet.usagelog.verifier;

import java.text.ParseException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks each data call of an export against the terms of its grant as the chain itself carries them: the exchange
 * chains every state change of a grant (entry format 4, operation {@value #OPERATION}) with the grant's items, period
 * and status and the approvals behind them. A delivered entry, or any keyed lookup or query, under a grant whose
 * terms were chained earlier in the export must name only the grant's items, fall on a day (China Standard Time)
 * within its period and come while it is {@code ACTIVE}; otherwise the export is INVALID at that entry. Calls under
 * grants whose terms the export does not hold (exports written before the exchange chained them, or a period that
 * starts after the grant's last change) are counted in a note, not judged.
 * <p>
 * A call of entry format 4 cites the grant-terms entry the exchange approved it under ({@code {"termsSeq":n}} in its
 * terms field) and is judged against that entry, not the last one before it: a call is logged after its approval (the
 * exchange caches a grant read for a second, other replicas, the parts of a long export, the group-commit writer), so
 * a suspension or narrowing may be chained between the two. The cited entry must be of the call's grant, ACTIVE and
 * cover the call's items, and the call must fall within its period; a call logged after the cited terms were
 * superseded (or after the period's last day) is noted with the delay, and INVALID only when the delay exceeds
 * {@link #delayBound}. A cited seq the export does not hold is noted, not judged.
 */
final class GrantTermsCheck {

    /** The usage-log operation of a grant's state change. */
    static final String OPERATION = "GRANT";
    /** The entry format that carries grant terms. */
    static final long FORMAT = 4;

    private static final int GRANT_ID = 6;
    private static final int ITEMS = 11;
    private static final int OPERATION_FIELD = 13;
    private static final int OUTCOME = 14;
    private static final int TERMS = 16;

    /** A grant's terms as the chain last carried them. */
    private record Terms(long seq, long grant, Instant at, Set<String> items, LocalDate validFrom, LocalDate validTo,
            String status) {
    }

    /** How long after its cited terms were superseded (or its period ended) a call may still be logged. */
    private final Duration delayBound;
    private final Map<Long, Terms> grants = new HashMap<>();
    /** Every grant-terms entry of the export, by seq. */
    private final Map<Long, Terms> bySeq = new HashMap<>();
    /** When each grant-terms entry was superseded by the grant's next one, by seq. */
    private final Map<Long, Instant> superseded = new HashMap<>();
    private final Set<Long> citedMissing = new TreeSet<>();
    private long callsCitingMissing;
    private long callsLate;
    private Duration longestDelay = Duration.ZERO;
    private final Set<Long> unchained = new TreeSet<>();
    private long callsChecked;
    private long callsUnchained;
    private long grantEntries;

    GrantTermsCheck(Duration delayBound) {
        this.delayBound = delayBound;
    }

    /** One entry: its sequence number, its canonical array and its format. */
    void entry(long seq, List<Object> fields, long format) throws UsageLogVerifier.Broken {
        if (fields.size() <= OUTCOME || !(fields.get(GRANT_ID) instanceof Number grant)) {
            return;
        }
        Object operation = fields.get(OPERATION_FIELD);
        if (format == FORMAT && OPERATION.equals(operation)) {
            terms(seq, grant.longValue(), fields);
            return;
        }
        boolean call = "DELIVERED".equals(fields.get(OUTCOME)) || "LOOKUP".equals(operation)
                || "QUERY".equals(operation);
        if (!call) {
            return;
        }
        if (format == FORMAT) {
            cited(seq, grant.longValue(), fields);
            return;
        }
        Terms t = grants.get(grant.longValue());
        if (t == null) {
            unchained.add(grant.longValue());
            callsUnchained++;
            return;
        }
        String where = "entry " + seq + ": a call under grant " + grant + " ";
        Set<String> items = outside(fields, t);
        if (!items.isEmpty()) {
            throw new UsageLogVerifier.Broken(where + "names items " + items + " outside the grant's items "
                    + new TreeSet<>(t.items()) + " as chained at seq " + t.seq());
        }
        LocalDate day = at(seq, fields).atZone(UsageLogVerifier.EXCHANGE_ZONE).toLocalDate();
        if ((t.validFrom() != null && day.isBefore(t.validFrom())) || (t.validTo() != null && day.isAfter(t.validTo()))) {
            throw new UsageLogVerifier.Broken(where + "was made on " + day + ", outside the grant's period "
                    + t.validFrom() + "–" + t.validTo() + " as chained at seq " + t.seq());
        }
        if (!"ACTIVE".equals(t.status())) {
            throw new UsageLogVerifier.Broken(where + "was made while the grant was " + t.status()
                    + " (chained at seq " + t.seq() + ")");
        }
        callsChecked++;
    }

    /** The items a call names that the terms do not hold. */
    private static Set<String> outside(List<Object> fields, Terms t) {
        Set<String> items = new TreeSet<>();
        if (fields.get(ITEMS) instanceof List<?> list) {
            list.forEach(i -> items.add(String.valueOf(i)));
        }
        items.removeAll(t.items());
        return items;
    }

    private static Instant at(long seq, List<Object> fields) throws UsageLogVerifier.Broken {
        try {
            return Instant.parse(String.valueOf(fields.get(1)));
        } catch (DateTimeException e) {
            throw new UsageLogVerifier.Broken("entry " + seq + ": its time is not an instant");
        }
    }

    /** A call of format 4: judged against the grant-terms entry it cites. */
    private void cited(long seq, long grant, List<Object> fields) throws UsageLogVerifier.Broken {
        String where = "entry " + seq + ": a call under grant " + grant + " ";
        Object doc = fields.size() > TERMS ? fields.get(TERMS) : null;
        long termsSeq;
        try {
            if (!(doc instanceof String text) || !(UsageLogVerifier.object(text).get("termsSeq") instanceof Number n)) {
                throw new UsageLogVerifier.Broken(where + "cites no grant-terms entry (termsSeq)");
            }
            termsSeq = n.longValue();
        } catch (ParseException e) {
            throw new UsageLogVerifier.Broken(where + "cites its grant terms in no JSON object");
        }
        if (termsSeq >= seq) {
            throw new UsageLogVerifier.Broken(where + "cites grant terms at seq " + termsSeq + ", not before it");
        }
        Terms t = bySeq.get(termsSeq);
        if (t == null) {
            citedMissing.add(termsSeq);
            callsCitingMissing++;
            return;
        }
        String cites = " the grant terms it cites (seq " + termsSeq + ")";
        if (t.grant() != grant) {
            throw new UsageLogVerifier.Broken(where + "cites the terms of grant " + t.grant() + " (seq " + termsSeq
                    + ")");
        }
        if (!"ACTIVE".equals(t.status())) {
            throw new UsageLogVerifier.Broken(where + "was approved under" + cites + ", which are " + t.status());
        }
        Set<String> items = outside(fields, t);
        if (!items.isEmpty()) {
            throw new UsageLogVerifier.Broken(where + "names items " + items + " outside the items "
                    + new TreeSet<>(t.items()) + " of" + cites);
        }
        Instant at = at(seq, fields);
        LocalDate day = at.atZone(UsageLogVerifier.EXCHANGE_ZONE).toLocalDate();
        if (t.validFrom() != null && day.isBefore(t.validFrom())) {
            throw new UsageLogVerifier.Broken(where + "was made on " + day + ", before the period " + t.validFrom()
                    + "–" + t.validTo() + " of" + cites);
        }
        // logged after the terms it was approved under stopped holding: the exchange checked them at the approval,
        // the entry followed; a bounded delay is noted, a longer one is no longer explained by the logging
        Instant until = superseded.get(termsSeq);
        if (t.validTo() != null) {
            Instant end = t.validTo().plusDays(1).atStartOfDay(UsageLogVerifier.EXCHANGE_ZONE).toInstant();
            until = until == null || end.isBefore(until) ? end : until;
        }
        if (until != null && at.isAfter(until)) {
            Duration delay = Duration.between(until, at);
            if (delay.compareTo(delayBound) > 0) {
                throw new UsageLogVerifier.Broken(where + "was logged " + delay + " after" + cites + " ceased to hold ("
                        + "superseded or past their period), more than the bound " + delayBound);
            }
            callsLate++;
            longestDelay = delay.compareTo(longestDelay) > 0 ? delay : longestDelay;
        }
        callsChecked++;
    }

    private void terms(long seq, long grant, List<Object> fields) throws UsageLogVerifier.Broken {
        String bad = "entry " + seq + ": its grant terms ";
        if (fields.size() <= TERMS || !(fields.get(TERMS) instanceof String text)) {
            throw new UsageLogVerifier.Broken(bad + "are missing");
        }
        Map<String, Object> doc;
        try {
            doc = UsageLogVerifier.object(text);
        } catch (ParseException e) {
            throw new UsageLogVerifier.Broken(bad + "are not a JSON object");
        }
        if (!(doc.get("grantId") instanceof Number id) || id.longValue() != grant
                || !(doc.get("terms") instanceof Map<?, ?> terms)) {
            throw new UsageLogVerifier.Broken(bad + "name another grant, or no terms");
        }
        Set<String> items = new TreeSet<>();
        if (terms.get("items") instanceof List<?> list) {
            list.forEach(i -> items.add(String.valueOf(i)));
        }
        Terms t;
        try {
            t = new Terms(seq, grant, at(seq, fields), items, date(terms.get("validFrom")), date(terms.get("validTo")),
                    String.valueOf(terms.get("status")));
        } catch (DateTimeException e) {
            throw new UsageLogVerifier.Broken(bad + "name a period that is no date");
        }
        Terms before = grants.put(grant, t);
        if (before != null) {
            superseded.put(before.seq(), t.at());
        }
        bySeq.put(seq, t);
        grantEntries++;
    }

    private static LocalDate date(Object value) {
        return value == null ? null : LocalDate.parse(value.toString());
    }

    /** What the check covered, for the result's notes. */
    void notes(List<String> notes) {
        if (grantEntries > 0 || callsChecked > 0) {
            notes.add(callsChecked + " calls checked against the terms chained for their grant (items within the "
                    + "grant's, day within its period, grant ACTIVE); " + grantEntries + " grant state changes in "
                    + "the export");
        }
        if (callsUnchained > 0) {
            notes.add(callsUnchained + " calls under grants " + unchained + " whose terms are not chained in this "
                    + "export (an export written before the exchange chained grant terms, or a period that starts "
                    + "after the grant's last change): their items, period and status were not checked; export "
                    + "from the grant's last change on to check them");
        }
        if (callsLate > 0) {
            notes.add(callsLate + " calls logged after the grant terms they were approved under were superseded or "
                    + "their period ended (the exchange approves a call before it logs it), the longest " + longestDelay
                    + " later, within the bound " + delayBound);
        }
        if (callsCitingMissing > 0) {
            notes.add(callsCitingMissing + " calls cite grant terms not in this export (seq " + citedMissing
                    + "): their items, period and status were not checked; export from those entries on to check them");
        }
    }
}
