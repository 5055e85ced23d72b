package cn.onenet.catalog.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.ArrayList;
import java.util.List;

import org.apache.jena.rdf.model.Model;
import org.apache.jena.rdf.model.Property;
import org.apache.jena.rdf.model.Resource;
import org.apache.jena.riot.Lang;
import org.apache.jena.vocabulary.DCAT;
import org.apache.jena.vocabulary.DCTerms;
import org.apache.jena.vocabulary.RDF;
import org.junit.jupiter.api.Test;

import cn.onenet.catalog.support.FakeExchange;
import cn.onenet.testsupport.PostgresTestResource;
import cn.onenet.testsupport.TestOidcResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Every RDF answer of the catalogue (the DCAT-AP export and the IRIs it names) is negotiated alike: Turtle by default,
 * JSON-LD when asked for, 406 problem+json when neither is acceptable, and {@code Vary: Accept}, so a shared cache
 * keeps the two formats apart.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestOidcResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FakeExchange.class, restrictToAnnotatedClass = false)
class RdfNegotiationTest {

    private static final String BASE = "/api/catalog/v1";

    /** The paths of the catalogue page, one entry's dataset and every IRI that dataset names. */
    private static List<String> rdfPaths() {
        long id = given().queryParam("q", "企业登记信息").get(BASE + "/search").then().statusCode(200).extract()
                .jsonPath().getLong("hits.find { it.name == '企业登记信息' }.id");
        Model doc = DcatExportTest.parse(given().accept("text/turtle").get(BASE + "/dcat/entries/" + id).then()
                .statusCode(200).extract().asString(), Lang.TURTLE);
        Resource ds = doc.listSubjectsWithProperty(RDF.type, DCAT.Dataset).next();
        Property dataItem = doc.createProperty("https://onenet.gov.cn/ns/zwml#dataItem");
        List<String> paths = new ArrayList<>(List.of(BASE + "/dcat/catalog", BASE + "/dcat/entries/" + id));
        for (Property p : List.of(DCTerms.publisher, DCAT.theme, DCTerms.spatial, DCAT.distribution, dataItem)) {
            Resource r = ds.getPropertyResourceValue(p);
            assertNotNull(r, "the dataset names no " + p);
            String iri = r.getURI();
            paths.add(iri.substring(iri.indexOf(BASE)));
        }
        return paths;
    }

    @Test
    void everyRdfAnswerIsNegotiatedAlikeAndVariesByAccept() {
        List<String> paths = rdfPaths();
        for (String path : paths) {
            given().get(path).then().statusCode(200).contentType(startsWith("text/turtle"))
                    .header("Vary", containsString("Accept"));
            given().accept("text/turtle").get(path).then().statusCode(200).contentType(startsWith("text/turtle"))
                    .header("Vary", containsString("Accept"));
            given().accept("application/ld+json").get(path).then().statusCode(200)
                    .contentType(startsWith("application/ld+json")).header("Vary", containsString("Accept"));
            // a refused Turtle (q=0) with JSON-LD acceptable: JSON-LD
            given().accept("text/turtle;q=0, application/ld+json;q=0.5").get(path).then().statusCode(200)
                    .contentType(startsWith("application/ld+json"));
            given().accept("*/*").get(path).then().statusCode(200).contentType(startsWith("text/turtle"));
            // nothing acceptable: 406 problem+json with the request id, never a body in another format
            given().accept("application/pdf").header("X-Request-Id", "rdf-406-pdf").get(path).then().statusCode(406)
                    .contentType("application/problem+json").body("requestId", equalTo("rdf-406-pdf"));
            given().accept("text/turtle;q=0").header("X-Request-Id", "rdf-406-q0").get(path).then().statusCode(406)
                    .contentType("application/problem+json").body("requestId", equalTo("rdf-406-q0"));
        }
    }
}
