package cn.onenet.identity.accounts;

import static cn.onenet.identity.accounts.AccountListTest.RST;
import static cn.onenet.identity.accounts.AccountListTest.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import cn.onenet.identity.model.AdminChange;
import cn.onenet.identity.model.AdminLevel;
import cn.onenet.identity.model.AuditEvent;
import cn.onenet.identity.model.Department;
import cn.onenet.identity.oidc.OidcFlow;
import cn.onenet.identity.oidc.TestClients;
import cn.onenet.testsupport.PostgresTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;

/**
 * The audit log, the department list and the changes of administrators' accounts as the admin console pages through
 * them: X-Total-Count counts every match of the filters on every page (a page past the end is empty and says the same
 * total), and a bad page or size is a 400 naming it.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class CountedListTest {

    private static final String AUDIT = "/api/identity/v1/audit";
    private static final String DEPARTMENTS = "/api/identity/v1/departments";
    private static final String CHANGES = "/api/identity/v1/admin-changes";
    private static final String ACCOUNTS = "/api/identity/v1/accounts";

    @Inject
    TestClients clients;

    @BeforeEach
    void clients() {
        clients.ensure(null);
    }

    /** Requests with one token of {@code user}'s (a sign-in is not free). */
    private static Supplier<RequestSpecification> signedIn(String user) {
        String token = OidcFlow.accessToken("test-web", user);
        return () -> given().auth().oauth2(token);
    }

    private static long total(Response r) {
        r.then().statusCode(200);
        String header = r.header("X-Total-Count");
        assertTrue(header != null, "no X-Total-Count");
        return Long.parseLong(header);
    }

    private static long count(String entity, String where, Object... params) {
        return QuarkusTransaction.requiringNew().call(() -> switch (entity) {
            case "audit" -> where == null ? AuditEvent.count() : AuditEvent.count(where, params);
            case "department" -> where == null ? Department.count() : Department.count(where, params);
            default -> where == null ? AdminChange.count() : AdminChange.count(where, params);
        });
    }

    /** The same filters one row a page: each page says the same total, and a page past the end is empty. */
    private static void pagesSayTheTotal(Supplier<RequestSpecification> reader, String list,
            Map<String, Object> filters, long total) {
        Response first = reader.get().queryParams(filters).queryParam("size", 1).get(list);
        assertEquals(total, total(first));
        first.then().body("$", hasSize(total == 0 ? 0 : 1));
        if (total > 1) {
            Response last = reader.get().queryParams(filters).queryParam("size", 1).queryParam("page", total - 1)
                    .get(list);
            assertEquals(total, total(last));
            last.then().body("$", hasSize(1));
        }
        Response past = reader.get().queryParams(filters).queryParam("size", 1).queryParam("page", total + 2)
                .get(list);
        assertEquals(total, total(past));
        past.then().body("$", hasSize(0));
    }

    /**
     * A negative page and a size outside 1..{@code maxSize} are 400s naming the parameter, with the request id; the
     * largest size is a page; pages end at the last int offset.
     */
    private static void badPagesAndSizesAreNamed(Supplier<RequestSpecification> reader, String list, int maxSize) {
        for (Map.Entry<String, Integer> bad : List.of(Map.entry("page", -1), Map.entry("size", 0),
                Map.entry("size", maxSize + 1))) {
            reader.get().queryParam(bad.getKey(), bad.getValue()).get(list).then().statusCode(400)
                    .contentType("application/problem+json").body("errors.field", hasItem(bad.getKey()))
                    .body("requestId", notNullValue());
        }
        reader.get().queryParam("size", maxSize).get(list).then().statusCode(200);
        AccountListTest.pagesEndAtTheLastIntOffset(list.equals(AUDIT) ? "dsj.auditor" : "dsj.admin", list);
    }

    @Test
    void theAuditLogCountsEveryMatchOnEveryPage() {
        Supplier<RequestSpecification> auditor = signedIn("dsj.auditor");
        Supplier<RequestSpecification> admin = signedIn("dsj.admin");
        // an account of its own: its rows are the ones with it as subject
        String id = admin.get().contentType("application/json").body(Map.of("type", "CIVIL_SERVANT",
                "username", "counted" + System.nanoTime() % 1_000_000, "displayName", "计数测试员", "departmentCode",
                RST, "roles", List.of("operator"), "password", OidcFlow.PASSWORD)).post(ACCOUNTS).then()
                .statusCode(201).extract().path("id");
        admin.get().post(ACCOUNTS + "/" + id + "/disable").then().statusCode(200);
        admin.get().post(ACCOUNTS + "/" + id + "/enable").then().statusCode(200);

        Response mine = auditor.get().queryParam("subject", id).get(AUDIT);
        long subjectTotal = total(mine);
        assertEquals(count("audit", "subject", id), subjectTotal);
        assertTrue(subjectTotal >= 3, mine.asString());
        mine.then().body("$", hasSize((int) subjectTotal)).body("type", hasItem("ACCOUNT_CREATED"));
        pagesSayTheTotal(auditor, AUDIT, Map.of("subject", id), subjectTotal);

        Map<String, Object> created = Map.of("subject", id, "type", "ACCOUNT_CREATED", "outcome", "SUCCESS");
        Response one = auditor.get().queryParams(created).get(AUDIT);
        assertEquals(1, total(one));
        one.then().body("$", hasSize(1));
        pagesSayTheTotal(auditor, AUDIT, created, 1);
        Response none = auditor.get().queryParam("subject", id).queryParam("type", "NO_SUCH_EVENT").get(AUDIT);
        assertEquals(0, total(none));
        pagesSayTheTotal(auditor, AUDIT, Map.of("subject", id, "type", "NO_SUCH_EVENT"), 0);

        // no filter: every row of the log, though a page holds at most 500
        long all = total(auditor.get().queryParam("size", 2).get(AUDIT));
        assertEquals(count("audit", null), all);
        assertTrue(all > 2, "a page is not the total");
        Response past = auditor.get().queryParam("size", 500).queryParam("page", all / 500 + 1).get(AUDIT);
        assertEquals(all, total(past));
        past.then().body("$", hasSize(0));
    }

    @Test
    void aBadAuditPageOrSizeIsAProblemNamingIt() {
        Supplier<RequestSpecification> auditor = signedIn("dsj.auditor");
        badPagesAndSizesAreNamed(auditor, AUDIT, 500);
        // without a size, 100 a page
        Response page = auditor.get().get(AUDIT);
        assertEquals(Math.min(100, total(page)), page.jsonPath().getList("$").size());
        // administrators do not read the audit log, its total neither
        as("dsj.admin").get(AUDIT).then().statusCode(403).header("X-Total-Count", nullValue());
    }

    @Test
    void theDepartmentListCountsEveryMatchAndPagesWhenAsked() {
        // without page or size: every department, as the services reading the register expect
        Response active = given().get(DEPARTMENTS);
        long activeTotal = total(active);
        assertEquals(count("department", "active", true), activeTotal);
        active.then().body("$", hasSize((int) activeTotal));
        Response every = given().queryParam("includeInactive", "true").get(DEPARTMENTS);
        long everyTotal = total(every);
        assertEquals(count("department", null), everyTotal);
        every.then().body("$", hasSize((int) everyTotal));
        assertTrue(everyTotal > 2, every.asString());

        Map<String, Object> filtered = Map.of("region", "330000", "level", "PROVINCE", "includeInactive", "true");
        Response province = given().queryParams(filtered).get(DEPARTMENTS);
        long provinceTotal = total(province);
        assertEquals(count("department", "regionCode = ?1 and level = ?2", "330000",
                AdminLevel.PROVINCE), provinceTotal);
        assertTrue(provinceTotal > 1, province.asString());
        province.then().body("$", hasSize((int) provinceTotal));
        pagesSayTheTotal(() -> given(), DEPARTMENTS, filtered, provinceTotal);
        pagesSayTheTotal(() -> given(), DEPARTMENTS, Map.of(), activeTotal);
        given().queryParam("region", "999999").get(DEPARTMENTS).then().statusCode(200).body("$", hasSize(0))
                .header("X-Total-Count", "0");

        // the pages in the order of the whole list (level, then code)
        List<String> codes = every.jsonPath().getList("code");
        List<String> paged = new ArrayList<>();
        for (int p = 0; p * 2 < everyTotal; p++) {
            paged.addAll(given().queryParam("includeInactive", "true").queryParam("size", 2).queryParam("page", p)
                    .get(DEPARTMENTS).then().statusCode(200).header("X-Total-Count", String.valueOf(everyTotal))
                    .extract().jsonPath().getList("code"));
        }
        assertEquals(codes, paged);
        // a page without a size: 50 a page
        given().queryParam("page", 0).queryParam("includeInactive", "true").get(DEPARTMENTS).then().statusCode(200)
                .body("$", hasSize((int) Math.min(50, everyTotal)));

        badPagesAndSizesAreNamed(() -> given(), DEPARTMENTS, 200);
    }

    @Test
    void theChangesOfAdministratorsAccountsCountEveryMatchAndPage() {
        String target = "counted.admin" + System.nanoTime() % 1_000_000;
        String targetId = TestAdministrators.create(target, RST, Set.of("admin"));
        Supplier<RequestSpecification> admin = signedIn("dsj.admin");
        try {
            // two withdrawn, one waiting
            for (int i = 0; i < 3; i++) {
                String change = admin.get().contentType("application/json").body(List.of("admin", "head"))
                        .put(ACCOUNTS + "/" + targetId + "/roles").then().statusCode(202).extract().path("id");
                if (i < 2) {
                    admin.get().post(CHANGES + "/" + change + "/reject").then().statusCode(200);
                }
            }
            for (Supplier<RequestSpecification> reader : List.of(admin, signedIn("dsj.auditor"))) {
                Response all = reader.get().queryParam("account", targetId).get(CHANGES);
                assertEquals(3, total(all));
                all.then().body("$", hasSize(3)).body("status", equalTo(List.of("PENDING", "REJECTED", "REJECTED")));
                pagesSayTheTotal(reader, CHANGES, Map.of("account", targetId), 3);
                pagesSayTheTotal(reader, CHANGES, Map.of("account", targetId, "status", "rejected"), 2);
                pagesSayTheTotal(reader, CHANGES, Map.of("account", targetId, "status", "PENDING"), 1);
                pagesSayTheTotal(reader, CHANGES, Map.of("account", targetId, "status", "EXPIRED"), 0);
            }
            // no filter: every change, though a page holds at most 200
            long every = total(admin.get().queryParam("size", 1).get(CHANGES));
            assertEquals(count("change", null), every);
            Response pending = admin.get().queryParam("status", "PENDING").get(CHANGES);
            assertEquals(count("change", "status = ?1 and expiresAt > ?2", AdminChange.Status.PENDING,
                    OffsetDateTime.now()), total(pending));
            // the pages in the order of the whole list, newest first
            List<String> whole = admin.get().queryParam("account", targetId).get(CHANGES).jsonPath().getList("id");
            List<String> paged = new ArrayList<>();
            for (int p = 0; p < 2; p++) {
                paged.addAll(admin.get().queryParam("account", targetId).queryParam("size", 2)
                        .queryParam("page", p).get(CHANGES).jsonPath().getList("id"));
            }
            assertEquals(whole, paged);

            badPagesAndSizesAreNamed(admin, CHANGES, 200);
            // a bad filter and a bad page at once: both named
            admin.get().queryParam("status", "SOMETIME").queryParam("size", 0).get(CHANGES).then().statusCode(400)
                    .body("errors.field", hasItem("status")).body("errors.field", hasItem("size"));
            // others read neither the list nor its total
            as("rst.head").get(CHANGES).then().statusCode(403).header("X-Total-Count",
                    nullValue());
        } finally {
            TestAdministrators.disable(targetId);
        }
    }

    /** The OpenAPI document names the header on each of the three lists. */
    @Test
    void theTotalIsInTheOpenApiDocument() {
        ValidatableResponse doc = given().accept("application/json").get("/q/openapi").then()
                .statusCode(200);
        for (String list : List.of(AUDIT, DEPARTMENTS, CHANGES)) {
            doc.body("paths.'" + list + "'.get.responses.'200'.headers", hasKey("X-Total-Count"))
                    .body("paths.'" + list + "'.get.responses", hasKey("400"))
                    .body("paths.'" + list + "'.get.parameters.name", hasItem("page"));
        }
    }
}
