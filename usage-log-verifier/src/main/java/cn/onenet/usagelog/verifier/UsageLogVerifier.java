package cn.onenet.usagelog.verifier;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.bouncycastle.cert.X509CertificateHolder;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONArrayUtils;
import com.nimbusds.jose.util.JSONObjectUtils;

/**
 * Checks an exported period of the exchange's usage log (使用记录, NDJSON from {@code GET /usage-log/export}) with
 * nothing but the JDK, Nimbus JOSE, Bouncy Castle and a JWKS the auditor pinned beforehand (the exchange publishes
 * it at {@code GET /api/exchange/v1/usage-log/checkpoint-keys}). It recomputes every entry's SHA-256 over its canonical
 * string, follows the chain from the link to the entry before the period, and checks each checkpoint's seal with the
 * pinned keys only: nothing in the export (which carries no keys, and whose keys would be ignored) can vouch for it.
 * The file is read line by line, so an export of any size is checked in constant memory (but the checkpoints).
 * A checkpoint's RFC 3161 time-stamp token is checked with Bouncy Castle: against TSA certificates the auditor pinned
 * too; without them against the certificate the token carries, which a note says is not pinned.
 */
public final class UsageLogVerifier {

    /** The first line's {@code format}: an export that ends with a closing seal (the line after the end line). */
    public static final String FORMAT = "onenet-usage-log-export/2";
    /** The format of exports written before the exchange sealed them: no closing seal, an unsigned header. */
    public static final String UNSEALED_FORMAT = "onenet-usage-log-export/1";
    /** The format of the closing seal's signed payload. */
    public static final String SEAL_FORMAT = "onenet-usage-log-export-seal/1";
    /**
     * The header's fields the closing seal signs again (it also signs the SHA-256 of every line before it): the
     * period, the sequence numbers and count the export claims, and when and as which log entry it was made.
     */
    static final List<String> SEALED_HEADER_FIELDS = List.of("from", "to", "zone", "periodFirstSeq", "periodLastSeq",
            "anchorSeq", "lastSeq", "entries", "plannedAt", "exportedAt", "exportUsageLogSeq");

    /** Exit codes of {@link #main}. */
    public static final int VALID = 0;
    public static final int INVALID = 1;
    public static final int UNUSABLE = 2;
    /** verify-seal, verify-manifest: signed with a key the pinned JWKS does not hold (yet); fetch the keys again. */
    public static final int UNKNOWN_KEY = 3;

    /** The exchange's time zone (China Standard Time): a header that names no zone names a period in it. */
    static final ZoneId EXCHANGE_ZONE = ZoneId.of("Asia/Shanghai");

    /**
     * What the check found: {@code line} and {@code problem} name the first line that does not fit (0 and null when
     * valid); {@code notes} say what a valid result does not cover; {@code sealedBy} is the pinned key of the
     * export's closing seal (null for an export of the unsealed format, whose completeness is not proven).
     */
    public record Result(boolean valid, long line, String problem, long entries, long firstSeq, long lastSeq,
            int checkpoints, List<TimeStamp> timeStamps, List<String> notes, List<String> contradictions,
            String sealedBy) {

        /** One paragraph for a person: VALID or INVALID first. */
        public String describe() {
            StringBuilder s = new StringBuilder();
            if (valid) {
                s.append("VALID: ").append(entries).append(" entries");
                if (entries > 0) {
                    s.append(", seq ").append(firstSeq).append("–").append(lastSeq);
                }
                s.append(", ").append(checkpoints).append(" checkpoints signed by pinned keys");
                s.append(sealedBy != null ? ", sealed by pinned key " + sealedBy : ", no closing seal");
            } else if (line > 0) {
                s.append("INVALID: line ").append(line).append(": ").append(problem);
            } else {
                s.append("INVALID: ").append(problem);
            }
            for (String c : contradictions.subList(Math.min(1, contradictions.size()), contradictions.size())) {
                s.append(System.lineSeparator()).append("  contradiction: ").append(c);
            }
            for (String n : notes) {
                s.append(System.lineSeparator()).append("  note: ").append(n);
            }
            return s.toString();
        }
    }

    /**
     * A checkpoint's time-stamp token that verified with a pinned TSA certificate: the TSA's word that the seal of the
     * checkpoint at {@code lastSeq} existed at {@code genTime}.
     */
    public record TimeStamp(long lastSeq, Instant genTime, String tsa) {
    }

    private final PinnedKeys pinned;
    /**
     * The default of {@code --terms-delay}: how long after the grant terms a call cites stopped holding (superseded, or
     * past their period) its entry may still be logged. The exchange approves a call and logs it afterwards; a lookup
     * is logged within seconds, but one part of a bulk export is logged as the download reaches it, which for a large
     * file on a slow line takes hours. A day covers that with room; a call logged later than that after its terms
     * ended is no longer explained by the logging and is INVALID.
     */
    public static final java.time.Duration TERMS_DELAY_BOUND = java.time.Duration.ofHours(24);

    private java.time.Duration termsDelayBound = TERMS_DELAY_BOUND;
    /** Whether an export of the unsealed format is refused ({@code --require-seal}). */
    private boolean requireSeal;
    /** Pinned TSA certificates: the only ones a checkpoint's time-stamp token may be signed with. */
    private final List<X509CertificateHolder> tsaCertificates = new ArrayList<>();
    /** Checkpoints as witnesses received them ({@code --witness}), each sealed by a pinned key. */
    private final List<WitnessCheck.Witnessed> witnessed = new ArrayList<>();

    private UsageLogVerifier(PinnedKeys pinned) {
        this.pinned = pinned;
    }

    /** A verifier trusting exactly the keys of this JWKS file. */
    public static UsageLogVerifier pinning(Path jwksFile) throws IOException, ParseException {
        return pinning(Files.readString(jwksFile, StandardCharsets.UTF_8));
    }

    /** A verifier trusting exactly the keys of this JWKS (JSON {@code {"keys": [...]}}). */
    public static UsageLogVerifier pinning(String jwksJson) throws ParseException {
        return new UsageLogVerifier(PinnedKeys.parse(jwksJson));
    }

    /**
     * Also trusts the TSA certificates of this PEM (or DER) file for the checkpoints' time-stamp tokens; each must be a
     * time-stamping certificate (its only extended key usage id-kp-timeStamping, critical).
     */
    public UsageLogVerifier pinningTsa(Path certificateFile) throws IOException, GeneralSecurityException {
        tsaCertificates.addAll(TimeStampCheck.readPinned(certificateFile));
        return this;
    }

    /**
     * Also compares the export with the checkpoints of this witness file (NDJSON, each line the exact JSON the
     * exchange pushed to a witness); a line that is not such a record, or whose seal does not verify with the pinned
     * keys, makes the file unusable ({@link WitnessCheck.Unusable}).
     */
    public UsageLogVerifier witnessing(Path witnessFile) throws IOException, WitnessCheck.Unusable {
        witnessed.addAll(WitnessCheck.read(witnessFile, (signature, payload) -> {
            try {
                return checkSeal(signature, payload);
            } catch (Broken b) {
                throw new WitnessCheck.Unusable(b.getMessage());
            }
        }));
        return this;
    }

    /**
     * Refuses exports of the unsealed format {@value #UNSEALED_FORMAT}: with this, a sealed export whose closing seal
     * was removed and whose header was given the older format cannot pass as an old one.
     */
    public UsageLogVerifier requiringSeal() {
        requireSeal = true;
        return this;
    }

    /** Sets how long after its cited grant terms stopped holding a call may still be logged ({@code --terms-delay}). */
    public UsageLogVerifier allowingTermsDelay(java.time.Duration bound) {
        termsDelayBound = bound;
        return this;
    }

    /** Checks one export file. */
    public Result verify(Path export) throws IOException {
        try (BufferedReader in = Files.newBufferedReader(export, StandardCharsets.UTF_8)) {
            return verify(in);
        }
    }

    /** Checks an export read line by line. */
    public Result verify(BufferedReader in) throws IOException {
        return new Check().run(in);
    }

    /** One pass over one export. */
    private final class Check {
        private long lineNo;
        private String phase = "header";
        private final Map<Long, String> signed = new HashMap<>();
        private final Set<String> kids = new TreeSet<>();
        private long anchorSeq = -1;
        private String prev;
        private long expected;
        private long entries;
        private long firstSeq;
        private long lastSeq;
        private long redacted;
        private long unsignedTime;
        private long unchecked;
        private long stamped;
        private long unstamped;
        /** Tokens checked with the certificate they carry (none pinned): those certificates. */
        private final List<String> unpinnedSigners = new ArrayList<>();
        /** Tokens over their seal that carry no signer certificate, none pinned: their signature was not checked. */
        private long uncertified;
        private final List<TimeStamp> timeStamps = new ArrayList<>();
        private int checkpoints;
        private Instant lastSignedAt;
        private final List<String> notes = new ArrayList<>();
        /** Every checkpoint line: its lastSeq → [lastHash, signature] of each. */
        private final Map<Long, List<String[]>> exportCheckpoints = new HashMap<>();
        private final Set<Long> witnessedSeqs = new java.util.HashSet<>();
        private final Map<Long, String> witnessedHashes = new HashMap<>();
        /** The calls against their grant's chained terms. */
        private final GrantTermsCheck grantTerms = new GrantTermsCheck(termsDelayBound);
        /**
         * The end of the period the header names (the start of the day after {@code to}), or the time the export was
         * planned when earlier; null when it names no period.
         */
        private WitnessCheck.Cutoff cutoff;
        /** The header line, as parsed; {@code sealed} whether its format announces a closing seal. */
        private Map<String, Object> header;
        private boolean sealed;
        /** SHA-256 over every line before the closing seal, each as UTF-8 followed by LF (as the exchange writes). */
        private final MessageDigest digest = sha256Digest();
        private long endLine;
        private String sealedBy;
        private Instant sealedAt;

        Check() {
            witnessed.forEach(w -> witnessedSeqs.add(w.lastSeq()));
        }

        Result run(BufferedReader in) throws IOException {
            String line;
            try {
                while ((line = in.readLine()) != null) {
                    lineNo++;
                    if ("sealed".equals(phase)) {
                        if (line.isBlank()) {
                            continue;
                        }
                        throw new Broken("data after the closing seal");
                    }
                    byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
                    if (line.isBlank()) {
                        digest.update(bytes);
                        continue;
                    }
                    Map<String, Object> o;
                    try {
                        o = object(line);
                    } catch (ParseException e) {
                        throw new Broken("not a JSON object");
                    }
                    if ("done".equals(phase) && !"seal".equals(o.get("type"))) {
                        throw new Broken(sealed ? "data between the end line and the closing seal"
                                : "data after the end line");
                    }
                    if (!"seal".equals(o.get("type"))) {
                        digest.update(bytes);
                    }
                    line(o);
                }
                lineNo++;
                finish();
            } catch (Broken b) {
                if (!witnessed.isEmpty()) {
                    notes.add("the witnessed checkpoints were not compared: the export itself does not hold");
                }
                return new Result(false, b.line > 0 ? b.line : lineNo, b.getMessage(), entries, firstSeq, lastSeq,
                        checkpoints, timeStamps, notes, List.of(), sealedBy);
            }
            List<String> contradictions = witnessed.isEmpty() ? List.of()
                    : WitnessCheck.compare(witnessed, anchorSeq, entries > 0 ? lastSeq : anchorSeq, cutoff,
                            exportCheckpoints, witnessedHashes, notes);
            if (!contradictions.isEmpty()) {
                return new Result(false, 0, contradictions.get(0), entries, firstSeq, lastSeq, checkpoints,
                        timeStamps, notes, contradictions, sealedBy);
            }
            return new Result(true, 0, null, entries, firstSeq, lastSeq, checkpoints, timeStamps, notes, List.of(),
                    sealedBy);
        }

        /** The entry hash the export has at a witnessed sequence number (the anchor's included). */
        private void witnessedHash(long seq, String hash) {
            if (witnessedSeqs.contains(seq)) {
                witnessedHashes.put(seq, hash);
            }
        }

        private void line(Map<String, Object> o) throws Broken {
            String type = text(o, "type");
            switch (type) {
                case "header" -> {
                    expect("header");
                    header(o);
                    phase = "checkpoints";
                }
                case "checkpoint" -> {
                    expect("checkpoints");
                    checkpoint(o);
                }
                case "anchor" -> {
                    expect("checkpoints");
                    anchorSeq = number(o, "seq");
                    prev = hash(o, "entryHash");
                    Long announced = optionalNumber(header, "anchorSeq");
                    if (announced != null && announced != anchorSeq) {
                        throw new Broken("the anchor is entry " + anchorSeq + ", the header names anchorSeq "
                                + announced);
                    }
                    expected = anchorSeq + 1;
                    matchesCheckpoint(anchorSeq, prev);
                    witnessedHash(anchorSeq, prev);
                    phase = "entries";
                }
                case "entry" -> {
                    expect("entries");
                    entry(o);
                }
                case "end" -> {
                    expect("entries");
                    end(o);
                    endLine = lineNo;
                    phase = "done";
                }
                case "seal" -> {
                    expect("done");
                    seal(o);
                    phase = "sealed";
                }
                default -> throw new Broken("unknown line type " + type);
            }
        }

        /**
         * The start of the day after the header's {@code to}, in its {@code zone} (China Standard Time without), or
         * when earlier the time the exchange planned the export ({@code plannedAt}; in exports written before it
         * stated that, {@code exportedAt}, a moment later).
         */
        private void header(Map<String, Object> o) throws Broken {
            header = o;
            sealed = FORMAT.equals(o.get("format"));
            if (!sealed && !UNSEALED_FORMAT.equals(o.get("format"))) {
                throw new Broken("not a usage-log export of format " + FORMAT + " (or the older " + UNSEALED_FORMAT
                        + ")");
            }
            if (!sealed && requireSeal) {
                throw new Broken("the export is of the older format " + UNSEALED_FORMAT + ", without a closing seal, "
                        + "and --require-seal was given: its header is not signed and its completeness not proven");
            }
            for (String field : List.of("anchorSeq", "lastSeq", "entries", "periodFirstSeq", "periodLastSeq")) {
                optionalNumber(o, field);
            }
            cutoff = cutoff(o);
        }

        private WitnessCheck.Cutoff cutoff(Map<String, Object> header) throws Broken {
            ZonedDateTime end = periodEnd(header);
            if (end == null) {
                return null;
            }
            String field = header.get("plannedAt") != null ? "plannedAt"
                    : header.get("exportedAt") != null ? "exportedAt" : null;
            Instant planned = field == null ? null : instant(header, field);
            return planned != null && planned.isBefore(end.toInstant())
                    ? new WitnessCheck.Cutoff(planned, "the export was made (" + field + " " + planned + ")")
                    : new WitnessCheck.Cutoff(end.toInstant(), "the exported period's end " + end);
        }

        private ZonedDateTime periodEnd(Map<String, Object> header) throws Broken {
            if (header.get("to") == null) {
                return null;
            }
            ZoneId zone;
            try {
                zone = header.get("zone") == null ? EXCHANGE_ZONE : ZoneId.of(text(header, "zone"));
            } catch (DateTimeException e) {
                throw new Broken("the header's zone " + header.get("zone") + " is not a time zone");
            }
            try {
                return LocalDate.parse(text(header, "to")).plusDays(1).atStartOfDay(zone);
            } catch (DateTimeParseException e) {
                throw new Broken("the header's to " + header.get("to") + " is not a date (yyyy-MM-dd)");
            }
        }

        private void expect(String wanted) throws Broken {
            if (!wanted.equals(phase)) {
                throw new Broken("line out of order: expected " + ("checkpoints".equals(phase)
                        ? "a checkpoint or the anchor" : "entries".equals(phase) ? "an entry or the end line"
                        : "done".equals(phase) ? "the closing seal" : phase));
            }
        }

        private void checkpoint(Map<String, Object> o) throws Broken {
            long seq = number(o, "lastSeq");
            String hash = hash(o, "lastHash");
            String payload = text(o, "payload");
            String signature = text(o, "signature");
            String kid = checkSeal(signature, payload);
            if (kid == null) {
                // a pinned key this verifier cannot use: the checkpoint vouches for nothing here, and the end of the
                // export still needs one it can check
                unchecked++;
                return;
            }
            Map<String, Object> p;
            try {
                p = object(payload);
            } catch (ParseException e) {
                throw new Broken("checkpoint at seq " + seq + ": its signed payload is not JSON");
            }
            if (p.get("format") == null) {
                // the older payload signs only the head; its time is not signed
                if (!Set.of("lastSeq", "lastHash").equals(p.keySet())) {
                    throw new Broken("checkpoint at seq " + seq + ": unknown payload");
                }
                unsignedTime++;
            } else {
                if (number(p, "format") != 2) {
                    throw new Broken("checkpoint at seq " + seq + ": unknown payload format " + p.get("format"));
                }
                if (!kid.equals(p.get("kid"))) {
                    throw new Broken("checkpoint at seq " + seq + ": its payload names key " + p.get("kid")
                            + " but it is signed with " + kid);
                }
                if (number(p, "entryCount") != number(p, "lastSeq")) {
                    throw new Broken("checkpoint at seq " + seq + ": entryCount differs from lastSeq");
                }
                Instant signedAt = instant(p, "createdAt");
                if (!signedAt.equals(instant(o, "createdAt"))) {
                    throw new Broken("checkpoint at seq " + seq + ": createdAt " + o.get("createdAt")
                            + " differs from the signed time " + p.get("createdAt"));
                }
                lastSignedAt = lastSignedAt == null || signedAt.isAfter(lastSignedAt) ? signedAt : lastSignedAt;
            }
            if (number(p, "lastSeq") != seq || !hash.equals(p.get("lastHash"))) {
                throw new Broken("checkpoint at seq " + seq + ": lastSeq or lastHash differ from what it signed");
            }
            exportCheckpoints.computeIfAbsent(seq, k -> new ArrayList<>()).add(new String[] { hash, signature });
            String other = signed.putIfAbsent(seq, hash);
            if (other != null && !other.equals(hash)) {
                throw new Broken("two signed checkpoints name different hashes for seq " + seq);
            }
            kids.add(kid);
            checkpoints++;
            timeStamp(o, seq, signature);
        }

        /**
         * The checkpoint's time-stamp token, over the UTF-8 bytes of its signature: with the pinned TSAs if any, else
         * with the certificate it carries (noted as not pinned).
         */
        private void timeStamp(Map<String, Object> o, long seq, String signature) throws Broken {
            if (o.get("timestampToken") == null) {
                unstamped++;
                return;
            }
            stamped++;
            TimeStampCheck.Verified v;
            try {
                v = TimeStampCheck.check(text(o, "timestampToken"), signature.getBytes(StandardCharsets.UTF_8),
                        tsaCertificates);
            } catch (TimeStampCheck.Refused e) {
                throw new Broken("checkpoint at seq " + seq + ": its time-stamp token " + e.getMessage());
            }
            if (v.pinned()) {
                timeStamps.add(new TimeStamp(seq, v.genTime(), v.signer().getSubject().toString()));
            } else if (v.signer() == null) {
                uncertified++;
            } else {
                unpinnedSigners.add(v.signerDescription());
            }
        }

        private void entry(Map<String, Object> o) throws Broken {
            long seq = number(o, "seq");
            String entryHash = hash(o, "entryHash");
            boolean clear = o.get("canonical") != null;
            String text = clear ? text(o, "canonical") : text(o, "redactedCanonical");
            List<Object> fields;
            try {
                fields = JSONArrayUtils.parse(text);
            } catch (ParseException e) {
                throw new Broken("entry " + seq + ": its canonical string is not a JSON array");
            }
            if (fields.size() < 3 || !(fields.get(0) instanceof Number n) || n.longValue() != seq) {
                throw new Broken("entry " + seq + ": its canonical string names another sequence number");
            }
            if (seq > expected) {
                throw new Broken(seq == expected + 1 ? "entry " + expected + " is missing"
                        : "entries " + expected + "–" + (seq - 1) + " are missing");
            }
            if (seq < expected) {
                throw new Broken("entry " + seq + " repeated or out of order (expected " + expected + ")");
            }
            // formats 2, 3 and 4 close the array with the format number, after prevHash; format 1 ends with prevHash
            Object last = fields.get(fields.size() - 1);
            Object link = last instanceof Number ? fields.get(fields.size() - 2) : last;
            if (!prev.equals(link)) {
                throw new Broken("entry " + seq + ": chain broken, its prevHash is not the previous entry's hash");
            }
            // the time and format the line shows beside the canonical string are read as the entry's: they must be
            // the hashed ones
            if (o.get("loggedAt") != null && !text(o, "loggedAt").equals(fields.get(1))) {
                throw new Broken("entry " + seq + ": loggedAt " + o.get("loggedAt") + " is not the time its canonical "
                        + "string hashes (" + fields.get(1) + ")");
            }
            long format = last instanceof Number f ? f.longValue() : 1;
            if (o.get("entryFormat") != null && number(o, "entryFormat") != format) {
                throw new Broken("entry " + seq + ": entryFormat " + o.get("entryFormat") + " is not its canonical "
                        + "string's format " + format);
            }
            if (clear && !sha256(text).equals(entryHash)) {
                throw new Broken("entry " + seq + ": content changed, SHA-256 of its canonical string is not its "
                        + "entryHash");
            }
            if (!clear) {
                redacted++;
            }
            grantTerms.entry(seq, fields, format);
            matchesCheckpoint(seq, entryHash);
            witnessedHash(seq, entryHash);
            if (entries == 0) {
                firstSeq = seq;
            }
            entries++;
            lastSeq = seq;
            prev = entryHash;
            expected = seq + 1;
        }

        private void matchesCheckpoint(long seq, String hash) throws Broken {
            String s = signed.get(seq);
            if (s != null && !s.equals(hash)) {
                throw new Broken("entry " + seq + ": a signed checkpoint names another hash for it");
            }
        }

        private void end(Map<String, Object> o) throws Broken {
            if (number(o, "entries") != entries) {
                throw new Broken("the end line counts " + o.get("entries") + " entries, the file holds " + entries);
            }
            if (entries > 0 && (number(o, "lastSeq") != lastSeq || !prev.equals(o.get("lastHash")))) {
                throw new Broken("the end line names another last entry");
            }
            // what the header announced: a file cut at a checkpoint inside its period, with an end line written to
            // fit, holds fewer entries than that
            long top = entries > 0 ? lastSeq : anchorSeq;
            Long announced = optionalNumber(header, "lastSeq");
            if (announced != null && announced != top) {
                throw new Broken("the export ends at entry " + top + ", its header announces entries up to "
                        + announced + (announced > top ? ": it was cut short" : ""));
            }
            Long count = optionalNumber(header, "entries");
            if (count != null && count != entries) {
                throw new Broken("the export holds " + entries + " entries, its header announces " + count);
            }
            Long periodLast = optionalNumber(header, "periodLastSeq");
            if (periodLast != null && periodLast > top) {
                throw new Broken("the export ends at entry " + top + ", before the period's last entry " + periodLast
                        + " its header names: it was cut short");
            }
            Long periodFirst = optionalNumber(header, "periodFirstSeq");
            if (periodFirst != null && periodFirst != anchorSeq + 1) {
                throw new Broken("the export starts after entry " + anchorSeq + ", its header names the period's "
                        + "first entry " + periodFirst);
            }
        }

        /**
         * The closing seal: a detached JWS by a pinned checkpoint key over a payload that states the header's fields,
         * the last entry, the number of lines before it and their SHA-256. Cutting the file, or changing its header,
         * cannot be made to fit without the key.
         */
        private void seal(Map<String, Object> o) throws Broken {
            String payload = text(o, "payload");
            String signature = text(o, "signature");
            PinnedKeys.Verified v;
            try {
                v = pinned.check("the closing seal", signature, payload);
            } catch (PinnedKeys.Refused r) {
                throw new Broken(r.getMessage());
            }
            if (!v.checked()) {
                throw new Broken("the closing seal is signed with pinned key " + v.kid() + " of a type this verifier "
                        + "does not know (" + pinned.unusableType(v.kid()) + "): the export's completeness cannot be "
                        + "checked");
            }
            Map<String, Object> p;
            try {
                p = object(payload);
            } catch (ParseException e) {
                throw new Broken("the closing seal's payload is not JSON");
            }
            if (!SEAL_FORMAT.equals(p.get("format"))) {
                throw new Broken("the closing seal's payload is not of format " + SEAL_FORMAT);
            }
            if (!v.kid().equals(p.get("kid"))) {
                throw new Broken("the closing seal's payload names key " + p.get("kid") + " but it is signed with "
                        + v.kid());
            }
            for (String field : SEALED_HEADER_FIELDS) {
                if (!java.util.Objects.equals(header.get(field), p.get(field))) {
                    throw new Broken(1, "the header's " + field + " " + header.get(field) + " is not what the closing "
                            + "seal (line " + lineNo + ") signs, " + p.get(field) + ": the header was changed");
                }
            }
            long top = entries > 0 ? lastSeq : anchorSeq;
            if (number(p, "lastSeq") != top || !prev.equals(p.get("lastHash")) || number(p, "entries") != entries) {
                throw new Broken("the closing seal signs " + p.get("entries") + " entries up to entry "
                        + p.get("lastSeq") + ", the file holds " + entries + " up to entry " + top
                        + ": it was cut short or entries were replaced");
            }
            long before = lineNo - 1;
            if (number(p, "lines") != before) {
                throw new Broken("the closing seal signs the " + p.get("lines") + " lines before it, the file has "
                        + before + ": lines were added or removed");
            }
            String sha = HexFormat.of().formatHex(digest.digest());
            if (!sha.equals(p.get("sha256"))) {
                throw new Broken("the " + before + " lines before the closing seal are not the ones it signs: their "
                        + "SHA-256 is " + sha + ", the seal's " + p.get("sha256"));
            }
            sealedAt = instant(p, "sealedAt");
            sealedBy = v.kid();
        }

        private void finish() throws Broken {
            if (!"done".equals(phase) && !"sealed".equals(phase)) {
                throw new Broken("the file ends after line " + (lineNo - 1) + (entries > 0 ? " (entry " + lastSeq + ")"
                        : "") + " without its end line: it was cut short");
            }
            if (sealed && !"sealed".equals(phase)) {
                throw new Broken("the file ends after its end line (line " + endLine + ") without the closing seal "
                        + "its format " + FORMAT + " announces: it was cut short, or the seal was removed");
            }
            long top = entries > 0 ? lastSeq : anchorSeq;
            for (long seq : signed.keySet()) {
                if (seq > top || seq < anchorSeq) {
                    throw new Broken("a signed checkpoint names entry " + seq + ", outside the exported chain "
                            + anchorSeq + "–" + top + ": entries were removed");
                }
            }
            if (entries > 0 && !signed.containsKey(lastSeq)) {
                throw new Broken("no signed checkpoint covers the last entry " + lastSeq
                        + ": the end of the export is unsigned");
            }
            if (sealedBy != null) {
                notes.add("closing seal (line " + (lineNo - 1) + ") by pinned key " + sealedBy + ", sealed " + sealedAt
                        + ": it signs the header and the SHA-256 of all " + (lineNo - 2) + " lines before it, so the "
                        + "export is complete and unaltered as the exchange wrote it");
            } else {
                notes.add("no closing seal (format " + UNSEALED_FORMAT + ", written before the exchange sealed its "
                        + "exports): the header is not signed, so completeness was not proven — a file cut at a "
                        + "checkpoint inside its period, its header and end line rewritten to fit, would pass; compare "
                        + "it with witness files (--witness) or export the period again (a new export is sealed)");
            }
            if (!kids.isEmpty()) {
                notes.add("checkpoint keys: " + String.join(", ", kids));
            }
            if (lastSignedAt != null) {
                notes.add("latest signed checkpoint time: " + lastSignedAt);
            }
            if (unsignedTime > 0) {
                notes.add(unsignedTime + " checkpoints of the older payload sign no time");
            }
            timeStampNotes();
            if (unchecked > 0) {
                notes.add(unchecked + " checkpoints are signed with pinned keys of a type this verifier does not "
                        + "know: they were skipped");
            }
            grantTerms.notes(notes);
            if (redacted > 0) {
                notes.add(redacted + " entries are redacted for this reader: their links were checked, their "
                        + "content was not recomputed (an auditor's export has it)");
            }
        }

        private void timeStampNotes() {
            if (!unpinnedSigners.isEmpty()) {
                notes.add(unpinnedSigners.size() + " checkpoint time-stamp tokens are over their checkpoint's "
                        + "signature and verify with the certificate each carries (" + String.join("; ",
                                new TreeSet<>(unpinnedSigners)) + "), which is not pinned: this shows the tokens "
                        + "are intact, not that a TSA you trust made them (anyone can make a token with a "
                        + "certificate of their own); pin the TSA's certificate, obtained from the TSA, with "
                        + "--tsa-cert");
            }
            if (uncertified > 0) {
                notes.add(uncertified + " checkpoint time-stamp tokens are over their checkpoint's signature but "
                        + "carry no certificate of their signer: who signed them was not checked; pin the TSA's "
                        + "certificate with --tsa-cert");
            }
            if (!timeStamps.isEmpty()) {
                TimeStamp first = timeStamps.get(0);
                TimeStamp last = first;
                Set<String> tsas = new TreeSet<>();
                for (TimeStamp t : timeStamps) {
                    first = t.genTime().isBefore(first.genTime()) ? t : first;
                    last = t.genTime().isAfter(last.genTime()) ? t : last;
                    tsas.add(t.tsa());
                }
                notes.add(timeStamps.size() + " checkpoint time-stamps verify with pinned TSA certificates ("
                        + String.join("; ", tsas) + "): genTime " + first.genTime() + " (seq " + first.lastSeq()
                        + ") to " + last.genTime() + " (seq " + last.lastSeq() + ")");
            }
            if (unstamped > 0 && (stamped > 0 || !tsaCertificates.isEmpty())) {
                notes.add(unstamped + " checkpoints carry no time-stamp token");
            }
        }
    }

    /**
     * Checks a detached JWS over {@code payload} with a pinned key; returns the key's kid, or null for a pinned
     * key of a type this verifier does not know.
     */
    private String checkSeal(String detached, String payload) throws Broken {
        try {
            PinnedKeys.Verified v = pinned.check("a checkpoint", detached, payload);
            return v.checked() ? v.kid() : null;
        } catch (PinnedKeys.Refused r) {
            throw new Broken(r.getMessage());
        }
    }

    /** A line that does not fit; its message says why. {@code line} names another line than the current one. */
    static class Broken extends Exception {
        private static final long serialVersionUID = 1L;
        private final long line;

        Broken(String problem) {
            this(0, problem);
        }

        Broken(long line, String problem) {
            super(problem, null, false, false);
            this.line = line;
        }

        /** The same finding, its message led by {@code prefix} (which object it is about). */
        Broken prefixed(String prefix) {
            return new Broken(line, prefix + getMessage());
        }
    }

    /**
     * A field missing or of another JSON type than the exchange writes. In an export it is INVALID at its line, like
     * any other; an evidence bundle holding one cannot be taken apart (exit 2, {@link EvidenceVerifier}).
     */
    static final class Malformed extends Broken {
        private static final long serialVersionUID = 1L;

        Malformed(String problem) {
            super(problem);
        }

        @Override
        Broken prefixed(String prefix) {
            return new Malformed(prefix + getMessage());
        }
    }

    /**
     * A JSON object. Nimbus answers {@code null} for the text {@code null}: that, like any text that is no object, is
     * a ParseException here.
     */
    static Map<String, Object> object(String json) throws ParseException {
        Map<String, Object> o = JSONObjectUtils.parse(json);
        if (o == null) {
            throw new ParseException("not a JSON object", 0);
        }
        return o;
    }

    /** A field that may be absent (null) or JSON null; else a whole number. */
    static Long optionalNumber(Map<String, Object> o, String field) throws Broken {
        return o.get(field) == null ? null : number(o, field);
    }

    static String text(Map<String, Object> o, String field) throws Broken {
        if (o.get(field) instanceof String s) {
            return s;
        }
        throw new Malformed("field " + field + " missing or not a string");
    }

    static long number(Map<String, Object> o, String field) throws Broken {
        if (o.get(field) instanceof Number n && n.doubleValue() == n.longValue()) {
            return n.longValue();
        }
        throw new Malformed("field " + field + " missing or not a whole number");
    }

    static String hash(Map<String, Object> o, String field) throws Broken {
        String h = text(o, field);
        if (!h.matches("[0-9a-f]{64}")) {
            throw new Broken("field " + field + " is not a SHA-256 hash in hex");
        }
        return h;
    }

    static Instant instant(Map<String, Object> o, String field) throws Broken {
        try {
            return Instant.parse(text(o, field));
        } catch (DateTimeParseException e) {
            throw new Broken("field " + field + " is not an ISO 8601 instant");
        }
    }

    static String sha256(String text) {
        return HexFormat.of().formatHex(sha256Digest().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Why a file could not be read, in words: the JDK's own messages name only the file (a missing one) or a decoder's
     * position ("Input length = 1").
     */
    static String why(Exception e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof CharacterCodingException) {
            return "not UTF-8 text";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return "Is a directory".equals(f.getReason()) ? "it is a directory" : f.getReason();
        }
        if (e instanceof IOException && e.getMessage() != null && e.getMessage().endsWith("Is a directory")) {
            return "it is a directory";
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    private static final String USAGE = "usage: java -jar usage-log-verifier.jar [--require-seal] "
            + "[--terms-delay <ISO-8601 duration, default PT24H>] [--tsa-cert <tsa.pem>]... [--witness <witness.ndjson>]... <pinned-jwks.json> <export.ndjson>"
            + System.lineSeparator() + "       java -jar usage-log-verifier.jar " + SealVerifier.USAGE_SEAL
            + System.lineSeparator() + "       java -jar usage-log-verifier.jar " + SealVerifier.USAGE_MANIFEST
            + System.lineSeparator() + "       java -jar usage-log-verifier.jar " + EvidenceVerifier.USAGE;

    /**
     * {@code java -jar usage-log-verifier.jar [--require-seal] [--tsa-cert <tsa.pem>]... [--witness
     * <witness.ndjson>]... <pinned-jwks.json> <export.ndjson>}; exit 0 valid, 1 not (the export does not hold, or
     * contradicts a witness), 2 unusable. With {@code verify-seal} or {@code verify-manifest} first, checks a sealed
     * answer of the exchange or an export job's manifest instead ({@link SealVerifier}); with {@code verify-evidence},
     * an evidence bundle of one usage-log entry ({@link EvidenceVerifier}).
     */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * {@link #main} without exiting. Whatever goes wrong inside is exit 2 with one line on {@code err}: a file this
     * program cannot take apart, or a defect of its own, proves nothing either way and is never a stack trace.
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        try {
            return command(args, out, err);
        } catch (RuntimeException | StackOverflowError e) {
            err.println("cannot check: an internal error of usage-log-verifier (" + oneLine(e) + ")");
            return UNUSABLE;
        }
    }

    /** An exception as one line: its type and message, line breaks folded. */
    static String oneLine(Throwable e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? ""
                : ": " + e.getMessage().strip().replaceAll("\\s*\\R\\s*", " "));
    }

    private static int command(String[] args, PrintStream out, PrintStream err) {
        if (args.length > 0 && SealVerifier.COMMANDS.contains(args[0])) {
            return SealVerifier.run(args, out, err);
        }
        if (args.length > 0 && EvidenceVerifier.COMMAND.equals(args[0])) {
            return EvidenceVerifier.run(args, out, err);
        }
        boolean requireSeal = false;
        java.time.Duration termsDelay = TERMS_DELAY_BOUND;
        List<String> tsaFiles = new ArrayList<>();
        List<String> witnessFiles = new ArrayList<>();
        List<String> files = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if ("--require-seal".equals(args[i])) {
                requireSeal = true;
            } else if ("--terms-delay".equals(args[i]) && i + 1 < args.length) {
                try {
                    termsDelay = java.time.Duration.parse(args[++i]);
                } catch (java.time.format.DateTimeParseException e) {
                    err.println("--terms-delay " + args[i] + " is not an ISO-8601 duration (e.g. PT24H)");
                    return UNUSABLE;
                }
                if (termsDelay.isNegative()) {
                    err.println("--terms-delay " + args[i] + " is negative");
                    return UNUSABLE;
                }
            } else if ("--tsa-cert".equals(args[i]) && i + 1 < args.length) {
                tsaFiles.add(args[++i]);
            } else if ("--witness".equals(args[i]) && i + 1 < args.length) {
                witnessFiles.add(args[++i]);
            } else if (args[i].startsWith("--")) {
                files.clear();
                break;
            } else {
                files.add(args[i]);
            }
        }
        if (files.size() != 2) {
            err.println(USAGE);
            return UNUSABLE;
        }
        UsageLogVerifier verifier;
        try {
            verifier = pinning(Path.of(files.get(0)));
        } catch (IOException | ParseException e) {
            err.println("cannot read the pinned JWKS " + files.get(0) + ": " + why(e));
            return UNUSABLE;
        }
        if (requireSeal) {
            verifier.requiringSeal();
        }
        verifier.allowingTermsDelay(termsDelay);
        for (String tsa : tsaFiles) {
            try {
                verifier.pinningTsa(Path.of(tsa));
            } catch (IOException | GeneralSecurityException e) {
                err.println("cannot read the pinned TSA certificate " + tsa + ": " + why(e));
                return UNUSABLE;
            }
        }
        for (String witness : witnessFiles) {
            try {
                verifier.witnessing(Path.of(witness));
            } catch (IOException e) {
                err.println("cannot read the witness file " + witness + ": " + why(e));
                return UNUSABLE;
            } catch (WitnessCheck.Unusable e) {
                err.println("cannot use the witness file " + witness + ": " + e.getMessage());
                return UNUSABLE;
            }
        }
        Result r;
        try {
            r = verifier.verify(Path.of(files.get(1)));
        } catch (IOException e) {
            err.println("cannot read the export " + files.get(1) + ": " + why(e));
            return UNUSABLE;
        }
        out.println(r.describe());
        return r.valid() ? VALID : INVALID;
    }
}
