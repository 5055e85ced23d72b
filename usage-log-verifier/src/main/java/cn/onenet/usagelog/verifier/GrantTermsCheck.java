package cn.onenet.usagelog.verifier;

import java.text.ParseException;
import java.time.DateTimeException;
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
    private record Terms(long seq, Set<String> items, LocalDate validFrom, LocalDate validTo, String status) {
    }

    private final Map<Long, Terms> grants = new HashMap<>();
    private final Set<Long> unchained = new TreeSet<>();
    private long callsChecked;
    private long callsUnchained;
    private long grantEntries;

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
        Terms t = grants.get(grant.longValue());
        if (t == null) {
            unchained.add(grant.longValue());
            callsUnchained++;
            return;
        }
        String where = "entry " + seq + ": a call under grant " + grant + " ";
        Set<String> items = new TreeSet<>();
        if (fields.get(ITEMS) instanceof List<?> list) {
            list.forEach(i -> items.add(String.valueOf(i)));
        }
        items.removeAll(t.items());
        if (!items.isEmpty()) {
            throw new UsageLogVerifier.Broken(where + "names items " + items + " outside the grant's items "
                    + new TreeSet<>(t.items()) + " as chained at seq " + t.seq());
        }
        LocalDate day;
        try {
            day = Instant.parse(String.valueOf(fields.get(1))).atZone(UsageLogVerifier.EXCHANGE_ZONE).toLocalDate();
        } catch (DateTimeException e) {
            throw new UsageLogVerifier.Broken("entry " + seq + ": its time is not an instant");
        }
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
        try {
            grants.put(grant, new Terms(seq, items, date(terms.get("validFrom")), date(terms.get("validTo")),
                    String.valueOf(terms.get("status"))));
        } catch (DateTimeException e) {
            throw new UsageLogVerifier.Broken(bad + "name a period that is no date");
        }
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
    }
}
