package cn.onenet.usagelog.verifier;

import static cn.onenet.usagelog.verifier.UsageLogVerifierTest.check;
import static cn.onenet.usagelog.verifier.UsageLogVerifierTest.json;
import static cn.onenet.usagelog.verifier.UsageLogVerifierTest.jwks;
import static cn.onenet.usagelog.verifier.UsageLogVerifierTest.line;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.nimbusds.jose.util.JSONObjectUtils;

import cn.onenet.usagelog.verifier.UsageLogVerifierTest.EdKey;
import cn.onenet.usagelog.verifier.UsageLogVerifierTest.Export;

/**
 * The closing seal of an export (format {@value UsageLogVerifier#FORMAT}): the line after the end line, a detached JWS
 * by the checkpoint key over the header's fields, the last entry, the number of lines before it and their SHA-256.
 * With it the pinned keys alone show an export cut short inside its period, or its header changed.
 */
class UsageLogVerifierSealTest {

    final EdKey authority = EdKey.generate("113300000024810109-k1");
    final String pinned = jwks(authority.publicJwk());

    UsageLogVerifierSealTest() throws Exception {
    }

    /**
     * Entries 11..20 of the days 2026-12-01..05, whose last entry logged in the period is 18 (the export runs on to the
     * checkpoint at 20), as the exchange writes the header.
     */
    static Map<String, Object> header(long anchorSeq, long lastSeq, Long periodFirst, Long periodLast) {
        Map<String, Object> h = line("type", "header", "format", UsageLogVerifier.FORMAT, "from", "2026-12-01", "to",
                "2026-12-05", "zone", "Asia/Shanghai", "periodFirstSeq", periodFirst, "periodLastSeq", periodLast,
                "anchorSeq", anchorSeq, "lastSeq", lastSeq, "entries", lastSeq - anchorSeq, "plannedAt",
                "2026-12-06T00:00:00.5Z", "exportedAt", "2026-12-06T00:00:01Z", "exportUsageLogSeq", 25L);
        h.put("howToVerify", "Run usage-log-verifier.");
        return h;
    }

    /** The closing seal line over {@code text} (the lines before it, each ending in LF), as the exchange makes it. */
    static String seal(EdKey key, Map<String, Object> header, String lastHash, String text) throws Exception {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("format", UsageLogVerifier.SEAL_FORMAT);
        p.put("department", "113300000024810109");
        p.put("kid", key.kid());
        UsageLogVerifier.SEALED_HEADER_FIELDS.forEach(f -> p.put(f, header.get(f)));
        p.put("lastHash", lastHash);
        p.put("lines", text.lines().count());
        p.put("sha256", UsageLogVerifier.sha256(text));
        p.put("sealedAt", "2026-12-06T00:00:02.123456Z");
        String payload = json(p);
        return json(line("type", "seal", "payload", payload, "signature", key.seal(payload)));
    }

    final Export e = new Export(11, 20);
    final Map<String, Object> header = header(10, 20, 11L, 18L);

    List<String> checkpoints() throws Exception {
        return List.of(e.checkpoint(authority, 15, "2026-12-03T00:00:00.123456Z"),
                e.checkpoint(authority, 20, "2026-12-05T00:00:00Z"));
    }

    /** Lines 1–15 (header, 2 checkpoints, anchor, entries 11–20 on lines 5–14, end) and the seal on line 16. */
    String sealedExport() throws Exception {
        String text = e.text(checkpoints(), json(header));
        return text + seal(authority, header, e.hashOf(20), text) + "\n";
    }

    static List<String> lines(String text) {
        return new ArrayList<>(List.of(text.split("\n")));
    }

    static String joined(List<String> lines) {
        return String.join("\n", lines) + "\n";
    }

    @Test
    void anIntactSealedExportIsValidAndSaysItIsComplete(@TempDir Path dir) throws Exception {
        String export = sealedExport();
        UsageLogVerifier.Result r = check(pinned, export);
        assertTrue(r.valid(), r.describe());
        assertEquals(authority.kid(), r.sealedBy());
        assertEquals(10, r.entries());
        assertTrue(r.notes().contains("closing seal (line 16) by pinned key " + authority.kid() + ", sealed "
                + "2026-12-06T00:00:02.123456Z: it signs the header and the SHA-256 of all 15 lines before it, so the "
                + "export is complete and unaltered as the exchange wrote it"), r.notes().toString());
        // moved through a system that ends lines with CR LF: the same lines
        assertTrue(check(pinned, export.replace("\n", "\r\n")).valid());

        String[] said = new String[1];
        assertEquals(0, run(said, Files.writeString(dir.resolve("keys.json"), pinned),
                Files.writeString(dir.resolve("export.ndjson"), export)));
        assertTrue(said[0].startsWith("VALID: 10 entries, seq 11–20, 2 checkpoints signed by pinned keys, sealed by "
                + "pinned key " + authority.kid()), said[0]);
    }

    @Test
    void anEmptyPeriodIsSealedToo() throws Exception {
        Map<String, Object> empty = header(0, 0, null, null);
        String text = String.join("\n", json(empty), json(line("type", "anchor", "seq", 0L, "entryHash",
                UsageLogVerifierTest.ZERO)), json(line("type", "end", "entries", 0L, "lastSeq", 0L, "lastHash",
                        UsageLogVerifierTest.ZERO))) + "\n";
        UsageLogVerifier.Result r = check(pinned, text + seal(authority, empty, UsageLogVerifierTest.ZERO, text));
        assertTrue(r.valid(), r.describe());
        assertEquals(0, r.entries());
        assertEquals(authority.kid(), r.sealedBy());
    }

    @Test
    void aCutExportIsInvalidAtTheLineWhereItStops(@TempDir Path dir) throws Exception {
        List<String> all = lines(sealedExport());
        // the file cut after entry 15 (line 9)
        String cut = joined(all.subList(0, 9));
        UsageLogVerifier.Result r = check(pinned, cut);
        assertFalse(r.valid());
        assertEquals(10, r.line());
        assertEquals("the file ends after line 9 (entry 15) without its end line: it was cut short", r.problem());
        String[] said = new String[1];
        Path keys = Files.writeString(dir.resolve("keys.json"), pinned);
        assertEquals(1, run(said, keys, Files.writeString(dir.resolve("cut.ndjson"), cut)));
        assertTrue(said[0].startsWith("INVALID: line 10: the file ends after line 9 (entry 15) without its end line: "
                + "it was cut short"), said[0]);

        // only the seal missing: cut after the end line, or the seal removed
        r = check(pinned, joined(all.subList(0, 15)));
        assertFalse(r.valid());
        assertEquals(16, r.line());
        assertEquals("the file ends after its end line (line 15) without the closing seal its format "
                + UsageLogVerifier.FORMAT + " announces: it was cut short, or the seal was removed", r.problem());
        assertNull(r.sealedBy());
    }

    /**
     * Cut at the checkpoint at 15, inside the period, with the checkpoint at 20 left out and an end line that fits:
     * every remaining line holds, and before the seal only witnesses could show it.
     */
    List<String> cutAtCheckpoint15() throws Exception {
        List<String> all = lines(sealedExport());
        List<String> cut = new ArrayList<>(all.subList(0, 2)); // header, checkpoint 15
        cut.addAll(all.subList(3, 9)); // anchor, entries 11–15
        cut.add(json(line("type", "end", "entries", 5L, "lastSeq", 15L, "lastHash", e.hashOf(15))));
        cut.add(all.get(15)); // the seal
        return cut;
    }

    @Test
    void anExportCutInsideItsPeriodIsFoundWithThePinnedKeysAlone(@TempDir Path dir) throws Exception {
        List<String> cut = cutAtCheckpoint15();
        UsageLogVerifier.Result r = check(pinned, joined(cut));
        assertFalse(r.valid());
        assertEquals(9, r.line());
        assertEquals("the export ends at entry 15, its header announces entries up to 20: it was cut short",
                r.problem());

        // the header rewritten to announce what is left: it is no longer what the seal signs
        Map<String, Object> shortened = header(10, 15, 11L, 15L);
        cut.set(0, json(shortened));
        r = check(pinned, joined(cut));
        assertFalse(r.valid());
        assertEquals(1, r.line());
        assertEquals("the header's periodLastSeq 15 is not what the closing seal (line 10) signs, 18: the header was "
                + "changed", r.problem());

        // and without the seal as well: the format announces one
        List<String> unsealed = cut.subList(0, cut.size() - 1);
        r = check(pinned, joined(unsealed));
        assertFalse(r.valid());
        assertEquals(10, r.line());
        assertTrue(r.problem().contains("without the closing seal"), r.problem());

        // the header also given the older format: it passes as an old export, with a note that nothing proves it
        // complete; with --require-seal it is refused
        shortened.put("format", UsageLogVerifier.UNSEALED_FORMAT);
        unsealed.set(0, json(shortened));
        r = check(pinned, joined(unsealed));
        assertTrue(r.valid(), r.describe());
        assertNull(r.sealedBy());
        assertTrue(r.describe().contains(", no closing seal"), r.describe());
        assertTrue(r.notes().stream().anyMatch(n -> n.startsWith("no closing seal (format " + UsageLogVerifier
                .UNSEALED_FORMAT + ", written before the exchange sealed its exports): the header is not signed, so "
                + "completeness was not proven")), r.notes().toString());
        String[] said = new String[1];
        Path keys = Files.writeString(dir.resolve("keys.json"), pinned);
        Path old = Files.writeString(dir.resolve("old.ndjson"), joined(unsealed));
        assertEquals(0, run(said, keys, old));
        assertEquals(1, run(said, "--require-seal", keys.toString(), old.toString()));
        assertTrue(said[0].startsWith("INVALID: line 1: the export is of the older format "
                + UsageLogVerifier.UNSEALED_FORMAT + ", without a closing seal, and --require-seal was given"),
                said[0]);
        // a sealed export passes --require-seal
        assertEquals(0, run(said, "--require-seal", keys.toString(),
                Files.writeString(dir.resolve("sealed.ndjson"), sealedExport()).toString()));
    }

    @Test
    void anAlteredHeaderIsInvalid() throws Exception {
        List<String> all = lines(sealedExport());
        for (String[] change : new String[][] { { "to", "2026-12-04" }, { "plannedAt", "2026-12-05T10:00:00Z" },
                { "zone", "UTC" } }) {
            Map<String, Object> h = new LinkedHashMap<>(header);
            h.put(change[0], change[1]);
            List<String> altered = new ArrayList<>(all);
            altered.set(0, json(h));
            UsageLogVerifier.Result r = check(pinned, joined(altered));
            assertFalse(r.valid(), change[0]);
            assertEquals(1, r.line(), r.describe());
            assertEquals("the header's " + change[0] + " " + change[1] + " is not what the closing seal (line 16) "
                    + "signs, " + header.get(change[0]) + ": the header was changed", r.problem());
        }
        // a field the seal does not repeat is covered by its SHA-256 of the lines
        Map<String, Object> h = new LinkedHashMap<>(header);
        h.put("howToVerify", "Trust it.");
        List<String> altered = new ArrayList<>(all);
        altered.set(0, json(h));
        UsageLogVerifier.Result r = check(pinned, joined(altered));
        assertFalse(r.valid());
        assertEquals(16, r.line());
        assertTrue(r.problem().startsWith("the 15 lines before the closing seal are not the ones it signs: their "
                + "SHA-256 is "), r.problem());
    }

    @Test
    void aSealThatDoesNotFitIsInvalid() throws Exception {
        List<String> all = lines(sealedExport());
        // a seal made with a key of one's own
        EdKey forger = EdKey.generate("113300000024810109-forged");
        String text = joined(all.subList(0, 15));
        UsageLogVerifier.Result r = check(pinned, text + seal(forger, header, e.hashOf(20), text));
        assertFalse(r.valid());
        assertEquals(16, r.line());
        assertEquals("the closing seal is signed with key 113300000024810109-forged, which is not among the pinned keys",
                r.problem());

        // its payload changed under the signature
        Map<String, Object> sealLine = JSONObjectUtils.parse(all.get(15));
        sealLine.put("payload", ((String) sealLine.get("payload")).replace("\"lines\":15", "\"lines\":14"));
        List<String> changed = new ArrayList<>(all);
        changed.set(15, json(sealLine));
        r = check(pinned, joined(changed));
        assertFalse(r.valid());
        assertEquals("the closing seal's signature does not verify with pinned key " + authority.kid(), r.problem());

        // a blank line slipped in: the seal counts the lines
        List<String> longer = new ArrayList<>(all);
        longer.add(5, "");
        r = check(pinned, joined(longer));
        assertFalse(r.valid());
        assertEquals(17, r.line());
        assertEquals("the closing seal signs the 15 lines before it, the file has 16: lines were added or removed",
                r.problem());

        // lines after the seal
        r = check(pinned, joined(all) + json(line("type", "entry", "seq", 21L)) + "\n");
        assertFalse(r.valid());
        assertEquals(17, r.line());
        assertEquals("data after the closing seal", r.problem());

        // a seal before the end line
        List<String> early = new ArrayList<>(all.subList(0, 14));
        early.add(all.get(15));
        r = check(pinned, joined(early));
        assertFalse(r.valid());
        assertEquals(15, r.line());
        assertEquals("line out of order: expected an entry or the end line", r.problem());
    }

    static int run(String[] said, Path keys, Path export) {
        return run(said, keys.toString(), export.toString());
    }

    /** The command line's exit code; {@code said[0]} what it wrote to stdout and stderr. */
    static int run(String[] said, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        int code = UsageLogVerifier.run(args, print, print);
        said[0] = out.toString(StandardCharsets.UTF_8);
        return code;
    }
}
