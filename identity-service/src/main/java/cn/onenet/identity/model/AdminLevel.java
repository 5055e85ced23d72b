package cn.onenet.identity.model;

/** Administrative level, five deep (省–市–县–乡–村). */
public enum AdminLevel {
    PROVINCE, // 省
    CITY,     // 市
    COUNTY,   // 县
    TOWNSHIP, // 乡
    VILLAGE   // 村
}
