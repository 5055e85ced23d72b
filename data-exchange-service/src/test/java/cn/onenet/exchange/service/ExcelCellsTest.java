package cn.onenet.exchange.service;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Which number formats show a date: those Excel writes for dates (built-in ids, the zh-CN ones included, and format
 * codes with a year or a day), not those of numbers, currencies, percentages or times of day.
 */
class ExcelCellsTest {

    @Test
    void dateFormatsAreTheFormatsThatShowADay() {
        for (int id : new int[] { 14, 15, 16, 17, 22, 27, 31, 57, 58 }) {
            assertTrue(ExcelCells.isDateFormat(id, null), "built-in " + id);
        }
        for (String code : new String[] { "yyyy-mm-dd", "yyyy/m/d;@", "[$-804]yyyy\"年\"m\"月\"d\"日\"",
                "yyyy\\-mm\\-dd", "yyyy年m月d日", "d-mmm-yy", "yyyy-mm-dd hh:mm:ss", "[DBNum1][$-804]yyyy\"年\"m\"月\"" }) {
            assertTrue(ExcelCells.isDateFormat(164, code), code);
        }
        for (String code : new String[] { "General", "0", "0.00", "#,##0.00_);[Red](#,##0.00)", "0.00E+00", "0%",
                "[$¥-804]#,##0.00", "@", "h:mm", "[h]:mm:ss", "mm:ss", "\"第\"0\"日\"", "h\"时\"mm\"分\"" }) {
            assertFalse(ExcelCells.isDateFormat(164, code), code);
        }
        for (int id : new int[] { 0, 1, 2, 9, 18, 20, 21, 32, 45, 46, 49 }) {
            assertFalse(ExcelCells.isDateFormat(id, null), "built-in " + id);
        }
    }

    @Test
    void aDateFormatWithHoursOrSecondsShowsTheTime() {
        assertTrue(ExcelCells.showsTime(22, null));
        assertTrue(ExcelCells.showsTime(164, "yyyy-mm-dd hh:mm:ss"));
        assertTrue(ExcelCells.showsTime(164, "yyyy\"年\"m\"月\"d\"日\" h\"时\"mm\"分\""));
        assertFalse(ExcelCells.showsTime(14, null));
        assertFalse(ExcelCells.showsTime(164, "yyyy-mm-dd"));
        assertFalse(ExcelCells.showsTime(164, "[$-804]yyyy\"年\"m\"月\"d\"日\""));
    }
}
