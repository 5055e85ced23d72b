package cn.onenet.catalog.rest;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import cn.onenet.catalog.service.DcatExporter;
import cn.onenet.catalog.service.Paging;
import io.quarkus.security.identity.SecurityIdentity;

/** DCAT-AP 3.0.1 export: Turtle or JSON-LD by content negotiation. */
@Path("/api/catalog/v1/dcat")
@Tag(name = "dcat", description = "DCAT-AP 3 导出 / DCAT-AP 3 export")
public class DcatResource {

    private final DcatExporter exporter;
    private final SecurityIdentity identity;

    /** A harvester reads the catalogue in larger pages than the search's. */
    static final int MAX_PAGE_SIZE = 1000;

    public DcatResource(DcatExporter exporter, SecurityIdentity identity) {
        this.exporter = exporter;
        this.identity = identity;
    }

    @GET
    @Path("/catalog")
    @Produces({Rdf.TURTLE, Rdf.JSONLD})
    @Operation(summary = "The published catalogue as DCAT-AP 3 (anonymous callers, citizens and enterprises: open "
            + "entries only), paged with hydra links (?page=0&size=100). Accept: text/turtle or application/ld+json.")
    @PermitAll
    public Response catalog(@QueryParam("page") Integer page, @QueryParam("size") Integer size,
            @jakarta.ws.rs.core.Context HttpHeaders headers) {
        int p = Paging.page(page);
        int s = Paging.size(size, 100, MAX_PAGE_SIZE);
        return Rdf.render(headers, exporter.catalogPage(p, s, Callers.of(identity).openViewOnly()));
    }

    @GET
    @Path("/entries/{id}")
    @Produces({Rdf.TURTLE, Rdf.JSONLD})
    @PermitAll
    @Operation(summary = "One published entry as a DCAT-AP 3 dataset (anonymous callers, citizens and enterprises: "
            + "open entries only). A deregistered entry, shown only to those who may read its drafts, is its last "
            + "published copy whose distribution is marked adms:status "
            + "<http://publications.europa.eu/resource/authority/distribution-status/WITHDRAWN>, with "
            + "zwml:deregisteredOn, the date it was deregistered; /dcat/catalog does not list it.")
    public Response entry(@PathParam("id") long id, @jakarta.ws.rs.core.Context HttpHeaders headers) {
        // a reader allowed to see drafts still gets only the published copy here
        return Rdf.render(headers, exporter.entry(exporter.published(Callers.of(identity), id)));
    }
}
