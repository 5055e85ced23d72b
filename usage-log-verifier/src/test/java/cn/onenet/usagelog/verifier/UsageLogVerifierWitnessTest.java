package cn.onenet.usagelog.verifier;

import static cn.onenet.usagelog.verifier.UsageLogVerifierTest.json;
import static cn.onenet.usagelog.verifier.UsageLogVerifierTest.jwks;
import static cn.onenet.usagelog.verifier.UsageLogVerifierTest.line;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.nimbusds.jose.util.JSONObjectUtils;

import cn.onenet.usagelog.verifier.UsageLogVerifierTest.EdKey;
import cn.onenet.usagelog.verifier.UsageLogVerifierTest.Export;

/** {@code --witness}: checkpoints as witnesses received them, compared with an export. */
class UsageLogVerifierWitnessTest {

    final EdKey authority;
    final String pinned;
    @TempDir
    Path dir;

    UsageLogVerifierWitnessTest() throws Exception {
        authority = EdKey.generate("113300000024810109-k1");
        pinned = jwks(authority.publicJwk());
    }

    static final String AT_15 = "2026-12-03T00:00:00.123456Z";
    static final String AT_20 = "2026-12-05T00:00:00Z";

    /** The record pushed to a witness for a checkpoint line of an export (the exchange's witness format). */
    static String pushed(String checkpointLine) throws Exception {
        Map<String, Object> cp = JSONObjectUtils.parse(checkpointLine);
        return json(line("format", WitnessCheck.FORMAT, "checkpointId", cp.get("id"), "lastSeq", cp.get("lastSeq"),
                "lastHash", cp.get("lastHash"), "entryCount", cp.get("lastSeq"), "createdAt", cp.get("createdAt"),
                "kid", "113300000024810109-k1", "payloadFormat", 2L, "payload", cp.get("payload"), "signature",
                cp.get("signature"), "timestampToken", null));
    }

    /** A checkpoint at {@code seq} the key signed over another head than the export's. */
    String otherHead(Export e, long seq, String at) throws Exception {
        String hash = UsageLogVerifier.sha256("another history " + seq);
        String payload = json(line("format", 2L, "department", "113300000024810109", "kid", authority.kid(),
                "lastSeq", seq, "lastHash", hash, "entryCount", seq, "createdAt", at));
        return json(line("type", "checkpoint", "id", seq, "lastSeq", seq, "lastHash", hash, "createdAt", at,
                "payloadFormat", 2L, "payload", payload, "signature", authority.seal(payload)));
    }

    Path witnessFile(String name, String... records) throws Exception {
        return Files.writeString(dir.resolve(name), String.join("\n", records) + "\n");
    }

    UsageLogVerifier.Result check(String export, Path... witnesses) throws Exception {
        UsageLogVerifier v = UsageLogVerifier.pinning(pinned);
        for (Path w : witnesses) {
            v.witnessing(w);
        }
        return v.verify(new BufferedReader(new StringReader(export)));
    }

    int run(String[] out, String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = UsageLogVerifier.run(args, new PrintStream(o, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        out[0] = o.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
        return code;
    }

    @Test
    void witnessedCheckpointsTheExportHoldsAgreeAndTheCommandLineExitsZero() throws Exception {
        Export e = new Export(11, 20);
        String cp15 = e.checkpoint(authority, 15, AT_15);
        String cp20 = e.checkpoint(authority, 20, AT_20);
        String export = e.text(List.of(cp15, cp20));
        Path w = witnessFile("rsj.ndjson", pushed(cp15), pushed(cp20));
        UsageLogVerifier.Result r = check(export, w);
        assertTrue(r.valid(), r.describe());
        assertTrue(r.notes().contains("witness rsj.ndjson: 2 witnessed checkpoints agree with the export (seq 15, 20)"),
                r.notes().toString());

        Path keys = Files.writeString(dir.resolve("keys.json"), pinned);
        Path file = Files.writeString(dir.resolve("export.ndjson"), export);
        String[] out = new String[1];
        assertEquals(0, run(out, "--witness", w.toString(), keys.toString(), file.toString()), out[0]);
        assertTrue(out[0].startsWith("VALID: 10 entries"), out[0]);
        assertTrue(out[0].contains("2 witnessed checkpoints agree"), out[0]);
    }

    @Test
    void aRewrittenAndReSignedHistoryContradictsTheWitness() throws Exception {
        // the witness kept the head signed at 15 before the history was rewritten; the export, valid in itself
        // (every checkpoint signed again by the same key), names another head there
        Export e = new Export(11, 20);
        String export = e.text(List.of(e.checkpoint(authority, 15, AT_15), e.checkpoint(authority, 20, AT_20)));
        Path w = witnessFile("rsj.ndjson", pushed(otherHead(e, 15, AT_15)));
        assertTrue(check(export).valid());
        UsageLogVerifier.Result r = check(export, w);
        assertFalse(r.valid(), r.describe());
        assertEquals(0, r.line());
        assertTrue(r.problem().startsWith("witness rsj.ndjson line 1: checkpoint at seq 15: the export's checkpoint "
                + "names head " + e.hashOf(15).substring(0, 16)), r.problem());
        assertTrue(r.problem().endsWith("the log was rewritten"), r.problem());

        Path keys = Files.writeString(dir.resolve("keys.json"), pinned);
        Path file = Files.writeString(dir.resolve("export.ndjson"), export);
        String[] out = new String[1];
        assertEquals(1, run(out, "--witness", w.toString(), keys.toString(), file.toString()), out[0]);
        assertTrue(out[0].startsWith("INVALID: witness rsj.ndjson line 1: checkpoint at seq 15"), out[0]);
    }

    @Test
    void theSameHeadSignedAgainIsReported() throws Exception {
        Export e = new Export(11, 20);
        String export = e.text(List.of(e.checkpoint(authority, 15, AT_15), e.checkpoint(authority, 20, AT_20)));
        // what the witness got: the head at 15 signed at another time, so another signature
        Path w = witnessFile("rsj.ndjson", pushed(e.checkpoint(authority, 15, "2026-12-02T00:00:00Z")));
        UsageLogVerifier.Result r = check(export, w);
        assertFalse(r.valid(), r.describe());
        assertTrue(r.problem().contains("checkpoint at seq 15: the export's checkpoint carries another signature "
                + "than the witness holds (signed 2026-12-02T00:00:00Z): it was signed again"), r.problem());
    }

    @Test
    void aWitnessedCheckpointMissingFromAnExportCoveringItIsReportedAndOneOutsideIsNot() throws Exception {
        Export e = new Export(11, 20);
        String cp15 = e.checkpoint(authority, 15, AT_15);
        String cp20 = e.checkpoint(authority, 20, AT_20);
        Export later = new Export(21, 30);
        // the export has dropped its checkpoint at 15; the witness's checkpoint at 30 lies beyond the export
        String export = e.text(List.of(cp20));
        Path w = witnessFile("rsj.ndjson", pushed(cp15), pushed(cp20), pushed(later.checkpoint(authority, 30,
                "2026-12-06T00:00:00Z")));
        UsageLogVerifier.Result r = check(export, w);
        assertFalse(r.valid(), r.describe());
        assertEquals(List.of("witness rsj.ndjson line 1: checkpoint at seq 15: missing from the export, which covers "
                + "that seq (signed " + AT_15 + ")"), r.contradictions());
        assertTrue(r.notes().contains("witness rsj.ndjson: 1 witnessed checkpoints agree with the export (seq 20); "
                + "1 lie outside its chain 10–20, not compared"), r.notes().toString());
    }

    @Test
    void anExportCutShortOfItsPeriodContradictsAWitnessedCheckpointSignedInThatPeriod() throws Exception {
        // the period is 2026-12-01..2026-12-05 (China Standard Time); the exchange signed entries up to 30 at
        // 2026-12-05T10:00Z (18:00 CST, in the period), so entries 21..30 were logged in it. The export stops at 20,
        // every line of it valid and its end covered by a checkpoint: only the witness shows what is missing
        Export e = new Export(11, 20);
        String cp20 = e.checkpoint(authority, 20, AT_20);
        Export later = new Export(21, 30);
        String inPeriod = "2026-12-05T10:00:00Z";
        String export = e.text(List.of(cp20));
        assertTrue(check(export).valid());
        Path w = witnessFile("rsj.ndjson", pushed(cp20), pushed(later.checkpoint(authority, 30, inPeriod)));
        UsageLogVerifier.Result r = check(export, w);
        assertFalse(r.valid(), r.describe());
        assertEquals(List.of("witness rsj.ndjson line 2: checkpoint at seq 30: signed " + inPeriod + ", before the "
                + "exported period's end 2026-12-06T00:00+08:00[Asia/Shanghai], it covers entries 21–30 logged in "
                + "that period beyond the export's last entry 20: the export was cut short"), r.contradictions());

        // the time that counts is the one the exchange signed, not the record's unsigned copy of it
        Map<String, Object> moved = JSONObjectUtils.parse(pushed(later.checkpoint(authority, 30, inPeriod)));
        moved.put("createdAt", "2026-12-06T10:00:00Z");
        Path w2 = witnessFile("mzt.ndjson", json(moved));
        assertFalse(check(export, w2).valid());

        // the same checkpoint signed after the period's end (2026-12-05T16:00Z = 2026-12-06 00:00 CST) lies outside
        Path w3 = witnessFile("jyt.ndjson", pushed(later.checkpoint(authority, 30, "2026-12-05T16:00:00Z")));
        r = check(export, w3);
        assertTrue(r.valid(), r.describe());
        assertTrue(r.notes().contains("witness jyt.ndjson: 0 witnessed checkpoints agree with the export; 1 lie "
                + "outside its chain 10–20, not compared"), r.notes().toString());

        // the period named in a zone of the header's own
        String utc = e.text(List.of(cp20), json(line("type", "header", "format", UsageLogVerifier.UNSEALED_FORMAT, "from",
                "2026-12-01", "to", "2026-12-05", "zone", "UTC")));
        assertFalse(check(utc, w3).valid());
        assertTrue(check(utc, witnessFile("late.ndjson", pushed(later.checkpoint(authority, 30,
                "2026-12-06T00:00:00Z")))).valid());

        // a period not over when the export was made: what was signed after the exchange planned the export was
        // logged after it, and belongs to a later export; what was signed before it belonged in this one
        String planned = e.text(List.of(cp20), json(line("type", "header", "format", UsageLogVerifier.UNSEALED_FORMAT, "from",
                "2026-12-01", "to", "2026-12-05", "zone", "Asia/Shanghai", "plannedAt", "2026-12-05T09:00:00Z",
                "exportedAt", "2026-12-05T09:00:00.2Z")));
        r = check(planned, w);
        assertTrue(r.valid(), r.describe());
        r = check(planned, witnessFile("early.ndjson", pushed(later.checkpoint(authority, 30, "2026-12-05T08:59:58Z"))));
        assertFalse(r.valid(), r.describe());
        assertEquals("witness early.ndjson line 1: checkpoint at seq 30: signed 2026-12-05T08:59:58Z, before the export "
                + "was made (plannedAt 2026-12-05T09:00:00Z), it covers entries 21–30 logged in that period beyond the "
                + "export's last entry 20: the export was cut short", r.problem());
        // replicas' clocks may differ a little: signed within a second of the cut-off proves nothing
        assertTrue(check(planned, witnessFile("close.ndjson", pushed(later.checkpoint(authority, 30,
                "2026-12-05T08:59:59.5Z")))).valid());
    }

    @Test
    void everyContradictionOfEveryWitnessIsListed() throws Exception {
        Export e = new Export(11, 20);
        String export = e.text(List.of(e.checkpoint(authority, 15, AT_15), e.checkpoint(authority, 20, AT_20)));
        Path a = witnessFile("a.ndjson", pushed(otherHead(e, 15, AT_15)), pushed(otherHead(e, 20, AT_20)));
        Path b = witnessFile("b.ndjson", pushed(otherHead(e, 20, AT_20)));
        UsageLogVerifier.Result r = check(export, a, b);
        assertFalse(r.valid());
        assertEquals(3, r.contradictions().size(), r.describe());
        assertTrue(r.contradictions().get(2).startsWith("witness b.ndjson line 1: checkpoint at seq 20"),
                r.contradictions().toString());
        String described = r.describe();
        assertTrue(described.startsWith("INVALID: witness a.ndjson line 1: checkpoint at seq 15"), described);
        assertTrue(described.contains("contradiction: witness a.ndjson line 2: checkpoint at seq 20"), described);
        assertTrue(described.contains("contradiction: witness b.ndjson line 1: checkpoint at seq 20"), described);
    }

    @Test
    void anExportInvalidInItselfIsReportedByItsLineWithoutComparing() throws Exception {
        Export e = new Export(11, 20);
        String cp15 = e.checkpoint(authority, 15, AT_15);
        String export = e.text(List.of(cp15, e.checkpoint(authority, 20, AT_20))).replace("req-13\\\"",
                "req-13x\\\"");
        UsageLogVerifier.Result r = check(export, witnessFile("rsj.ndjson", pushed(cp15)));
        assertFalse(r.valid());
        assertEquals(7, r.line());
        assertTrue(r.notes().contains("the witnessed checkpoints were not compared: the export itself does not hold"),
                r.notes().toString());
    }

    @Test
    void aWitnessFileNotSealedByAPinnedKeyOrNotOfTheFormatIsUnusable() throws Exception {
        Export e = new Export(11, 20);
        EdKey stranger = EdKey.generate("113300000024810109-k1");
        Path keys = Files.writeString(dir.resolve("keys.json"), pinned);
        Path file = Files.writeString(dir.resolve("export.ndjson"),
                e.text(List.of(e.checkpoint(authority, 20, AT_20))));
        String[] out = new String[1];

        // a record forged with another key under the pinned kid: a witness file cannot accuse with it
        Path forged = witnessFile("forged.ndjson", pushed(e.checkpoint(stranger, 20, AT_20)));
        assertEquals(2, run(out, "--witness", forged.toString(), keys.toString(), file.toString()), out[0]);
        assertTrue(out[0].contains("cannot use the witness file " + forged + ": witness forged.ndjson line 1: a "
                + "checkpoint's signature does not verify with pinned key 113300000024810109-k1"), out[0]);

        // the record's head changed after it was received: it no longer states what was signed
        Path changed = dir.resolve("changed.ndjson");
        Map<String, Object> o = JSONObjectUtils.parse(pushed(e.checkpoint(authority, 20, AT_20)));
        o.put("lastHash", e.hashOf(19));
        Files.writeString(changed, json(o) + "\n");
        assertEquals(2, run(out, "--witness", changed.toString(), keys.toString(), file.toString()), out[0]);
        assertTrue(out[0].contains("lastSeq or lastHash differ from what it signed"), out[0]);

        Path export = witnessFile("not-a-witness.ndjson", json(line("type", "header", "format",
                UsageLogVerifier.UNSEALED_FORMAT)));
        assertEquals(2, run(out, "--witness", export.toString(), keys.toString(), file.toString()), out[0]);
        assertTrue(out[0].contains("not a checkpoint record of format onenet-usage-log-witness/1"), out[0]);

        assertEquals(2, run(out, "--witness", dir.resolve("absent.ndjson").toString(), keys.toString(),
                file.toString()), out[0]);
        assertTrue(out[0].contains("cannot read the witness file"), out[0]);
        assertEquals(2, run(out, keys.toString(), file.toString(), "--witness"), out[0]);
        assertTrue(out[0].startsWith("usage:"), out[0]);
        assertThrows(WitnessCheck.Unusable.class, () -> UsageLogVerifier.pinning(pinned)
                .witnessing(witnessFile("empty.ndjson", "")));
    }
}
