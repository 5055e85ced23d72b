package cn.onenet.catalog.rest;

import static cn.onenet.catalog.support.Fixtures.REVIEWER_NAME;
import static cn.onenet.catalog.support.Fixtures.action;
import static cn.onenet.catalog.support.Fixtures.admin;
import static cn.onenet.catalog.support.Fixtures.as;
import static cn.onenet.catalog.support.Fixtures.auditor;
import static cn.onenet.catalog.support.Fixtures.create;
import static cn.onenet.catalog.support.Fixtures.editor;
import static cn.onenet.catalog.support.Fixtures.editorOf;
import static cn.onenet.catalog.support.Fixtures.entry;
import static cn.onenet.catalog.support.Fixtures.open;
import static cn.onenet.catalog.support.Fixtures.operator;
import static cn.onenet.catalog.support.Fixtures.prepare;
import static cn.onenet.catalog.support.Fixtures.published;
import static cn.onenet.catalog.support.Fixtures.reviewer;
import static cn.onenet.catalog.support.Fixtures.reviewerOf;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import cn.onenet.catalog.support.FakeExchange;
import cn.onenet.catalog.support.Fixtures;
import cn.onenet.testsupport.PostgresTestResource;
import cn.onenet.testsupport.TestOidcResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;

/**
 * Who published a version: the open catalogue and every reader learn the publishing body (the 主管部门 of the
 * version's region) and the time; the reviewers, admins and auditors of the 主管部门 also the publisher's name as it was
 * at publication; nobody the publisher's account id, which is internal personal data.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestOidcResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FakeExchange.class, restrictToAnnotatedClass = false)
class PublisherPrivacyTest {

    private static final String E = "/api/catalog/v1/entries/";
    /** The account id of {@link Fixtures#reviewer()}, who publishes the entries. */
    private static final String REVIEWER_ACCOUNT = "reviewer-1";

    /** Anonymous, another department's editor, another department's operator, the provider's own editor. */
    private static List<Supplier<RequestSpecification>> readersWithoutTheName() {
        return List.of(() -> given(), () -> as(editorOf(Fixtures.MARKET)), () -> as(operator()), () -> as(editor()));
    }

    /** The 主管部门's reviewer, admin and auditor. */
    private static List<Supplier<RequestSpecification>> readersWithTheName() {
        return List.of(() -> as(reviewer()), () -> as(admin()), () -> as(auditor()));
    }

    @Test
    void theOpenCatalogueNamesThePublishingBodyAndTimeNeverTheReviewersAccount() {
        long id = published(editor(), open(entry("发布机关-公开目录")));
        String code = as(editor()).get(E + id).then().extract().path("resourceCode");

        for (Supplier<RequestSpecification> reader : readersWithoutTheName()) {
            String versions = reader.get().get(E + id + "/versions").then().statusCode(200)
                    .body("version", equalTo(List.of(1)))
                    .body("[0].publishingRegionCode", equalTo(Fixtures.PROVINCE))
                    .body("[0].publishedAt", notNullValue())
                    .body("[0].publishedByName", nullValue())
                    .body("[0]", not(hasKey("publishedBy")))
                    .extract().asString();
            assertNoPublisher(versions);
            String one = reader.get().get(E + id + "/versions/1").then().statusCode(200)
                    .body("publishingRegionCode", equalTo(Fixtures.PROVINCE)).body("publishedAt", notNullValue())
                    .body("publishedByName", nullValue()).body("content.name", equalTo("发布机关-公开目录"))
                    .extract().asString();
            assertNoPublisher(one);
        }
        // the entry itself, looked up by id or code, and its DCAT-AP record: the publishing body, no person
        for (Supplier<RequestSpecification> reader : List.<Supplier<RequestSpecification>>of(() -> given(),
                () -> as(editorOf(Fixtures.MARKET)), () -> as(operator()))) {
            assertNoPublisher(reader.get().get(E + id).then().statusCode(200)
                    .body("publishingRegionCode", equalTo(Fixtures.PROVINCE)).body("maintainer", nullValue())
                    .body("updatedAt", notNullValue()).extract().asString());
            assertNoPublisher(reader.get().queryParam("code", code).get(E + "by-code").then().statusCode(200)
                    .body("publishingRegionCode", equalTo(Fixtures.PROVINCE)).extract().asString());
            assertNoPublisher(reader.get().accept("text/turtle").get("/api/catalog/v1/dcat/entries/" + id).then()
                    .statusCode(200).extract().asString());
            assertNoPublisher(reader.get().accept("application/ld+json").get("/api/catalog/v1/dcat/entries/" + id)
                    .then().statusCode(200).extract().asString());
        }
    }

    @Test
    void reviewersAdminsAndAuditorsSeeThePublishersNameButNotTheAccount() {
        long id = published(editor(), entry("发布机关-审核人员"));
        for (Supplier<RequestSpecification> reader : readersWithTheName()) {
            String versions = reader.get().get(E + id + "/versions").then().statusCode(200)
                    .body("[0].publishedByName", equalTo(REVIEWER_NAME))
                    .body("[0].publishingRegionCode", equalTo(Fixtures.PROVINCE))
                    .body("[0]", not(hasKey("publishedBy")))
                    .extract().asString();
            assertFalse(versions.contains(REVIEWER_ACCOUNT), versions);
            String one = reader.get().get(E + id + "/versions/1").then().statusCode(200)
                    .body("publishedByName", equalTo(REVIEWER_NAME)).extract().asString();
            assertFalse(one.contains(REVIEWER_ACCOUNT), one);
        }
    }

    @Test
    void theBodyIsTheVersionsRegionAndAReviewerWithoutANameIsNamedByNobody() {
        String hangzhouEditor = Fixtures.editorOf(Fixtures.HANGZHOU_POLICE);
        long id = create(hangzhouEditor, Fixtures.entryOf(Fixtures.HANGZHOU_POLICE, "发布机关-杭州市"));
        prepare(hangzhouEditor, id);
        action(hangzhouEditor, id, "submit", Map.of()).statusCode(200);
        String hangzhou = reviewerOf("reviewer-hz", Fixtures.HANGZHOU_BUREAU, Fixtures.HANGZHOU);
        action(hangzhou, id, "approve", Map.of("opinion", "同意")).statusCode(200);
        action(hangzhou, id, "publish", Map.of("opinion", "发布")).statusCode(200);

        String versions = as(hangzhou).get(E + id + "/versions").then().statusCode(200)
                .body("[0].publishingRegionCode", equalTo(Fixtures.HANGZHOU))
                .body("[0].publishedByName", nullValue()).extract().asString();
        assertFalse(versions.contains("reviewer-hz"), versions);
        as(operator()).get(E + id).then().statusCode(200).body("publishingRegionCode", equalTo(Fixtures.HANGZHOU))
                .body("maintainer", nullValue());
    }

    /** Neither the publishing reviewer's account id nor, for these readers, the reviewer's name. */
    private static void assertNoPublisher(String body) {
        assertFalse(body.contains(REVIEWER_ACCOUNT), body);
        assertFalse(body.contains(REVIEWER_NAME), body);
    }
}
