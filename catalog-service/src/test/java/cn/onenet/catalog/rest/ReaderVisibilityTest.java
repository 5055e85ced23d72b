package cn.onenet.catalog.rest;

import static cn.onenet.catalog.support.Fixtures.action;
import static cn.onenet.catalog.support.Fixtures.as;
import static cn.onenet.catalog.support.Fixtures.editor;
import static cn.onenet.catalog.support.Fixtures.editorOf;
import static cn.onenet.catalog.support.Fixtures.entry;
import static cn.onenet.catalog.support.Fixtures.open;
import static cn.onenet.catalog.support.Fixtures.operator;
import static cn.onenet.catalog.support.Fixtures.prepare;
import static cn.onenet.catalog.support.Fixtures.published;
import static cn.onenet.catalog.support.Fixtures.republished;
import static cn.onenet.catalog.support.Fixtures.reviewer;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.apache.jena.rdf.model.Model;
import org.apache.jena.rdf.model.Property;
import org.apache.jena.riot.Lang;
import org.apache.jena.vocabulary.DCTerms;
import org.junit.jupiter.api.Test;

import cn.onenet.catalog.support.FakeExchange;
import cn.onenet.catalog.support.Fixtures;
import cn.onenet.testsupport.PostgresTestResource;
import cn.onenet.testsupport.TestOidcResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;

/**
 * Readers who may not see drafts (anonymous callers for open entries, other departments) get the published version of
 * an entry and what was true when it was published, never the draft under change or its activity; of the older
 * versions, only those they could read while they were live. The provider's editors and the reviewers see the draft.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestOidcResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FakeExchange.class, restrictToAnnotatedClass = false)
class ReaderVisibilityTest {

    private static final String E = "/api/catalog/v1/entries/";
    private static final String PUBLISHED_AT = "2026-01-05T02:00:00Z";

    @Inject
    DataSource dataSource;

    /** Anonymous, another department's editor and head, an authenticated user of another department. */
    private static List<Supplier<RequestSpecification>> publishedCopyReaders() {
        return List.of(() -> given(), () -> as(editorOf(Fixtures.MARKET)), () -> as(Fixtures.headOf(Fixtures.MARKET)),
                () -> as(operator()));
    }

    /** The provider's own editor and head, and the reviewer. */
    private static List<Supplier<RequestSpecification>> draftReaders() {
        return List.of(() -> as(editor()), () -> as(Fixtures.head()), () -> as(reviewer()));
    }

    /** Every authenticated reader: other departments, the provider's editor, the reviewer. */
    private static List<Supplier<RequestSpecification>> authenticatedReaders() {
        return List.of(() -> as(editorOf(Fixtures.MARKET)), () -> as(operator()), () -> as(editor()),
                () -> as(reviewer()));
    }

    @Test
    void aChangeUnderWayShowsOnlyThePublishedVersionToReadersWithoutDraftAccess() throws Exception {
        long id = published(editor(), open(entry("读者视图-已发布名称")));
        String code = as(editor()).get(E + id).then().extract().path("resourceCode");
        backdatePublication(id);
        // the provider starts a change, gets it extended and edits every field it can
        action(editor(), id, "change", Map.of("cause", "职责调整")).statusCode(200);
        action(reviewer(), id, "change-extension", Map.of("opinion", "同意延长")).statusCode(200);
        Map<String, Object> draft = entry("读者视图-草稿名称");
        draft.put("abstract", "尚未发布的草稿摘要");
        Fixtures.put(editor(), id, draft).statusCode(200);
        prepare(editor(), id);

        for (Supplier<RequestSpecification> reader : publishedCopyReaders()) {
            reader.get().get(E + id).then().statusCode(200)
                    .body("name", equalTo("读者视图-已发布名称"))
                    .body("published.name", equalTo("读者视图-已发布名称"))
                    .body("published.abstract", equalTo("全省户籍人口的登记信息，供办理社会保障和公积金业务核验身份"))
                    .body("draft", nullValue())
                    .body("resourceCode", equalTo(code)).body("classificationCode", equalTo("101001"))
                    .body("state", equalTo("PUBLISHED")).body("stateLabel", equalTo("已发布"))
                    .body("publishedVersion", equalTo(1)).body("versionLabel", equalTo("1.0"))
                    .body("live", equalTo(true))
                    .body("maintainer", nullValue()).body("publishingRegionCode", equalTo(Fixtures.PROVINCE))
                    .body("updatedAt", equalTo(PUBLISHED_AT))
                    .body("publishDate", equalTo("2026-01-05"))
                    .body("changeTrigger", nullValue()).body("changeDue", nullValue())
                    .body("changeExtended", equalTo(false)).body("overdue", equalTo(false))
                    .body("secrecyAssessment", nullValue()).body("personalInformationAssessment", nullValue())
                    .body("headApproval", nullValue()).body("reviewDue", nullValue())
                    .body("lockVersion", nullValue());
            reader.get().queryParam("code", code).get(E + "by-code").then().statusCode(200)
                    .body("name", equalTo("读者视图-已发布名称")).body("maintainer", nullValue())
                    .body("updatedAt", equalTo(PUBLISHED_AT));
            assertEquals(List.of("2026-01-05"), dcat(reader.get(), id, DCTerms.modified));
            assertEquals(List.of("读者视图-已发布名称"), dcat(reader.get(), id, DCTerms.title));
        }
        for (Supplier<RequestSpecification> reader : draftReaders()) {
            reader.get().get(E + id).then().statusCode(200)
                    .body("name", equalTo("读者视图-草稿名称")).body("draft.name", equalTo("读者视图-草稿名称"))
                    .body("published.name", equalTo("读者视图-已发布名称"))
                    .body("state", equalTo("CHANGE_PENDING")).body("maintainer", equalTo("editor-police"))
                    .body("changeTrigger.cause", equalTo("职责调整")).body("changeExtended", equalTo(true))
                    .body("headApproval", notNullValue()).body("lockVersion", notNullValue());
            // the DCAT export is the published copy for them too
            assertEquals(List.of("2026-01-05"), dcat(reader.get(), id, DCTerms.modified));
            assertEquals(List.of("读者视图-已发布名称"), dcat(reader.get(), id, DCTerms.title));
        }
    }

    @Test
    void anOlderVersionThatWasNotOpenStaysHiddenFromAnonymousCallers() {
        long id = published(editor(), entry("读者视图-后来开放"));
        republished(editor(), id, open(entry("读者视图-后来开放")));
        // anonymous: the entry is open now, its first version never was
        given().get(E + id).then().statusCode(200).body("publishedVersion", equalTo(2));
        given().get(E + id + "/versions").then().statusCode(200).body("version", equalTo(List.of(2)));
        given().get(E + id + "/versions/2").then().statusCode(200).body("content.openAttribute", equalTo("OPEN"));
        given().get(E + id + "/versions/1").then().statusCode(404).contentType("application/problem+json")
                .body("requestId", notNullValue());
        given().get(E + id + "/versions/3").then().statusCode(404);
        given().queryParam("from", 1).queryParam("to", 2).get(E + id + "/diff").then().statusCode(404)
                .contentType("application/problem+json");
        given().queryParam("from", 2).queryParam("to", 1).get(E + id + "/diff").then().statusCode(404);
        given().queryParam("from", 2).queryParam("to", 2).get(E + id + "/diff").then().statusCode(200)
                .body("size()", equalTo(0));
        // every authenticated reader could read the first version while it was live
        for (Supplier<RequestSpecification> reader : authenticatedReaders()) {
            reader.get().get(E + id + "/versions").then().statusCode(200).body("version", equalTo(List.of(1, 2)));
            reader.get().get(E + id + "/versions/1").then().statusCode(200)
                    .body("content.openAttribute", equalTo("NOT_OPEN"));
            reader.get().queryParam("from", 1).queryParam("to", 2).get(E + id + "/diff").then().statusCode(200)
                    .body("find { it.field == 'openAttribute' }.after", equalTo("OPEN"));
        }
    }

    @Test
    void anEntryNoLongerOpenHidesAllItsVersionsFromAnonymousCallers() {
        long id = published(editor(), open(entry("读者视图-不再开放")));
        republished(editor(), id, entry("读者视图-不再开放"));
        given().get(E + id).then().statusCode(404);
        given().get(E + id + "/versions").then().statusCode(404);
        given().get(E + id + "/versions/1").then().statusCode(404);
        given().queryParam("from", 1).queryParam("to", 1).get(E + id + "/diff").then().statusCode(404);
        for (Supplier<RequestSpecification> reader : authenticatedReaders()) {
            reader.get().get(E + id + "/versions/1").then().statusCode(200)
                    .body("content.openAttribute", equalTo("OPEN"));
            reader.get().queryParam("from", 1).queryParam("to", 2).get(E + id + "/diff").then().statusCode(200);
        }
    }

    /** Citizens and enterprises: exactly the open view anonymous callers get. */
    private static List<Supplier<RequestSpecification>> publicReaders() {
        return List.of(() -> given(), () -> as(Fixtures.citizen()), () -> as(Fixtures.enterprise()));
    }

    /** Government callers: a department system and a civil servant with a department and no staff role. */
    private static List<Supplier<RequestSpecification>> governmentReaders() {
        return List.of(() -> as(Fixtures.system()), () -> as(Fixtures.staff("clerk-1", Fixtures.MARKET,
                Fixtures.PROVINCE)), () -> as(operator()));
    }

    @Test
    void citizensAndEnterprisesGetTheOpenViewOnly() {
        // a published entry not open to the public (不向社会开放)
        long closed = published(editor(), entry("读者视图-不开放"));
        String code = as(editor()).get(E + closed).then().extract().path("resourceCode");
        // a demo entry that is not shared at all (不予共享)
        long notShared = as(operator()).queryParam("shareAttribute", "NOT_SHARED").get("/api/catalog/v1/search")
                .then().statusCode(200).extract().jsonPath().getLong("hits[0].id");
        // an entry open now whose first version was not
        long later = published(editor(), entry("读者视图-公众后来开放"));
        republished(editor(), later, open(entry("读者视图-公众后来开放")));

        for (Supplier<RequestSpecification> reader : publicReaders()) {
            for (long id : List.of(closed, notShared)) {
                reader.get().get(E + id).then().statusCode(404);
                reader.get().get(E + id + "/versions").then().statusCode(404);
                reader.get().get(E + id + "/versions/1").then().statusCode(404);
                reader.get().accept("text/turtle").get("/api/catalog/v1/dcat/entries/" + id).then().statusCode(404);
            }
            reader.get().queryParam("code", code).get(E + "by-code").then().statusCode(404);
            reader.get().get(E + later).then().statusCode(200).body("publishedVersion", equalTo(2));
            reader.get().get(E + later + "/versions").then().statusCode(200).body("version", equalTo(List.of(2)));
            reader.get().get(E + later + "/versions/1").then().statusCode(404);
            reader.get().queryParam("from", 1).queryParam("to", 2).get(E + later + "/diff").then().statusCode(404);
        }
        for (Supplier<RequestSpecification> reader : governmentReaders()) {
            for (long id : List.of(closed, notShared)) {
                reader.get().get(E + id).then().statusCode(200).body("draft", nullValue());
                reader.get().accept("text/turtle").get("/api/catalog/v1/dcat/entries/" + id).then().statusCode(200);
            }
            reader.get().get(E + later + "/versions").then().statusCode(200).body("version", equalTo(List.of(1, 2)));
        }
    }

    /** The values of a property in the entry's DCAT-AP dataset as the reader gets it. */
    private static List<String> dcat(RequestSpecification reader, long id, Property property) {
        Model m = DcatExportTest.parse(reader.accept("text/turtle").get("/api/catalog/v1/dcat/entries/" + id).then()
                .statusCode(200).extract().asString(), Lang.TURTLE);
        return m.listObjectsOfProperty(property).mapWith(n -> n.asLiteral().getLexicalForm()).toList();
    }

    /** Dates the entry's publication (its version and its last update) to an earlier day than the change. */
    private void backdatePublication(long id) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE entry_version SET published_at = '" + PUBLISHED_AT + "' WHERE entry_id = " + id);
            s.executeUpdate("UPDATE catalog_entry SET updated_at = '" + PUBLISHED_AT + "' WHERE id = " + id);
        }
    }
}
