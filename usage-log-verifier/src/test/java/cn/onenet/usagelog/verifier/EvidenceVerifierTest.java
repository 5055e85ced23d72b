package cn.onenet.usagelog.verifier;

import static cn.onenet.usagelog.verifier.UsageLogVerifierSealTest.run;
import static cn.onenet.usagelog.verifier.UsageLogVerifierTest.jwks;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
    }
}
