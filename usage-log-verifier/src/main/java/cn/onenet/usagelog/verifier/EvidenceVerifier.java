package cn.onenet.usagelog.verifier;

import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.bouncycastle.cert.X509CertificateHolder;

import com.nimbusds.jose.util.JSONArrayUtils;
import com.nimbusds.jose.util.JSONObjectUtils;

import cn.onenet.usagelog.verifier.UsageLogVerifier.Broken;

/**
 * Checks an evidence bundle of the exchange's usage log ({@code GET /api/exchange/v1/usage-log/{seq}/evidence}): the
 * entry and the chained entries after it up to a signed checkpoint, their canonical strings (the hashed preimages, of
 * entryFormat 1, 2 or 3), the checkpoint, for an admin's bundle the 主管部门's seal over the entries redacted for it
 * ({@code redaction}), and the JWKS. Each hash is recomputed from its canonical string, each {@code prevHash} link
 * followed, the checkpoint's seal checked and its head matched with the chain's last entry, the redaction seal checked
 * and each redacted entry found in it, and in an auditor's bundle each covert date opened against its commitment. The
 * fields a row shows beside its canonical string must be the hashed ones: a reader takes them for the entry's.
 * <p>
 * Keys: those of a JWKS the auditor pinned (the exchange publishes the checkpoint keys at {@code GET
 * /api/exchange/v1/usage-log/checkpoint-keys}); the bundle's own {@code jwks} must then hold no other key under a
 * pinned kid. Without a pinned JWKS the bundle's own keys are used, which shows that the bundle holds together, not
 * who signed it (said in a note; {@code --require-pinned-key} refuses to check so).
 * <p>
 * The checkpoint's RFC 3161 time-stamp token is checked with a TSA certificate the auditor pinned ({@code --tsa-cert},
 * obtained from the TSA), or without one with the certificate the token carries, which a note says is not pinned
 * ({@code --require-pinned-key} then refuses a stamped bundle). A bundle that is no JSON object, or whose members are
 * missing or of another JSON type than the exchange writes, is unusable (exit 2), not INVALID: it proves nothing.
 */
public final class EvidenceVerifier {

    static final String COMMAND = "verify-evidence";
    static final String USAGE = COMMAND + " [--require-pinned-key] [--tsa-cert <tsa.pem>]... [<pinned-jwks.json>] "
            + "<bundle.json>";

    /** The fields a row shows, by their place in every canonical array (the same in all three formats). */
    private static final List<String> SHOWN = List.of("seq", "loggedAt", "requestId", "clientId", "userSub",
            "consumerDepartmentCode", "grantId", "purpose", "legalBasis", "resourceCode", "providerDepartmentCode",
            "items", "subjectHashes", "operation", "outcome");
    /** What a hidden field reads in a redacted canonical string. */
    static final String REDACTED = "[redacted]";
    /** Where a format-1 canonical string holds hiddenUntil (in clear). */
    private static final int CLEAR_DATE_FIELD = 15;
    /** Public members of a JWK: two keys under one kid are the same key when these agree. */
    private static final List<String> KEY_MEMBERS = List.of("kty", "crv", "x", "y", "n", "e");

    /**
     * What the check found: {@code summary} for a valid bundle, else {@code problem} naming the entry (or the
     * checkpoint, the redaction seal, the JWKS) and what is wrong; {@code notes} what a valid result does not cover.
     */
    public record Result(boolean valid, String summary, String problem, long entries, long redacted, long opened,
            List<String> notes) {

        /** One paragraph for a person: VALID or INVALID first. */
        public String describe() {
            return SealVerifier.describe(valid, summary, problem, notes);
        }
    }

    /**
     * {@code --require-pinned-key} and a bundle whose checkpoint carries a time-stamp token, but no TSA certificate
     * pinned: the token's signer would be taken from the token itself.
     */
    public static final class TsaPinRequired extends Exception {
        private static final long serialVersionUID = 1L;

        TsaPinRequired(String message) {
            super(message, null, false, false);
        }
    }

    /** The pinned keys and the JWKS they came from; null: the bundle's own. */
    private final PinnedKeys pinned;
    private final Map<String, Map<String, Object>> pinnedJwks;
    /** Pinned TSA certificates; none: a time-stamp token is checked with the certificate it carries (noted). */
    private final List<X509CertificateHolder> tsaCertificates = new ArrayList<>();
    /** Whether a time-stamp token without a pinned TSA certificate makes the bundle unusable. */
    private boolean requirePinnedTsa;

    private EvidenceVerifier(PinnedKeys pinned, Map<String, Map<String, Object>> pinnedJwks) {
        this.pinned = pinned;
        this.pinnedJwks = pinnedJwks;
    }

    /** A verifier trusting exactly the keys of this JWKS (JSON {@code {"keys": [...]}}). */
    public static EvidenceVerifier pinning(String jwksJson) throws ParseException {
        return new EvidenceVerifier(PinnedKeys.parse(jwksJson), byKid(UsageLogVerifier.object(jwksJson)));
    }

    /**
     * A verifier using each bundle's own JWKS: it shows that a bundle holds together, not that the exchange signed it
     * (anyone can sign a bundle with a key of their own and put that key beside it).
     */
    public static EvidenceVerifier withTheBundlesOwnKeys() {
        return new EvidenceVerifier(null, null);
    }

    /**
     * Also trusts the TSA certificates of this PEM (or DER) file for the checkpoint's time-stamp token, instead of the
     * certificate the token carries; each must be a time-stamping certificate (its only extended key usage
     * id-kp-timeStamping, critical). Obtain it from the TSA: a certificate found in the bundle is no pin.
     */
    public EvidenceVerifier pinningTsa(Path certificateFile) throws IOException, GeneralSecurityException {
        tsaCertificates.addAll(TimeStampCheck.readPinned(certificateFile));
        return this;
    }

    /**
     * Refuses ({@link TsaPinRequired}) to check a time-stamp token with the certificate it carries: a bundle whose
     * checkpoint carries one needs a pinned TSA certificate.
     */
    public EvidenceVerifier requiringPinnedTsa() {
        requirePinnedTsa = true;
        return this;
    }

    /**
     * Checks one bundle (JSON as the exchange answered it); unusable when it is not a bundle this verifier can take
     * apart: not a JSON object, or a member missing or of another JSON type than the exchange writes.
     */
    @SuppressWarnings("unchecked")
    public Result verify(String bundleJson) throws SealVerifier.Unusable, TsaPinRequired {
        Map<String, Object> bundle;
        try {
            bundle = UsageLogVerifier.object(bundleJson);
        } catch (ParseException e) {
            throw new SealVerifier.Unusable("not a JSON object");
        }
        if (!(bundle.get("chain") instanceof List<?> chain) || chain.isEmpty()
                || !(bundle.get("checkpoint") instanceof Map<?, ?> checkpoint)) {
            throw new SealVerifier.Unusable("it holds no chain and checkpoint: not an evidence bundle (GET "
                    + "/api/exchange/v1/usage-log/{seq}/evidence)");
        }
        Map<String, Object> jwks = jwks(bundle);
        if (requirePinnedTsa && tsaCertificates.isEmpty() && checkpoint.get("timestampToken") != null) {
            throw new TsaPinRequired("--require-pinned-key: the bundle's checkpoint carries an RFC 3161 time-stamp "
                    + "token; give the TSA's certificate with --tsa-cert <tsa.pem>, obtained from the TSA (not from "
                    + "the bundle or the exchange): the certificate in the token is not used");
        }
        PinnedKeys keys = pinned;
        if (keys == null) {
            if (jwks == null) {
                throw new SealVerifier.Unusable("it carries no jwks, and no pinned JWKS was given");
            }
            try {
                keys = PinnedKeys.parse(JSONObjectUtils.toJSONString(jwks));
            } catch (ParseException e) {
                throw new SealVerifier.Unusable("its jwks cannot be read: " + e.getMessage());
            }
        }
        Check check = new Check(keys);
        try {
            check.run(bundle, (List<Object>) chain, (Map<String, Object>) checkpoint, jwks);
        } catch (UsageLogVerifier.Malformed m) {
            // a member missing or of another type: the file is not a bundle as the exchange writes one
            throw new SealVerifier.Unusable(m.getMessage());
        } catch (Broken b) {
            return new Result(false, null, b.getMessage(), check.entries, check.redacted, check.opened, check.notes);
        }
        return new Result(true, check.summary, null, check.entries, check.redacted, check.opened, check.notes);
    }

    /** One pass over one bundle. */
    private final class Check {
        private final PinnedKeys keys;
        private final List<String> notes = new ArrayList<>();
        /** [seq, entryHash, redactedCanonical] of each entry the redaction seal vouches for. */
        private final Set<String> vouched = new HashSet<>();
        private long entries;
        private long redacted;
        private long opened;
        private long unopened;
        private String summary;
        /** Who time-stamped the checkpoint, for the summary; null when no token's signer was checked. */
        private String stampedBy;

        Check(PinnedKeys keys) {
            this.keys = keys;
        }

        @SuppressWarnings("unchecked")
        void run(Map<String, Object> bundle, List<Object> chain, Map<String, Object> cp, Map<String, Object> jwks)
                throws Broken {
            if (pinnedJwks != null) {
                sameKeysAsPinned(jwks);
            }
            // the checkpoint: its seal by a (pinned) key, and the head it signs
            PinnedKeys.Verified signedBy;
            String department;
            long lastSeq;
            String lastHash;
            String signedAt;
            try {
                signedBy = seal("the checkpoint", cp, "checkpointPayload");
                department = department(signedBy.kid());
                lastSeq = UsageLogVerifier.number(cp, "lastSeq");
                lastHash = UsageLogVerifier.hash(cp, "lastHash");
                signedAt = signedHead(cp, signedBy.kid(), department, lastSeq, lastHash);
            } catch (UsageLogVerifier.Malformed m) {
                throw m.prefixed("the checkpoint: ");
            }
            if (cp.get("kid") != null && !signedBy.kid().equals(cp.get("kid"))) {
                throw new Broken("the checkpoint names key " + cp.get("kid") + " but it is signed with "
                        + signedBy.kid());
            }
            if (bundle.get("redaction") instanceof Map<?, ?> redaction) {
                try {
                    redaction((Map<String, Object>) redaction, department);
                } catch (UsageLogVerifier.Malformed m) {
                    throw m.prefixed("the redaction: ");
                }
            } else if (bundle.get("redaction") != null) {
                throw new UsageLogVerifier.Malformed("the redaction is not an object with payload and signature");
            }
            // the chain, row by row
            String prev = null;
            long first = 0;
            long seq = 0;
            for (int i = 0; i < chain.size(); i++) {
                if (!(chain.get(i) instanceof Map<?, ?> row)) {
                    throw new UsageLogVerifier.Malformed("chain row " + (i + 1) + " is not an object");
                }
                long expected = i == 0 ? 0 : seq + 1;
                seq = rowSeq((Map<String, Object>) row, i, expected);
                if (i == 0) {
                    first = seq;
                }
                prev = row((Map<String, Object>) row, seq, i == 0 ? null : prev);
                entries++;
            }
            if (seq != lastSeq) {
                throw new Broken("the chain ends at entry " + seq + ", the checkpoint signs entry " + lastSeq
                        + (seq < lastSeq ? ": entries were removed from its end" : ": entries were added after it"));
            }
            if (!prev.equals(lastHash)) {
                throw new Broken("entry " + seq + ": the checkpoint signs another hash for it (" + lastHash + ")");
            }
            if (bundle.get("entry") != null && !same(bundle.get("entry"), chain.get(0))) {
                throw new Broken("the bundle's entry is not the first row of its chain (entry " + first + ")");
            }
            summary = "entry " + first + " is chained to the checkpoint at seq " + lastSeq + (signedAt == null ? ""
                    : " signed " + signedAt) + " by " + (department == null ? "" : "department " + department + " with ")
                    + (pinned != null ? "pinned key " : "key ") + signedBy.kid() + " ("
                    + signedBy.header().getAlgorithm().getName() + ")" + (pinned != null ? ""
                            : " of the bundle's own JWKS")
                    + ": " + entries + " entries, seq " + first + "–" + lastSeq + ", " + (entries - redacted)
                    + " recomputed from their canonical strings" + (redacted > 0 ? ", " + redacted
                            + " vouched for by the redaction seal" : "")
                    + (opened > 0 ? "; " + opened + " covert date" + (opened > 1 ? "s" : "") + " opened" : "")
                    + (stampedBy == null ? "" : "; " + stampedBy);
            notes(chain, first);
        }

        private void notes(List<Object> chain, long first) {
            if (pinned == null) {
                notes.add("the keys were taken from the bundle itself (its jwks): this shows that the bundle holds "
                        + "together, not that the exchange signed it (anyone can sign a bundle with a key of their "
                        + "own and put the key beside it); give the pinned checkpoint keys (GET "
                        + "/api/exchange/v1/usage-log/checkpoint-keys) before the bundle");
            }
            Object link = ((Map<?, ?>) chain.get(0)).get("prevHash");
            notes.add("entry " + first + "'s prevHash" + (link == null ? "" : " " + link) + " links to entry "
                    + (first - 1) + ", which is not in the bundle: the chain before it is shown by an export of its "
                    + "period");
            if (redacted > 0) {
                notes.add(redacted + " entries are redacted for this reader (a covert query's date in clear, "
                        + "entryFormat 1): their links were checked and the redaction seal vouches for their hashes; "
                        + "an auditor's bundle holds their canonical strings");
            }
            if (unopened > 0) {
                notes.add(unopened + " covert entries hash only the commitment of their date: their hashes were "
                        + "recomputed, the dates are not shown to this reader (an auditor's bundle opens them)");
            }
        }

        /**
         * Each key the bundle's JWKS holds under a pinned kid must be the pinned key: a reader who trusts the bundle's
         * keys would otherwise trust another.
         */
        private void sameKeysAsPinned(Map<String, Object> jwks) throws Broken {
            Map<String, Map<String, Object>> shown = byKid(jwks);
            for (Map.Entry<String, Map<String, Object>> k : shown.entrySet()) {
                Map<String, Object> mine = pinnedJwks.get(k.getKey());
                if (mine != null && KEY_MEMBERS.stream().anyMatch(m -> !Objects.equals(mine.get(m),
                        k.getValue().get(m)))) {
                    throw new Broken("the bundle's jwks holds another key under kid " + k.getKey() + " than the "
                            + "pinned one: its keys are not the exchange's");
                }
            }
            if (jwks == null) {
                notes.add("the bundle carries no jwks");
            }
        }

        /** A detached JWS over {@code payloadField}'s UTF-8 bytes by one of the keys, of a type this verifier knows. */
        private PinnedKeys.Verified seal(String what, Map<String, Object> o, String payloadField) throws Broken {
            String payload = UsageLogVerifier.text(o, payloadField);
            PinnedKeys.Verified v;
            try {
                v = keys.check(what, UsageLogVerifier.text(o, "signature"), payload);
            } catch (PinnedKeys.Refused r) {
                // without a pinned JWKS the keys are the bundle's own
                String why = pinned != null ? r.getMessage() : r.getMessage().replace("among the pinned keys",
                        "in the bundle's jwks").replace("pinned key", "the bundle's key");
                throw new Broken(why + (why.contains("does not verify")
                        ? ": " + payloadField + " is not what was signed, or the signature was made with another key"
                        : ""));
            }
            if (!v.checked()) {
                throw new Broken(what + " is signed with key " + v.kid() + " of a type this verifier does not know ("
                        + keys.unusableType(v.kid()) + "): the bundle cannot be checked");
            }
            return v;
        }

        /**
         * The checkpoint's signed payload names the head it shows (format 2 also the key, the 主管部门, the entry count
         * and the time, which it returns; the older payload only the head).
         */
        private String signedHead(Map<String, Object> cp, String kid, String department, long lastSeq,
                String lastHash) throws Broken {
            Map<String, Object> p;
            try {
                p = UsageLogVerifier.object(UsageLogVerifier.text(cp, "checkpointPayload"));
            } catch (ParseException e) {
                throw new Broken("the checkpoint's signed payload is not JSON");
            }
            String signedAt = null;
            if (p.get("format") == null) {
                if (!Set.of("lastSeq", "lastHash").equals(p.keySet())) {
                    throw new Broken("the checkpoint's signed payload is of no known format");
                }
                notes.add("the checkpoint is of the older payload (format 1): it signs the head, not its time");
                if (cp.get("entryCount") != null) {
                    throw new Broken("the checkpoint shows entryCount " + cp.get("entryCount") + ", which its older "
                            + "payload (format 1) does not sign");
                }
            } else {
                if (UsageLogVerifier.number(p, "format") != 2) {
                    throw new Broken("the checkpoint's payload is of unknown format " + p.get("format"));
                }
                if (!kid.equals(p.get("kid"))) {
                    throw new Broken("the checkpoint's payload names key " + p.get("kid") + " but it is signed with "
                            + kid);
                }
                if (department != null && !department.equals(p.get("department"))) {
                    throw new Broken("the checkpoint's payload names department " + p.get("department") + " but it "
                            + "is signed with department " + department + "'s key " + kid);
                }
                if (UsageLogVerifier.number(p, "entryCount") != UsageLogVerifier.number(p, "lastSeq")) {
                    throw new Broken("the checkpoint's entryCount differs from its lastSeq");
                }
                if (UsageLogVerifier.optionalNumber(cp, "entryCount") != null
                        && !same(cp.get("entryCount"), p.get("entryCount"))) {
                    throw new Broken("the checkpoint's entryCount " + cp.get("entryCount") + " differs from the "
                            + "signed entryCount " + p.get("entryCount"));
                }
                if (cp.get("createdAt") != null && !UsageLogVerifier.instant(cp, "createdAt")
                        .equals(UsageLogVerifier.instant(p, "createdAt"))) {
                    throw new Broken("the checkpoint's createdAt " + cp.get("createdAt") + " differs from the signed "
                            + "time " + p.get("createdAt"));
                }
                signedAt = UsageLogVerifier.instant(p, "createdAt").toString();
            }
            if (UsageLogVerifier.number(p, "lastSeq") != lastSeq || !lastHash.equals(p.get("lastHash"))) {
                throw new Broken("the checkpoint's lastSeq or lastHash differ from what it signed");
            }
            long payloadFormat = p.get("format") == null ? 1 : 2;
            if (UsageLogVerifier.optionalNumber(cp, "payloadFormat") != null
                    && !same(cp.get("payloadFormat"), payloadFormat)) {
                throw new Broken("the checkpoint's payloadFormat " + cp.get("payloadFormat") + " is not the format of "
                        + "its signed payload, " + payloadFormat);
            }
            timeStamp(cp, lastSeq);
            return signedAt;
        }

        /**
         * The checkpoint's {@code timestampToken}: an RFC 3161 token over the UTF-8 bytes of its signature that
         * verifies with a pinned TSA certificate, or without one with the certificate it carries (noted: that shows
         * the token intact, not who made it). Its {@code timestampedAt} is what the exchange reads from it: the
         * token's genTime when it is a stamp over the seal that verifies with the certificate it carries, else none.
         */
        private void timeStamp(Map<String, Object> cp, long lastSeq) throws Broken {
            Object token = cp.get("timestampToken");
            Object shown = cp.get("timestampedAt");
            if (token == null) {
                if (shown != null) {
                    throw new Broken("the checkpoint shows timestampedAt " + shown + " without a timestampToken");
                }
                if (!tsaCertificates.isEmpty()) {
                    notes.add("the checkpoint carries no time-stamp token (the exchange has no TSA configured, or it "
                            + "did not answer): the pinned TSA certificate was not used");
                }
                return;
            }
            if (!(token instanceof String t)) {
                throw new UsageLogVerifier.Malformed("field timestampToken is not a string");
            }
            byte[] sealed = UsageLogVerifier.text(cp, "signature").getBytes(StandardCharsets.UTF_8);
            TimeStampCheck.Verified v;
            try {
                v = TimeStampCheck.check(t, sealed, tsaCertificates);
            } catch (TimeStampCheck.Refused r) {
                throw new Broken("the checkpoint at seq " + lastSeq + ": its time-stamp token " + r.getMessage());
            }
            java.time.Instant genTime = TimeStampCheck.selfSignedGenTime(t, sealed);
            if (!Objects.equals(genTime == null ? null : genTime.toString(), shown == null ? null
                    : normalised(shown))) {
                throw new Broken("the checkpoint's timestampedAt " + shown + " is not the time its timestampToken "
                        + (genTime == null ? "stamps (it is no stamp over the checkpoint's signature that verifies "
                                + "with the certificate it carries)" : "stamps, " + genTime));
            }
            if (v.pinned()) {
                stampedBy = "time-stamped " + v.genTime() + " by pinned TSA certificate " + v.signer().getSubject();
            } else if (v.signer() != null) {
                stampedBy = "time-stamped " + v.genTime() + " by " + v.signer().getSubject() + " (the certificate "
                        + "in the token, not pinned)";
                notes.add("the checkpoint's time-stamp token (genTime " + v.genTime() + ") is over its signature and "
                        + "verifies with the certificate it carries, " + v.signerDescription() + ", which is not "
                        + "pinned: this shows that the token is intact, not that a TSA you trust made it (anyone can "
                        + "make a token with a certificate of their own); give the TSA's certificate, obtained from "
                        + "the TSA, with --tsa-cert");
            } else {
                notes.add("the checkpoint's time-stamp token (genTime " + v.genTime() + ") is over its signature but "
                        + "carries no certificate of its signer: who signed it was not checked; give the TSA's "
                        + "certificate with --tsa-cert");
            }
        }

        /** The 主管部门's seal over the redacted entries: by the checkpoint's department, listing each. */
        @SuppressWarnings("unchecked")
        private void redaction(Map<String, Object> redaction, String department) throws Broken {
            PinnedKeys.Verified v = seal("the redaction seal", redaction, "payload");
            String by = department(v.kid());
            if (!Objects.equals(by, department)) {
                throw new Broken("the redaction seal is department " + by + "'s (key " + v.kid() + "), not the "
                        + "department's that signs the checkpoint, " + department);
            }
            Object listed;
            try {
                listed = UsageLogVerifier.object(UsageLogVerifier.text(redaction, "payload")).get("entries");
            } catch (ParseException e) {
                throw new Broken("the redaction seal's payload is not JSON");
            }
            if (!(listed instanceof List<?> entries)) {
                throw new Broken("the redaction seal's payload lists no entries");
            }
            for (Object e : entries) {
                if (!(e instanceof List<?> l) || l.size() != 3 || !(l.get(0) instanceof Number n)) {
                    throw new Broken("the redaction seal's payload lists an entry that is not [seq, entryHash, "
                            + "redactedCanonical]");
                }
                vouched.add(claim(n.longValue(), l.get(1), l.get(2)));
            }
        }

        /** The row's sequence number: the one after the previous row's. */
        private long rowSeq(Map<String, Object> row, int i, long expected) throws Broken {
            long seq;
            try {
                seq = UsageLogVerifier.number(row, "seq");
            } catch (Broken b) {
                throw b.prefixed("chain row " + (i + 1) + ": ");
            }
            if (i > 0 && seq > expected) {
                throw new Broken(seq == expected + 1 ? "entry " + expected + " is missing"
                        : "entries " + expected + "–" + (seq - 1) + " are missing");
            }
            if (i > 0 && seq < expected) {
                throw new Broken("entry " + seq + " repeated or out of order (expected " + expected + ")");
            }
            return seq;
        }

        /** One chained entry, {@code prev} the previous row's hash (null for the first); its own hash. */
        private String row(Map<String, Object> row, long seq, String prev) throws Broken {
            try {
                return entry(row, seq, prev);
            } catch (Broken b) {
                throw b.getMessage().startsWith("entry ") ? b : b.prefixed("entry " + seq + ": ");
            }
        }

        private String entry(Map<String, Object> row, long seq, String prev) throws Broken {
            String entryHash = UsageLogVerifier.hash(row, "entryHash");
            boolean clear = row.get("canonical") != null;
            if (!clear && row.get("redactedCanonical") == null) {
                throw new Broken("neither canonical nor redactedCanonical");
            }
            String text = UsageLogVerifier.text(row, clear ? "canonical" : "redactedCanonical");
            List<Object> fields;
            try {
                fields = JSONArrayUtils.parse(text);
            } catch (ParseException e) {
                throw new Broken("its canonical string is not a JSON array");
            }
            Object closing = fields.isEmpty() ? null : fields.get(fields.size() - 1);
            long format = closing instanceof Number f ? f.longValue() : 1;
            // format 1: 15 fields, hiddenUntil, prevHash; 2: the commitment in the date's place, prevHash, 2;
            // 3: as 2 with the reason after the outcome, closing with 3; 4: as 3 with a grant's terms (a JSON
            // document as a string) after the reason, closing with 4
            int size = format == 1 ? 17 : format == 2 ? 18 : format == 3 ? 19 : format == 4 ? 20 : -1;
            if (size < 0) {
                throw new Broken("its canonical string is of unknown entryFormat " + closing);
            }
            if (fields.size() != size) {
                throw new Broken("its canonical string has " + fields.size() + " elements, entryFormat " + format
                        + " has " + size);
            }
            if (!(fields.get(0) instanceof Number n) || n.longValue() != seq) {
                throw new Broken("its canonical string names another sequence number (" + fields.get(0) + ")");
            }
            Object link = fields.get(format == 1 ? size - 1 : size - 2);
            if (prev != null && !prev.equals(link)) {
                throw new Broken("chain broken, its prevHash is not the hash of entry " + (seq - 1));
            }
            if (clear && !UsageLogVerifier.sha256(text).equals(entryHash)) {
                throw new Broken("content changed, SHA-256 of its canonical string is not its entryHash");
            }
            if (!clear) {
                if (format != 1 || !REDACTED.equals(fields.get(CLEAR_DATE_FIELD))) {
                    throw new Broken("its redactedCanonical is not an entry of format 1 with hiddenUntil \"" + REDACTED
                            + "\"");
                }
                if (!vouched.contains(claim(seq, entryHash, text))) {
                    throw new Broken("redacted, but the redaction seal does not vouch for its redactedCanonical and "
                            + "entryHash");
                }
                redacted++;
            }
            shown(row, fields, format, clear, link);
            return entryHash;
        }

        /** The fields the row shows beside its canonical string are the hashed ones; an auditor's dates open. */
        private void shown(Map<String, Object> row, List<Object> fields, long format, boolean clear, Object link)
                throws Broken {
            for (int f = 0; f < SHOWN.size(); f++) {
                differs(row, SHOWN.get(f), fields.get(f));
            }
            if (format == 3 || format == 4) {
                differs(row, "reason", fields.get(15));
            } else if (row.get("reason") != null) {
                throw new Broken("it shows a reason, which its entryFormat " + format + " does not hash");
            }
            if (format == 4) {
                grantTerms(row, fields.get(16));
            } else if (row.get("grantTerms") != null) {
                throw new Broken("it shows grantTerms, which its entryFormat " + format + " does not hash");
            }
            differs(row, "prevHash", link);
            if (row.get("entryFormat") != null && UsageLogVerifier.number(row, "entryFormat") != format) {
                throw new Broken("entryFormat " + row.get("entryFormat") + " is not its canonical string's format "
                        + format);
            }
            if (clear && row.get("redactedFields") != null) {
                throw new Broken("it shows redactedFields " + row.get("redactedFields") + " beside its canonical "
                        + "string, of which nothing is redacted");
            }
            if (format == 1) {
                // format 1 hashes the date in clear: no salt, no commitment
                unhashed(row, "hiddenUntilCommitment", "its entryFormat 1 has none (the date is hashed in clear)");
                unhashed(row, "hiddenUntilSalt", "its entryFormat 1 has none (the date is hashed in clear)");
                if (clear) {
                    differs(row, "hiddenUntil", fields.get(CLEAR_DATE_FIELD));
                } else {
                    unhashed(row, "hiddenUntil", "its date is redacted: no hash or seal covers a date shown beside it");
                    redactedFields(row, fields);
                }
                return;
            }
            Object commitment = fields.get(format == 4 ? 17 : format == 3 ? 16 : 15);
            differs(row, "hiddenUntilCommitment", commitment);
            Object date = row.get("hiddenUntil");
            Object salt = row.get("hiddenUntilSalt");
            if (date != null || salt != null) {
                if (!(date instanceof String d) || !(salt instanceof String s) || !(commitment instanceof String c)
                        || !c.equals(commitment(s, d))) {
                    throw new Broken("hiddenUntil " + date + " does not open its commitment with hiddenUntilSalt: "
                            + "the date shown is not the one logged");
                }
                opened++;
            } else if (commitment != null && row.containsKey("hiddenUntilSalt")) {
                throw new Broken("a covert entry whose hiddenUntil and hiddenUntilSalt are shown empty: its commitment "
                        + "is not opened");
            } else if (commitment != null) {
                unopened++;
            }
        }

        /** A field the row may show only empty: nothing hashed or sealed covers a value in it. */
        private void unhashed(Map<String, Object> row, String field, String why) throws Broken {
            if (row.get(field) != null) {
                throw new Broken("it shows " + field + " " + row.get(field) + ", but " + why);
            }
        }

        /** A redacted row's redactedFields name fields its redactedCanonical hides, the date among them. */
        private void redactedFields(Map<String, Object> row, List<Object> fields) throws Broken {
            Object named = row.get("redactedFields");
            if (named == null) {
                return;
            }
            if (!(named instanceof List<?> list) || !list.contains("hiddenUntil")) {
                throw new Broken("its redactedFields " + named + " do not name hiddenUntil, which its "
                        + "redactedCanonical hides");
            }
            for (Object f : list) {
                int at = f instanceof String name ? SHOWN.indexOf(name) : -1;
                if ("hiddenUntil".equals(f)) {
                    at = CLEAR_DATE_FIELD;
                }
                if (at < 0 || !REDACTED.equals(fields.get(at))) {
                    throw new Broken("its redactedFields name " + f + ", which its redactedCanonical does not hide");
                }
            }
        }

        /** The grant terms a row shows (an object) are the document its canonical string hashes (a string). */
        private void grantTerms(Map<String, Object> row, Object hashed) throws Broken {
            if (!(hashed instanceof String text)) {
                throw new Broken("its entryFormat 4 hashes no grant terms");
            }
            if (row.get("grantTerms") == null) {
                return;
            }
            try {
                if (!UsageLogVerifier.object(text).equals(row.get("grantTerms"))) {
                    throw new Broken("its grantTerms are not the ones its canonical string hashes");
                }
            } catch (ParseException e) {
                throw new Broken("its hashed grant terms are not a JSON object");
            }
        }

        private void differs(Map<String, Object> row, String field, Object hashed) throws Broken {
            if (row.containsKey(field) && !same(row.get(field), hashed)) {
                throw new Broken("its " + field + " " + row.get(field) + " is not the one its canonical string hashes ("
                        + hashed + ")");
            }
        }
    }

    /** The department whose seal key this is: the exchange names a key {@code <统一社会信用代码>-<suffix>}. */
    private static String department(String kid) {
        Matcher m = SealVerifier.KID_DEPARTMENT.matcher(kid);
        return m.matches() ? m.group(1) : null;
    }

    /** An instant as {@link java.time.Instant#toString()} writes it; the text itself when it is none. */
    private static String normalised(Object instant) {
        try {
            return java.time.Instant.parse(String.valueOf(instant)).toString();
        } catch (java.time.format.DateTimeParseException e) {
            return String.valueOf(instant);
        }
    }

    private static String claim(long seq, Object entryHash, Object text) {
        return seq + "\n" + entryHash + "\n" + text;
    }

    /** hex(HMAC-SHA256(key = the salt's bytes, message = the date's UTF-8)); null for a salt that is not hex. */
    static String commitment(String saltHex, String date) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(HexFormat.of().parseHex(saltHex), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(date.getBytes(StandardCharsets.UTF_8)));
        } catch (IllegalArgumentException e) {
            return null;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** JSON values alike: numbers by value (1 and 1.0), lists and objects member by member. */
    static boolean same(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return new BigDecimal(x.toString()).compareTo(new BigDecimal(y.toString())) == 0;
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (int i = 0; i < x.size(); i++) {
                if (!same(x.get(i), y.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
            return x.keySet().equals(y.keySet()) && x.keySet().stream().allMatch(k -> same(x.get(k), y.get(k)));
        }
        return Objects.equals(a, b);
    }

    /**
     * The bundle's {@code jwks}: null when absent; an object whose {@code keys} are objects naming their kid, else the
     * bundle is unusable (with the pinned keys its JWKS is still compared with them: one that cannot be read cannot be).
     */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> jwks(Map<String, Object> bundle) throws SealVerifier.Unusable {
        Object jwks = bundle.get("jwks");
        if (jwks == null) {
            return null;
        }
        if (!(jwks instanceof Map<?, ?> m) || !(m.get("keys") instanceof List<?> keys)
                || !keys.stream().allMatch(k -> k instanceof Map<?, ?> key && key.get("kid") instanceof String)) {
            throw new SealVerifier.Unusable("its jwks is not a JWKS: an object whose keys are objects with a kid");
        }
        return (Map<String, Object>) m;
    }

    /** A JWKS's keys by kid (none for null or a JWKS without keys). */
    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> byKid(Map<String, Object> jwks) {
        Map<String, Map<String, Object>> byKid = new HashMap<>();
        if (jwks != null && jwks.get("keys") instanceof List<?> keys) {
            for (Object k : keys) {
                if (k instanceof Map<?, ?> m && m.get("kid") instanceof String kid) {
                    byKid.put(kid, (Map<String, Object>) m);
                }
            }
        }
        return byKid;
    }

    /**
     * {@code verify-evidence [--require-pinned-key] [--tsa-cert <tsa.pem>]... [<pinned-jwks.json>] <bundle.json>}:
     * exit 0 valid, 1 not, 2 unusable (wrong arguments, an unreadable JWKS, TSA certificate or bundle, a bundle it
     * cannot take apart, {@code --require-pinned-key} without a pinned JWKS, or without a pinned TSA certificate for a
     * bundle whose checkpoint carries a time-stamp token), one line on {@code err}.
     */
    static int run(String[] args, PrintStream out, PrintStream err) {
        boolean requirePinned = false;
        List<String> tsaFiles = new ArrayList<>();
        List<String> files = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            if ("--require-pinned-key".equals(args[i])) {
                requirePinned = true;
            } else if ("--tsa-cert".equals(args[i]) && i + 1 < args.length) {
                tsaFiles.add(args[++i]);
            } else if (args[i].startsWith("--")) {
                files.clear();
                break;
            } else {
                files.add(args[i]);
            }
        }
        if (files.isEmpty() || files.size() > 2) {
            err.println("usage: java -jar usage-log-verifier.jar " + USAGE);
            return UsageLogVerifier.UNUSABLE;
        }
        if (requirePinned && files.size() == 1) {
            err.println("--require-pinned-key: give the pinned JWKS (GET /api/exchange/v1/usage-log/checkpoint-keys, "
                    + "fetched once from a source you trust) before the bundle; the bundle's own keys are not used");
            return UsageLogVerifier.UNUSABLE;
        }
        EvidenceVerifier verifier = withTheBundlesOwnKeys();
        if (files.size() == 2) {
            try {
                verifier = pinning(Files.readString(Path.of(files.get(0)), StandardCharsets.UTF_8));
            } catch (IOException | ParseException e) {
                err.println("cannot read the pinned JWKS " + files.get(0) + ": " + UsageLogVerifier.why(e));
                return UsageLogVerifier.UNUSABLE;
            } catch (RuntimeException | StackOverflowError e) {
                err.println("cannot read the pinned JWKS " + files.get(0) + ": " + UsageLogVerifier.oneLine(e));
                return UsageLogVerifier.UNUSABLE;
            }
        }
        for (String tsa : tsaFiles) {
            try {
                verifier.pinningTsa(Path.of(tsa));
            } catch (IOException | GeneralSecurityException e) {
                err.println("cannot read the pinned TSA certificate " + tsa + ": " + UsageLogVerifier.why(e));
                return UsageLogVerifier.UNUSABLE;
            }
        }
        if (requirePinned) {
            verifier.requiringPinnedTsa();
        }
        String name = files.get(files.size() - 1);
        Result r;
        try {
            r = verifier.verify(Files.readString(Path.of(name), StandardCharsets.UTF_8));
        } catch (IOException e) {
            err.println("cannot read the bundle " + name + ": " + UsageLogVerifier.why(e));
            return UsageLogVerifier.UNUSABLE;
        } catch (SealVerifier.Unusable e) {
            err.println("cannot read the bundle " + name + ": " + e.getMessage());
            return UsageLogVerifier.UNUSABLE;
        } catch (TsaPinRequired e) {
            err.println(e.getMessage());
            return UsageLogVerifier.UNUSABLE;
        } catch (RuntimeException | StackOverflowError e) {
            // a bundle this verifier cannot take apart proves nothing either way: unusable, not INVALID
            err.println("cannot check the bundle " + name + ": an internal error (" + UsageLogVerifier.oneLine(e)
                    + ")");
            return UsageLogVerifier.UNUSABLE;
        }
        out.println(r.describe());
        return r.valid() ? UsageLogVerifier.VALID : UsageLogVerifier.INVALID;
    }
}
