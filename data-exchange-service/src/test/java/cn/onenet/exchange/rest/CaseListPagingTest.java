package cn.onenet.exchange.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import cn.onenet.exchange.ExchangeTestBase;
import cn.onenet.exchange.FakeCatalog;
import cn.onenet.exchange.model.Complaint;
import cn.onenet.exchange.model.Dispute;
import cn.onenet.exchange.model.Objection;
import cn.onenet.exchange.model.SecurityIncident;
import cn.onenet.exchange.service.DemoData;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * The case lists — disputes (争议), objections (异议), complaints (投诉), security incidents (安全事件) — page like the
 * grants list: page from 0 and size, newest first, X-Total-Count counting every match the caller may see on all pages,
 * and a bad page or size is 400 problem+json naming the field.
 */
@QuarkusTest
class CaseListPagingTest extends ExchangeTestBase {

    static final String EXCHANGE = "/api/exchange/v1";

    static Response page(String token, String path, String query) {
        return given().auth().oauth2(token).get(EXCHANGE + path + query);
    }

    static long total(Response r) {
        r.then().statusCode(200);
        return Long.parseLong(r.header(GrantResource.TOTAL_COUNT));
    }

    static List<Long> ids(Response r) {
        r.then().statusCode(200);
        return r.jsonPath().getList("id", Long.class);
    }

    /** Three cases one after the other, returned newest first (as the list orders them). */
    static List<Long> three(Supplier<Long> create) {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(0, QuarkusTransaction.requiringNew().call(create::get));
        }
        return ids;
    }

    /** Pages of two over the three cases of {@code token}'s list: both pages, the count and an empty last page. */
    static void pagesOfTwo(String token, String path, String filter, List<Long> newestFirst) {
        Response first = page(token, path, "?size=2" + filter);
        assertEquals(3, total(first));
        assertEquals(newestFirst.subList(0, 2), ids(first));
        Response second = page(token, path, "?size=2&page=1" + filter);
        assertEquals(3, total(second));
        assertEquals(newestFirst.subList(2, 3), ids(second));
        Response past = page(token, path, "?size=2&page=7" + filter);
        assertEquals(3, total(past));
        assertEquals(List.of(), ids(past));
        // the default page holds all three
        assertEquals(newestFirst, ids(page(token, path, filter.isEmpty() ? "" : "?" + filter.substring(1))));
    }

    static void badPageAndSize(String token, String path) {
        for (String[] bad : new String[][] { { "page", "-1" }, { "page", "x" }, { "size", "0" }, { "size", "201" },
                { "size", "-5" }, { "size", "1.5" } }) {
            page(token, path, "?" + bad[0] + "=" + bad[1]).then().statusCode(400)
                    .contentType(startsWith("application/problem+json")).body("status", equalTo(400))
                    .body("field", equalTo(bad[0]));
        }
        page(token, path, "?page=0&size=200").then().statusCode(200);
        page(token, path, "?size=1").then().statusCode(200);
    }

    static Dispute dispute(String consumer, String provider, String region, String status) {
        Dispute d = new Dispute();
        d.requestId = 1L;
        d.openedBy = "op-" + consumer;
        d.consumerDepartmentCode = consumer;
        d.providerDepartmentCode = provider;
        d.reason = "拒绝理由不成立";
        d.level = "COMPETENT_AUTHORITY";
        d.regionCode = region;
        d.consumerRegionCode = region;
        d.providerRegionCode = region;
        d.status = status;
        d.createdAt = Instant.now();
        d.persist();
        return d;
    }

    @Test
    void disputesArePagedAndCountOnlyWhatTheCallerSees() {
        String consumer = NoticeReadTest.freshDepartment();
        String provider = NoticeReadTest.freshDepartment();
        List<Long> mine = three(() -> dispute(consumer, provider, "330781", "OPEN").id);
        long resolved = QuarkusTransaction.requiringNew()
                .call(() -> dispute(consumer, provider, "330781", "RESOLVED_UPHELD").id);
        long elsewhere = QuarkusTransaction.requiringNew().call(
                () -> dispute(NoticeReadTest.freshDepartment(), provider, "330782", "OPEN").id);

        // either party pages through its department's disputes; the status filter counts too
        pagesOfTwo(operator(consumer), "/disputes", "&status=OPEN", mine);
        assertEquals(4, total(page(operator(consumer), "/disputes", "?size=1")));
        assertEquals(List.of(resolved), ids(page(operator(consumer), "/disputes", "?size=1")));
        assertEquals(5, total(page(operator(provider), "/disputes", "")));
        // a department that is no party counts none of them
        assertEquals(0, total(page(operator(NoticeReadTest.freshDepartment()), "/disputes", "")));

        // a reviewer counts the disputes routed to its region, not another region's; admins count all
        String lanxi = reviewerIn("reviewer-lanxi", DemoData.AUTHORITY, "330781");
        long inLanxi = QuarkusTransaction.requiringNew().call(() -> Dispute.count("regionCode", "330781"));
        assertEquals(inLanxi, total(page(lanxi, "/disputes", "?size=1")));
        List<Long> seen = ids(page(lanxi, "/disputes", "?size=200"));
        assertTrue(seen.containsAll(mine) && seen.contains(resolved), seen.toString());
        assertFalse(seen.contains(elsewhere), seen.toString());
        // the same region written out to 12 digits in the token reads the same disputes
        String lanxi12 = reviewerIn("reviewer-lanxi-12", DemoData.AUTHORITY, "330781000000");
        assertEquals(inLanxi, total(page(lanxi12, "/disputes", "?size=1")));
        String yiwu = reviewerIn("reviewer-yiwu", DemoData.AUTHORITY, "330782");
        long inYiwu = QuarkusTransaction.requiringNew().call(() -> Dispute.count("regionCode", "330782"));
        assertEquals(inYiwu, total(page(yiwu, "/disputes", "")));
        assertFalse(ids(page(yiwu, "/disputes", "?size=200")).contains(mine.get(0)));
        long all = QuarkusTransaction.requiringNew().call(() -> Dispute.count());
        assertEquals(all, total(page(admin(), "/disputes", "?size=1")));
        assertEquals(all, total(page(auditor(), "/disputes", "?size=1")));

        badPageAndSize(operator(consumer), "/disputes");
    }

    static Objection objection(String consumer, String provider) {
        Objection o = new Objection();
        o.resourceCode = FakeCatalog.POPULATION;
        o.recordKeyHash = "0".repeat(64);
        o.consumerDepartmentCode = consumer;
        o.providerDepartmentCode = provider;
        o.description = "户籍地址与现住址不一致";
        o.status = "OPEN";
        o.receivedOn = LocalDate.now();
        o.dueOn = LocalDate.now().plusDays(14);
        o.createdAt = Instant.now();
        o.regionCode = "330000";
        o.persist();
        return o;
    }

    @Test
    void objectionsArePagedAndCountOnlyWhatTheCallerSees() {
        String consumer = NoticeReadTest.freshDepartment();
        String provider = NoticeReadTest.freshDepartment();
        List<Long> mine = three(() -> objection(consumer, provider).id);
        QuarkusTransaction.requiringNew().run(() -> objection(NoticeReadTest.freshDepartment(), provider));

        pagesOfTwo(operator(consumer), "/objections", "", mine);
        assertEquals(4, total(page(operator(provider), "/objections", "?size=2")));
        assertEquals(0, total(page(operator(NoticeReadTest.freshDepartment()), "/objections", "")));
        long all = QuarkusTransaction.requiringNew().call(() -> Objection.count());
        assertEquals(all, total(page(admin(), "/objections", "?size=1")));

        badPageAndSize(operator(consumer), "/objections");
    }

    @Test
    void objectionsFilterByStatusWithinWhatTheCallerSees() {
        String consumer = NoticeReadTest.freshDepartment();
        String provider = NoticeReadTest.freshDepartment();
        List<Long> open = three(() -> objection(consumer, provider).id);
        long answered = QuarkusTransaction.requiringNew().call(() -> {
            Objection o = objection(consumer, provider);
            o.status = "ANSWERED";
            o.answer = "经核实，户籍地址已更正";
            return o.id;
        });
        QuarkusTransaction.requiringNew().run(() -> objection(NoticeReadTest.freshDepartment(), provider));

        pagesOfTwo(operator(consumer), "/objections", "&status=OPEN", open);
        assertEquals(List.of(answered), ids(page(operator(consumer), "/objections", "?status=ANSWERED")));
        assertEquals(1, total(page(operator(consumer), "/objections", "?status=ANSWERED")));
        assertEquals(4, total(page(operator(consumer), "/objections", "")));
        assertEquals(4, total(page(operator(provider), "/objections", "?status=OPEN")));
        // the filter narrows a caller's list, it never widens it
        assertEquals(0, total(page(operator(NoticeReadTest.freshDepartment()), "/objections", "?status=OPEN")));
        long allAnswered = QuarkusTransaction.requiringNew().call(() -> Objection.count("status", "ANSWERED"));
        assertEquals(allAnswered, total(page(admin(), "/objections", "?status=ANSWERED&size=1")));
        assertEquals(allAnswered, total(page(auditor(), "/objections", "?status=ANSWERED&size=1")));

        for (String bad : List.of("open", "CLOSED", "ESCALATED", "OPEN,ANSWERED")) {
            page(operator(consumer), "/objections", "?status=" + bad).then().statusCode(400)
                    .contentType(startsWith("application/problem+json")).body("field", equalTo("status"))
                    .body("errors[0].field", equalTo("status")).body("requestId", notNullValue());
        }
        // the filter is documented
        given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .body("paths.'/api/exchange/v1/objections'.get.parameters.name", hasItem("status"));
        // callers without a list role are still refused, filter or not
        page(system(consumer), "/objections", "?status=OPEN").then().statusCode(403);
        given().get(EXCHANGE + "/objections?status=OPEN").then().statusCode(401);
    }

    static Complaint complaint(String consumer, String provider, String status, LocalDate dueOn) {
        Complaint c = new Complaint();
        c.complainantType = "CITIZEN";
        c.complainantSub = "citizen-paging";
        c.subjectHash = "1".repeat(64);
        c.usageLogSeq = System.nanoTime();
        c.accessedAt = Instant.now();
        c.resourceCode = FakeCatalog.POPULATION;
        c.consumerDepartmentCode = consumer;
        c.providerDepartmentCode = provider;
        c.description = "该部门无正当理由查询本人信息";
        c.status = status;
        c.receivedOn = LocalDate.now();
        c.dueOn = dueOn;
        c.createdAt = Instant.now();
        c.persist();
        return c;
    }

    @Test
    void complaintsArePagedAndCountOnlyWhatTheCallerSees() {
        String consumer = NoticeReadTest.freshDepartment();
        String provider = NoticeReadTest.freshDepartment();
        LocalDate past = LocalDate.now().minusDays(30);
        List<Long> overdue = three(() -> complaint(consumer, provider, "OPEN", past).id);
        QuarkusTransaction.requiringNew()
                .run(() -> complaint(consumer, provider, "OPEN", LocalDate.now().plusDays(14)));
        QuarkusTransaction.requiringNew().run(() -> complaint(consumer, provider, "DISMISSED", past));

        pagesOfTwo(operator(consumer), "/complaints", "&overdue=true", overdue);
        assertEquals(5, total(page(operator(consumer), "/complaints", "?size=2")));
        assertEquals(4, total(page(operator(consumer), "/complaints", "?status=OPEN&size=2")));
        // complaints are about the consumer's accesses: the provider department and others count none
        assertEquals(0, total(page(operator(provider), "/complaints", "")));
        assertEquals(0, total(page(operator(NoticeReadTest.freshDepartment()), "/complaints", "")));
        long all = QuarkusTransaction.requiringNew().call(() -> Complaint.count());
        assertEquals(all, total(page(reviewer(), "/complaints", "?size=1")));

        badPageAndSize(operator(consumer), "/complaints");
    }

    static SecurityIncident incident(String reporter, String... parties) {
        SecurityIncident i = new SecurityIncident();
        i.type = "LEAK";
        i.resourceCode = FakeCatalog.POPULATION;
        i.providerDepartmentCode = parties[0];
        i.severity = "MAJOR";
        i.partyDepartments = parties;
        i.reporterDepartmentCode = reporter;
        i.reporterSub = "op-" + reporter;
        i.reporterRole = "operator";
        i.discoveredAt = Instant.now();
        i.description = "导出文件上传至互联网网盘";
        i.measuresTaken = "已删除网盘文件";
        i.status = "REPORTED";
        i.reportedAt = Instant.now();
        i.regionCode = "330000";
        i.persist();
        return i;
    }

    @Test
    void incidentsArePagedAndCountOnlyWhatTheCallerSees() {
        String provider = NoticeReadTest.freshDepartment();
        String consumer = NoticeReadTest.freshDepartment();
        List<Long> mine = three(() -> incident(consumer, provider, consumer).id);
        QuarkusTransaction.requiringNew().run(() -> incident(provider, provider));

        pagesOfTwo(operator(consumer), "/incidents", "&status=REPORTED", mine);
        assertEquals(0, total(page(operator(consumer), "/incidents", "?status=CLOSED")));
        assertEquals(4, total(page(operator(provider), "/incidents", "?size=3")));
        assertEquals(0, total(page(operator(NoticeReadTest.freshDepartment()), "/incidents", "")));
        long all = QuarkusTransaction.requiringNew().call(() -> SecurityIncident.count());
        assertEquals(all, total(page(auditor(), "/incidents", "?size=1")));

        badPageAndSize(operator(consumer), "/incidents");
    }
}
