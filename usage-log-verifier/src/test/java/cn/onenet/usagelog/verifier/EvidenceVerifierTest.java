package cn.onenet.usagelog.verifier;

import static cn.onenet.usagelog.verifier.UsageLogVerifierSealTest.run;
import static cn.onenet.usagelog.verifier.UsageLogVerifierTest.jwks;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.nimbusds.jose.util.JSONArrayUtils;
import com.nimbusds.jose.util.JSONObjectUtils;

import cn.onenet.usagelog.verifier.UsageLogVerifierTest.EdKey;
import cn.onenet.usagelog.verifier.UsageLogVerifierTimeStampTest.Tsa;

/**
 * {@code verify-evidence} on a bundle written here as the exchange writes one (entries of format 2, a checkpoint of
 * payload format 2): valid with the pinned keys and with its own, an edited entry found, and the arguments and files
 * it cannot use (exit 2). data-exchange-service's EvidenceBundleVerifierTest runs it on the exchange's real bundles.
 */
class EvidenceVerifierTest {

    static final String AUTHORITY = "113300000024810109";

    final EdKey key = EdKey.generate(AUTHORITY + "-mwrn2xvk");

    EvidenceVerifierTest() throws Exception {
    }

    /** Entries 41–43 chained from {@code prev} and a checkpoint at 43, as GET /usage-log/41/evidence answers. */
    Map<String, Object> bundle() throws Exception {
        String prev = "ab".repeat(32);
        List<Object> chain = new ArrayList<>();
        for (long seq = 41; seq <= 43; seq++) {
            List<Object> fields = Arrays.asList(seq, "2026-12-04T09:31:1" + (seq - 40) + ".480123Z", "rid-" + seq,
                    "hr-system", "op-1", "11330000002481060E", 17, "社会保障待遇资格认证", "《社会保险法》第五十九条",
                    "330000-01-02/000123", "11330000002481020A", List.of("GMSFHM", "XM"), List.of("cd".repeat(32)),
                    "LOOKUP", "DELIVERED", null, prev, 2);
            String canonical = JSONArrayUtils.toJSONString(fields);
            Map<String, Object> row = new LinkedHashMap<>();
            String[] names = { "seq", "loggedAt", "requestId", "clientId", "userSub", "consumerDepartmentCode",
                    "grantId", "purpose", "legalBasis", "resourceCode", "providerDepartmentCode", "items",
                    "subjectHashes", "operation", "outcome" };
            for (int i = 0; i < names.length; i++) {
                row.put(names[i], fields.get(i));
            }
            row.put("hiddenUntilCommitment", null);
            row.put("prevHash", prev);
            row.put("entryFormat", 2);
            prev = UsageLogVerifier.sha256(canonical);
            row.put("entryHash", prev);
            row.put("canonical", canonical);
            chain.add(row);
        }
        String payload = "{\"format\":2,\"department\":\"" + AUTHORITY + "\",\"kid\":\"" + key.kid()
                + "\",\"lastSeq\":43,\"lastHash\":\"" + prev + "\",\"entryCount\":43,\"createdAt\":"
                + "\"2026-12-04T09:35:00.123456Z\"}";
        Map<String, Object> cp = new LinkedHashMap<>();
        cp.put("lastSeq", 43);
        cp.put("lastHash", prev);
        cp.put("createdAt", "2026-12-04T09:35:00.123456Z");
        cp.put("kid", key.kid());
        cp.put("checkpointPayload", payload);
        cp.put("signature", key.seal(payload));
        Map<String, Object> bundle = new LinkedHashMap<>();
        bundle.put("entry", chain.get(0));
        bundle.put("chain", chain);
        bundle.put("checkpoint", cp);
        bundle.put("redaction", null);
        bundle.put("jwks", JSONObjectUtils.parse(jwks(key.publicJwk())));
        return bundle;
    }

    @Test
    void aBundleVerifiesWithThePinnedKeysAndWithItsOwnAnEditedOneDoesNot(@TempDir Path dir) throws Exception {
        Path keys = Files.writeString(dir.resolve("keys.json"), jwks(key.publicJwk()));
        Map<String, Object> b = bundle();
        Path file = Files.writeString(dir.resolve("bundle.json"), JSONObjectUtils.toJSONString(b));
        String[] said = new String[1];
        assertEquals(0, run(said, "verify-evidence", keys.toString(), file.toString()), said[0]);
        assertTrue(said[0].startsWith("VALID: entry 41 is chained to the checkpoint at seq 43 signed "
                + "2026-12-04T09:35:00.123456Z by department " + AUTHORITY + " with pinned key " + key.kid()
                + " (EdDSA): 3 entries, seq 41–43, 3 recomputed from their canonical strings"), said[0]);
        assertFalse(said[0].contains("taken from the bundle itself"), said[0]);
        assertEquals(0, run(said, "verify-evidence", file.toString()), said[0]);
        assertTrue(said[0].contains("note: the keys were taken from the bundle itself"), said[0]);

        @SuppressWarnings("unchecked")
        Map<String, Object> second = (Map<String, Object>) ((List<Object>) b.get("chain")).get(1);
        second.put("canonical", ((String) second.get("canonical")).replace("op-1", "op-2"));
        Path edited = Files.writeString(dir.resolve("edited.json"), JSONObjectUtils.toJSONString(b));
        assertEquals(1, run(said, "verify-evidence", keys.toString(), edited.toString()), said[0]);
        assertTrue(said[0].startsWith("INVALID: entry 42: content changed, SHA-256 of its canonical string is not its "
                + "entryHash"), said[0]);
    }

    @Test
    @SuppressWarnings("unchecked")
    void fieldsShownBesideWhatIsSignedOrHashedAreCheckedToo(@TempDir Path dir) throws Exception {
        Path keys = Files.writeString(dir.resolve("keys.json"), jwks(key.publicJwk()));
        String[] said = new String[1];
        // the checkpoint's entryCount and payloadFormat are what its payload signs
        Map<String, Object> b = bundle();
        ((Map<String, Object>) b.get("checkpoint")).put("entryCount", 44);
        assertEquals(1, run(said, "verify-evidence", keys.toString(), write(dir, b)), said[0]);
        assertTrue(said[0].startsWith("INVALID: the checkpoint's entryCount 44 differs from the signed entryCount 43"),
                said[0]);
        b = bundle();
        ((Map<String, Object>) b.get("checkpoint")).put("payloadFormat", 1);
        assertEquals(1, run(said, "verify-evidence", keys.toString(), write(dir, b)), said[0]);
        assertTrue(said[0].startsWith("INVALID: the checkpoint's payloadFormat 1 is not the format of its signed "
                + "payload, 2"), said[0]);
        // a time-stamp time without the token it would come from
        b = bundle();
        ((Map<String, Object>) b.get("checkpoint")).put("timestampedAt", "2026-12-04T09:35:01Z");
        assertEquals(1, run(said, "verify-evidence", keys.toString(), write(dir, b)), said[0]);
        assertTrue(said[0].startsWith("INVALID: the checkpoint shows timestampedAt 2026-12-04T09:35:01Z without a "
                + "timestampToken"), said[0]);
        // a row in clear claiming redacted fields
        b = bundle();
        ((Map<String, Object>) ((List<Object>) b.get("chain")).get(1)).put("redactedFields", List.of("hiddenUntil"));
        assertEquals(1, run(said, "verify-evidence", keys.toString(), write(dir, b)), said[0]);
        assertTrue(said[0].startsWith("INVALID: entry 42: it shows redactedFields [hiddenUntil] beside its canonical "
                + "string"), said[0]);
    }

    static final Instant STAMPED = Instant.parse("2026-12-04T09:35:01Z");

    /** The bundle's checkpoint with this token and the time the exchange reads from it, as the exchange shows it. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> stamped(Map<String, Object> bundle, String token, Instant shown) {
        Map<String, Object> cp = (Map<String, Object>) bundle.get("checkpoint");
        cp.put("timestampToken", token);
        cp.put("timestampedAt", shown == null ? null : shown.toString());
        return bundle;
    }

    @SuppressWarnings("unchecked")
    static byte[] seal(Map<String, Object> bundle) {
        return ((String) ((Map<String, Object>) bundle.get("checkpoint")).get("signature"))
                .getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aTimeStampTokenIsCheckedWithThePinnedTsaCertificateOrSaidNotPinned(@TempDir Path dir) throws Exception {
        Tsa tsa = new Tsa("onenet test TSA", 1);
        Path keys = Files.writeString(dir.resolve("keys.json"), jwks(key.publicJwk()));
        Path pem = tsa.pem(dir, "tsa.pem");
        Map<String, Object> b = bundle();
        Path file = Files.writeString(dir.resolve("bundle.json"),
                JSONObjectUtils.toJSONString(stamped(b, tsa.stamp(seal(b), STAMPED), STAMPED)));
        String[] said = new String[1];
        // pinned: the token is the TSA's word
        assertEquals(0, run(said, "verify-evidence", "--tsa-cert", pem.toString(), keys.toString(), file.toString()),
                said[0]);
        assertTrue(said[0].startsWith("VALID: entry 41 is chained to the checkpoint at seq 43 "), said[0]);
        assertTrue(said[0].contains("3 recomputed from their canonical strings; time-stamped " + STAMPED
                + " by pinned TSA certificate CN=onenet test TSA"), said[0]);
        assertFalse(said[0].contains("not pinned"), said[0]);
        // not pinned: checked with the certificate it carries, and said so with that certificate's fingerprint
        assertEquals(0, run(said, "verify-evidence", keys.toString(), file.toString()), said[0]);
        assertTrue(said[0].contains("; time-stamped " + STAMPED + " by CN=onenet test TSA (the certificate in the "
                + "token, not pinned)"), said[0]);
        assertTrue(said[0].contains("note: the checkpoint's time-stamp token (genTime " + STAMPED + ") is over its "
                + "signature and verifies with the certificate it carries, " + TimeStampCheck.describe(tsa.certificate)
                + ", which is not pinned: this shows that the token is intact, not that a TSA you trust made it"),
                said[0]);
        // --require-pinned-key refuses the certificate in the token
        assertEquals(2, run(said, "verify-evidence", "--require-pinned-key", keys.toString(), file.toString()));
        assertEquals("--require-pinned-key: the bundle's checkpoint carries an RFC 3161 time-stamp token; give the "
                + "TSA's certificate with --tsa-cert <tsa.pem>, obtained from the TSA (not from the bundle or the "
                + "exchange): the certificate in the token is not used", said[0].strip());
        assertEquals(0, run(said, "verify-evidence", "--require-pinned-key", "--tsa-cert", pem.toString(),
                keys.toString(), file.toString()), said[0]);
        // a bundle without token needs no TSA certificate, even so
        Path plain = Files.writeString(dir.resolve("plain.json"), JSONObjectUtils.toJSONString(bundle()));
        assertEquals(0, run(said, "verify-evidence", "--require-pinned-key", keys.toString(), plain.toString()),
                said[0]);
        // a pinned certificate that is no time-stamping one is refused
        Path notTsa = new Tsa("not a TSA", 3, false).pem(dir, "not-tsa.pem");
        assertEquals(2, run(said, "verify-evidence", "--tsa-cert", notTsa.toString(), keys.toString(),
                file.toString()));
        assertTrue(said[0].startsWith("cannot read the pinned TSA certificate " + notTsa + ": CN=not a TSA is not a "
                + "time-stamping certificate"), said[0]);
    }

    @Test
    void aTokenOverOtherDataByAnotherKeyOrCarryingAnotherCertificateIsInvalidNamingTheCheckpoint(@TempDir Path dir)
            throws Exception {
        Tsa tsa = new Tsa("onenet test TSA", 1);
        // another key and certificate under the TSA's very name and serial
        Tsa forger = new Tsa("onenet test TSA", 1);
        Path keys = Files.writeString(dir.resolve("keys.json"), jwks(key.publicJwk()));
        String pem = tsa.pem(dir, "tsa.pem").toString();
        String[] said = new String[1];

        // over other data (another seal): whoever signed it
        Map<String, Object> b = bundle();
        String other = write(dir, stamped(b, tsa.stamp("another seal".getBytes(StandardCharsets.UTF_8), STAMPED),
                null));
        for (String[] args : List.of(new String[] { keys.toString(), other },
                new String[] { "--tsa-cert", pem, keys.toString(), other })) {
            assertEquals(1, run(said, concat("verify-evidence", args)), said[0]);
            assertTrue(said[0].startsWith("INVALID: the checkpoint at seq 43: its time-stamp token is over other data: "
                    + "its message imprint is not the hash of the checkpoint's signature"), said[0]);
        }

        // signed by another key: with the TSA's certificate pinned it does not verify; without a pin it holds with
        // the forger's certificate it carries, and the note names that certificate, not the TSA's
        b = bundle();
        String forged = write(dir, stamped(b, forger.stamp(seal(b), STAMPED), STAMPED));
        assertEquals(1, run(said, "verify-evidence", "--tsa-cert", pem, keys.toString(), forged), said[0]);
        assertTrue(said[0].startsWith("INVALID: the checkpoint at seq 43: its time-stamp token does not verify with "
                + "pinned TSA certificate CN=onenet test TSA: "), said[0]);
        assertEquals(0, run(said, "verify-evidence", keys.toString(), forged), said[0]);
        assertTrue(said[0].contains(TimeStampCheck.describe(forger.certificate) + ", which is not pinned"), said[0]);
        assertFalse(said[0].contains(TimeStampCheck.describe(tsa.certificate)), said[0]);
        // a TSA of another name than the pinned one
        b = bundle();
        String elsewhere = write(dir, stamped(b, new Tsa("other TSA", 7).stamp(seal(b), STAMPED), STAMPED));
        assertEquals(1, run(said, "verify-evidence", "--tsa-cert", pem, keys.toString(), elsewhere), said[0]);
        assertTrue(said[0].startsWith("INVALID: the checkpoint at seq 43: its time-stamp token is not signed by a "
                + "pinned TSA certificate (its signer: issuer CN=other TSA, serial 7)"), said[0]);

        // the TSA's token with the certificate it carries swapped for the forger's
        b = bundle();
        String swapped = write(dir, stamped(b, Tsa.withCertificates(tsa.stamp(seal(b), STAMPED),
                forger.certificate), STAMPED));
        assertEquals(1, run(said, "verify-evidence", keys.toString(), swapped), said[0]);
        assertTrue(said[0].startsWith("INVALID: the checkpoint at seq 43: its time-stamp token does not verify with "
                + "the certificate it carries, " + TimeStampCheck.describe(forger.certificate) + ": "), said[0]);
        assertEquals(1, run(said, "verify-evidence", "--tsa-cert", pem, keys.toString(), swapped), said[0]);
        assertTrue(said[0].startsWith("INVALID: the checkpoint at seq 43: its time-stamp token verifies with pinned "
                + "TSA certificate CN=onenet test TSA but carries another certificate under its name, "
                + TimeStampCheck.describe(forger.certificate) + ": the certificate was swapped"), said[0]);

        // a token that carries no certificate: the exchange shows no timestampedAt for it; with a pin it verifies
        b = bundle();
        String bare = write(dir, stamped(b, tsa.stampWithoutCertificate(seal(b), STAMPED), null));
        assertEquals(0, run(said, "verify-evidence", keys.toString(), bare), said[0]);
        assertTrue(said[0].contains("note: the checkpoint's time-stamp token (genTime " + STAMPED + ") is over its "
                + "signature but carries no certificate of its signer: who signed it was not checked"), said[0]);
        assertEquals(0, run(said, "verify-evidence", "--tsa-cert", pem, keys.toString(), bare), said[0]);
        assertTrue(said[0].contains("time-stamped " + STAMPED + " by pinned TSA certificate"), said[0]);
    }

    private static String[] concat(String first, String... rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    private static String write(Path dir, Map<String, Object> bundle) throws Exception {
        return Files.writeString(dir.resolve("tampered.json"), JSONObjectUtils.toJSONString(bundle)).toString();
    }

    @Test
    void argumentsAndFilesItCannotUseExitWithTwoAndSayWhy(@TempDir Path dir) throws Exception {
        Path keys = Files.writeString(dir.resolve("keys.json"), jwks(key.publicJwk()));
        Path bundle = Files.writeString(dir.resolve("bundle.json"), JSONObjectUtils.toJSONString(bundle()));
        String[] said = new String[1];
        assertEquals(2, run(said, "verify-evidence"));
        assertTrue(said[0].startsWith("usage: java -jar usage-log-verifier.jar verify-evidence"), said[0]);
        assertEquals(2, run(said, "verify-evidence", "--tsa-cert", "x", bundle.toString()));
        assertEquals(2, run(said, "verify-evidence", keys.toString(), bundle.toString(), bundle.toString()));
        // the bundle's own keys refused
        assertEquals(2, run(said, "verify-evidence", "--require-pinned-key", bundle.toString()));
        assertTrue(said[0].startsWith("--require-pinned-key: give the pinned JWKS"), said[0]);
        assertEquals(0, run(said, "verify-evidence", "--require-pinned-key", keys.toString(), bundle.toString()));
        assertEquals(2, run(said, "verify-evidence", keys.toString(), dir.resolve("missing.json").toString()));
        assertTrue(said[0].contains("cannot read the bundle " + dir.resolve("missing.json") + ": no such file"),
                said[0]);
        assertEquals(2, run(said, "verify-evidence", keys.toString(), dir.toString()));
        assertTrue(said[0].contains(": it is a directory"), said[0]);
        Path latin = Files.write(dir.resolve("latin.json"), new byte[] { '{', (byte) 0xE9, '}' });
        assertEquals(2, run(said, "verify-evidence", keys.toString(), latin.toString()));
        assertTrue(said[0].contains(": not UTF-8 text"), said[0]);
        Path text = Files.writeString(dir.resolve("text.json"), "not json", StandardCharsets.UTF_8);
        assertEquals(2, run(said, "verify-evidence", keys.toString(), text.toString()));
        assertTrue(said[0].contains(": not a JSON object"), said[0]);
        Path export = Files.writeString(dir.resolve("job.json"), "{\"id\":8,\"status\":\"READY\"}");
        assertEquals(2, run(said, "verify-evidence", keys.toString(), export.toString()));
        assertTrue(said[0].contains(": it holds no chain and checkpoint: not an evidence bundle"), said[0]);
        assertEquals(2, run(said, "verify-evidence", bundle.toString(), bundle.toString()));
        assertTrue(said[0].startsWith("cannot read the pinned JWKS " + bundle), said[0]);
        // JSON null, as the bundle or as the pinned JWKS
        Path nothing = Files.writeString(dir.resolve("null.json"), "null");
        assertUnusable(run(said, "verify-evidence", keys.toString(), nothing.toString()), said[0],
                "cannot read the bundle " + nothing + ": not a JSON object");
        assertUnusable(run(said, "verify-evidence", nothing.toString(), bundle.toString()), said[0],
                "cannot read the pinned JWKS " + nothing + ": not a JSON object");
        // a file that cannot be opened: a link that leads to itself
        Path loop = Files.createSymbolicLink(dir.resolve("loop.json"), dir.resolve("loop.json"));
        assertUnusable(run(said, "verify-evidence", keys.toString(), loop.toString()), said[0],
                "cannot read the bundle " + loop + ": ");
        // cut off in the middle
        String json = JSONObjectUtils.toJSONString(bundle());
        Path cut = Files.writeString(dir.resolve("cut.json"), json.substring(0, json.length() / 2));
        assertUnusable(run(said, "verify-evidence", keys.toString(), cut.toString()), said[0],
                "cannot read the bundle " + cut + ": not a JSON object");
    }

    /** Exit 2 with one line on stderr that starts so, never an exception's type or trace. */
    private static void assertUnusable(int code, String said, String start) {
        assertEquals(2, code, said);
        assertTrue(said.startsWith(start), said);
        assertEquals(1, said.strip().lines().count(), said);
        assertFalse(said.contains("Exception") || said.contains("\tat "), said);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aBundleWhoseMembersAreOfAnotherTypeThanTheExchangeWritesCannotBeCheckedExitTwo(@TempDir Path dir)
            throws Exception {
        Path keys = Files.writeString(dir.resolve("keys.json"), jwks(key.publicJwk()));
        String[] said = new String[1];
        Map<String, Object> b = bundle();
        ((List<Object>) b.get("chain")).set(1, 42);
        assertUnusable(run(said, "verify-evidence", keys.toString(), write(dir, b)), said[0],
                "cannot read the bundle " + dir.resolve("tampered.json") + ": chain row 2 is not an object");
        b = bundle();
        ((Map<String, Object>) ((List<Object>) b.get("chain")).get(1)).put("seq", "42");
        assertUnusable(run(said, "verify-evidence", keys.toString(), write(dir, b)), said[0],
                "cannot read the bundle " + dir.resolve("tampered.json") + ": chain row 2: field seq missing or not "
                        + "a whole number");
        b = bundle();
        ((Map<String, Object>) ((List<Object>) b.get("chain")).get(0)).put("canonical", List.of(41));
        assertUnusable(run(said, "verify-evidence", keys.toString(), write(dir, b)), said[0],
                "cannot read the bundle " + dir.resolve("tampered.json") + ": entry 41: field canonical missing or "
                        + "not a string");
        b = bundle();
        ((Map<String, Object>) b.get("checkpoint")).put("lastSeq", "43");
        assertUnusable(run(said, "verify-evidence", keys.toString(), write(dir, b)), said[0],
                "cannot read the bundle " + dir.resolve("tampered.json") + ": the checkpoint: field lastSeq missing or "
                        + "not a whole number");
        b = bundle();
        ((Map<String, Object>) b.get("checkpoint")).remove("signature");
        assertUnusable(run(said, "verify-evidence", keys.toString(), write(dir, b)), said[0],
                "cannot read the bundle " + dir.resolve("tampered.json") + ": the checkpoint: field signature missing "
                        + "or not a string");
        b = bundle();
        ((Map<String, Object>) b.get("checkpoint")).put("entryCount", "43");
        assertUnusable(run(said, "verify-evidence", keys.toString(), write(dir, b)), said[0],
                "cannot read the bundle " + dir.resolve("tampered.json") + ": the checkpoint: field entryCount "
                        + "missing or not a whole number");
        b = bundle();
        ((Map<String, Object>) b.get("checkpoint")).put("timestampToken", 5);
        assertUnusable(run(said, "verify-evidence", keys.toString(), write(dir, b)), said[0],
                "cannot read the bundle " + dir.resolve("tampered.json") + ": the checkpoint: field timestampToken is "
                        + "not a string");
        b = bundle();
        b.put("redaction", "sealed");
        assertUnusable(run(said, "verify-evidence", keys.toString(), write(dir, b)), said[0],
                "cannot read the bundle " + dir.resolve("tampered.json") + ": the redaction is not an object with "
                        + "payload and signature");
        b = bundle();
        b.put("redaction", Map.of("payload", 1, "signature", 2));
        assertUnusable(run(said, "verify-evidence", keys.toString(), write(dir, b)), said[0],
                "cannot read the bundle " + dir.resolve("tampered.json") + ": the redaction: field payload missing or "
                        + "not a string");
        // a JWKS that cannot be read cannot be compared with the pinned keys either (it was taken as none: valid)
        for (Object jwks : List.of("keys", Map.of("keys", Map.of("kid", "x")), Map.of("keys", List.of("x")))) {
            b = bundle();
            b.put("jwks", jwks);
            assertUnusable(run(said, "verify-evidence", keys.toString(), write(dir, b)), said[0],
                    "cannot read the bundle " + dir.resolve("tampered.json") + ": its jwks is not a JWKS");
            assertUnusable(run(said, "verify-evidence", write(dir, b)), said[0],
                    "cannot read the bundle " + dir.resolve("tampered.json") + ": its jwks is not a JWKS");
        }
        b = bundle();
        b.put("checkpoint", List.of(b.get("checkpoint")));
        assertUnusable(run(said, "verify-evidence", keys.toString(), write(dir, b)), said[0],
                "cannot read the bundle " + dir.resolve("tampered.json") + ": it holds no chain and checkpoint");
    }
}
