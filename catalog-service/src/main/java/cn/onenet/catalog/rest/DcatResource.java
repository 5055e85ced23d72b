package cn.onenet.catalog.rest;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.apache.jena.riot.Lang;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import cn.onenet.catalog.model.CatalogEntry;
import cn.onenet.catalog.service.CatalogService;
import cn.onenet.catalog.service.DcatExporter;
import cn.onenet.common.problem.ApiException;
import cn.onenet.common.problem.ProblemType;
import io.quarkus.security.identity.SecurityIdentity;

/** DCAT-AP 3.0.1 export: Turtle or JSON-LD by content negotiation. */
@Path("/api/catalog/v1/dcat")
@Tag(name = "dcat", description = "DCAT-AP 3 导出 / DCAT-AP 3 export")
public class DcatResource {

    static final String TURTLE = "text/turtle";
    static final String JSONLD = "application/ld+json";

    private final DcatExporter exporter;
    private final CatalogService catalog;
    private final SecurityIdentity identity;

    public DcatResource(DcatExporter exporter, CatalogService catalog, SecurityIdentity identity) {
        this.exporter = exporter;
        this.catalog = catalog;
        this.identity = identity;
    }

    @GET
    @Path("/catalog")
    @Produces({TURTLE, JSONLD})
    @Operation(summary = "The published catalogue as DCAT-AP 3 (anonymous callers, citizens and enterprises: open "
            + "entries only), paged with hydra links (?page=0&size=100). Accept: text/turtle or application/ld+json.")
    @PermitAll
    public Response catalog(@QueryParam("page") Integer page, @QueryParam("size") Integer size,
            @jakarta.ws.rs.core.Context HttpHeaders headers) {
        int p = page == null ? 0 : page;
        int s = size == null ? 100 : size;
        if (p < 0) {
            throw ApiException.field("page", "页码不能为负 / page must not be negative");
        }
        if (s < 1 || s > 1000) {
            throw ApiException.field("size", "size 应在1到1000之间 / size must be 1..1000");
        }
        return render(headers, exporter.catalogPage(p, s, Callers.of(identity).openViewOnly()));
    }

    @GET
    @Path("/entries/{id}")
    @Produces({TURTLE, JSONLD})
    @PermitAll
    @Operation(summary = "One published entry as a DCAT-AP 3 dataset (anonymous callers, citizens and enterprises: "
            + "open entries only). A deregistered entry, shown only to those who may read its drafts, is its last "
            + "published copy whose distribution is marked adms:status "
            + "<http://publications.europa.eu/resource/authority/distribution-status/WITHDRAWN>, with "
            + "zwml:deregisteredOn, the date it was deregistered; /dcat/catalog does not list it.")
    public Response entry(@PathParam("id") long id, @jakarta.ws.rs.core.Context HttpHeaders headers) {
        CatalogEntry e = catalog.get(Callers.of(identity), id);
        if (e.published == null) {
            throw ApiException.notFound("条目尚未发布 / entry not published");
        }
        // a reader allowed to see drafts still gets only the published copy here
        return render(headers, exporter.entry(e));
    }

    /** A media range with quality 0, which the client refuses. */
    private static boolean refused(MediaType t) {
        String q = t.getParameters().get("q");
        if (q == null) {
            return false;
        }
        try {
            return Double.parseDouble(q.trim()) == 0;
        } catch (NumberFormatException malformed) {
            return false;
        }
    }

    private static Response render(HttpHeaders headers, org.apache.jena.rdf.model.Model m) {
        boolean jsonld = false;
        boolean turtle = headers.getAcceptableMediaTypes().isEmpty();
        for (MediaType t : headers.getAcceptableMediaTypes()) {
            if (refused(t)) {
                continue; // q=0: "not acceptable" (RFC 9110 §12.4.2)
            }
            if (t.isCompatible(MediaType.valueOf(JSONLD)) && !t.isWildcardType()) {
                jsonld = true;
                break;
            }
            if (t.isCompatible(MediaType.valueOf(TURTLE))) {
                turtle = true;
                break;
            }
        }
        if (!jsonld && !turtle) {
            throw new ApiException(ProblemType.NOT_ACCEPTABLE,
                    "仅支持 text/turtle 和 application/ld+json / only text/turtle and application/ld+json are served");
        }
        return Response.ok(DcatExporter.write(m, jsonld ? Lang.JSONLD : Lang.TURTLE))
                .type((jsonld ? JSONLD : TURTLE) + ";charset=UTF-8").build();
    }
}
