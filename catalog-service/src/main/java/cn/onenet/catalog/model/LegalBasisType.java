package cn.onenet.catalog.model;

/** The only sources that may forbid sharing (条例 Art. 14): 法律, 行政法规, 国务院决定. */
public enum LegalBasisType {
    LAW("法律"),
    ADMINISTRATIVE_REGULATION("行政法规"),
    STATE_COUNCIL_DECISION("国务院决定");

    public final String label;

    LegalBasisType(String label) {
        this.label = label;
    }
}
