package cn.onenet.catalog.rest;

import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import cn.onenet.catalog.config.CatalogConfig;
import cn.onenet.catalog.model.CalendarChange;
import cn.onenet.catalog.model.CalendarDay;
import cn.onenet.catalog.model.ResourceClass;
import cn.onenet.catalog.model.SearchSynonym;
import cn.onenet.catalog.service.CalendarService;
import cn.onenet.catalog.service.CatalogService;
import cn.onenet.catalog.service.Paging;
import cn.onenet.catalog.service.SynonymService;
import cn.onenet.catalog.service.search.SearchService;
import cn.onenet.common.problem.ApiException;
import io.quarkus.security.identity.SecurityIdentity;

/** Curated data: the working-day calendar, search synonyms, the classification scheme, index maintenance. */
@Path("/api/catalog/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "admin", description = "日历、同义词、分类 / calendar, synonyms, classification")
public class AdminResource {

    public record WorkingDays(@Schema(example = "2025-09-26") LocalDate start, @Schema(example = "10") int days,
            @Schema(example = "2025-10-16") LocalDate end,
            @Schema(description = "end falls after the last day the official notices entered cover (GET "
                    + "/calendar/coverage): counted with the fixed-date holidays only, it may move when that year's "
                    + "notice is entered", example = "false") boolean provisional) {
    }

    public record Classes(@Schema(example = "BASE") String resourceClass, @Schema(example = "1") String digit,
            @Schema(example = "基础信息资源") String label, List<Category> categories) {
    }

    public record Category(@Schema(example = "人口") String name, @Schema(example = "01") String itemCode) {
    }

    public record CalendarSnapshot(@Schema(description = "changes with every change of the calendar", example = "12")
            long generation, List<CalendarDay> days) {
    }

    public record Rebuild(@Schema(example = "41") int entries, @Schema(example = "840") long millis) {
    }

    /** A day as it was or is in the calendar. */
    public record DayValue(@Schema(example = "holiday") String kind, @Schema(example = "春节") String name) {
    }

    @Schema(description = "one change of the working-day calendar: the day before and after, who changed it, when, why")
    public record CalendarChangeView(@Schema(example = "17") long id, @Schema(example = "2027-02-08") LocalDate day,
            @Schema(description = "SET (a day added or changed), REMOVE (a day removed) or SEED (the initial calendar "
                    + "shipped with the service)", example = "SET") String action,
            @Schema(description = "the day as it was; null when it was not in the calendar") DayValue before,
            @Schema(description = "the day as it is now; null when it was removed") DayValue after,
            @Schema(example = "国办发明电〔2026〕7号 2027年部分节假日安排") String reason,
            @Schema(description = "account id (token subject) of whoever made the change; catalog-service for the "
                    + "seed", example = "admin-1") String actor,
            @Schema(description = "their display name from the token, as it was", example = "李明") String actorName,
            @Schema(example = "admin") String actorRole,
            @Schema(description = "X-Request-Id of the call that made the change",
                    example = "6f1c2e0a-3d4b-4c6e-9f7a-1b2c3d4e5f60") String requestId,
            @Schema(example = "2026-12-01T02:15:00Z") Instant changedAt) {

        static CalendarChangeView of(CalendarChange c) {
            return new CalendarChangeView(c.id, c.day, c.action,
                    c.beforeKind == null ? null : new DayValue(c.beforeKind, c.beforeName),
                    c.afterKind == null ? null : new DayValue(c.afterKind, c.afterName), c.reason, c.actor,
                    c.actorName, c.actorRole, c.requestId, c.changedAt);
        }
    }

    private final CalendarService calendar;
    private final SearchService search;
    private final SynonymService synonyms;
    private final SecurityIdentity identity;
    private final CatalogConfig config;

    public AdminResource(CalendarService calendar, SearchService search, SynonymService synonyms,
            SecurityIdentity identity, CatalogConfig config) {
        this.calendar = calendar;
        this.search = search;
        this.synonyms = synonyms;
        this.identity = identity;
        this.config = config;
    }

    @GET
    @Path("/calendar")
    @io.quarkus.security.Authenticated
    @Operation(summary = "Public holidays and 调休 make-up working days of a year.")
    @APIResponse(responseCode = "200", description = "the year's holidays and make-up working days, by date",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = CalendarDay.class),
                    examples = @ExampleObject(name = "2026年春节", value = """
                            [{"day":"2026-02-14","kind":"workday","name":"春节调休上班"},
                             {"day":"2026-02-15","kind":"holiday","name":"春节"},
                             {"day":"2026-02-16","kind":"holiday","name":"春节"}]""")))
    public List<CalendarDay> days(@QueryParam("year") Integer year) {
        return calendar.list(year == null ? calendar.today().getYear() : year);
    }

    @GET
    @Path("/calendar/snapshot")
    @io.quarkus.security.Authenticated
    @Operation(summary = "The whole calendar, every year, for services that follow it (data-exchange-service). The "
            + "ETag is the calendar's generation: with If-None-Match of the current one the answer is 304, no body.")
    @APIResponse(responseCode = "200", description = "every holiday and make-up working day, by date, and the generation",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = CalendarSnapshot.class),
                    examples = @ExampleObject(name = "2026年春节", value = """
                            {"generation":12,"days":[{"day":"2026-02-14","kind":"workday","name":"春节调休上班"},
                             {"day":"2026-02-15","kind":"holiday","name":"春节"}]}""")))
    @APIResponse(responseCode = "304", description = "unchanged since the generation named in If-None-Match")
    public Response snapshot(@Context Request request) {
        CacheControl revalidate = new CacheControl();
        revalidate.setNoCache(true);
        Response.ResponseBuilder unchanged = request.evaluatePreconditions(etag(calendar.generation()));
        if (unchanged != null) {
            return unchanged.cacheControl(revalidate).build();
        }
        CalendarService.Snapshot s = calendar.snapshot();
        return Response.ok(new CalendarSnapshot(s.generation(), s.days())).tag(etag(s.generation()))
                .cacheControl(revalidate).build();
    }

    private static EntityTag etag(long generation) {
        return new EntityTag(Long.toString(generation));
    }

    @PUT
    @Path("/calendar/{day}")
    @RolesAllowed("admin")
    @Operation(summary = "Set a day as holiday or make-up working day (admin). Body {\"kind\":\"holiday\",\"name\":\"春节\","
            + "\"reason\":\"国办发明电〔2026〕7号\"}: the reason is required (400 naming reason) and recorded with the "
            + "admin in the calendar's change history (GET /calendar/changes). A day entered as what it already is "
            + "(a holiday on a Saturday or Sunday that is not part of a holiday period, a workday on a Monday to "
            + "Friday that is not a fixed-date holiday) changes nothing and is refused with 400 naming kind.")
    @APIResponse(responseCode = "200", description = "the day as stored",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = CalendarDay.class),
                    examples = @ExampleObject(name = "春节", value = """
                            {"day":"2026-02-17","kind":"holiday","name":"春节"}""")))
    public CalendarDay putDay(@PathParam("day") String day, Requests.CalendarDayBody body) {
        if (body == null) {
            throw ApiException.field("kind", "请求体必填 / body required");
        }
        return calendar.put(Callers.of(identity), date(day, "day"), body.kind(), body.name(), body.reason());
    }

    @DELETE
    @Path("/calendar/{day}")
    @RolesAllowed("admin")
    @Operation(summary = "Remove a day from the calendar (admin), ?reason= required (400 naming reason): recorded with "
            + "the admin in the calendar's change history (GET /calendar/changes).")
    @APIResponse(responseCode = "204", description = "removed, and the change recorded")
    public void deleteDay(@PathParam("day") String day,
            @Parameter(description = "why the day is removed (at most 2000 characters), e.g. the notice that "
                    + "corrects it", example = "国办发明电〔2026〕8号 更正") @QueryParam("reason") String reason) {
        calendar.delete(Callers.of(identity), date(day, "day"), reason);
    }

    @GET
    @Path("/calendar/changes")
    @RolesAllowed({"admin", "auditor"})
    @Operation(summary = "Who changed the working-day calendar, when and why (admins and auditors): every change of a "
            + "day, newest first, one page at a time; ?day= only that day's. The X-Total-Count header counts every "
            + "change matching the filter.")
    @APIResponse(responseCode = "200", description = "one page of changes, newest first",
            headers = @Header(name = EntryResource.TOTAL_COUNT, description = "how many changes match, on all pages",
                    schema = @Schema(type = SchemaType.INTEGER, example = "58")),
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = CalendarChangeView.class),
                    examples = @ExampleObject(name = "调休", value = """
                            [{"id":58,"day":"2027-02-06","action":"SET","before":null,
                              "after":{"kind":"workday","name":"春节调休上班"},"reason":"国办发明电〔2026〕7号",
                              "actor":"admin-1","actorName":"李明","actorRole":"admin",
                              "requestId":"6f1c2e0a-3d4b-4c6e-9f7a-1b2c3d4e5f60","changedAt":"2026-12-01T02:15:00Z"}]""")))
    public Response changes(@Parameter(description = "only the changes of this day (YYYY-MM-DD)")
            @QueryParam("day") String day, @QueryParam("page") Integer page, @QueryParam("size") Integer size) {
        LocalDate only = day == null ? null : date(day, "day");
        int s = Paging.size(size, 50, config.maxPageSize());
        int p = Paging.page(page);
        CatalogService.Page<CalendarChange> found = calendar.changes(only, p, s);
        return Response.ok(found.items().stream().map(CalendarChangeView::of).toList())
                .header(EntryResource.TOTAL_COUNT, found.total()).build();
    }

    @GET
    @Path("/calendar/working-days")
    @io.quarkus.security.Authenticated
    @Operation(summary = "The day a period of N working days starting after `start` ends (?start=2025-09-26&days=2).")
    public WorkingDays add(@QueryParam("start") String start, @QueryParam("days") Integer days) {
        if (days == null || days < 0 || days > 1000) {
            throw ApiException.field("days", "工作日数应在0到1000之间 / the number of working days must be 0..1000");
        }
        LocalDate s = date(start, "start");
        LocalDate end = calendar.addWorkingDays(s, days);
        return new WorkingDays(s, days, end, calendar.provisional(end));
    }

    @GET
    @Path("/calendar/coverage")
    @io.quarkus.security.Authenticated
    @Operation(summary = "How far the State Council's holiday notices entered reach: after coveredUntil only the "
            + "fixed-date holidays of 《全国年节及纪念日放假办法》 are counted and deadlines are provisional.")
    public CalendarService.Coverage coverage() {
        return calendar.coverage();
    }

    @GET
    @Path("/synonyms")
    @io.quarkus.security.Authenticated
    @Operation(summary = "The search synonym and abbreviation list.")
    @APIResponse(responseCode = "200", description = "every term with its expansion",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = SearchSynonym.class),
                    examples = @ExampleObject(name = "缩略语", value = """
                            [{"term":"社保","expansion":"社会保险"},{"term":"公积金","expansion":"住房公积金"},
                             {"term":"低保","expansion":"最低生活保障"}]""")))
    public List<SearchSynonym> synonyms() {
        return synonyms.list();
    }

    @PUT
    @Path("/synonyms/{term}")
    @RolesAllowed("admin")
    @Operation(summary = "Add or change a synonym (admin): {\"expansion\":\"社会保险\"} for 社保.")
    @APIResponse(responseCode = "200", description = "the synonym as stored",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = SearchSynonym.class),
                    examples = @ExampleObject(name = "社保", value = """
                            {"term":"社保","expansion":"社会保险"}""")))
    public SearchSynonym putSynonym(@PathParam("term") String term, Requests.SynonymBody body) {
        SearchSynonym s = synonyms.save(term, body == null ? null : body.expansion());
        search.loadSynonyms();
        return s;
    }

    @DELETE
    @Path("/synonyms/{term}")
    @RolesAllowed("admin")
    @Operation(summary = "Remove a synonym (admin).")
    public void deleteSynonym(@PathParam("term") String term) {
        synonyms.delete(term);
        search.loadSynonyms();
    }

    @GET
    @Path("/classification")
    @jakarta.annotation.security.PermitAll
    @Operation(summary = "The classification scheme: base, thematic and departmental classes and their categories.")
    public List<Classes> classification() {
        return java.util.Arrays.stream(ResourceClass.values())
                .map(rc -> new Classes(rc.name(), rc.digit(), rc.label(),
                        rc.categories().stream().map(c -> new Category(c, rc.itemCodeOf(c))).toList()))
                .toList();
    }

    // not under /search: the search resource owns that path, and JAX-RS would not look here for its sub-paths
    @POST
    @Path("/search-index/rebuild")
    @RolesAllowed("admin")
    @Operation(summary = "Rebuild the search index from the database (admin).")
    public Rebuild rebuild() {
        long t = System.nanoTime();
        int n = search.rebuild();
        return new Rebuild(n, (System.nanoTime() - t) / 1_000_000);
    }

    @GET
    @Path("/search-index")
    @RolesAllowed("admin")
    @Operation(summary = "The search index (admin): ready, in memory or on disk, whether it was resumed from disk or "
            + "rebuilt at start and how long that took, entries indexed, the change-feed cursor applied and (on "
            + "disk) the one last committed.")
    public SearchService.Status searchStatus() {
        return search.status();
    }

    /** YYYY-MM-DD with a four-digit year: ISO also reads years such as +999999999, which the database cannot hold. */
    private static final java.util.regex.Pattern ISO_DATE = java.util.regex.Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

    private static LocalDate date(String s, String field) {
        try {
            if (s != null && ISO_DATE.matcher(s).matches()) {
                LocalDate day = LocalDate.parse(s);
                if (day.getYear() >= 1) {
                    return day;
                }
            }
        } catch (DateTimeParseException e) {
            // refused below
        }
        throw ApiException.field(field, "日期格式应为 YYYY-MM-DD / date must be YYYY-MM-DD");
    }
}
