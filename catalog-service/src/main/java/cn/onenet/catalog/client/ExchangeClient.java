package cn.onenet.catalog.client;

import jakarta.ws.rs.Encoded;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import io.quarkus.oidc.client.filter.OidcClientFilter;

/** The exchange's active-grants call (docs/catalog-exchange-contract.md §2), with a client-credentials token. */
@RegisterRestClient(configKey = "exchange")
@OidcClientFilter
@Path("/api/exchange/v1/catalog-entries")
public interface ExchangeClient {

    @JsonIgnoreProperties(ignoreUnknown = true)
    record ActiveGrants(String resourceCode, int activeGrants) {
    }

    /** {@code encodedResourceCode} is already URL-encoded ({@code /} as {@code %2F}). */
    @GET
    @Path("/{code}/active-grants")
    @Produces(MediaType.APPLICATION_JSON)
    ActiveGrants activeGrants(@PathParam("code") @Encoded String encodedResourceCode);
}
