package cn.onenet.catalog.model;

import java.text.Normalizer;
import java.util.List;

import cn.onenet.common.identifiers.CreditCode;

/**
 * Codes (resource codes 分类码/顺序码, 统一社会信用代码, GB/T 2260 region codes, classification and item codes) as
 * they are typed: Chinese input methods and spreadsheet cells give full-width digits, letters and slash
 * (１０１００１／０００００１) and leave ideographic spaces (U+3000) around them. Such a code is the same code: it is
 * folded to its ASCII form (NFKC) and stripped, on input and on lookup alike.
 */
public final class Codes {

    private Codes() {
    }

    /** The code NFKC-folded and stripped of white space (U+3000 included); null stays null. */
    public static String normalize(String code) {
        return code == null ? null : Normalizer.normalize(code, Normalizer.Form.NFKC).strip();
    }

    /**
     * A department's 统一社会信用代码 in the form identity-service's department register keeps it and its tokens carry it
     * (the {@code dept} claim): folded as any code and in upper case, as the register stores a code typed in any case
     * ({@link CreditCode#normalise}). A code is the same code in either case, so {@code 11330000002481020a} is the
     * department of {@code 11330000002481020A}, on input and on lookup alike; null stays null.
     */
    public static String department(String code) {
        return CreditCode.normalise(normalize(code));
    }

    /** Each code of the list normalised (nulls kept, for the validator to name); null stays null. */
    public static List<String> normalize(List<String> codes) {
        return codes == null ? null : codes.stream().map(Codes::normalize).toList();
    }
}
