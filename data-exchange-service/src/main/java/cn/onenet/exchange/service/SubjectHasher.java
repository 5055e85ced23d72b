package cn.onenet.exchange.service;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;

import cn.onenet.exchange.config.ExchangeConfig;

/**
 * Turns 公民身份号码 and 统一社会信用代码 into keyed hashes (HMAC-SHA256): the usage log can be searched by subject
 * for the citizens' view without holding any ID number in clear.
 */
@ApplicationScoped
public class SubjectHasher {

    private final SecretKeySpec key;
    // One keyed Mac per thread: looking up the provider and keying a Mac costs more than the hash itself.
    private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(this::newMac);

    @jakarta.inject.Inject
    public SubjectHasher(ExchangeConfig config) {
        this(config.subjectHashKey());
    }

    /** With the key itself, where no configuration bean exists (a Java migration run by Flyway). */
    public SubjectHasher(String key) {
        this.key = new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    /**
     * The keyed hash of an identifier: a 公民身份号码 or 统一社会信用代码 in any spelling (full-width, with zero-width
     * characters, lower case; {@link IdentifierKeys#normalise}) hashes as its standard spelling, so that its holder
     * sees the access. Any other key is hashed stripped (U+3000 too) and in upper case, as before: its full-width
     * characters (a licence number's brackets) are its own spelling, and the hashes stored of it stay comparable.
     */
    public String hash(String identifier) {
        String normalised = IdentifierKeys.normalise(identifier);
        return IdentifierKeys.isIdentifier(normalised) ? mac(normalised) : hashAsGiven(identifier);
    }

    /**
     * The keyed hash of a text as given, stripped and in upper case, without normalising an identifier: what
     * {@link #hash} gave every key before identifiers were normalised (a migration maps such stored hashes).
     */
    public String hashAsGiven(String identifier) {
        return mac(identifier.strip().toUpperCase(Locale.ROOT));
    }

    private String mac(String text) {
        // doFinal resets the Mac to its key for the next use
        return HexFormat.of().formatHex(macs.get().doFinal(text.getBytes(StandardCharsets.UTF_8)));
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The hashes of those values that are valid ID numbers or credit codes (a query's filter values: whoever a
     * query asked for by number, the query processed that number, whatever it found).
     */
    public List<String> identifiers(java.util.Collection<String> values) {
        Set<String> hashes = new LinkedHashSet<>();
        for (String v : values) {
            String s = identifier(v);
            if (s != null) {
                hashes.add(hash(s));
            }
        }
        return List.copyOf(hashes);
    }

    /**
     * The record's key (always first: the citizens' view tells the subject a lookup was keyed on from the others the
     * record mentions) plus every value in it that is a valid ID number or credit code, also inside objects and arrays
     * (household members, co-owners), down to {@value #MAX_DEPTH} levels.
     */
    public List<String> subjectsOf(String recordKey, Map<String, Object> record) {
        Set<String> hashes = new LinkedHashSet<>();
        for (String identifier : identifiersOf(recordKey, record)) {
            hashes.add(hash(identifier));
        }
        return List.copyOf(hashes);
    }

    /** What {@link #subjectsOf} hashes, in clear: the key (whatever it is), then the ID numbers and credit codes. */
    public static List<String> identifiersOf(String recordKey, Map<String, Object> record) {
        Set<String> identifiers = new LinkedHashSet<>();
        if (recordKey != null) {
            identifiers.add(recordKey);
        }
        if (record != null) {
            collect(record.values(), identifiers, 1);
        }
        return List.copyOf(identifiers);
    }

    /**
     * The value as a 公民身份号码 or 统一社会信用代码 in its standard spelling (full-width, zero-width characters, lower
     * case folded), or null when it is none. Called on every short text of every delivered record, so it normalises
     * only what could be one: long texts (a remark) are not read; nor are texts under 18 characters, since removing
     * format characters and folding full-width ones never lengthens a text; nor texts holding a Chinese character,
     * which NFKC keeps. An ASCII text needs only stripping and upper case, as before.
     */
    static String identifier(String value) {
        if (value == null || value.length() < IDENTIFIER_LENGTH || value.length() > MAX_IDENTIFIER_TEXT) {
            return null;
        }
        boolean ascii = true;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c >= 0x80) {
                if (Character.isIdeographic(c)) {
                    return null;
                }
                ascii = false;
            }
        }
        String key;
        if (ascii) {
            String stripped = value.strip();
            if (stripped.length() != IDENTIFIER_LENGTH) {
                return null;
            }
            key = stripped.toUpperCase(Locale.ROOT);
        } else {
            key = IdentifierKeys.normalise(value);
        }
        return IdentifierKeys.isIdentifier(key) ? key : null;
    }

    /** A 公民身份号码 and a 统一社会信用代码 are both 18 characters long. */
    private static final int IDENTIFIER_LENGTH = 18;

    /** The longest text read as a possible identifier: a record key's limit (DatasetService.MAX_KEY_LENGTH). */
    private static final int MAX_IDENTIFIER_TEXT = 100;

    /** The deepest nesting searched for identifiers (a record's own values are level 1). */
    static final int MAX_DEPTH = 32;

    private static void collect(java.util.Collection<?> values, Set<String> identifiers, int depth) {
        for (Object v : values) {
            if (v instanceof String s) {
                String identifier = identifier(s);
                if (identifier != null) {
                    identifiers.add(identifier);
                }
            } else if (depth < MAX_DEPTH && v instanceof Map<?, ?> m) {
                collect(m.values(), identifiers, depth + 1);
            } else if (depth < MAX_DEPTH && v instanceof java.util.Collection<?> c) {
                collect(c, identifiers, depth + 1);
            }
        }
    }
}
