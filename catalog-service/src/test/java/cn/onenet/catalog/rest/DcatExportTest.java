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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.jena.graph.Graph;
import org.apache.jena.rdf.model.Model;
import org.apache.jena.rdf.model.ModelFactory;
import org.apache.jena.rdf.model.Property;
import org.apache.jena.rdf.model.RDFNode;
import org.apache.jena.rdf.model.Resource;
import org.apache.jena.riot.Lang;
import org.apache.jena.riot.RDFParser;
import org.apache.jena.shacl.ShaclValidator;
import org.apache.jena.shacl.Shapes;
import org.apache.jena.shacl.ValidationReport;
import org.apache.jena.shacl.lib.ShLib;
import org.apache.jena.vocabulary.DCAT;
import org.apache.jena.vocabulary.DCTerms;
import org.apache.jena.vocabulary.RDF;
import org.junit.jupiter.api.Test;

import jakarta.inject.Inject;

import cn.onenet.catalog.service.RegionNames;
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

    @Inject
    RegionNames regionNames;

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

    /** The request path of an IRI the export names (under the service's public base URI). */
    private static String path(String iri) {
        return iri.substring(iri.indexOf("/api/catalog/v1"));
    }

    /**
     * A region the export names (dct:spatial) carries its Chinese name from identity-service's region register, in
     * the dataset's document, the catalogue and the region's own IRI (it was a bare code); the documents conform.
     */
    @Test
    void regionsAreNamedFromTheRegionRegister() {
        // read in the background from the start; here too, so the test does not depend on when that ran
        regionNames.refresh();
        long id = given().queryParam("q", "企业登记信息").get("/api/catalog/v1/search").then().statusCode(200).extract()
                .jsonPath().getLong("hits.find { it.name == '企业登记信息' }.id");
        Model doc = parse(given().accept("text/turtle").get(D + "/entries/" + id).then().statusCode(200).extract()
                .asString(), Lang.TURTLE);
        Resource region = doc.listSubjectsWithProperty(RDF.type, DCAT.Dataset).next()
                .getPropertyResourceValue(DCTerms.spatial);
        assertEquals(doc.createLiteral("浙江省", "zh"),
                region.getProperty(org.apache.jena.vocabulary.SKOS.prefLabel).getObject(), region.getURI());
        conforms(doc, "shacl_dcat-ap-SHACL.ttl", "shacl_ranges.ttl");
        Model own = parse(given().accept("text/turtle").get(path(region.getURI())).then().statusCode(200).extract()
                .asString(), Lang.TURTLE);
        assertTrue(own.contains(own.createResource(region.getURI()), org.apache.jena.vocabulary.SKOS.prefLabel,
                own.createLiteral("浙江省", "zh")), region.getURI());
        // every region of the catalogue page the register holds is named
        Model page = parse(given().accept("text/turtle").queryParam("size", 1000).get(D + "/catalog").then()
                .statusCode(200).extract().asString(), Lang.TURTLE);
        Map<String, String> names = Map.of("330000", "浙江省", "330100", "杭州市", "330106", "西湖区", "330200", "宁波市");
        List<Resource> spatial = page.listObjectsOfProperty(DCTerms.spatial).mapWith(RDFNode::asResource).toList();
        assertFalse(spatial.isEmpty());
        for (Resource r : spatial) {
            String code = r.getProperty(DCTerms.identifier).getString();
            if (names.containsKey(code)) {
                assertEquals(names.get(code), r.getProperty(org.apache.jena.vocabulary.SKOS.prefLabel).getString(),
                        r.getURI());
            }
        }
    }

    /**
     * Every IRI a dataset names for its publisher, theme, spatial coverage, distribution and data items answers with
     * RDF holding what the dataset's document says about it, also to anonymous callers (it answered 401 anonymously
     * and 404 with a token); the format is the EU file-type authority list's.
     */
    @Test
    void theIrisOfAnOpenEntryDereferenceForAnyone() {
        long id = given().queryParam("q", "企业登记信息").get("/api/catalog/v1/search").then().statusCode(200).extract()
                .jsonPath().getLong("hits.find { it.name == '企业登记信息' }.id");
        Model doc = parse(given().accept("text/turtle").get(D + "/entries/" + id).then().statusCode(200).extract()
                .asString(), Lang.TURTLE);
        Resource ds = doc.listSubjectsWithProperty(RDF.type, DCAT.Dataset).next();
        Property dataItem = doc.createProperty("https://onenet.gov.cn/ns/zwml#dataItem");
        List<Resource> named = new ArrayList<>();
        for (Property p : List.of(DCTerms.publisher, DCAT.theme, DCTerms.spatial, DCAT.distribution, dataItem)) {
            doc.listObjectsOfProperty(ds, p).forEachRemaining(o -> named.add(o.asResource()));
        }
        assertTrue(named.size() >= 6, named.toString());
        for (Resource r : named) {
            String ttl = given().accept("text/turtle").get(path(r.getURI())).then().statusCode(200)
                    .contentType(containsString("text/turtle")).extract().asString();
            Model m = parse(ttl, Lang.TURTLE);
            doc.listStatements(r, null, (RDFNode) null).forEachRemaining(st -> assertTrue(m.contains(st),
                    r + " lacks " + st + ":\n" + ttl));
            String jsonld = given().accept("application/ld+json").get(path(r.getURI())).then().statusCode(200)
                    .contentType(containsString("application/ld+json")).extract().asString();
            assertTrue(parse(jsonld, Lang.JSONLD).isIsomorphicWith(m), r.getURI());
            given().accept("application/pdf").get(path(r.getURI())).then().statusCode(406);
        }
        // the distribution's document, on its own, conforms too
        Resource distribution = ds.getPropertyResourceValue(DCAT.distribution);
        Model dist = parse(given().accept("text/turtle").get(path(distribution.getURI())).then().statusCode(200)
                .extract().asString(), Lang.TURTLE);
        conforms(dist, "shacl_dcat-ap-SHACL.ttl", "shacl_ranges.ttl");
        conforms(dist, "html_shacl_shapes.ttl");
        // 企业登记信息 is served as REST/JSON: the EU file type JSON, in the EU list
        Resource format = distribution.getPropertyResourceValue(DCTerms.format);
        assertEquals("http://publications.europa.eu/resource/authority/file-type/JSON", format.getURI());
        assertEquals("http://publications.europa.eu/resource/authority/file-type",
                format.getPropertyResourceValue(org.apache.jena.vocabulary.SKOS.inScheme).getURI());
        // an item the entry does not hold, an entry that does not exist
        given().accept("text/turtle").get(D.replace("/dcat", "") + "/entries/" + id + "/items/NOSUCHITEM").then()
                .statusCode(404).contentType("application/problem+json");
        given().accept("text/turtle").get("/api/catalog/v1/entries/99999999/distribution").then().statusCode(404);
        // the catalogue's own publisher
        String catalog = given().accept("text/turtle").queryParam("size", 1).get(D + "/catalog").then()
                .statusCode(200).extract().asString();
        Resource publisher = parse(catalog, Lang.TURTLE).listSubjectsWithProperty(RDF.type, DCAT.Catalog).next()
                .getPropertyResourceValue(DCTerms.publisher);
        given().accept("text/turtle").get(path(publisher.getURI())).then().statusCode(200)
                .body(containsString("浙江省大数据发展管理局"));
    }

    /** Drafts and entries not open to the public stay hidden: 404, as their entries answer such callers. */
    @Test
    void theIrisOfHiddenEntriesStayHidden() {
        String editor = cn.onenet.catalog.support.Fixtures.editor();
        // an entry not open to the public, of a classification no other entry has
        var body = cn.onenet.catalog.support.Fixtures.entry("DCAT-不开放的链接");
        @SuppressWarnings("unchecked")
        Map<String, Object> classification = (Map<String, Object>) body.get("classification");
        classification.put("detailCode", "9071");
        long hidden = cn.onenet.catalog.support.Fixtures.published(editor, body);
        Model doc = parse(as(operator()).accept("text/turtle").get(D + "/entries/" + hidden).then().statusCode(200)
                .extract().asString(), Lang.TURTLE);
        Resource ds = doc.listSubjectsWithProperty(RDF.type, DCAT.Dataset).next();
        String theme = path(ds.getPropertyResourceValue(DCAT.theme).getURI());
        assertTrue(theme.endsWith("/classification/101001" + "9071"), theme);
        String distribution = path(ds.getPropertyResourceValue(DCAT.distribution).getURI());
        String item = "/api/catalog/v1/entries/" + hidden + "/items/GMSFHM";
        for (String p : List.of(theme, distribution, item)) {
            as(operator()).accept("text/turtle").get(p).then().statusCode(200);
            given().accept("text/turtle").get(p).then().statusCode(404).contentType("application/problem+json");
            as(cn.onenet.catalog.support.Fixtures.citizen()).accept("text/turtle").get(p).then().statusCode(404);
        }
        // a department whose published entries are none of them open (不动产登记中心 of the demo catalogue)
        String department = "/api/catalog/v1/departments/123300004701410402";
        as(operator()).accept("text/turtle").get(department).then().statusCode(200);
        given().accept("text/turtle").get(department).then().statusCode(404);
        // a region without published entries; a department that provides none
        as(operator()).accept("text/turtle").get("/api/catalog/v1/regions/540100").then().statusCode(404);
        as(operator()).accept("text/turtle").get("/api/catalog/v1/departments/91330000MA27XXXX0X").then()
                .statusCode(404);
        // a draft, never published: nothing of it, not even to its own editor
        long draft = cn.onenet.catalog.support.Fixtures.create(editor,
                cn.onenet.catalog.support.Fixtures.open(cn.onenet.catalog.support.Fixtures.entry("DCAT-草稿的链接")));
        for (String p : List.of("/distribution", "/items/GMSFHM")) {
            as(editor).accept("text/turtle").get("/api/catalog/v1/entries/" + draft + p).then().statusCode(404);
            given().accept("text/turtle").get("/api/catalog/v1/entries/" + draft + p).then().statusCode(404);
        }
    }

    /**
     * dct:format takes its values from the EU file-type authority list (the EU vocabulary shapes check it); the
     * export named its own /formats/{class} IRIs, which no one answered.
     */
    @Test
    void formatsAreTheEuFileTypes() {
        String ttl = as(operator()).accept("text/turtle").queryParam("size", 1000).get(D + "/catalog").then()
                .statusCode(200).extract().asString();
        Model m = parse(ttl, Lang.TURTLE);
        ValidationReport report = ShaclValidator.get().validate(shapes("html_shacl_mdr-vocabularies.shape.ttl"),
                m.getGraph());
        List<String> formatProblems = report.getEntries().stream()
                .filter(e -> e.resultPath() != null && e.resultPath().toString().contains("format"))
                .map(Object::toString).toList();
        assertEquals(List.of(), formatProblems);
        java.util.Set<String> formats = new java.util.TreeSet<>();
        m.listObjectsOfProperty(DCTerms.format).forEachRemaining(f -> formats.add(f.asResource().getURI()));
        String eu = "http://publications.europa.eu/resource/authority/file-type/";
        // the demo catalogue: PostgreSQL databases, REST/JSON interfaces, xlsx sheets, OFD files, jpg images
        assertTrue(formats.containsAll(List.of(eu + "SQL", eu + "JSON", eu + "XLSX")), formats.toString());
        assertTrue(formats.stream().allMatch(f -> f.startsWith(eu)), formats.toString());
    }
}
