package cn.onenet.exchange.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The line an operator reads when the catalogue's calendar cannot be fetched names the calendar deadlines follow. */
class CalendarUnreachableMessageTest {

    private static final RuntimeException DOWN = new IllegalStateException("catalogue calendar answered 503");

    @Test
    void beforeTheCatalogueEverAnsweredItNamesTheBuiltInCalendarNotAGenerationNull() {
        assertEquals("Catalogue calendar unreachable, deadlines follow the built-in calendar (the State Council notice"
                + " shipped with this service) until it first answers: java.lang.IllegalStateException: catalogue"
                + " calendar answered 503", CalendarService.unreachableMessage(null, DOWN));
    }

    @Test
    void afterwardsItNamesTheGenerationOfTheCopyInUse() {
        assertEquals("Catalogue calendar unreachable, deadlines follow this service's copy of the catalogue's calendar,"
                + " generation 7: java.lang.IllegalStateException: catalogue calendar answered 503",
                CalendarService.unreachableMessage(7L, DOWN));
    }
}
