package cn.onenet.exchange.service;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.junit.jupiter.api.Test;

import cn.onenet.exchange.ExchangeTestBase;
import cn.onenet.exchange.FakeCatalog;
import cn.onenet.exchange.client.CatalogClient;
import cn.onenet.exchange.config.ExchangeConfig;
import cn.onenet.exchange.service.CalendarService.Check;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * The exchange counts working days with the catalogue's calendar (the one admins edit in the console): an edit there
 * reaches every replica's deadlines at its next check, the last calendar stays in use while the catalogue is down,
 * and the exchange's own calendar API only reads.
 */
@QuarkusTest
class CalendarFollowsCatalogTest extends ExchangeTestBase {

    static final String API = "/api/exchange/v1/calendar";
    /**
     * The methods the service routes on a day's path (RFC 9110 §15.5.6), as common's AllowedMethods finds them for
     * every 405: PUT and DELETE, which answer with the catalogue's API, and OPTIONS; not GET, itself a 405 there.
     */
    static final String DAY_ALLOW = "DELETE, OPTIONS, PUT";
    static final LocalDate MONDAY = LocalDate.parse("2031-03-03");
    static final LocalDate TUESDAY = LocalDate.parse("2031-03-04");
    static final LocalDate FRIDAY = LocalDate.parse("2031-03-07");
    static final LocalDate SATURDAY = LocalDate.parse("2031-03-08");

    @Inject
    CalendarService calendar;
    @Inject
    EntityManager em;
    @Inject
    @RestClient
    CatalogClient client;
    @Inject
    ExchangeConfig config;

    /** Another replica of the exchange (or this one after a restart): same database, its own in-memory calendar. */
    CalendarService otherReplica() {
        return new CalendarService(em, client, config);
    }

    LocalDate next(CalendarService replica, LocalDate day) {
        return replica.calendar().addWorkingDays(day, 1);
    }

    @Test
    void aHolidayAndAMakeUpDaySetInTheCatalogueMoveTheExchangesDeadlinesOnEveryReplica() {
        calendar.check();
        CalendarService other = otherReplica();
        assertEquals(TUESDAY, next(calendar, MONDAY));
        assertEquals(MONDAY.plusWeeks(1), next(other, FRIDAY));
        try {
            FakeCatalog.putCalendarDay(TUESDAY.toString(), "holiday", "测试假日");
            FakeCatalog.putCalendarDay(SATURDAY.toString(), "workday", "测试调休上班");
            calendar.check();
            assertEquals(TUESDAY.plusDays(1), next(calendar, MONDAY));
            assertEquals(SATURDAY, next(calendar, FRIDAY));
            // the other replica counts with its own copy until its next check (at most the check interval) ...
            assertEquals(MONDAY.plusWeeks(1), next(other, FRIDAY));
            // ... which finds the copy already stored (304) and reloads it
            other.check();
            assertEquals(TUESDAY.plusDays(1), next(other, MONDAY));
            assertEquals(SATURDAY, next(other, FRIDAY));
            // a restarted replica starts from the stored copy
            assertEquals(SATURDAY, next(otherReplica(), FRIDAY));

            // unchanged: a conditional read naming the copy's generation, nothing stored
            assertEquals(Check.UNCHANGED, calendar.check());
            Long generation = calendar.status().catalogGeneration();
            assertEquals("\"" + generation + "\"", FakeCatalog.lastCalendarIfNoneMatch);
            given().auth().oauth2(operator("113300000024810109")).get(API).then().statusCode(200)
                    .body("find { it.day == '2031-03-08' }.kind", equalTo("workday"));
        } finally {
            FakeCatalog.removeCalendarDay(TUESDAY.toString());
            FakeCatalog.removeCalendarDay(SATURDAY.toString());
            calendar.check();
        }
        assertEquals(TUESDAY, next(calendar, MONDAY));
        assertEquals(MONDAY.plusWeeks(1), next(calendar, FRIDAY));
    }

    @Test
    void whileTheCatalogueIsDownTheLastCalendarStaysInUse() {
        calendar.check();
        try {
            FakeCatalog.putCalendarDay(TUESDAY.toString(), "holiday", "测试假日");
            calendar.check();
            assertEquals(TUESDAY.plusDays(1), next(calendar, MONDAY));
            FakeCatalog.down();
            try {
                FakeCatalog.putCalendarDay(SATURDAY.toString(), "workday", "测试调休上班");
                FakeCatalog.removeCalendarDay(TUESDAY.toString());
                assertEquals(Check.UNREACHABLE, calendar.check());
                assertEquals(TUESDAY.plusDays(1), next(calendar, MONDAY));
                assertEquals(MONDAY.plusWeeks(1), next(calendar, FRIDAY));
                // a replica started during the outage counts the same
                CalendarService restarted = otherReplica();
                assertEquals(Check.UNREACHABLE, restarted.check());
                assertEquals(TUESDAY.plusDays(1), next(restarted, MONDAY));
                CalendarService.Status status = calendar.status();
                assertTrue(status.lastCheckFailed());
                assertEquals("catalog-service", status.source());
                given().auth().oauth2(admin()).get(API + "/status").then().statusCode(200)
                        .body("lastCheckFailed", equalTo(true)).body("editAt", equalTo("/api/catalog/v1/calendar"));
            } finally {
                FakeCatalog.up();
            }
            // back: the changes made meanwhile arrive
            calendar.check();
            assertFalse(calendar.status().lastCheckFailed());
            assertEquals(TUESDAY, next(calendar, MONDAY));
            assertEquals(SATURDAY, next(calendar, FRIDAY));
        } finally {
            FakeCatalog.removeCalendarDay(SATURDAY.toString());
            calendar.check();
        }
        assertEquals(MONDAY.plusWeeks(1), next(calendar, FRIDAY));
    }

    @Test
    void theExchangesCalendarApiReadsAndSendsEditsToTheCatalogue() {
        calendar.check();
        given().auth().oauth2(admin()).contentType(ContentType.JSON).body(Map.of("kind", "holiday", "name", "测试假日"))
                .put(API + "/2031-03-04").then().statusCode(405).contentType(startsWith("application/problem+json"))
                .header("Allow", DAY_ALLOW).body("type", equalTo("urn:onenet:problem:method-not-allowed"))
                .body("calendarApi", equalTo("/api/catalog/v1/calendar/2031-03-04"));
        given().auth().oauth2(admin()).delete(API + "/2025-10-01").then().statusCode(405).header("Allow", DAY_ALLOW)
                .body("calendarApi", equalTo("/api/catalog/v1/calendar/2025-10-01"));
        // a day's path serves no GET (405 too): its Allow, that of OPTIONS and that of the edits are one answer
        given().auth().oauth2(admin()).get(API + "/2031-03-04").then().statusCode(405).header("Allow", DAY_ALLOW);
        given().options(API + "/2031-03-04").then().statusCode(200).header("Allow", DAY_ALLOW);
        given().auth().oauth2(admin()).delete(API + "/not-a-day").then().statusCode(405)
                .body("calendarApi", equalTo("/api/catalog/v1/calendar/{day}"));
        given().auth().oauth2(operator("113300000024810109")).contentType(ContentType.JSON)
                .body(Map.of("kind", "holiday", "name", "x")).put(API + "/2031-03-04").then().statusCode(403);
        // nothing changed here: the day is not a holiday, the national day still is
        given().auth().oauth2(admin()).get(API).then().statusCode(200).body("day", not(hasItem("2031-03-04")))
                .body("find { it.day == '2025-10-01' }.kind", equalTo("holiday"));
        assertEquals(TUESDAY, next(calendar, MONDAY));
        given().auth().oauth2(auditor()).get(API + "/status").then().statusCode(200)
                .body("source", equalTo("catalog-service")).body("catalogGeneration", notNullValue())
                .body("stale", equalTo(false));
    }
}
