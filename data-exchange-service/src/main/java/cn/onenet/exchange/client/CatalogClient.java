package cn.onenet.exchange.client;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import io.quarkus.oidc.client.filter.OidcClientFilter;

/**
 * catalog-service's change feed (docs/catalog-exchange-contract.md §1) and working-day calendar, with a
 * client-credentials token.
 */
@RegisterRestClient(configKey = "catalog")
@OidcClientFilter
@Path("/api/catalog/v1")
public interface CatalogClient {

    @GET
    @Path("/feed")
    @Produces(MediaType.APPLICATION_JSON)
    FeedPage feed(@QueryParam("after") long after, @QueryParam("limit") int limit);

    @JsonIgnoreProperties(ignoreUnknown = true)
    record FeedPage(List<FeedItem> items, Long next) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record FeedItem(long cursor, String type, String occurredAt, Map<String, Object> entry) {
    }

    /**
     * The catalogue's whole working-day calendar: 200 with a {@link CalendarSnapshot} and the generation as ETag, or
     * 304 when {@code ifNoneMatch} (a quoted generation, or null) names the current one.
     */
    @GET
    @Path("/calendar/snapshot")
    @Produces(MediaType.APPLICATION_JSON)
    Response calendar(@HeaderParam("If-None-Match") String ifNoneMatch);

    @JsonIgnoreProperties(ignoreUnknown = true)
    record CalendarSnapshot(Long generation, List<CalendarDay> days) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record CalendarDay(LocalDate day, String kind, String name) {
    }
}
