package cn.onenet.usagelog.verifier;

import static cn.onenet.usagelog.verifier.UsageLogVerifierTest.json;
import static cn.onenet.usagelog.verifier.UsageLogVerifierTest.line;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.nimbusds.jose.util.JSONArrayUtils;
import com.nimbusds.jose.util.JSONObjectUtils;

/**
 * The calls of an export are checked against the terms the chain carries for their grant (entry format 4): items
 * outside the grant's, a day outside its period or a grant not ACTIVE is INVALID naming the entry; calls under grants
 * whose terms the export does not hold are noted, not judged.
 */
class GrantTermsVerifierTest {

    static final String CONSUMER = "11330000002481060E";
    static final String PROVIDER = "11330000002481020A";

    final UsageLogVerifierTest.EdKey authority;
    final String pinned;

    GrantTermsVerifierTest() throws Exception {
        authority = UsageLogVerifierTest.EdKey.generate("113300000024810109-k1");
        pinned = UsageLogVerifierTest.jwks(authority.publicJwk());
    }

    /** A grant's state change, as the exchange chains it (format 4). */
    static List<Object> grant(long grantId, String action, List<String> items, String from, String to, String status) {
        Map<String, Object> terms = new LinkedHashMap<>();
        terms.put("resourceCode", "330000-01-02/000123");
        terms.put("items", items);
        terms.put("clearItems", items);
        terms.put("maskedItems", List.of());
        terms.put("purpose", "社会保障待遇资格认证");
        terms.put("validFrom", from);
        terms.put("validTo", to);
        terms.put("status", status);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("format", "onenet-grant-terms/1");
        doc.put("action", action);
        doc.put("grantId", grantId);
        doc.put("shareRequestId", 6L);
        doc.put("terms", terms);
        doc.put("approvals", Map.of("requestHeadApproval", Map.of("name", "王芳", "subject", "rst.head"),
                "answerApproval", Map.of("name", "钱伟", "subject", "gat.head")));
        return new ArrayList<>(Arrays.asList(null, null, "req", null, "gat.head", CONSUMER, grantId, "社会保障待遇资格认证",
                "《政务数据共享条例》第十二条", "330000-01-02/000123", PROVIDER, items, List.of(), "GRANT", action, null,
                JSONObjectUtils.toJSONString(doc), null));
    }

    /** A keyed lookup that delivered the items under the grant (format 2). */
    static List<Object> lookup(long grantId, List<String> items) {
        return new ArrayList<>(Arrays.asList(null, null, "req", "client", "user", CONSUMER, grantId, "社会保障待遇资格认证",
                "《政务数据共享条例》第十二条", "330000-01-02/000123", PROVIDER, items, List.of(), "LOOKUP", "DELIVERED",
                null));
    }

    /** A keyed lookup approved under the grant-terms entry {@code termsSeq} and citing it (format 4). */
    static List<Object> citing(long grantId, List<String> items, long termsSeq) {
        List<Object> call = lookup(grantId, items);
        call.remove(call.size() - 1);
        call.addAll(Arrays.asList(null, "{\"termsSeq\":" + termsSeq + "}", null));
        return call;
    }

    /** The template logged at this time instead of its day's default. */
    static List<Object> at(String time, List<Object> entry) {
        List<Object> e = new ArrayList<>(entry);
        e.set(1, time);
        return e;
    }

    /** Entries seq 1.. from the templates (seq, time on day 2026-12-0{day} and prevHash filled in), one checkpoint. */
    String export(List<List<Object>> entries, int... days) throws Exception {
        List<String> lines = new ArrayList<>();
        String prev = UsageLogVerifierTest.ZERO;
        for (int i = 0; i < entries.size(); i++) {
            List<Object> fields = new ArrayList<>(entries.get(i));
            long seq = i + 1;
            if (fields.get(1) == null) {
                fields.set(1, "2026-12-0" + days[i] + "T01:02:03.456789Z");
            }
            fields.set(0, seq);
            boolean terms = fields.size() == 18;
            // format 4: reason and terms follow the outcome; format 2: only the (null) covert-date commitment
            fields.add(prev);
            fields.add(terms ? 4L : 2L);
            String canonical = JSONArrayUtils.toJSONString(fields);
            prev = UsageLogVerifier.sha256(canonical);
            lines.add(json(line("type", "entry", "seq", seq, "canonical", canonical, "entryHash", prev)));
        }
        long last = entries.size();
        String payload = json(line("format", 2L, "department", "113300000024810109", "kid", authority.kid(),
                "lastSeq", last, "lastHash", prev, "entryCount", last, "createdAt", "2026-12-06T00:00:00Z"));
        List<String> all = new ArrayList<>();
        all.add(UsageLogVerifierTest.HEADER);
        all.add(json(line("type", "checkpoint", "id", 1L, "lastSeq", last, "lastHash", prev, "createdAt",
                "2026-12-06T00:00:00Z", "payloadFormat", 2L, "payload", payload, "signature",
                authority.seal(payload))));
        all.add(json(line("type", "anchor", "seq", 0L, "entryHash", UsageLogVerifierTest.ZERO)));
        all.addAll(lines);
        all.add(json(line("type", "end", "entries", last, "lastSeq", last, "lastHash", prev)));
        return String.join("\n", all) + "\n";
    }

    UsageLogVerifier.Result check(String export) throws Exception {
        return UsageLogVerifier.pinning(pinned).verify(new BufferedReader(new StringReader(export)));
    }

    @Test
    void callsWithinTheChainedTermsAreValid() throws Exception {
        UsageLogVerifier.Result r = check(export(List.of(
                grant(17, "CREATE", List.of("GMSFHM", "XM"), "2026-11-01", "2026-12-31", "ACTIVE"),
                lookup(17, List.of("XM")), lookup(17, List.of("GMSFHM", "XM")),
                grant(17, "CHANGE", List.of("XM"), "2026-11-01", "2026-12-31", "ACTIVE"),
                lookup(17, List.of("XM"))), 1, 2, 2, 3, 3));
        assertTrue(r.valid(), r.describe());
        assertTrue(r.notes().stream().anyMatch(n -> n.startsWith("3 calls checked against the terms chained")),
                r.describe());
    }

    @Test
    void aCallOutsideTheChainedItemsIsInvalidNamingItsSeq() throws Exception {
        // the reviewer's case: the grant row was widened to HJDZ, the call delivered it, the chain says XM, GMSFHM
        UsageLogVerifier.Result r = check(export(List.of(
                grant(6, "CREATE", List.of("GMSFHM", "XM"), "2026-11-01", "2026-12-31", "ACTIVE"),
                lookup(6, List.of("XM")), lookup(6, List.of("CSRQ", "GMSFHM", "HJDZ", "XM"))), 1, 2, 3));
        assertFalse(r.valid());
        assertEquals("entry 3: a call under grant 6 names items [CSRQ, HJDZ] outside the grant's items [GMSFHM, XM] "
                + "as chained at seq 1", r.problem());
        assertTrue(r.describe().startsWith("INVALID: line 6: entry 3:"), r.describe());
    }

    @Test
    void aCallAfterANarrowingThatStillNamesTheRemovedItemIsInvalid() throws Exception {
        UsageLogVerifier.Result r = check(export(List.of(
                grant(17, "CREATE", List.of("GMSFHM", "XM"), "2026-11-01", "2026-12-31", "ACTIVE"),
                grant(17, "CHANGE", List.of("XM"), "2026-11-01", "2026-12-31", "ACTIVE"),
                lookup(17, List.of("GMSFHM", "XM"))), 1, 2, 3));
        assertFalse(r.valid());
        assertTrue(r.problem().startsWith("entry 3: a call under grant 17 names items [GMSFHM]"), r.problem());
    }

    @Test
    void aCallWhileTheGrantIsSuspendedOrOutsideItsPeriodIsInvalid() throws Exception {
        UsageLogVerifier.Result suspended = check(export(List.of(
                grant(17, "CREATE", List.of("XM"), "2026-11-01", "2026-12-31", "ACTIVE"),
                grant(17, "SUSPEND", List.of("XM"), "2026-11-01", "2026-12-31", "SUSPENDED"),
                lookup(17, List.of("XM"))), 1, 2, 3));
        assertFalse(suspended.valid());
        assertEquals("entry 3: a call under grant 17 was made while the grant was SUSPENDED (chained at seq 2)",
                suspended.problem());

        UsageLogVerifier.Result late = check(export(List.of(
                grant(17, "CREATE", List.of("XM"), "2026-11-01", "2026-12-02", "ACTIVE"),
                lookup(17, List.of("XM")), lookup(17, List.of("XM"))), 1, 2, 3));
        assertFalse(late.valid());
        assertEquals("entry 3: a call under grant 17 was made on 2026-12-03, outside the grant's period "
                + "2026-11-01–2026-12-02 as chained at seq 1", late.problem());
    }

    @Test
    void callsOfAnExportWithoutChainedTermsAreNotedNotInvalid() throws Exception {
        // an export written before the exchange chained grant terms: nothing to compare with
        UsageLogVerifier.Result r = check(export(List.of(lookup(17, List.of("XM")), lookup(18, List.of("XM"))), 1, 2));
        assertTrue(r.valid(), r.describe());
        assertTrue(r.notes().stream().anyMatch(n -> n.startsWith("2 calls under grants [17, 18] whose terms are not "
                + "chained in this export")), r.describe());
    }

    @Test
    void grantTermsNamingAnotherGrantAreInvalid() throws Exception {
        List<Object> g = grant(17, "CREATE", List.of("XM"), "2026-11-01", "2026-12-31", "ACTIVE");
        g.set(6, 18L); // the entry says grant 18, its terms grant 17
        UsageLogVerifier.Result r = check(export(List.of(g), 1));
        assertFalse(r.valid());
        assertEquals("entry 1: its grant terms name another grant, or no terms", r.problem());
    }

    @Test
    void aCallApprovedBeforeASuspensionAndLoggedAfterItIsValidWithANote() throws Exception {
        // approved under the CREATE terms (seq 1); the suspension was chained (seq 2) before the call's entry was
        UsageLogVerifier.Result r = check(export(List.of(
                grant(17, "CREATE", List.of("GMSFHM", "XM"), "2026-11-01", "2026-12-31", "ACTIVE"),
                at("2026-12-02T01:02:03Z", grant(17, "SUSPEND", List.of("GMSFHM", "XM"), "2026-11-01", "2026-12-31",
                        "SUSPENDED")),
                at("2026-12-02T01:02:03.800Z", citing(17, List.of("XM"), 1))), 1, 2, 2));
        assertTrue(r.valid(), r.describe());
        assertTrue(r.notes().stream().anyMatch(n -> n.startsWith("1 calls logged after the grant terms they were "
                + "approved under were superseded or their period ended") && n.contains("PT0.8S")), r.describe());

        // logged more than the bound (a day by default) after the suspension: no longer the logging's delay
        String twoDaysLate = export(List.of(
                grant(17, "CREATE", List.of("XM"), "2026-11-01", "2026-12-31", "ACTIVE"),
                grant(17, "SUSPEND", List.of("XM"), "2026-11-01", "2026-12-31", "SUSPENDED"),
                citing(17, List.of("XM"), 1)), 1, 2, 4);
        UsageLogVerifier.Result late = check(twoDaysLate);
        assertFalse(late.valid());
        assertEquals("entry 3: a call under grant 17 was logged PT48H after the grant terms it cites (seq 1) ceased "
                + "to hold (superseded or past their period), more than the bound PT24H", late.problem());
        UsageLogVerifier.Result wider = UsageLogVerifier.pinning(pinned).allowingTermsDelay(java.time.Duration
                .ofDays(3)).verify(new BufferedReader(new StringReader(twoDaysLate)));
        assertTrue(wider.valid(), wider.describe());
    }

    @Test
    void aCallCitingTermsThatDoNotCoverItIsInvalidNamingTheSeq() throws Exception {
        UsageLogVerifier.Result items = check(export(List.of(
                grant(17, "CREATE", List.of("XM"), "2026-11-01", "2026-12-31", "ACTIVE"),
                citing(17, List.of("GMSFHM", "XM"), 1)), 1, 2));
        assertFalse(items.valid());
        assertEquals("entry 2: a call under grant 17 names items [GMSFHM] outside the items [XM] of the grant terms it "
                + "cites (seq 1)", items.problem());

        UsageLogVerifier.Result suspended = check(export(List.of(
                grant(17, "CREATE", List.of("XM"), "2026-11-01", "2026-12-31", "ACTIVE"),
                grant(17, "SUSPEND", List.of("XM"), "2026-11-01", "2026-12-31", "SUSPENDED"),
                citing(17, List.of("XM"), 2)), 1, 2, 2));
        assertFalse(suspended.valid());
        assertEquals("entry 3: a call under grant 17 was approved under the grant terms it cites (seq 2), which are "
                + "SUSPENDED", suspended.problem());

        UsageLogVerifier.Result other = check(export(List.of(
                grant(18, "CREATE", List.of("XM"), "2026-11-01", "2026-12-31", "ACTIVE"),
                citing(17, List.of("XM"), 1)), 1, 2));
        assertFalse(other.valid());
        assertEquals("entry 2: a call under grant 17 cites the terms of grant 18 (seq 1)", other.problem());
    }

    @Test
    void aCallCitingTermsOutsideTheExportIsNoted() throws Exception {
        UsageLogVerifier.Result r = check(export(List.of(citing(17, List.of("XM"), 0)), 1));
        assertTrue(r.valid(), r.describe());
        assertTrue(r.notes().stream().anyMatch(n -> n.startsWith("1 calls cite grant terms not in this export (seq "
                + "[0])")), r.describe());
    }
}
