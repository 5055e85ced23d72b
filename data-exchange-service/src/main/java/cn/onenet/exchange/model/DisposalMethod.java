package cn.onenet.exchange.model;

/**
 * How the consumer disposes of the shared data once the grant ends, as the provider requires it (按照提供部门的要求,
 * 条例第二十七条第一款): the label is the Chinese term shown with it.
 */
public enum DisposalMethod {
    /** 删除: the data is deleted from every system and copy of the consumer. */
    DELETE("删除"),
    /** 退回: copies (files, media) go back to the provider, none kept. */
    RETURN("退回提供部门"),
    /** 封存: kept sealed, no longer used, where a law requires keeping it (e.g. archives). */
    ARCHIVE_SEALED("封存归档"),
    /** 其他: as the provider's instructions describe (instructions required). */
    OTHER("其他（见处置说明）");

    public final String label;

    DisposalMethod(String label) {
        this.label = label;
    }

    /** The method named {@code name}, or null when there is none of that name. */
    public static DisposalMethod of(String name) {
        for (DisposalMethod m : values()) {
            if (m.name().equals(name)) {
                return m;
            }
        }
        return null;
    }
}
