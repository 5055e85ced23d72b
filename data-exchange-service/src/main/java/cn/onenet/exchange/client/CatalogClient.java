package cn.onenet.exchange.client;

import java.util.List;
import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import io.quarkus.oidc.client.filter.OidcClientFilter;

/** catalog-service's change feed (docs/catalog-exchange-contract.md §1), with a client-credentials token. */
@RegisterRestClient(configKey = "catalog")
@OidcClientFilter
@Path("/api/catalog/v1")
public interface CatalogClient {

    @GET
    @Path("/feed")
    @Produces(MediaType.APPLICATION_JSON)
    FeedPage feed(@QueryParam("after") long after, @QueryParam("limit") int limit);

    record FeedPage(List<FeedItem> items, Long next) {
    }

    record FeedItem(long cursor, String type, String occurredAt, Map<String, Object> entry) {
    }
}
