package cn.onenet.exchange.rest;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import cn.onenet.common.problem.ApiException;
import cn.onenet.common.problem.ProblemType;
import cn.onenet.exchange.service.CalendarService;
import cn.onenet.exchange.service.CalendarService.Day;

/**
 * The working-day calendar behind every deadline, read-only: it is the catalogue's (admins edit it there, in the
 * console), and this service follows it. An edit sent here is answered 405 with a problem naming the catalogue's API;
 * its {@code Allow} is the one every 405 of the service carries ({@code AllowedMethods}, from the paths the resources
 * serve), not one written here: {@code GET} is not served on a day's path either.
 */
@Path("/api/exchange/v1/calendar")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "calendar", description = "工作日历 (working-day calendar, kept by catalog-service)")
public class CalendarResource {

    private static final String DAY = "{\"day\": \"2026-10-01\", \"kind\": \"holiday\", \"name\": \"国庆节\"}";

    private final CalendarService calendar;

    public CalendarResource(CalendarService calendar) {
        this.calendar = calendar;
    }

    @GET
    @RolesAllowed({ "operator", "system", "reviewer", "admin", "auditor" })
    @Operation(summary = "Holidays and make-up working days: this service's copy of the catalogue's calendar.")
    @APIResponse(responseCode = "200", description = "the calendar entries, by day",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = Day.class),
                    examples = @ExampleObject(name = "national-day", value = "[" + DAY + ", {\"day\": \"2026-10-10\", "
                            + "\"kind\": \"workday\", \"name\": \"国庆节调休上班\"}]")))
    public List<Day> list() {
        return calendar.list();
    }

    @GET
    @Path("/status")
    @RolesAllowed({ "operator", "system", "reviewer", "admin", "auditor" })
    @Operation(summary = "Where the calendar in use comes from: the catalogue generation of the copy, when it "
            + "changed, when the catalogue last answered, whether it is stale (unreachable for three intervals), and "
            + "coveredUntil, the last day the State Council's holiday notices entered cover.")
    @APIResponse(responseCode = "200", description = "the copy of the catalogue's calendar in use",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = CalendarService.Status.class),
                    examples = @ExampleObject(name = "following", value = "{\"source\": \"catalog-service\", "
                            + "\"catalogGeneration\": 12, \"syncedAt\": \"2026-11-20T02:15:00Z\", "
                            + "\"checkedAt\": \"2026-11-21T09:30:00Z\", \"lastCheckFailed\": false, \"stale\": false, "
                            + "\"editAt\": \"/api/catalog/v1/calendar\", \"coveredUntil\": \"2026-12-31\"}")))
    public CalendarService.Status status() {
        return calendar.status();
    }

    /** Not part of the API any more: tells an admin (or an old script) where the calendar is edited now. */
    @PUT
    @Path("/{day}")
    @RolesAllowed("admin")
    @Operation(hidden = true)
    public void put(@PathParam("day") String day) {
        throw editedInTheCatalogue("PUT", day);
    }

    @DELETE
    @Path("/{day}")
    @RolesAllowed("admin")
    @Operation(hidden = true)
    public void delete(@PathParam("day") String day) {
        throw editedInTheCatalogue("DELETE", day);
    }

    private static ApiException editedInTheCatalogue(String method, String day) {
        String api = CalendarService.CATALOG_CALENDAR_API + "/" + (isDate(day) ? day : "{day}");
        return new ApiException(ProblemType.METHOD_NOT_ALLOWED, "工作日历由目录服务维护，请在管理控制台或 " + method + " " + api
                + " 修改 / the working-day calendar is kept by catalog-service: edit it in the console or with "
                + method + " " + api, List.of(), Map.of("calendarApi", api), Map.of());
    }

    private static boolean isDate(String day) {
        try {
            LocalDate.parse(day);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }
}
