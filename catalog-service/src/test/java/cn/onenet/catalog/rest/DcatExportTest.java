package cn.onenet.catalog.rest;

import static cn.onenet.catalog.support.Fixtures.as;
import static cn.onenet.catalog.support.Fixtures.operator;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;

import org.apache.jena.graph.Graph;
import org.apache.jena.rdf.model.Model;
import org.apache.jena.rdf.model.ModelFactory;
import org.apache.jena.riot.Lang;
import org.apache.jena.riot.RDFParser;
import org.apache.jena.shacl.ShaclValidator;
import org.apache.jena.shacl.Shapes;
import org.apache.jena.shacl.ValidationReport;
import org.apache.jena.shacl.lib.ShLib;
import org.apache.jena.vocabulary.DCAT;
import org.apache.jena.vocabulary.RDF;
import org.junit.jupiter.api.Test;

import cn.onenet.catalog.support.FakeExchange;
import cn.onenet.testsupport.PostgresTestResource;
import cn.onenet.testsupport.TestOidcResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The DCAT-AP export of the demo catalogue against the official DCAT-AP 3.0.1 SHACL shapes. */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestOidcResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FakeExchange.class, restrictToAnnotatedClass = false)
class DcatExportTest {

    private static final String D = "/api/catalog/v1/dcat";

    /**
     * The official files, merged: the complete shape set refers to a few property shapes (e.g. the DataService
     * endpoint URL) that only its companion ranges file defines, and 3.0.1 also names a few property shapes it never
     * defines (e.g. on dcat:Relationship). Jena's parser rejects such dangling references, so they are dropped; every
     * shape that is defined is applied.
     */
    static Shapes shapes(String... files) {
        Graph g = org.apache.jena.sparql.graph.GraphFactory.createDefaultGraph();
        for (String file : files) {
            try (InputStream in = DcatExportTest.class.getResourceAsStream("/dcat-ap-3.0.1/" + file)) {
                if (in == null) {
                    throw new IllegalStateException("missing shapes " + file);
                }
                RDFParser.source(in).lang(Lang.TURTLE).parse(g);
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }
        var shProperty = org.apache.jena.graph.NodeFactory.createURI("http://www.w3.org/ns/shacl#property");
        var shPath = org.apache.jena.graph.NodeFactory.createURI("http://www.w3.org/ns/shacl#path");
        var dangling = g.find(org.apache.jena.graph.Node.ANY, shProperty, org.apache.jena.graph.Node.ANY).toList()
                .stream().filter(t -> !g.contains(t.getObject(), shPath, org.apache.jena.graph.Node.ANY)).toList();
        dangling.forEach(g::delete);
        return Shapes.parse(g);
    }

    static Model parse(String body, Lang lang) {
        Model m = ModelFactory.createDefaultModel();
        RDFParser.create().source(new StringReader(body)).lang(lang).parse(m);
        return m;
    }

    static void conforms(Model m, String... shapesFiles) {
        ValidationReport report = ShaclValidator.get().validate(shapes(shapesFiles), m.getGraph());
        if (!report.conforms()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ShLib.printReport(out, report);
            throw new AssertionError(String.join(", ", shapesFiles) + ":\n" + out.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void demoCatalogueConformsToTheOfficialShapes() {
        String ttl = as(operator()).accept("text/turtle").queryParam("size", 1000).get(D + "/catalog").then()
                .statusCode(200).contentType(containsString("text/turtle")).extract().asString();
        Model m = parse(ttl, Lang.TURTLE);
        int datasets = m.listSubjectsWithProperty(RDF.type, DCAT.Dataset).toList().size();
        assertTrue(datasets >= 40, "datasets " + datasets);
        conforms(m, "shacl_dcat-ap-SHACL.ttl", "shacl_ranges.ttl");
        conforms(m, "html_shacl_shapes.ttl");
        conforms(m, "html_shacl_range.ttl");
        // the 编制指南 extension is present
        assertTrue(ttl.contains("zwml:shareAttribute"));
        assertTrue(ttl.contains("zwml:dataItem"));
        assertTrue(ttl.contains("公民身份号码"));
    }

    @Test
    void theShapesCatchABrokenExport() {
        String ttl = as(operator()).accept("text/turtle").queryParam("size", 5).get(D + "/catalog").then()
                .statusCode(200).extract().asString();
        Model m = parse(ttl, Lang.TURTLE);
        m.removeAll(null, org.apache.jena.vocabulary.DCTerms.title, null);
        ValidationReport report = ShaclValidator.get().validate(shapes("shacl_dcat-ap-SHACL.ttl", "shacl_ranges.ttl"), m.getGraph());
        assertFalse(report.conforms(), "a dataset without dct:title must not conform");
    }

    @Test
    void entryByContentNegotiationAndPaging() {
        long id = as(operator()).queryParam("q", "企业登记信息").get("/api/catalog/v1/search").then().extract()
                .jsonPath().getLong("hits[0].id");
        String jsonld = given().accept("application/ld+json").get(D + "/entries/" + id).then().statusCode(200)
                .contentType(containsString("application/ld+json")).extract().asString();
        Model m = parse(jsonld, Lang.JSONLD);
        assertEquals(1, m.listSubjectsWithProperty(RDF.type, DCAT.Dataset).toList().size());
        conforms(m, "shacl_dcat-ap-SHACL.ttl", "shacl_ranges.ttl");
        String ttl = as(operator()).accept("text/turtle").get(D + "/entries/" + id).then().statusCode(200)
                .extract().asString();
        assertTrue(parse(ttl, Lang.TURTLE).isIsomorphicWith(m));
        as(operator()).accept("application/pdf").get(D + "/entries/" + id).then().statusCode(406);
        // paging: page 0 of size 10 links to page 1
        String page = as(operator()).accept("text/turtle").queryParam("size", 10).get(D + "/catalog").then()
                .statusCode(200).extract().asString();
        assertTrue(page.contains("page=1&size=10"), "next link");
        as(operator()).queryParam("size", 0).get(D + "/catalog").then().statusCode(400);
        // anonymous: only open entries
        String open = given().accept("text/turtle").queryParam("size", 1000).get(D + "/catalog").then()
                .statusCode(200).extract().asString();
        assertFalse(open.contains("居民户籍信息"));
        assertTrue(open.contains("企业登记信息"));
    }

    @Test
    void citizensAndEnterprisesGetTheOpenCatalogue() {
        String anonymous = given().accept("text/turtle").queryParam("size", 1000).get(D + "/catalog").then()
                .statusCode(200).extract().asString();
        int open = parse(anonymous, Lang.TURTLE).listSubjectsWithProperty(RDF.type, DCAT.Dataset).toList().size();
        for (String token : java.util.List.of(cn.onenet.catalog.support.Fixtures.citizen(),
                cn.onenet.catalog.support.Fixtures.enterprise())) {
            String ttl = as(token).accept("text/turtle").queryParam("size", 1000).get(D + "/catalog").then()
                    .statusCode(200).extract().asString();
            assertFalse(ttl.contains("居民户籍信息"), "not open to the public");
            assertTrue(ttl.contains("企业登记信息"));
            assertEquals(open, parse(ttl, Lang.TURTLE).listSubjectsWithProperty(RDF.type, DCAT.Dataset).toList()
                    .size());
        }
        String government = as(cn.onenet.catalog.support.Fixtures.system()).accept("text/turtle")
                .queryParam("size", 1000).get(D + "/catalog").then().statusCode(200).extract().asString();
        assertTrue(government.contains("居民户籍信息"));
    }

    @Test
    void aDeregisteredEntryIsServedAsWithdrawnToThoseWhoStillSeeIt() {
        String editor = cn.onenet.catalog.support.Fixtures.editor();
        String reviewer = cn.onenet.catalog.support.Fixtures.reviewer();
        long id = cn.onenet.catalog.support.Fixtures.published(editor,
                cn.onenet.catalog.support.Fixtures.entry("DCAT-已注销"));
        String live = as(cn.onenet.catalog.support.Fixtures.admin()).accept("text/turtle").get(D + "/entries/" + id)
                .then().statusCode(200).extract().asString();
        assertFalse(live.contains("WITHDRAWN"), live);
        cn.onenet.catalog.support.Fixtures.action(editor, id, "deregistration", java.util.Map.of("reason", "停止采集"))
                .statusCode(200);
        cn.onenet.catalog.support.Fixtures.action(reviewer, id, "deregistration/approval",
                java.util.Map.of("opinion", "同意注销")).statusCode(200);
        String today = java.time.LocalDate.now(java.time.ZoneId.of("Asia/Shanghai")).toString();
        for (String token : java.util.List.of(cn.onenet.catalog.support.Fixtures.admin(), editor)) {
            Model m = parse(as(token).accept("text/turtle").get(D + "/entries/" + id).then().statusCode(200)
                    .extract().asString(), Lang.TURTLE);
            var ds = m.listSubjectsWithProperty(RDF.type, DCAT.Dataset).toList();
            assertEquals(1, ds.size());
            var status = m.createProperty("http://www.w3.org/ns/adms#status");
            // DCAT-AP 3.0.1 has no status on datasets: the distribution says it is withdrawn
            assertFalse(ds.get(0).hasProperty(status));
            var withdrawn = ds.get(0).getPropertyResourceValue(DCAT.distribution).getPropertyResourceValue(status);
            assertEquals("http://publications.europa.eu/resource/authority/distribution-status/WITHDRAWN",
                    withdrawn.getURI());
            assertTrue(withdrawn.hasProperty(org.apache.jena.vocabulary.SKOS.prefLabel));
            assertEquals(today, ds.get(0).getProperty(m.createProperty(
                    "https://onenet.gov.cn/ns/zwml#deregisteredOn")).getString());
            conforms(m, "shacl_dcat-ap-SHACL.ttl", "shacl_ranges.ttl");
            conforms(m, "html_shacl_shapes.ttl");
            conforms(m, "html_shacl_range.ttl");
        }
        // readers of the published catalogue do not see it at all
        as(operator()).accept("text/turtle").get(D + "/entries/" + id).then().statusCode(404);
        String catalog = as(cn.onenet.catalog.support.Fixtures.admin()).accept("text/turtle").queryParam("size", 1000)
                .get(D + "/catalog").then().statusCode(200).extract().asString();
        assertFalse(catalog.contains("DCAT-已注销"));
    }
}
