package cn.onenet.catalog.rest;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import cn.onenet.catalog.service.DcatExporter;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * The departments, regions and classification codes the DCAT-AP export names by IRI, dereferenced: the open
 * catalogue's view of them, Turtle or JSON-LD. An IRI answers while a published entry the caller may read names it
 * (anonymous callers, citizens and enterprises: an open one), else 404.
 */
@Path("/api/catalog/v1")
@Tag(name = "dcat", description = "DCAT-AP 3 导出 / DCAT-AP 3 export")
public class LinkedDataResource {

    private final DcatExporter exporter;
    private final SecurityIdentity identity;

    public LinkedDataResource(DcatExporter exporter, SecurityIdentity identity) {
        this.exporter = exporter;
        this.identity = identity;
    }

    private boolean openViewOnly() {
        return Callers.of(identity).openViewOnly();
    }

    @GET
    @Path("/departments/{code}")
    @Produces({Rdf.TURTLE, Rdf.JSONLD})
    @PermitAll
    @Operation(summary = "A provider department as the DCAT-AP export names it (dct:publisher, a foaf:Agent), while it "
            + "provides a published entry the caller may read (anonymous callers, citizens and enterprises: an open "
            + "one); also the catalogue's own publisher.")
    public Response department(@PathParam("code") String code, @Context HttpHeaders headers) {
        return Rdf.render(headers, exporter.department(code, openViewOnly()));
    }

    @GET
    @Path("/regions/{code}")
    @Produces({Rdf.TURTLE, Rdf.JSONLD})
    @PermitAll
    @Operation(summary = "A GB/T 2260 region as the DCAT-AP export names it (dct:spatial, a dct:Location), while a "
            + "published entry the caller may read is in it (anonymous callers, citizens and enterprises: an open one).")
    public Response region(@PathParam("code") String code, @Context HttpHeaders headers) {
        return Rdf.render(headers, exporter.region(code, openViewOnly()));
    }

    @GET
    @Path("/classification/{code}")
    @Produces({Rdf.TURTLE, Rdf.JSONLD})
    @PermitAll
    @Operation(summary = "A classification code (类 + 项 + 目 + 细目) as the DCAT-AP export names it (dcat:theme, a "
            + "skos:Concept labelled with its category), while a published entry the caller may read is of it "
            + "(anonymous callers, citizens and enterprises: an open one).")
    public Response classification(@PathParam("code") String code, @Context HttpHeaders headers) {
        return Rdf.render(headers, exporter.classification(code, openViewOnly()));
    }
}
