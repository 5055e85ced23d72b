package cn.onenet.exchange.service;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import cn.onenet.common.identifiers.CreditCode;
import cn.onenet.common.identifiers.ResidentIdNumber;
import cn.onenet.common.problem.ApiException;

/**
 * The one spelling of a 公民身份号码 or 统一社会信用代码 the exchange stores, looks up, filters on and hashes: NFKC
 * (full-width digits and letters typed with a Chinese input method become ASCII, an ideographic space a space),
 * without format characters (zero-width spaces and joiners, a byte-order mark pasted from a document), stripped and in
 * upper case (a check character typed {@code x}, a credit code in lower case). Both identifiers use ASCII digits and
 * capital letters only, so every other spelling names the same person or organisation.
 */
public final class IdentifierKeys {

    /** Unicode general category Cf: zero-width space, joiners, word joiner, byte-order mark and the like. */
    private static final Pattern FORMAT_CHARACTERS = Pattern.compile("\\p{Cf}+");

    private IdentifierKeys() {
    }

    /** {@code value} in the identifiers' one spelling (null stays null); any text, valid or not. */
    public static String normalise(String value) {
        if (value == null) {
            return null;
        }
        String visible = FORMAT_CHARACTERS.matcher(value).replaceAll("");
        return Normalizer.normalize(visible, Normalizer.Form.NFKC).strip().toUpperCase(Locale.ROOT);
    }

    /**
     * The key item's name when it is {@value RecordItems#RESIDENT_ID} or {@value RecordItems#CREDIT_CODE}, else null:
     * {@code keyItem} the entry's key item code, {@code items} its data items (JSON array of code and name).
     */
    public static String kindOf(String keyItem, String items) {
        if (keyItem == null) {
            return null;
        }
        for (Map<String, Object> item : Json.objects(items)) {
            if (keyItem.equals(String.valueOf(item.get("code")))) {
                String name = item.get("name") == null ? null : item.get("name").toString().strip();
                return RecordItems.RESIDENT_ID.equals(name) || RecordItems.CREDIT_CODE.equals(name) ? name : null;
            }
        }
        return null;
    }

    /** Whether {@code normalised} is a valid 公民身份号码 or 统一社会信用代码, check character included. */
    public static boolean isIdentifier(String normalised) {
        return normalised != null && normalised.length() == 18
                && (ResidentIdNumber.isValid(normalised) || CreditCode.isValid(normalised));
    }

    /**
     * Why the normalised key is not an identifier of the kind the catalogue names its key item
     * ({@value RecordItems#RESIDENT_ID} or {@value RecordItems#CREDIT_CODE}), bilingual; empty when it is one, or when
     * the kind is neither.
     */
    static Optional<String> problem(String kind, String normalised) {
        return RecordItems.RESIDENT_ID.equals(kind) ? ResidentIdNumber.problem(normalised)
                : RecordItems.CREDIT_CODE.equals(kind) ? CreditCode.problem(normalised) : Optional.empty();
    }

    /**
     * A key coming in (a lookup's, a key filter's, an objection's) of an entry whose key item is named {@code kind}, in
     * the spelling stored; one that is still no valid identifier of that kind names nobody: 400 naming {@code field}.
     */
    static String require(String kind, String value, String field) {
        String key = normalise(value);
        problem(kind, key).ifPresent(problem -> {
            throw ApiException.field(field,
                    "主键不是有效的" + kind + " / the key is not a valid " + kind + ": " + problem);
        });
        return key;
    }
}
