package cn.onenet.catalog.rest;

import static cn.onenet.catalog.support.Fixtures.as;
import static cn.onenet.catalog.support.Fixtures.create;
import static cn.onenet.catalog.support.Fixtures.editor;
import static cn.onenet.catalog.support.Fixtures.entry;
import static cn.onenet.catalog.support.Fixtures.operator;
import static cn.onenet.catalog.support.Fixtures.published;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.StringReader;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.apache.jena.rdf.model.Model;
import org.apache.jena.rdf.model.ModelFactory;
import org.apache.jena.riot.Lang;
import org.apache.jena.riot.RDFParser;
import org.junit.jupiter.api.Test;

import cn.onenet.catalog.support.FakeExchange;
import cn.onenet.catalog.support.Fixtures;
import cn.onenet.testsupport.PostgresTestResource;
import cn.onenet.testsupport.TestOidcResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * 信息资源提供方: an entry's provider is named as identity-service's department register names the department of
 * its code, not as the editor types it, so that search, the provider facet and the DCAT export cannot show one
 * department's entry as another's.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestOidcResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FakeExchange.class, restrictToAnnotatedClass = false)
class ProviderNameTest {

    private static final String E = "/api/catalog/v1/entries/";
    private static final String FOAF_NAME = "http://xmlns.com/foaf/0.1/name";

    @Inject
    DataSource dataSource;

    @Test
    void anotherDepartmentsNameIsRefusedOnCreate() {
        // 公安厅's editor names the entry's provider 人社厅
        Map<String, Object> body = entry("提供方-冒名");
        body.put("providerDepartmentName", "浙江省人力资源和社会保障厅");
        int before = count();
        as(editor()).body(body).post(E).then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("providerDepartmentName"))
                .body("errors[0].message", containsString("浙江省公安厅"))
                .body("requestId", notNullValue());
        assertEquals(before, count(), "nothing was created");

        // the registered name is accepted, white space around it is not kept
        body.put("providerDepartmentName", " 浙江省公安厅 ");
        as(editor()).body(body).post(E).then().statusCode(201)
                .body("draft.providerDepartmentName", equalTo("浙江省公安厅"));
    }

    @Test
    void anotherDepartmentsNameIsRefusedOnEdit() {
        Map<String, Object> body = entry("提供方-编辑冒名");
        long id = create(editor(), body);
        body.put("providerDepartmentName", "浙江省人力资源和社会保障厅");
        Fixtures.put(editor(), id, body).statusCode(400).body("errors[0].field", equalTo("providerDepartmentName"));
        as(editor()).get(E + id).then().statusCode(200).body("draft.providerDepartmentName", equalTo("浙江省公安厅"))
                .body("lockVersion", equalTo(0));
    }

    @Test
    void noEntryIsCreatedWhenTheRegisterCannotConfirmTheName() {
        int before = count();
        FakeExchange.registerDown(true);
        try {
            as(editor()).body(entry("提供方-登记簿不可用")).post(E).then().statusCode(503)
                    .contentType("application/problem+json");
        } finally {
            FakeExchange.registerDown(false);
        }
        assertEquals(before, count(), "nothing was created");
    }

    @Test
    void theDcatAgentOfADepartmentHasOneName() throws Exception {
        long older = published(editor(), entry("提供方-旧称条目"));
        published(editor(), entry("提供方-现称条目"));
        // an entry published before the department's name was taken from the register keeps the name it was
        // published with
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE catalog_entry SET published = jsonb_set(published, '{providerDepartmentName}', "
                    + "'\"省公安厅（旧称）\"') WHERE id = " + older);
        }
        as(operator()).get(E + older).then().statusCode(200)
                .body("published.providerDepartmentName", equalTo("省公安厅（旧称）"));

        String agent = "http://127.0.0.1:8080/api/catalog/v1/departments/" + Fixtures.POLICE;
        Model catalogue = parse(as(operator()).accept("text/turtle").queryParam("size", 1000)
                .get("/api/catalog/v1/dcat/catalog").then().statusCode(200).extract().asString());
        assertEquals(Set.of("浙江省公安厅"), names(catalogue, agent), "one name, the one most recently published");
        Model single = parse(as(operator()).accept("text/turtle").get("/api/catalog/v1/dcat/entries/" + older).then()
                .statusCode(200).extract().asString());
        assertEquals(Set.of("浙江省公安厅"), names(single, agent), "the same name in one entry's export");
    }

    private static Set<String> names(Model m, String agent) {
        return m.listObjectsOfProperty(m.createResource(agent), m.createProperty(FOAF_NAME)).toList().stream()
                .map(n -> n.asLiteral().getLexicalForm()).collect(Collectors.toSet());
    }

    private static Model parse(String turtle) {
        Model m = ModelFactory.createDefaultModel();
        RDFParser.create().source(new StringReader(turtle)).lang(Lang.TURTLE).parse(m);
        return m;
    }

    private static int count() {
        return Integer.parseInt(as(Fixtures.auditor()).queryParam("size", 1).get(E).then().statusCode(200).extract()
                .header("X-Total-Count"));
    }
}
