package cn.onenet.exchange.rest;

import java.time.LocalDate;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
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

import cn.onenet.exchange.service.CalendarService;
import cn.onenet.exchange.service.CalendarService.Day;

/** The working-day calendar behind every deadline (admin-editable). */
@Path("/api/exchange/v1/calendar")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "calendar", description = "工作日历 (working-day calendar)")
public class CalendarResource {

    public record DayBody(@Schema(description = "holiday or workday", example = "holiday") String kind,
            @Schema(example = "国庆节") String name) {
    }

    private static final String DAY = "{\"day\": \"2026-10-01\", \"kind\": \"holiday\", \"name\": \"国庆节\"}";

    private final CalendarService calendar;

    public CalendarResource(CalendarService calendar) {
        this.calendar = calendar;
    }

    @GET
    @RolesAllowed({ "operator", "system", "reviewer", "admin", "auditor" })
    @Operation(summary = "Holidays and make-up working days.")
    @APIResponse(responseCode = "200", description = "the calendar entries, by day",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = Day.class),
                    examples = @ExampleObject(name = "national-day", value = "[" + DAY + ", {\"day\": \"2026-10-10\", "
                            + "\"kind\": \"workday\", \"name\": \"国庆节调休上班\"}]")))
    public List<Day> list() {
        return calendar.list();
    }

    @PUT
    @Path("/{day}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed("admin")
    @Operation(summary = "Set a day as holiday or make-up working day (kind: holiday|workday).")
    @APIResponse(responseCode = "200", description = "the day as stored",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Day.class),
                    examples = @ExampleObject(name = "holiday", value = DAY)))
    public Day put(@PathParam("day") LocalDate day, DayBody body) {
        return calendar.put(new Day(day, body == null ? null : body.kind(), body == null ? null : body.name()));
    }

    @DELETE
    @Path("/{day}")
    @RolesAllowed("admin")
    @Operation(summary = "Remove a calendar entry (the day becomes an ordinary weekday or weekend day).")
    public void delete(@PathParam("day") LocalDate day) {
        calendar.delete(day);
    }
}
