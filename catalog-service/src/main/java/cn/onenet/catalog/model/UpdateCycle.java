package cn.onenet.catalog.model;

/** 更新周期. The DCAT frequency is the EU authority-table term used in the DCAT-AP export. */
public enum UpdateCycle {
    REAL_TIME("实时", "CONT"),
    DAILY("每日", "DAILY"),
    WEEKLY("每周", "WEEKLY"),
    MONTHLY("每月", "MONTHLY"),
    QUARTERLY("每季度", "QUARTERLY"),
    YEARLY("每年", "ANNUAL");

    public final String label;
    public final String euFrequency;

    UpdateCycle(String label, String euFrequency) {
        this.label = label;
        this.euFrequency = euFrequency;
    }
}
