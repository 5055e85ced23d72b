package cn.onenet.exchange.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import cn.onenet.exchange.model.DisposalMethod;
import cn.onenet.exchange.model.UsageRecord;

/**
 * The values a message lists in words are exactly those the checks accept: a value added to a check and not to its
 * words (or the other way) fails here, not in front of a user.
 */
class FieldsTest {

    private static Set<String> codes(List<Fields.Choice> choices) {
        return new TreeSet<>(Fields.codes(choices));
    }

    @Test
    void theWordsCoverExactlyTheValuesAccepted() {
        assertEquals(new TreeSet<>(RequestService.DELIVERY_METHODS), codes(Fields.DELIVERY_METHODS));
        assertEquals(new TreeSet<>(RequestService.STATUSES), codes(Fields.REQUEST_STATUSES));
        assertEquals(new TreeSet<>(GrantService.STATUSES), codes(Fields.GRANT_STATUSES));
        assertEquals(new TreeSet<>(IncidentService.STATUSES), codes(Fields.INCIDENT_STATUSES));
        assertEquals(new TreeSet<>(IncidentService.TYPES), codes(Fields.INCIDENT_TYPES));
        assertEquals(new TreeSet<>(ObjectionService.STATUSES), codes(Fields.OBJECTION_STATUSES));
        assertEquals(new TreeSet<>(CorrectionService.STATUSES), codes(Fields.CORRECTION_STATUSES));
        assertEquals(new TreeSet<>(CorrectionService.OUTCOMES), codes(Fields.CORRECTION_OUTCOMES));
        assertEquals(new TreeSet<>(DisputeService.SUBJECTS), codes(Fields.DISPUTE_SUBJECTS));
        assertEquals(new TreeSet<>(ExportService.FORMATS), codes(Fields.EXPORT_FORMATS));
        assertEquals(new TreeSet<>(Arrays.stream(UsageRecord.Kind.values()).map(Enum::name).toList()),
                codes(Fields.RECORD_KINDS));
        assertEquals(new TreeSet<>(Arrays.stream(DisposalMethod.values()).map(Enum::name).toList()),
                codes(Fields.DISPOSAL_METHODS));
    }

    @Test
    void aMessageNamesTheFieldInWordsInBothLanguages() {
        assertEquals("使用场景必填 / the scenario is required", Fields.SCENARIO.required());
        assertEquals("处理结果须为已更正（CORRECTED）、已补充（SUPPLEMENTED）或不予更正（NOT_CORRECTED） / the outcome must be one "
                + "of corrected (CORRECTED), supplemented (SUPPLEMENTED) or not corrected (NOT_CORRECTED)",
                Fields.OUTCOME.oneOf(Fields.CORRECTION_OUTCOMES));
        assertEquals("幂等键（Idempotency-Key）须为 1–200 个字符 / the Idempotency-Key must be 1-200 characters",
                Fields.IDEMPOTENCY_KEY.mustBe("1–200 个字符", "1-200 characters"));
        assertEquals("每页条数须为 1 到 200 之间的整数 / the page size must be a whole number from 1 to 200",
                Fields.SIZE.wholeNumber(1, 200));
        assertEquals("页码须为不小于 0 的整数 / the page number must be a whole number of at least 0",
                Fields.PAGE.wholeNumber(0, Integer.MAX_VALUE));
    }
}
