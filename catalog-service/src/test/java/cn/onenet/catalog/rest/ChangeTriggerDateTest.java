package cn.onenet.catalog.rest;

import static cn.onenet.catalog.support.Fixtures.action;
import static cn.onenet.catalog.support.Fixtures.as;
import static cn.onenet.catalog.support.Fixtures.editor;
import static cn.onenet.catalog.support.Fixtures.entry;
import static cn.onenet.catalog.support.Fixtures.published;
import static cn.onenet.catalog.support.Fixtures.registeredOn;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;

import org.junit.jupiter.api.Test;

import cn.onenet.catalog.support.FakeExchange;
import cn.onenet.testsupport.PostgresTestResource;
import cn.onenet.testsupport.TestOidcResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The day that triggered a change (条例 Art. 17, R6: a law, regulation or duty change; the 10 working days run from
 * it) lies between the day the entry was registered in the catalogue and today: a date before the registration is
 * refused naming {@code triggeredOn}, and the refused request changes nothing.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestOidcResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FakeExchange.class, restrictToAnnotatedClass = false)
class ChangeTriggerDateTest {

    private static final String E = "/api/catalog/v1/entries/";

    private static void refusedAndUnchanged(long id, String triggeredOn, String detail) {
        int lock = as(editor()).get(E + id).then().extract().path("lockVersion");
        action(editor(), id, "change", Map.of("cause", "法规修订", "triggeredOn", triggeredOn)).statusCode(400)
                .contentType("application/problem+json").body("field", equalTo("triggeredOn"))
                .body("errors[0].field", equalTo("triggeredOn")).body("detail", containsString(detail))
                .body("requestId", notNullValue());
        as(editor()).get(E + id).then().statusCode(200).body("state", equalTo("PUBLISHED"))
                .body("changeDue", nullValue()).body("changeTrigger", nullValue()).body("lockVersion", equalTo(lock));
        as(editor()).get(E + id + "/history").then().statusCode(200).body("action", not(hasItem("START_CHANGE")));
    }

    @Test
    void aTriggerBeforeTheEntryWasRegisteredIsRefusedAndChangesNothing() {
        long id = published(editor(), entry("变更触发-登记之前"));
        registeredOn(id, "2026-03-02");
        refusedAndUnchanged(id, "1900-01-01", "2026-03-02");
        refusedAndUnchanged(id, "2026-03-01", "2026-03-02");
        // the registration day itself and any day after it up to today are triggers
        action(editor(), id, "change", Map.of("cause", "法规修订", "triggeredOn", "2026-03-02")).statusCode(200)
                .body("state", equalTo("CHANGE_PENDING")).body("changeDue", equalTo("2026-03-16"))
                .body("changeTrigger.triggeredOn", equalTo("2026-03-02"));
    }

    @Test
    void aTriggerInTheFutureIsRefusedAndTodayIsTheDefault() {
        long id = published(editor(), entry("变更触发-今天"));
        LocalDate today = LocalDate.now(ZoneId.of("Asia/Shanghai"));
        refusedAndUnchanged(id, today.plusDays(1).toString(), "future");
        // an entry registered today: its change can only have been triggered today
        refusedAndUnchanged(id, today.minusDays(1).toString(), today.toString());
        action(editor(), id, "change", Map.of("cause", "职责调整")).statusCode(200)
                .body("changeTrigger.triggeredOn", equalTo(today.toString()));
    }
}
