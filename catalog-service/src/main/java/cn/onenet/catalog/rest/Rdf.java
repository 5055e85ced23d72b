package cn.onenet.catalog.rest;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.apache.jena.rdf.model.Model;
import org.apache.jena.riot.Lang;

import cn.onenet.catalog.service.DcatExporter;
import cn.onenet.common.problem.ApiException;
import cn.onenet.common.problem.ProblemType;

/**
 * RDF answers by content negotiation, the one place every RDF operation (the DCAT-AP export and the IRIs it names)
 * negotiates: Turtle (the default) or JSON-LD, 406 problem+json when neither is acceptable, and {@code Vary: Accept}
 * on the answer, so a shared cache does not hand one format to a client that asked for the other.
 */
final class Rdf {

    static final String TURTLE = "text/turtle";
    static final String JSONLD = "application/ld+json";

    private Rdf() {
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

    static Response render(HttpHeaders headers, Model m) {
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
                .type((jsonld ? JSONLD : TURTLE) + ";charset=UTF-8")
                .header(HttpHeaders.VARY, HttpHeaders.ACCEPT).build();
    }
}
