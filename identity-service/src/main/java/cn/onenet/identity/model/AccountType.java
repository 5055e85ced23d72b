package cn.onenet.identity.model;

/** Kinds of account, as carried in the {@code account_type} claim. */
public enum AccountType {
    NATURAL_PERSON("natural_person"), // 自然人
    LEGAL_PERSON("legal_person"),     // 法人
    CIVIL_SERVANT("civil_servant");   // 政务工作人员

    private final String claim;

    AccountType(String claim) {
        this.claim = claim;
    }

    public String claim() {
        return claim;
    }

    /** The type named by its claim value or its constant, any case: {@code natural_person}, {@code NATURAL_PERSON}. */
    public static java.util.Optional<AccountType> parse(String value) {
        for (AccountType type : values()) {
            if (type.claim.equalsIgnoreCase(value) || type.name().equalsIgnoreCase(value)) {
                return java.util.Optional.of(type);
            }
        }
        return java.util.Optional.empty();
    }
}
