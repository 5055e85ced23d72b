package cn.onenet.usagelog.verifier;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.text.ParseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks, with the pinned keys only, what the exchange seals besides its usage log: an answer carrying the header
 * {@value #SEAL_HEADER} (a data lookup or query, a webhook delivery, a witness push: a detached JWS over the exact
 * body bytes by a department's seal key, {@code dept} in its protected header), and a bulk export's manifest
 * ({@code GET /exports/{id}}: {@code manifestJson} sealed by the provider in {@code manifestSeal}; the file's
 * SHA-256 is in it). The auditor pins the JWKS of every department's seal ({@code GET /api/exchange/v1/seals/jwks}).
 */
public final class SealVerifier {

    /** The response header carrying the exchange's seal. */
    public static final String SEAL_HEADER = "X-Exchange-Seal";
    static final Set<String> COMMANDS = Set.of("verify-seal", "verify-manifest");
    static final String USAGE_SEAL = "verify-seal [--department <code>] <pinned-jwks.json> <body> <seal>";
    static final String USAGE_MANIFEST = "verify-manifest [--department <code>] <pinned-jwks.json> "
            + "<export-job.json> [<content>]";

    /** The exchange names a seal key {@code <统一社会信用代码>-<suffix>}: its department is the kid's prefix. */
    static final Pattern KID_DEPARTMENT = Pattern.compile("([0-9A-Z]{18})-.+");
    private static final Pattern HEADER_LINE = Pattern.compile("(?i)^" + SEAL_HEADER + "\\s*:\\s*(\\S+)\\s*$");
    private static final Pattern COMPACT_JWS = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]+");
    /** Protected header parameters every seal has; the others (delivery, event, iat, witness) are noted. */
    private static final Set<String> USUAL_PARAMS = Set.of("alg", "kid", "dept");

    /** A file that cannot be used (exit 2); the message says what is wrong with it. */
    public static final class Unusable extends Exception {
        private static final long serialVersionUID = 1L;

        Unusable(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * What the check found: {@code problem} says why it is not valid (null when valid); the department, key and
     * algorithm of the seal when its key is pinned; {@code notes} what else the seal signs, or was not checked.
     * {@code unknownKey}: not valid only because the pinned JWKS does not hold the seal's key ({@code kid}), which
     * says nothing yet about the content: the key may be newer than the pinned list.
     */
    public record Result(boolean valid, String summary, String problem, String department, String kid,
            String algorithm, List<String> notes, boolean unknownKey) {

        /** One paragraph for a person: VALID, UNKNOWN KEY or INVALID first. */
        public String describe() {
            if (unknownKey()) {
                return "UNKNOWN KEY " + kid + " — fetch the keys again: " + problem + ". A department's seal key is "
                        + "published (GET /api/exchange/v1/seals/jwks) at its first seal and at each rotation, so a "
                        + "JWKS fetched before then does not hold it. Fetch the JWKS again from the source you trust "
                        + "and check again; only a signature that fails under a pinned key means the content was "
                        + "changed.";
            }
            return SealVerifier.describe(valid, summary, problem, notes);
        }
    }

    /** VALID and the summary, or INVALID and the problem; then a line per note. */
    static String describe(boolean valid, String summary, String problem, List<String> notes) {
        StringBuilder s = new StringBuilder(valid ? "VALID: " + summary : "INVALID: " + problem);
        for (String n : notes) {
            s.append(System.lineSeparator()).append("  note: ").append(n);
        }
        return s.toString();
    }

    private final PinnedKeys pinned;
    private String department;

    private SealVerifier(PinnedKeys pinned) {
        this.pinned = pinned;
    }

    /** A verifier trusting exactly the keys of this JWKS (JSON {@code {"keys": [...]}}). */
    public static SealVerifier pinning(String jwksJson) throws ParseException {
        return new SealVerifier(PinnedKeys.parse(jwksJson));
    }

    /** Also requires the seal to be this department's (统一社会信用代码). */
    public SealVerifier expectingDepartment(String departmentCode) {
        this.department = departmentCode;
        return this;
    }

    /** The seal in a file: a saved answer's headers ({@code curl -D}) holding {@value #SEAL_HEADER}, or the JWS alone. */
    public static String readSeal(String text) throws Unusable {
        String found = null;
        for (String line : text.split("\r?\n")) {
            Matcher m = HEADER_LINE.matcher(line);
            if (m.matches()) {
                found = m.group(1); // after redirects the last answer's headers come last
            }
        }
        String seal = found != null ? found : text.strip();
        if (!COMPACT_JWS.matcher(seal).matches()) {
            throw new Unusable("it holds neither an " + SEAL_HEADER + " header nor a compact JWS (header..signature)");
        }
        if (!seal.contains("..")) {
            throw new Unusable("the JWS is not detached: the exchange's seals carry no payload (header..signature)");
        }
        return seal;
    }

    /** Checks a detached seal over the exact bytes of an answer's body; {@code name} names the body in messages. */
    public Result seal(byte[] body, String detached, String name) {
        List<String> notes = new ArrayList<>();
        PinnedKeys.Verified v;
        try {
            v = pinned.check("the seal", detached, body);
        } catch (PinnedKeys.UnknownKey u) {
            return unknown(u, notes);
        } catch (PinnedKeys.Refused r) {
            return invalid(r.getMessage() + (r.getMessage().contains("does not verify")
                    ? ": " + name + " is not the sealed content (changed, or another answer's), or the seal was made "
                            + "with another key" : ""), notes);
        }
        if (!v.checked()) {
            return invalid("the seal is signed with pinned key " + v.kid() + " of a type this verifier does not know ("
                    + pinned.unusableType(v.kid()) + ")", notes);
        }
        String dept;
        try {
            dept = department(v);
        } catch (PinnedKeys.Refused e) {
            return invalid(e.getMessage(), notes);
        }
        Map<String, Object> params = v.header().toJSONObject();
        Set<String> extra = new TreeSet<>(params.keySet());
        extra.removeAll(USUAL_PARAMS);
        if (!extra.isEmpty()) {
            List<String> signed = new ArrayList<>();
            for (String p : extra) {
                Object value = params.get(p);
                signed.add(p + " " + value + ("iat".equals(p) && value instanceof Number n
                        ? " (" + Instant.ofEpochSecond(n.longValue()) + ")" : ""));
            }
            notes.add("the seal's protected header also signs: " + String.join(", ", signed));
        }
        notes.add(name + ": " + body.length + " bytes, SHA-256 " + hex(sha256().digest(body)));
        return new Result(true, name + " is sealed by " + who(dept, v), null, dept, v.kid(),
                v.header().getAlgorithm().getName(), notes, false);
    }

    /**
     * Checks an export job as {@code GET /exports/{id}} answers it: the seal over {@code manifestJson}, by the
     * manifest's provider; the parsed {@code manifest} and the job's own fields agree with it; and, when given, that
     * the content file has the manifest's SHA-256.
     */
    public Result manifest(String jobJson, Path content) throws Unusable, IOException {
        Map<String, Object> job;
        try {
            job = UsageLogVerifier.object(jobJson);
        } catch (ParseException e) {
            throw new Unusable("not a JSON object");
        }
        if (!(job.get("manifestJson") instanceof String manifestJson)
                || !(job.get("manifestSeal") instanceof String detached)) {
            throw new Unusable("it holds no manifestJson and manifestSeal (GET /exports/{id} gives them once the "
                    + "export is READY" + (job.get("status") != null ? "; its status is " + job.get("status") : "")
                    + ")");
        }
        List<String> notes = new ArrayList<>();
        PinnedKeys.Verified v;
        try {
            v = pinned.check("the manifest", detached, manifestJson);
        } catch (PinnedKeys.UnknownKey u) {
            return unknown(u, notes);
        } catch (PinnedKeys.Refused r) {
            return invalid(r.getMessage(), notes);
        }
        if (!v.checked()) {
            return invalid("the manifest is signed with pinned key " + v.kid() + " of a type this verifier "
                    + "does not know (" + pinned.unusableType(v.kid()) + ")", notes);
        }
        Map<String, Object> manifest;
        try {
            manifest = UsageLogVerifier.object(manifestJson);
        } catch (ParseException e) {
            return invalid("the sealed manifestJson is not a JSON object", notes);
        }
        String dept;
        try {
            dept = department(v);
        } catch (PinnedKeys.Refused e) {
            return invalid(e.getMessage(), notes);
        }
        Object provider = manifest.get("providerDepartmentCode");
        if (!Objects.equals(provider, dept)) {
            return invalid("the manifest is sealed by department " + dept + ", not by its provider " + provider,
                    notes);
        }
        // what a reader of the job takes for the export's must be what the provider sealed
        if (job.get("manifest") != null && !manifest.equals(job.get("manifest"))) {
            return invalid("the job's manifest is not the sealed manifestJson" + firstDifference(manifest,
                    job.get("manifest")) + ": read manifestJson, the text the seal covers", notes);
        }
        // the consumer is the party an auditor reads the export as delivered to
        for (String[] pair : new String[][] { { "id", "exportId" }, { "grantId", "grantId" },
                { "consumer", "consumerDepartmentCode" }, { "records", "records" }, { "format", "format" } }) {
            Object mine = job.get(pair[0]);
            if (mine != null && manifest.get(pair[1]) != null && !Objects.equals(mine, manifest.get(pair[1]))) {
                return invalid("the job's " + pair[0] + " " + mine + " is not the sealed manifest's " + pair[1] + " "
                        + manifest.get(pair[1]), notes);
            }
        }
        if (job.get("createdAt") != null && manifest.get("createdAt") == null) {
            // the provider seals what it delivered, not when the job was filed: say so rather than imply it
            notes.add("the job's createdAt " + job.get("createdAt") + " is not in the sealed manifest: it was not "
                    + "checked");
        } else if (job.get("createdAt") != null && !Objects.equals(job.get("createdAt"), manifest.get("createdAt"))) {
            return invalid("the job's createdAt " + job.get("createdAt") + " is not the sealed manifest's createdAt "
                    + manifest.get("createdAt"), notes);
        }
        String summary = "the manifest of export " + manifest.get("exportId") + " is sealed by " + who(dept, v)
                + ", its provider: " + manifest.get("records") + " records of " + manifest.get("resourceCode")
                + " for grant " + manifest.get("grantId") + " (" + manifest.get("format") + ", SHA-256 "
                + manifest.get("sha256") + ")";
        if (content == null) {
            notes.add("no content file given: the file was not compared with the manifest's sha256 (give it after "
                    + "the job file)");
        } else {
            long[] size = new long[1];
            String sha = sha256(content, size);
            if (!sha.equals(manifest.get("sha256"))) {
                return invalid(content.getFileName() + "'s SHA-256 " + sha + " is not the sealed manifest's "
                        + manifest.get("sha256") + ": it is not the file the provider sealed (changed, cut short, or "
                        + "another export's)", notes);
            }
            summary += "; " + content.getFileName() + " (" + size[0] + " bytes) is that file";
        }
        return new Result(true, summary, null, dept, v.kid(), v.header().getAlgorithm().getName(), notes, false);
    }

    /**
     * The department that sealed: the kid's (the exchange names keys after their department), which the
     * protected header's {@code dept}, when there, must name too; and the one expected, if any.
     */
    private String department(PinnedKeys.Verified v) throws PinnedKeys.Refused {
        Matcher m = KID_DEPARTMENT.matcher(v.kid());
        String ofKey = m.matches() ? m.group(1) : null;
        Object named = v.header().getCustomParam("dept");
        if (named != null && ofKey != null && !ofKey.equals(named)) {
            throw new PinnedKeys.Refused("the seal names department " + named + " (dept) but its key " + v.kid() + " is "
                    + "department " + ofKey + "'s");
        }
        String dept = ofKey != null ? ofKey : named == null ? null : named.toString();
        if (department != null && !department.equals(dept)) {
            throw new PinnedKeys.Refused("the seal is department " + dept + "'s (key " + v.kid() + "), not " + department
                    + "'s");
        }
        return dept;
    }

    private static String who(String dept, PinnedKeys.Verified v) {
        return (dept == null ? "" : "department " + dept + " with ") + "pinned key " + v.kid() + " ("
                + v.header().getAlgorithm().getName() + ")";
    }

    private static String firstDifference(Map<String, Object> sealed, Object shown) {
        if (!(shown instanceof Map<?, ?> other)) {
            return "";
        }
        Set<String> keys = new TreeSet<>(sealed.keySet());
        other.keySet().forEach(k -> keys.add(String.valueOf(k)));
        for (String k : keys) {
            if (!Objects.equals(sealed.get(k), other.get(k))) {
                return " (" + k + ": " + other.get(k) + " where the seal covers " + sealed.get(k) + ")";
            }
        }
        return "";
    }

    private static Result invalid(String problem, List<String> notes) {
        return new Result(false, null, problem, null, null, null, notes, false);
    }

    private static Result unknown(PinnedKeys.UnknownKey u, List<String> notes) {
        return new Result(false, null, u.getMessage(), null, u.kid(), null, notes, true);
    }

    private static String sha256(Path file, long[] size) throws IOException {
        MessageDigest d = sha256();
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0;) {
                d.update(buf, 0, n);
                size[0] += n;
            }
        }
        return hex(d.digest());
    }

    private static MessageDigest sha256() {
        return UsageLogVerifier.sha256Digest();
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    /**
     * {@code verify-seal [--department <code>] <pinned-jwks.json> <body> <seal>} ({@code <seal>} a file holding the
     * JWS or the saved headers, or the JWS itself) and {@code verify-manifest [--department <code>]
     * <pinned-jwks.json> <export-job.json> [<content>]}: exit 0 valid, 1 not, 2 unusable, 3 signed with a key the
     * pinned JWKS does not hold (fetch it again).
     */
    static int run(String[] args, PrintStream out, PrintStream err) {
        String command = args[0];
        String dept = null;
        List<String> files = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            if ("--department".equals(args[i]) && i + 1 < args.length) {
                dept = args[++i];
            } else if (args[i].startsWith("--")) {
                files.clear();
                break;
            } else {
                files.add(args[i]);
            }
        }
        boolean seal = "verify-seal".equals(command);
        if (seal ? files.size() != 3 : files.size() < 2 || files.size() > 3) {
            err.println("usage: java -jar usage-log-verifier.jar " + (seal ? USAGE_SEAL : USAGE_MANIFEST));
            return UsageLogVerifier.UNUSABLE;
        }
        SealVerifier verifier;
        try {
            verifier = new SealVerifier(PinnedKeys.parse(Files.readString(Path.of(files.get(0)))));
        } catch (IOException | ParseException e) {
            err.println("cannot read the pinned JWKS " + files.get(0) + ": " + UsageLogVerifier.why(e));
            return UsageLogVerifier.UNUSABLE;
        }
        if (dept != null) {
            verifier.expectingDepartment(dept);
        }
        Result r;
        if (seal) {
            byte[] body;
            try {
                body = Files.readAllBytes(Path.of(files.get(1)));
            } catch (IOException e) {
                err.println("cannot read the body " + files.get(1) + ": " + UsageLogVerifier.why(e));
                return UsageLogVerifier.UNUSABLE;
            }
            String detached;
            try {
                detached = readSeal(sealText(files.get(2)));
            } catch (IOException e) {
                err.println("cannot read the seal " + files.get(2) + ": " + UsageLogVerifier.why(e));
                return UsageLogVerifier.UNUSABLE;
            } catch (Unusable e) {
                err.println("cannot read the seal " + files.get(2) + ": " + e.getMessage());
                return UsageLogVerifier.UNUSABLE;
            }
            r = verifier.seal(body, detached, Path.of(files.get(1)).getFileName().toString());
        } else {
            String job;
            try {
                job = Files.readString(Path.of(files.get(1)));
            } catch (IOException e) {
                err.println("cannot read the export job " + files.get(1) + ": " + UsageLogVerifier.why(e));
                return UsageLogVerifier.UNUSABLE;
            }
            Path content = files.size() == 3 ? Path.of(files.get(2)) : null;
            try {
                r = verifier.manifest(job, content);
            } catch (Unusable e) {
                err.println("cannot read the export job " + files.get(1) + ": " + e.getMessage());
                return UsageLogVerifier.UNUSABLE;
            } catch (IOException e) {
                err.println("cannot read the content " + content + ": " + UsageLogVerifier.why(e));
                return UsageLogVerifier.UNUSABLE;
            }
        }
        out.println(r.describe());
        return r.valid() ? UsageLogVerifier.VALID
                : r.unknownKey() ? UsageLogVerifier.UNKNOWN_KEY : UsageLogVerifier.INVALID;
    }

    /** A seal argument: the file it names, or else the JWS itself given on the command line. */
    private static String sealText(String argument) throws IOException {
        if (COMPACT_JWS.matcher(argument).matches()) {
            try {
                if (Files.isRegularFile(Path.of(argument))) {
                    return Files.readString(Path.of(argument));
                }
            } catch (InvalidPathException e) {
                // no such file can exist: the argument is the JWS
            }
            return argument;
        }
        return Files.readString(Path.of(argument));
    }
}
