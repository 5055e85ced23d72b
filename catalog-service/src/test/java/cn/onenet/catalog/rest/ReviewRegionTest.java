package cn.onenet.catalog.rest;

import static cn.onenet.catalog.support.Fixtures.action;
import static cn.onenet.catalog.support.Fixtures.as;
import static cn.onenet.catalog.support.Fixtures.create;
import static cn.onenet.catalog.support.Fixtures.editor;
import static cn.onenet.catalog.support.Fixtures.entry;
import static cn.onenet.catalog.support.Fixtures.prepare;
import static cn.onenet.catalog.support.Fixtures.published;
import static cn.onenet.catalog.support.Fixtures.reviewer;
import static cn.onenet.catalog.support.Fixtures.reviewerOf;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import cn.onenet.catalog.support.FakeExchange;
import cn.onenet.catalog.support.Fixtures;
import cn.onenet.testsupport.PostgresTestResource;
import cn.onenet.testsupport.TestOidcResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** R5 (条例 Art. 16): an entry is reviewed by the 主管部门 of its own region. */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestOidcResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FakeExchange.class, restrictToAnnotatedClass = false)
class ReviewRegionTest {

    private static final String E = "/api/catalog/v1/entries/";
    private static final Map<String, Object> AGREED = Map.of("opinion", "同意");

    @Inject
    DataSource dataSource;

    private static String hangzhouReviewer() {
        return reviewerOf("reviewer-hz", Fixtures.HANGZHOU_BUREAU, Fixtures.HANGZHOU);
    }

    private static long submitted(String name) {
        long id = create(editor(), entry(name));
        prepare(editor(), id);
        action(editor(), id, "submit", Map.of()).statusCode(200);
        return id;
    }

    private static void refused(String token, long id, String action, String state) {
        int lockVersion = as(reviewer()).get(E + id).then().extract().path("lockVersion");
        action(token, id, action, AGREED).statusCode(403).contentType("application/problem+json");
        as(reviewer()).get(E + id).then().statusCode(200).body("state", equalTo(state))
                .body("lockVersion", equalTo(lockVersion));
    }

    @Test
    void aReviewerOfAnotherRegionCannotReturnApproveOrPublish() {
        long id = submitted("复核-他地区审核");
        refused(hangzhouReviewer(), id, "return", "SUBMITTED");
        refused(hangzhouReviewer(), id, "approve", "SUBMITTED");
        as(reviewer()).get(E + id).then().body("resourceCode", equalTo(null));

        action(reviewer(), id, "approve", AGREED).statusCode(200).body("state", equalTo("APPROVED"));
        refused(hangzhouReviewer(), id, "publish", "APPROVED");
        refused(hangzhouReviewer(), id, "return", "APPROVED");
        action(reviewer(), id, "publish", AGREED).statusCode(200).body("state", equalTo("PUBLISHED"));
    }

    @Test
    void theSameRegionsReviewerReturnsApprovesAndPublishes() {
        String sameRegion = reviewerOf("reviewer-zj", Fixtures.BUREAU, Fixtures.PROVINCE);
        long returned = submitted("复核-同地区退回");
        action(sameRegion, returned, "return", Map.of("opinion", "请补充共享条件")).statusCode(200)
                .body("state", equalTo("RETURNED"));
        long id = submitted("复核-同地区发布");
        action(sameRegion, id, "approve", AGREED).statusCode(200).body("state", equalTo("APPROVED"));
        action(sameRegion, id, "publish", AGREED).statusCode(200).body("state", equalTo("PUBLISHED"));
    }

    @Test
    void aReviewerWithoutARegionClaimIsRefused() {
        long id = submitted("复核-无地区");
        refused(reviewerOf("reviewer-none", Fixtures.BUREAU, null), id, "approve", "SUBMITTED");
    }

    @Test
    void deregistrationAndChangeDecisionsAreForTheSameRegionToo() {
        long id = published(editor(), entry("复核-他地区注销"));
        action(editor(), id, "deregistration", Map.of("reason", "系统整合")).statusCode(200);
        refused(hangzhouReviewer(), id, "deregistration/rejection", "DEREGISTER_PENDING");
        refused(hangzhouReviewer(), id, "deregistration/approval", "DEREGISTER_PENDING");

        long changing = published(editor(), entry("复核-他地区变更延期"));
        action(editor(), changing, "change", Map.of("cause", "职责调整")).statusCode(200);
        refused(hangzhouReviewer(), changing, "change-extension", "CHANGE_PENDING");
        action(reviewer(), changing, "change-extension", AGREED).statusCode(200).body("changeExtended", equalTo(true));
    }

    @Test
    void workListsShowAReviewerTheEntriesOfTheirRegion() throws Exception {
        long id = submitted("复核-工作列表");
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("UPDATE catalog_entry SET review_due = DATE '2026-01-05' WHERE id = ?")) {
            ps.setLong(1, id);
            assertEquals(1, ps.executeUpdate());
        }
        as(reviewer()).get(E + "?state=SUBMITTED&size=200").then().statusCode(200).body("id", hasItem((int) id));
        as(reviewer()).get(E + "overdue").then().statusCode(200).body("id", hasItem((int) id));
        as(hangzhouReviewer()).get(E + "?state=SUBMITTED&size=200").then().statusCode(200)
                .body("id", not(hasItem((int) id)));
        as(hangzhouReviewer()).get(E + "overdue").then().statusCode(200).body("id", not(hasItem((int) id)));
    }
}
