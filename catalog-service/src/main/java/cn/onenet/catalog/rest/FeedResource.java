package cn.onenet.catalog.rest;

import java.time.Instant;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.databind.JsonNode;

import cn.onenet.catalog.model.EntryContent;
import cn.onenet.catalog.model.FeedEvent;
import cn.onenet.catalog.service.CatalogService;
import cn.onenet.catalog.service.Json;
import cn.onenet.common.problem.ApiException;

/** The change feed of docs/catalog-exchange-contract.md §1: cursor-ordered, resumable, never skipping. */
@Path("/api/catalog/v1/feed")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "feed", description = "目录变更订阅 / change feed for other services")
public class FeedResource {

    /** The second version of 居民户籍信息 as the feed carries it: the published document plus code, version, dates. */
    static final String ENTRY_EXAMPLE = "{" + EntryContent.EXAMPLE_MEMBERS + """
            ,"resourceCode":"101001/000001","version":2,"versionLabel":"1.1",
             "metadataId":"6f1d2c3e-9b7a-4e21-8c55-0a4b3d2e1f90","catalogEntryId":1,"publishDate":"2026-10-23",
             "updatedAt":"2026-10-30T07:45:12Z"}""";

    public record Item(@Schema(example = "42") long cursor, @Schema(example = "CHANGED") String type,
            @Schema(example = "2026-10-30T07:45:12Z") Instant occurredAt,
            @Schema(example = ENTRY_EXAMPLE) JsonNode entry) {
    }

    public record Page(List<Item> items, @Schema(example = "42") long next) {
    }

    private final CatalogService catalog;
    private final Json json;

    public FeedResource(CatalogService catalog, Json json) {
        this.catalog = catalog;
        this.json = json;
    }

    @GET
    @RolesAllowed({"system", "admin", "auditor"})
    @Operation(summary = "Published, changed and deregistered entries after a cursor (role system, admin or auditor). "
            + "Pass the last processed cursor as `after`; `next` is the cursor to pass next time.")
    public Page feed(@QueryParam("after") Long after, @QueryParam("limit") Integer limit) {
        long a = after == null ? 0 : after;
        if (a < 0) {
            throw ApiException.field("after", "游标不能为负 / cursor must not be negative");
        }
        int l = limit == null ? 100 : limit;
        if (l < 1 || l > 1000) {
            throw ApiException.field("limit", "每次读取的事件条数应在1到1000之间 / the number of events must be 1..1000");
        }
        List<FeedEvent> rows = catalog.feed(a, l);
        List<Item> items = rows.stream()
                .map(f -> new Item(f.cursor, f.type, f.occurredAt, json.tree(f.entry))).toList();
        return new Page(items, items.isEmpty() ? a : items.get(items.size() - 1).cursor());
    }
}
