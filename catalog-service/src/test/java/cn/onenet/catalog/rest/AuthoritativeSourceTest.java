package cn.onenet.catalog.rest;

import static cn.onenet.catalog.support.Fixtures.action;
import static cn.onenet.catalog.support.Fixtures.as;
import static cn.onenet.catalog.support.Fixtures.editor;
import static cn.onenet.catalog.support.Fixtures.editorOf;
import static cn.onenet.catalog.support.Fixtures.entry;
import static cn.onenet.catalog.support.Fixtures.item;
import static cn.onenet.catalog.support.Fixtures.prepare;
import static cn.onenet.catalog.support.Fixtures.reviewer;
import static cn.onenet.catalog.support.Fixtures.submitted;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import cn.onenet.catalog.service.Caller;
import cn.onenet.catalog.service.CatalogService;
import cn.onenet.catalog.support.FakeExchange;
import cn.onenet.catalog.support.Fixtures;
import cn.onenet.testsupport.PostgresTestResource;
import cn.onenet.testsupport.TestOidcResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;

/**
 * R11: one 数源部门 per data item. Two departments claiming the same item while both their entries are in review
 * cannot both be published: the rule is checked again at approval and at publication.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestOidcResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FakeExchange.class, restrictToAnnotatedClass = false)
class AuthoritativeSourceTest {

    private static final String E = "/api/catalog/v1/entries/";
    private static final String FIELD = "items[3].authoritativeSource";
    private static final Map<String, Object> AGREED = Map.of("opinion", "同意");

    @Inject
    DataSource dataSource;

    @Inject
    CatalogService catalog;

    /** An entry of the department claiming to be the 数源部门 of the item (its fourth). */
    private static Map<String, Object> claiming(String dept, String deptName, String name, String itemName,
            boolean claim) {
        Map<String, Object> m = entry(name);
        m.put("providerDepartmentCode", dept);
        m.put("providerDepartmentName", deptName);
        Map<String, Object> it = item("SYXX", itemName, "C", 64, true);
        it.put("authoritativeSource", claim);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> items = (List<Map<String, Object>>) m.get("items");
        items.add(it);
        return m;
    }

    private static Map<String, Object> police(String item) {
        return claiming(Fixtures.POLICE, "浙江省公安厅", "数源-公安-" + item, item, true);
    }

    private static Map<String, Object> market(String item, boolean claim) {
        return claiming(Fixtures.MARKET, "浙江省市场监督管理局", "数源-市监-" + item, item, claim);
    }

    private static String marketEditor() {
        return editorOf(Fixtures.MARKET);
    }

    /** The refusal: 409 problem+json naming the claimed item's field and the entry holding the claim. */
    private static void refusedFor(ValidatableResponse r, long holder, String holderCode) {
        r.statusCode(409).contentType("application/problem+json")
                .body("type", equalTo("urn:onenet:problem:conflict"))
                .body("field", equalTo(FIELD)).body("errors[0].field", equalTo(FIELD))
                .body("detail", containsString(holderCode)).body("requestId", notNullValue())
                .body("conflictingEntries[0].field", equalTo(FIELD))
                .body("conflictingEntries[0].entryId", equalTo((int) holder))
                .body("conflictingEntries[0].resourceCode", equalTo(holderCode))
                .body("conflictingEntries[0].providerDepartmentCode", equalTo(Fixtures.POLICE));
    }

    @Test
    void twoDepartmentsInReviewTogetherCannotBothBecomeTheSource() {
        long police = submitted(editor(), police("数源并行审核信息项"));
        long market = submitted(marketEditor(), market("数源并行审核信息项", true));
        String code = action(reviewer(), police, "approve", AGREED).statusCode(200).extract().path("resourceCode");
        int lock = as(reviewer()).get(E + market).then().extract().path("lockVersion");

        // approved and about to be published: the second claim is refused, and nothing of it changes
        refusedFor(action(reviewer(), market, "approve", AGREED), police, code);
        as(reviewer()).get(E + market).then().statusCode(200).body("state", equalTo("SUBMITTED"))
                .body("resourceCode", nullValue()).body("lockVersion", equalTo(lock));
        as(reviewer()).get(E + market + "/history").then().body("action", not(hasItem("APPROVE")));

        // published: still refused
        action(reviewer(), police, "publish", AGREED).statusCode(200);
        refusedFor(action(reviewer(), market, "approve", AGREED), police, code);

        // the reviewer returns it; resubmitted with the claim it is refused at submission, without it it goes through
        action(reviewer(), market, "return", Map.of("opinion", "该信息项的数源部门为公安厅")).statusCode(200);
        prepare(marketEditor(), market);
        action(marketEditor(), market, "submit", Map.of()).statusCode(400).body("errors.field", hasItem(FIELD));
        Fixtures.put(marketEditor(), market, market("数源并行审核信息项", false)).statusCode(200);
        prepare(marketEditor(), market);
        action(marketEditor(), market, "submit", Map.of()).statusCode(200);
        action(reviewer(), market, "approve", AGREED).statusCode(200);
        action(reviewer(), market, "publish", AGREED).statusCode(200);
    }

    @Test
    void publicationChecksAgainWhatWentLiveMeanwhile() throws Exception {
        long police = submitted(editor(), police("数源发布复核信息项"));
        long market = submitted(marketEditor(), market("数源发布复核信息项", true));
        String code = action(reviewer(), police, "approve", AGREED).statusCode(200).extract().path("resourceCode");
        // both approved, as an entry approved before approvals were checked against each other is
        String marketCode = approvedUnchecked(market);
        action(reviewer(), police, "publish", AGREED).statusCode(200);

        int lock = as(reviewer()).get(E + market).then().extract().path("lockVersion");
        refusedFor(action(reviewer(), market, "publish", AGREED), police, code);
        as(reviewer()).get(E + market).then().statusCode(200).body("state", equalTo("APPROVED"))
                .body("resourceCode", equalTo(marketCode)).body("publishedVersion", equalTo(0))
                .body("published", nullValue()).body("lockVersion", equalTo(lock));
        as(reviewer()).get(E + market + "/history").then().body("action", not(hasItem("PUBLISH")));
        as(Fixtures.system()).queryParam("after", 0).queryParam("limit", 1000).get("/api/catalog/v1/feed").then()
                .statusCode(200).body("items.entry.catalogEntryId", not(hasItem((int) market)));
        // the refused entry is not stuck: the reviewer sends it back to its department with the reason
        action(marketEditor(), market, "return", Map.of("opinion", "x")).statusCode(403);
        action(reviewer(), market, "return", Map.of("opinion", "该信息项的数源部门已为公安厅")).statusCode(200)
                .body("state", equalTo("RETURNED"));
    }

    @Test
    void anApprovalWaitsForAConcurrentClaimAndIsThenRefused() throws Exception {
        long police = submitted(editor(), police("数源同时审核信息项"));
        long market = submitted(marketEditor(), market("数源同时审核信息项", true));
        // the province's 主管部门, as its tokens say (competent_authority)
        Caller reviewer = new Caller("reviewer-2", Set.of(Caller.REVIEWER), Fixtures.BUREAU, Fixtures.PROVINCE, null,
                true);
        CompletableFuture<ValidatableResponse> second = QuarkusTransaction.requiringNew().call(() -> {
            catalog.approve(reviewer, police, "同意");
            // another reviewer approves the other claim while this approval is not yet committed: it waits for it
            CompletableFuture<ValidatableResponse> other = CompletableFuture
                    .supplyAsync(() -> action(reviewer(), market, "approve", AGREED));
            assertThrows(TimeoutException.class, () -> other.get(2, TimeUnit.SECONDS));
            return other;
        });
        String code = as(reviewer()).get(E + police).then().statusCode(200).body("state", equalTo("APPROVED"))
                .extract().path("resourceCode");
        refusedFor(second.get(30, TimeUnit.SECONDS), police, code);
        as(reviewer()).get(E + market).then().statusCode(200).body("state", equalTo("SUBMITTED"));
    }

    @Test
    void aClaimTypedWithAnIdeographicSpaceIsAClaimToTheSameItem() throws Exception {
        long police = submitted(editor(), police("数源全角空格信息项"));
        action(reviewer(), police, "approve", AGREED).statusCode(200);
        action(reviewer(), police, "publish", AGREED).statusCode(200);
        // the same item name, as a Chinese input method or a spreadsheet cell leaves it (U+3000 after it)
        long market = Fixtures.create(marketEditor(), market("数源全角空格信息项\u3000", true));
        prepare(marketEditor(), market);
        action(marketEditor(), market, "submit", Map.of()).statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem(FIELD));
        as(marketEditor()).get(E + market).then().body("state", equalTo("DRAFT"))
                .body("draft.items[3].name", equalTo("数源全角空格信息项"));

        // a claim stored with the space before names were stripped is still the same item
        long earlier = submitted(editor(), police("数源旧存全角空格信息项"));
        action(reviewer(), earlier, "approve", AGREED).statusCode(200);
        action(reviewer(), earlier, "publish", AGREED).statusCode(200);
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("UPDATE catalog_entry SET published = jsonb_set(published, "
                        + "'{items,3,name}', to_jsonb('数源旧存全角空格信息项' || chr(12288))) WHERE id = ?")) {
            s.setLong(1, earlier);
            assertEquals(1, s.executeUpdate());
        }
        long second = Fixtures.create(marketEditor(), market("数源旧存全角空格信息项", true));
        prepare(marketEditor(), second);
        action(marketEditor(), second, "submit", Map.of()).statusCode(400).body("errors.field", hasItem(FIELD));
    }

    /** Puts a submitted entry into APPROVED with a resource code, as an approval without the R11 check did. */
    private String approvedUnchecked(long id) throws Exception {
        String code = "101001/" + (900000 + id);
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(
                        "UPDATE catalog_entry SET state = 'APPROVED', resource_code = ? WHERE id = ?")) {
            s.setString(1, code);
            s.setLong(2, id);
            assertEquals(1, s.executeUpdate());
        }
        return code;
    }
}
