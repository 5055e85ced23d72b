package cn.onenet.usagelog.verifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONArrayUtils;
import com.nimbusds.jose.util.JSONObjectUtils;

class UsageLogVerifierTest {

    static final String ZERO = "0".repeat(64);

    /** An Ed25519 checkpoint key made with the JDK, as the exchange's default seal is. */
    record EdKey(String kid, KeyPair pair) {
        static EdKey generate(String kid) throws Exception {
            return new EdKey(kid, KeyPairGenerator.getInstance("Ed25519").generateKeyPair());
        }

        Map<String, Object> publicJwk() {
            byte[] spki = pair.getPublic().getEncoded();
            byte[] x = Arrays.copyOfRange(spki, spki.length - 32, spki.length);
            return new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(x)).keyID(kid)
                    .algorithm(JWSAlgorithm.EdDSA).build().toJSONObject();
        }

        String seal(String payload) throws Exception {
            String header = new JWSHeader.Builder(JWSAlgorithm.EdDSA).keyID(kid).customParam("dept",
                    "113300000024810109").build().toBase64URL().toString();
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(pair.getPrivate());
            s.update((header + "." + Base64URL.encode(payload.getBytes(StandardCharsets.UTF_8)))
                    .getBytes(StandardCharsets.US_ASCII));
            return header + ".." + Base64URL.encode(s.sign());
        }
    }

    @SafeVarargs
    static String jwks(Map<String, Object>... keys) {
        return JSONObjectUtils.toJSONString(Map.of("keys", List.of(keys)));
    }

    /** A period of entries seq from..to chained from the anchor before, in the exchange's format 2. */
    static final class Export {
        final List<String> lines = new ArrayList<>();
        final List<String> hashes = new ArrayList<>();
        final long from;

        Export(long from, long to) {
            this.from = from;
            String prev = from == 1 ? ZERO : UsageLogVerifier.sha256("before-" + (from - 1));
            hashes.add(prev);
            for (long seq = from; seq <= to; seq++) {
                List<Object> fields = new ArrayList<>(Arrays.asList(seq, "2026-12-0" + (1 + seq % 5) + "T01:02:03.456789Z",
                        "req-" + seq, "client", "user", "11330000002481060E", 17L, "社会保障待遇资格认证",
                        "《政务数据共享条例》第十二条", "330000-01-02/000123", "11330000002481020A", List.of("XM"),
                        List.of(), "LOOKUP", "DELIVERED", null, prev, 2L));
                String canonical = JSONArrayUtils.toJSONString(fields);
                prev = UsageLogVerifier.sha256(canonical);
                hashes.add(prev);
                lines.add(json(line("type", "entry", "seq", seq, "canonical", canonical, "entryHash", prev)));
            }
        }

        String hashOf(long seq) {
            return hashes.get((int) (seq - from + 1));
        }

        String checkpoint(EdKey key, long seq, String createdAt) throws Exception {
            String payload = json(line("format", 2L, "department", "113300000024810109", "kid", key.kid(),
                    "lastSeq", seq, "lastHash", hashOf(seq), "entryCount", seq, "createdAt", createdAt));
            return checkpointLine(seq, createdAt, payload, key.seal(payload));
        }

        String checkpointLine(long seq, String createdAt, String payload, String signature) {
            return json(line("type", "checkpoint", "id", seq, "lastSeq", seq, "lastHash", hashOf(seq), "createdAt",
                    createdAt, "payloadFormat", 2L, "payload", payload, "signature", signature));
        }

        String text(List<String> checkpoints, String header) {
            List<String> all = new ArrayList<>();
            all.add(header);
            all.addAll(checkpoints);
            all.add(json(line("type", "anchor", "seq", from - 1, "entryHash", hashes.get(0))));
            all.addAll(lines);
            all.add(json(line("type", "end", "entries", (long) lines.size(), "lastSeq", from + lines.size() - 1,
                    "lastHash", hashes.get(hashes.size() - 1))));
            return String.join("\n", all) + "\n";
        }

        String text(List<String> checkpoints) {
            return text(checkpoints, HEADER);
        }
    }

    static final String HEADER = json(line("type", "header", "format", UsageLogVerifier.UNSEALED_FORMAT, "from", "2026-12-01",
            "to", "2026-12-05"));

    static Map<String, Object> line(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    static String json(Map<String, Object> m) {
        return JSONObjectUtils.toJSONString(m);
    }

    static UsageLogVerifier.Result check(String jwks, String export) throws Exception {
        return UsageLogVerifier.pinning(jwks).verify(new BufferedReader(new StringReader(export)));
    }

    final EdKey authority;
    final String pinned;

    UsageLogVerifierTest() throws Exception {
        authority = EdKey.generate("113300000024810109-k1");
        pinned = jwks(authority.publicJwk());
    }

    /** Entries 11..20, checkpoints at 15 and 20: valid. */
    String goodExport(Export e) throws Exception {
        return e.text(List.of(e.checkpoint(authority, 15, "2026-12-03T00:00:00.123456Z"),
                e.checkpoint(authority, 20, "2026-12-05T00:00:00Z")));
    }

    @Test
    void anIntactExportIsValidAndTheCommandLineExitsZero(@TempDir Path dir) throws Exception {
        Export e = new Export(11, 20);
        UsageLogVerifier.Result r = check(pinned, goodExport(e));
        assertTrue(r.valid(), r.describe());
        assertEquals(10, r.entries());
        assertEquals(11, r.firstSeq());
        assertEquals(20, r.lastSeq());
        assertEquals(2, r.checkpoints());

        Path keys = Files.writeString(dir.resolve("keys.json"), pinned);
        Path export = Files.writeString(dir.resolve("export.ndjson"), goodExport(e));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = UsageLogVerifier.run(new String[] { keys.toString(), export.toString() },
                new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        assertEquals(0, code);
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("VALID: 10 entries, seq 11–20"), out.toString());
    }

    @Test
    void aTamperedLineIsNamedWithItsLineNumber(@TempDir Path dir) throws Exception {
        Export e = new Export(11, 20);
        String text = goodExport(e);
        // header, 2 checkpoints, anchor: entry 13 is line 7
        String tampered = text.replace("req-13\\\"", "req-13x\\\"");
        UsageLogVerifier.Result r = check(pinned, tampered);
        assertFalse(r.valid());
        assertEquals(7, r.line(), r.describe());
        assertTrue(r.problem().startsWith("entry 13: content changed"), r.problem());

        Path keys = Files.writeString(dir.resolve("keys.json"), pinned);
        Path export = Files.writeString(dir.resolve("export.ndjson"), tampered);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(1, UsageLogVerifier.run(new String[] { keys.toString(), export.toString() },
                new PrintStream(out, true, StandardCharsets.UTF_8), System.err));
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("INVALID: line 7: entry 13: content changed"));
    }

    @Test
    void anEntrysPurposeAndGrantAreCoveredByItsHash() throws Exception {
        // who used the data for what is part of the hashed entry: a purpose or grant changed afterwards is found
        Export e = new Export(11, 20);
        for (String[] change : List.of(new String[] { "社会保障待遇资格认证", "行政执法检查" },
                new String[] { "\"11330000002481060E\",17,", "\"11330000002481060E\",18," },
                new String[] { "\"11330000002481060E\",17,", "\"11330000002481060E\",null," })) {
            List<String> lines = new ArrayList<>(List.of(goodExport(e).split("\n")));
            Map<String, Object> entry = JSONObjectUtils.parse(lines.get(6)); // entry 13
            String canonical = (String) entry.get("canonical");
            assertTrue(canonical.contains(change[0]), canonical);
            entry.put("canonical", canonical.replace(change[0], change[1]));
            lines.set(6, json(entry));
            UsageLogVerifier.Result r = check(pinned, String.join("\n", lines) + "\n");
            assertFalse(r.valid(), change[1]);
            assertEquals(7, r.line(), r.describe());
            assertEquals("entry 13: content changed, SHA-256 of its canonical string is not its entryHash",
                    r.problem());
        }
    }

    @Test
    void reorderedEntriesAreFound() throws Exception {
        Export e = new Export(11, 20);
        List<String> lines = new ArrayList<>(List.of(goodExport(e).split("\n")));
        java.util.Collections.swap(lines, 6, 7); // entries 13 and 14
        UsageLogVerifier.Result r = check(pinned, String.join("\n", lines) + "\n");
        assertFalse(r.valid());
        assertEquals(7, r.line(), r.describe());
        assertEquals("entry 13 is missing", r.problem());

        // the lines' sequence numbers swapped too, so the order looks right: the hashed numbers do not follow
        Map<String, Object> a = JSONObjectUtils.parse(lines.get(6));
        Map<String, Object> b = JSONObjectUtils.parse(lines.get(7));
        a.put("seq", 13L);
        b.put("seq", 14L);
        lines.set(6, json(a));
        lines.set(7, json(b));
        r = check(pinned, String.join("\n", lines) + "\n");
        assertFalse(r.valid());
        assertEquals(7, r.line(), r.describe());
        assertEquals("entry 13: its canonical string names another sequence number", r.problem());
    }

    @Test
    void aRemovedLineIsFound() throws Exception {
        Export e = new Export(11, 20);
        List<String> lines = new ArrayList<>(List.of(goodExport(e).split("\n")));
        lines.remove(6); // entry 13
        UsageLogVerifier.Result r = check(pinned, String.join("\n", lines));
        assertFalse(r.valid());
        assertEquals(7, r.line(), r.describe());
        assertEquals("entry 13 is missing", r.problem());

        // the last entries and the end line cut off: the signed checkpoint at 20 names entries no longer there
        List<String> cut = new ArrayList<>(List.of(goodExport(e).split("\n")));
        cut.subList(cut.size() - 3, cut.size()).clear();
        r = check(pinned, String.join("\n", cut));
        assertFalse(r.valid());
        assertTrue(r.problem().contains("cut short"), r.problem());
        // a forged end line does not help: the checkpoint at 20 is beyond the chain
        cut.add(json(line("type", "end", "entries", 8L, "lastSeq", 18L, "lastHash", e.hashOf(18))));
        r = check(pinned, String.join("\n", cut));
        assertFalse(r.valid());
        assertTrue(r.problem().contains("outside the exported chain"), r.problem());
    }

    @Test
    void aCheckpointForgedWithAnotherKeyFails() throws Exception {
        Export e = new Export(11, 20);
        // the forger edits entry 13, recomputes every hash after it and signs a new head with its own key
        EdKey forger = EdKey.generate("forger-1");
        UsageLogVerifier.Result r = check(pinned, e.text(List.of(e.checkpoint(forger, 20, "2026-12-05T00:00:00Z"))));
        assertFalse(r.valid());
        assertEquals(2, r.line());
        assertTrue(r.problem().contains("forger-1, which is not among the pinned keys"), r.problem());

        // another key under the pinned kid
        EdKey impostor = EdKey.generate(authority.kid());
        r = check(pinned, e.text(List.of(e.checkpoint(impostor, 20, "2026-12-05T00:00:00Z"))));
        assertFalse(r.valid());
        assertTrue(r.problem().contains("does not verify with pinned key " + authority.kid()), r.problem());

        // keys the export itself carries are never trusted
        String header = json(line("type", "header", "format", UsageLogVerifier.UNSEALED_FORMAT, "jwks",
                Map.of("keys", List.of(forger.publicJwk()))));
        r = check(pinned, e.text(List.of(e.checkpoint(forger, 20, "2026-12-05T00:00:00Z")), header));
        assertFalse(r.valid());
        assertTrue(r.problem().contains("not among the pinned keys"), r.problem());
    }

    @Test
    void aCheckpointWhoseTimeWasChangedFails() throws Exception {
        Export e = new Export(11, 20);
        String good = e.checkpoint(authority, 20, "2026-12-05T00:00:00Z");
        UsageLogVerifier.Result r = check(pinned, e.text(List.of(good.replace("\"createdAt\":\"2026-12-05T00:00:00Z\"",
                "\"createdAt\":\"2026-11-05T00:00:00Z\""))));
        assertFalse(r.valid());
        assertTrue(r.problem().contains("differs from the signed time"), r.problem());
        // and the signed time itself cannot be edited
        r = check(pinned, e.text(List.of(good.replace("2026-12-05T00:00:00Z", "2026-11-05T00:00:00Z"))));
        assertFalse(r.valid());
        assertTrue(r.problem().contains("does not verify"), r.problem());
    }

    @Test
    void anExportWhoseEndNoCheckpointCoversIsNotValid() throws Exception {
        Export e = new Export(11, 20);
        UsageLogVerifier.Result r = check(pinned, e.text(List.of(e.checkpoint(authority, 15, "2026-12-05T00:00:00Z"))));
        assertFalse(r.valid());
        assertTrue(r.problem().contains("no signed checkpoint covers the last entry 20"), r.problem());
    }

    @Test
    void anEs256CheckpointKeyVerifiesWithNimbus() throws Exception {
        Export e = new Export(1, 3);
        ECKey ec = new ECKeyGenerator(Curve.P_256).keyID("es-1").algorithm(JWSAlgorithm.ES256).generate();
        String payload = json(line("format", 2L, "department", "113300000024810109", "kid", "es-1", "lastSeq", 3L,
                "lastHash", e.hashOf(3), "entryCount", 3L, "createdAt", "2026-12-05T00:00:00Z"));
        JWSObject jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("es-1").build(),
                new Payload(payload));
        jws.sign(new ECDSASigner(ec));
        String cp = e.checkpointLine(3, "2026-12-05T00:00:00Z", payload, jws.serialize(true));
        UsageLogVerifier.Result r = check(jwks(ec.toPublicJWK().toJSONObject()), e.text(List.of(cp)));
        assertTrue(r.valid(), r.describe());
        assertEquals(3, r.entries());
    }

    @Test
    void sm3HashesTheStandardsExamples() {
        assertEquals("66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0",
                HexFormat.of().formatHex(Sm2.Sm3.hash("abc".getBytes(StandardCharsets.US_ASCII))));
        assertEquals("debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732",
                HexFormat.of().formatHex(Sm2.Sm3.hash("abcd".repeat(16).getBytes(StandardCharsets.US_ASCII))));
    }

    /** An SM2 seal as the exchange's SM2SM3 makes it: default user ID, signing input, r||s. */
    static String sm2Seal(BigInteger d, Sm2.Point q, String kid, String payload) {
        String header = new JWSHeader.Builder(new JWSAlgorithm("SM2SM3")).keyID(kid).build().toBase64URL().toString();
        byte[] input = (header + "." + Base64URL.encode(payload.getBytes(StandardCharsets.UTF_8)))
                .getBytes(StandardCharsets.US_ASCII);
        BigInteger e = Sm2.digest(q, input);
        SecureRandom random = new SecureRandom();
        while (true) {
            BigInteger k = new BigInteger(256, random).mod(Sm2.N);
            if (k.signum() == 0) {
                continue;
            }
            BigInteger r = e.add(Sm2.multiply(Sm2.G, k).x()).mod(Sm2.N);
            if (r.signum() == 0 || r.add(k).equals(Sm2.N)) {
                continue;
            }
            BigInteger s = d.add(BigInteger.ONE).modInverse(Sm2.N).multiply(k.subtract(r.multiply(d))).mod(Sm2.N);
            if (s.signum() != 0) {
                byte[] sig = new byte[64];
                System.arraycopy(Sm2.bytes32(r), 0, sig, 0, 32);
                System.arraycopy(Sm2.bytes32(s), 0, sig, 32, 32);
                return header + ".." + Base64URL.encode(sig);
            }
        }
    }

    @Test
    void anSm2CheckpointVerifiesWithThePinnedSm2KeyOnly() throws Exception {
        Export e = new Export(11, 20);
        BigInteger d = new BigInteger(255, new SecureRandom()).add(BigInteger.ONE);
        Sm2.Point q = Sm2.multiply(Sm2.G, d);
        Map<String, Object> sm2 = line("kty", "SM2", "crv", "SM2", "kid", "sm2-1", "x",
                Base64URL.encode(Sm2.bytes32(q.x())).toString(), "y", Base64URL.encode(Sm2.bytes32(q.y())).toString());
        String both = jwks(authority.publicJwk(), sm2);
        String payload = json(line("format", 2L, "department", "113300000024810109", "kid", "sm2-1", "lastSeq", 20L,
                "lastHash", e.hashOf(20), "entryCount", 20L, "createdAt", "2026-12-05T00:00:00Z"));
        String signature = sm2Seal(d, q, "sm2-1", payload);
        UsageLogVerifier.Result r = check(both, e.text(List.of(
                e.checkpointLine(20, "2026-12-05T00:00:00Z", payload, signature))));
        assertTrue(r.valid(), r.describe());
        assertEquals(1, r.checkpoints());

        // the payload changed under the seal
        String other = payload.replace("2026-12-05T00:00:00Z", "2026-12-04T00:00:00Z");
        r = check(both, e.text(List.of(e.checkpointLine(20, "2026-12-04T00:00:00Z", other, signature))));
        assertFalse(r.valid());
        assertTrue(r.problem().contains("does not verify with pinned key sm2-1"), r.problem());
        // another SM2 key under the pinned kid
        BigInteger d2 = d.add(BigInteger.ONE);
        r = check(both, e.text(List.of(e.checkpointLine(20, "2026-12-05T00:00:00Z", payload,
                sm2Seal(d2, Sm2.multiply(Sm2.G, d2), "sm2-1", payload)))));
        assertFalse(r.valid());
        assertTrue(r.problem().contains("does not verify"), r.problem());
        // a pinned "SM2 key" off the curve is refused when pinning
        Map<String, Object> off = line("kty", "SM2", "crv", "SM2", "kid", "bad", "x", "AQ", "y", "AQ");
        assertThrows(java.text.ParseException.class, () -> UsageLogVerifier.pinning(jwks(off)));
    }

    @Test
    void aCheckpointOfAPinnedKeyOfUnknownTypeIsSkippedButCannotCoverTheEnd() throws Exception {
        Export e = new Export(11, 20);
        Map<String, Object> unknown = Map.of("kty", "XYZ", "kid", "xyz-1");
        String both = jwks(authority.publicJwk(), unknown);
        String xyzHeader = new JWSHeader.Builder(new JWSAlgorithm("XYZ")).keyID("xyz-1").build().toBase64URL()
                .toString();
        String payload = json(line("format", 2L, "department", "113300000024810109", "kid", "xyz-1", "lastSeq", 15L,
                "lastHash", e.hashOf(15), "entryCount", 15L, "createdAt", "2026-12-03T00:00:00Z"));
        String skipped = e.checkpointLine(15, "2026-12-03T00:00:00Z", payload, xyzHeader + "..AAAA");
        UsageLogVerifier.Result r = check(both, e.text(List.of(skipped,
                e.checkpoint(authority, 20, "2026-12-05T00:00:00Z"))));
        assertTrue(r.valid(), r.describe());
        assertEquals(1, r.checkpoints());
        assertTrue(r.notes().stream().anyMatch(n -> n.contains("does not know")), r.notes().toString());
        // alone it vouches for nothing: the end is not covered
        String atEnd = e.checkpointLine(20, "2026-12-05T00:00:00Z", payload.replace("15", "20"), xyzHeader + "..AAAA");
        r = check(both, e.text(List.of(atEnd)));
        assertFalse(r.valid());
        assertTrue(r.problem().contains("no signed checkpoint covers the last entry"), r.problem());
    }

    @Test
    void anEntryLinesTimeOrFormatOutsideTheHashMustBeWhatItsCanonicalStringHashes() throws Exception {
        // the exchange writes loggedAt and entryFormat beside the canonical string; a reader takes them as the
        // entry's, so a changed one is as much a changed entry as a changed hashed field
        Export e = new Export(11, 20);
        String text = goodExport(e);
        String hashed = "2026-12-04T01:02:03.456789Z"; // entry 13's, in its canonical string
        String withFields = text.replace("{\"type\":\"entry\",\"seq\":13,",
                "{\"type\":\"entry\",\"seq\":13,\"loggedAt\":\"" + hashed + "\",\"entryFormat\":2,");
        assertTrue(check(pinned, withFields).valid(), check(pinned, withFields).describe());

        UsageLogVerifier.Result r = check(pinned, withFields.replace("\"loggedAt\":\"" + hashed,
                "\"loggedAt\":\"2026-11-30T01:02:03.456789Z"));
        assertFalse(r.valid());
        assertEquals(7, r.line(), r.describe());
        assertEquals("entry 13: loggedAt 2026-11-30T01:02:03.456789Z is not the time its canonical string hashes ("
                + hashed + ")", r.problem());

        r = check(pinned, withFields.replace("\"entryFormat\":2,", "\"entryFormat\":3,"));
        assertFalse(r.valid());
        assertEquals("entry 13: entryFormat 3 is not its canonical string's format 2", r.problem());
    }

    @Test
    void theCommandLineSaysPlainlyWhyAFileCannotBeRead(@TempDir Path dir) throws Exception {
        Path keys = Files.writeString(dir.resolve("keys.json"), pinned);
        Path export = Files.writeString(dir.resolve("export.ndjson"), goodExport(new Export(11, 20)));
        Path missing = dir.resolve("missing.ndjson");
        Path binary = Files.write(dir.resolve("export.bin"), new byte[] { (byte) 0xff, (byte) 0xfe, 0, 1 });

        String[] err = new String[1];
        assertEquals(2, run(err, keys.toString(), missing.toString()));
        assertEquals("cannot read the export " + missing + ": no such file", err[0].strip());
        assertEquals(2, run(err, missing.toString(), export.toString()));
        assertEquals("cannot read the pinned JWKS " + missing + ": no such file", err[0].strip());
        assertEquals(2, run(err, "--tsa-cert", missing.toString(), keys.toString(), export.toString()));
        assertEquals("cannot read the pinned TSA certificate " + missing + ": no such file", err[0].strip());
        assertEquals(2, run(err, "--witness", missing.toString(), keys.toString(), export.toString()));
        assertEquals("cannot read the witness file " + missing + ": no such file", err[0].strip());
        assertEquals(2, run(err, keys.toString(), binary.toString()));
        assertEquals("cannot read the export " + binary + ": not UTF-8 text", err[0].strip());
        assertEquals(2, run(err, binary.toString(), export.toString()));
        assertEquals("cannot read the pinned JWKS " + binary + ": not UTF-8 text", err[0].strip());
        assertEquals(2, run(err, keys.toString(), dir.toString()));
        assertEquals("cannot read the export " + dir + ": it is a directory", err[0].strip());
        // the arguments swapped: the export read as the JWKS
        assertEquals(2, run(err, export.toString(), keys.toString()));
        assertTrue(err[0].startsWith("cannot read the pinned JWKS " + export + ": "), err[0]);
    }

    @Test
    void jsonNullWhereAnObjectBelongsIsNeverAnException(@TempDir Path dir) throws Exception {
        Path keys = Files.writeString(dir.resolve("keys.json"), pinned);
        String good = goodExport(new Export(11, 20));
        Path export = Files.writeString(dir.resolve("export.ndjson"), good);
        Path nothing = Files.writeString(dir.resolve("null.json"), "null");
        String[] err = new String[1];
        // as the pinned JWKS of each command, as the export job, as a witness record: unusable, said in one line
        assertEquals(2, run(err, nothing.toString(), export.toString()));
        assertEquals("cannot read the pinned JWKS " + nothing + ": not a JSON object", err[0].strip());
        assertEquals(2, run(err, "verify-seal", nothing.toString(), export.toString(), "a..b"));
        assertEquals("cannot read the pinned JWKS " + nothing + ": not a JSON object", err[0].strip());
        assertEquals(2, run(err, "verify-manifest", keys.toString(), nothing.toString()));
        assertEquals("cannot read the export job " + nothing + ": not a JSON object", err[0].strip());
        assertEquals(2, run(err, "--witness", nothing.toString(), keys.toString(), export.toString()));
        assertEquals("cannot use the witness file " + nothing + ": witness null.json line 1: not JSON",
                err[0].strip());
        // as a line of the export: that line does not fit
        String[] lines = good.split("\n", 2);
        UsageLogVerifier.Result r = check(pinned, lines[0] + "\nnull\n" + lines[1]);
        assertFalse(r.valid());
        assertEquals(2, r.line(), r.describe());
        assertEquals("not a JSON object", r.problem());
        assertEquals(1, run(err, keys.toString(), Files.writeString(dir.resolve("null-line.ndjson"),
                lines[0] + "\nnull\n" + lines[1]).toString()));
    }

    @Test
    void anInternalErrorIsExitTwoWithOneLineNotATrace() {
        // an argument that is no text at all reaches code that takes every argument for a path
        for (String[] args : List.of(new String[] { "keys.json", null }, new String[] { "verify-evidence", null },
                new String[] { "verify-seal", null, "a", "b" })) {
            String[] err = new String[1];
            assertEquals(2, run(err, args), err[0]);
            assertEquals(1, err[0].strip().lines().count(), err[0]);
            assertTrue(err[0].startsWith("cannot check: an internal error of usage-log-verifier (NullPointerException")
                    || err[0].startsWith("cannot check the bundle null: an internal error (NullPointerException"),
                    err[0]);
            assertFalse(err[0].contains("\tat "), err[0]);
        }
    }

    /** The command line's exit code; {@code err[0]} what it wrote to stderr (nothing may escape as an exception). */
    static int run(String[] err, String... args) {
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int code = UsageLogVerifier.run(args, new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8));
        err[0] = e.toString(StandardCharsets.UTF_8);
        return code;
    }

    @Test
    void badArgumentsExitTwo() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(2, UsageLogVerifier.run(new String[] { "only-one" }, System.out,
                new PrintStream(err, true, StandardCharsets.UTF_8)));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("usage:"));
        assertEquals(2, UsageLogVerifier.run(new String[] { "/nonexistent/keys.json", "/nonexistent/e.ndjson" },
                System.out, new PrintStream(err, true, StandardCharsets.UTF_8)));
    }
}
