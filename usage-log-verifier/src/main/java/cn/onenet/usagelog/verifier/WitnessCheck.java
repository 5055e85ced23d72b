package cn.onenet.usagelog.verifier;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Instant;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The usage log's witnesses (见证): department systems to which the exchange pushed every signed checkpoint as it was
 * made. The exchange holds its signing key, so it could rewrite its log and sign every checkpoint again; what a
 * witness kept it cannot change. A witness file (NDJSON, each line the exact JSON pushed, format
 * {@value #FORMAT}) is read here, each record's seal checked with the pinned keys, and compared with an export: a
 * witnessed checkpoint inside the export's chain must be there with the same head and signature.
 */
public final class WitnessCheck {

    /** The format of a pushed checkpoint record. */
    public static final String FORMAT = "onenet-usage-log-witness/1";

    /** A witness file that cannot be used (exit 2): unreadable, not such records, or not sealed by a pinned key. */
    public static final class Unusable extends Exception {
        private static final long serialVersionUID = 1L;

        Unusable(String message) {
            super(message, null, false, false);
        }
    }

    /** Checks a record's seal with the pinned keys: its kid, or null for a pinned key of a type not known here. */
    interface Seals {
        String check(String signature, String payload) throws Unusable;
    }

    /**
     * One checkpoint as a witness received it, and where: file name and line; {@code signedAt} the time its seal covers
     * (payload format 2's createdAt; null for the older payload, which signs no time).
     */
    record Witnessed(String file, long line, long lastSeq, String lastHash, String signature, String createdAt,
            Instant signedAt) {
        String where() {
            return "witness " + file + " line " + line + ": checkpoint at seq " + lastSeq;
        }
    }

    /**
     * How much earlier than the cut-off a witnessed checkpoint must be signed to show an export cut short: the
     * exchange's replicas stamp entries and checkpoints with their own clocks.
     */
    static final Duration CLOCK_MARGIN = Duration.ofSeconds(1);

    /** The time before which everything signed belongs in the export, and what that time is, in words. */
    record Cutoff(Instant at, String what) {
    }

    private WitnessCheck() {
    }

    /** Every record of a witness file, each sealed by a pinned key and stating what it signed. */
    static List<Witnessed> read(Path file, Seals seals) throws IOException, Unusable {
        List<Witnessed> out = new ArrayList<>();
        String name = file.getFileName().toString();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String text;
            long line = 0;
            while ((text = in.readLine()) != null) {
                line++;
                if (!text.isBlank()) {
                    out.add(record(name, line, text, seals));
                }
            }
        }
        if (out.isEmpty()) {
            throw new Unusable("witness " + name + " holds no checkpoint");
        }
        return out;
    }

    private static Witnessed record(String name, long line, String text, Seals seals) throws Unusable {
        String where = "witness " + name + " line " + line + ": ";
        try {
            Map<String, Object> o = UsageLogVerifier.object(text);
            if (!FORMAT.equals(o.get("format"))) {
                throw new Unusable(where + "not a checkpoint record of format " + FORMAT);
            }
            if (!(o.get("lastSeq") instanceof Number seq) || !(o.get("lastHash") instanceof String hash)
                    || !(o.get("payload") instanceof String payload)
                    || !(o.get("signature") instanceof String signature)) {
                throw new Unusable(where + "lastSeq, lastHash, payload or signature missing");
            }
            String kid;
            try {
                kid = seals.check(signature, payload);
            } catch (Unusable e) {
                throw new Unusable(where + e.getMessage());
            }
            if (kid == null) {
                throw new Unusable(where + "signed with a pinned key of a type this verifier does not know");
            }
            Map<String, Object> p = UsageLogVerifier.object(payload);
            if (!(p.get("lastSeq") instanceof Number signedSeq) || signedSeq.longValue() != seq.longValue()
                    || !hash.equals(p.get("lastHash"))) {
                throw new Unusable(where + "lastSeq or lastHash differ from what it signed");
            }
            return new Witnessed(name, line, seq.longValue(), hash, signature,
                    o.get("createdAt") instanceof String t ? t : null, signedAt(p));
        } catch (ParseException e) {
            throw new Unusable(where + "not JSON");
        }
    }

    /** The time a checkpoint payload signs, or null when it signs none (or none that reads as an instant). */
    private static Instant signedAt(Map<String, Object> payload) {
        try {
            return payload.get("createdAt") instanceof String t ? Instant.parse(t) : null;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /**
     * Compares the witnessed checkpoints with a valid export whose chain runs from {@code anchorSeq} to {@code top}
     * ({@code checkpoints}: lastSeq → [lastHash, signature] of each checkpoint line; {@code hashes}: the export's
     * entry hash at each witnessed seq it holds). Returns every contradiction; adds a note per witness file on what
     * agreed and what lay outside the export.
     * <p>
     * A witnessed checkpoint beyond the chain's end whose seal signs a time more than {@link #CLOCK_MARGIN} before
     * {@code cutoff} (the end of the period the export's header names, or when earlier the time the export was planned;
     * null when the header names no period) contradicts an export that holds entries: the exchange signs only entries
     * already logged, and the export goes on to the first checkpoint after the last entry logged in the period when it
     * was planned, so entries logged in the period were left out.
     */
    static List<String> compare(List<Witnessed> witnessed, long anchorSeq, long top, Cutoff cutoff,
            Map<Long, List<String[]>> checkpoints, Map<Long, String> hashes, List<String> notes) {
        List<String> contradictions = new ArrayList<>();
        Map<String, long[]> tally = new LinkedHashMap<>(); // file → agreeing, outside
        Map<String, List<Long>> agreeing = new LinkedHashMap<>();
        for (Witnessed w : witnessed) {
            long[] t = tally.computeIfAbsent(w.file(), f -> new long[2]);
            List<Long> seqs = agreeing.computeIfAbsent(w.file(), f -> new ArrayList<>());
            if (w.lastSeq() > top && top > anchorSeq && cutoff != null && w.signedAt() != null
                    && w.signedAt().plus(CLOCK_MARGIN).isBefore(cutoff.at())) {
                contradictions.add(w.where() + ": signed " + w.signedAt() + ", before " + cutoff.what() + ", it "
                        + "covers entries " + (top + 1) + "–" + w.lastSeq() + " logged in that period beyond the "
                        + "export's last entry " + top + ": the export was cut short");
                continue;
            }
            if (w.lastSeq() < anchorSeq || w.lastSeq() > top) {
                t[1]++;
                continue;
            }
            String problem = contradiction(w, checkpoints.get(w.lastSeq()), hashes.get(w.lastSeq()));
            if (problem != null) {
                contradictions.add(w.where() + ": " + problem);
            } else {
                t[0]++;
                seqs.add(w.lastSeq());
            }
        }
        tally.forEach((file, t) -> notes.add("witness " + file + ": " + t[0] + " witnessed checkpoints agree with the "
                + "export" + (t[0] == 0 ? "" : " (seq " + shortList(agreeing.get(file)) + ")")
                + (t[1] == 0 ? "" : "; " + t[1] + " lie outside its chain " + anchorSeq + "–" + top
                        + ", not compared")));
        return contradictions;
    }

    /** Why the export contradicts what the witness holds, or null when it agrees. */
    private static String contradiction(Witnessed w, List<String[]> exported, String entryHash) {
        String signedAt = w.createdAt() == null ? "" : " (signed " + w.createdAt() + ")";
        if (exported == null) {
            return "missing from the export, which covers that seq" + signedAt
                    + (entryHash != null && !entryHash.equals(w.lastHash())
                            ? "; the export's entry there has hash " + abbreviated(entryHash) + ", the witness holds "
                                    + abbreviated(w.lastHash())
                            : "");
        }
        boolean sameHead = exported.stream().anyMatch(c -> c[0].equals(w.lastHash()));
        if (!sameHead) {
            return "the export's checkpoint names head " + abbreviated(exported.get(0)[0]) + ", the witness holds "
                    + abbreviated(w.lastHash()) + signedAt + ": the log was rewritten";
        }
        if (exported.stream().noneMatch(c -> c[1].equals(w.signature()))) {
            return "the export's checkpoint carries another signature than the witness holds" + signedAt
                    + ": it was signed again";
        }
        if (entryHash != null && !entryHash.equals(w.lastHash())) {
            return "the export's entry there has hash " + abbreviated(entryHash) + ", the witness holds "
                    + abbreviated(w.lastHash());
        }
        return null;
    }

    private static String abbreviated(String hash) {
        return hash.length() > 16 ? hash.substring(0, 16) + "…" : hash;
    }

    private static String shortList(List<Long> seqs) {
        List<String> s = new ArrayList<>();
        for (int i = 0; i < Math.min(10, seqs.size()); i++) {
            s.add(Long.toString(seqs.get(i)));
        }
        return String.join(", ", s) + (seqs.size() > 10 ? ", …" : "");
    }
}
