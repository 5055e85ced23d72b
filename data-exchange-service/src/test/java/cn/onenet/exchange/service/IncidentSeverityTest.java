package cn.onenet.exchange.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** R20: an incident on core or important data is graded at least as high as one on 一般数据 of grade 4. */
class IncidentSeverityTest {

    /** The catalogue's grades (catalog-service DataGrade), highest first. */
    static final List<String> GRADES = List.of("CORE", "IMPORTANT", "LEVEL_4", "LEVEL_3", "LEVEL_2", "LEVEL_1");
    static final List<String> SEVERITIES = List.of("GENERAL", "SERIOUS", "MAJOR", "EXTRAORDINARY");

    @Test
    void coreAndImportantDataRankHighest() {
        assertEquals("EXTRAORDINARY", IncidentService.severity("CORE"));
        assertEquals("EXTRAORDINARY", IncidentService.severity("IMPORTANT"));
        assertEquals("EXTRAORDINARY", IncidentService.severity("LEVEL_4"));
        assertEquals("MAJOR", IncidentService.severity("LEVEL_3"));
        assertEquals("SERIOUS", IncidentService.severity("LEVEL_2"));
        assertEquals("GENERAL", IncidentService.severity("LEVEL_1"));
    }

    @Test
    void aHigherGradeNeverGivesALowerSeverity() {
        for (int i = 1; i < GRADES.size(); i++) {
            int higher = SEVERITIES.indexOf(IncidentService.severity(GRADES.get(i - 1)));
            int lower = SEVERITIES.indexOf(IncidentService.severity(GRADES.get(i)));
            assertTrue(higher >= lower, GRADES.get(i - 1) + " ranks below " + GRADES.get(i));
        }
        // a grade not known here is not taken lightly
        assertEquals("EXTRAORDINARY", IncidentService.severity("LEVEL_5"));
        assertEquals("MAJOR", IncidentService.severity(null));
    }
}
