package cn.onenet.exchange.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import cn.onenet.exchange.ExchangeTestBase;
import cn.onenet.exchange.FakeCatalog;
import cn.onenet.testsupport.TestTokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** The grants list pages through a JSON array and counts every match of its filter in X-Total-Count. */
@QuarkusTest
class GrantListTest extends ExchangeTestBase {

    static final String GRANTS = "/api/exchange/v1/grants";

    @Inject
    AgroalDataSource dataSource;

    static Response page(String token, String query) {
        return given().auth().oauth2(token).get(GRANTS + query);
    }

    static long total(Response r) {
        r.then().statusCode(200);
        return Long.parseLong(r.header("X-Total-Count"));
    }

    @Test
    void theTotalCountsEveryGrantTheFilterMatchesOnAllPages() throws Exception {
        String consumer = NoticeReadTest.freshDepartment();
        String op = operator(consumer);
        for (int i = 0; i < 3; i++) {
            RequestWorkflowTest.file(op, RequestWorkflowTest.body(FakeCatalog.UNCONDITIONAL, List.of("GMSFHM", "XM")))
                    .then().statusCode(201).body("status", equalTo("GRANTED"));
        }
        // pages of two: the body stays the array of grants, the header counts all three
        Response first = page(op, "?size=2");
        assertEquals(3, total(first));
        first.then().body("size()", equalTo(2)).body("consumerDepartmentCode", equalTo(List.of(consumer, consumer)));
        Response second = page(op, "?size=2&page=1");
        assertEquals(3, total(second));
        second.then().body("size()", equalTo(1));
        assertEquals(3, total(page(op, "?size=2&page=5")));
        page(op, "?size=2&page=5").then().body("size()", equalTo(0));
        // the filters count too
        assertEquals(3, total(page(op, "?status=ACTIVE&resourceCode=" + FakeCatalog.UNCONDITIONAL)));
        assertEquals(0, total(page(op, "?status=SUSPENDED")));
        assertEquals(0, total(page(op, "?resourceCode=" + FakeCatalog.CONDITIONAL)));

        // another department counts only its own grants; the 主管部门 every grant
        assertEquals(0, total(page(operator(NoticeReadTest.freshDepartment()), "")));
        long all;
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM share_grant")) {
            rs.next();
            all = rs.getLong(1);
        }
        assertEquals(all, total(page(admin(), "?size=1")));
        assertEquals(all, total(page(auditor(), "")));
        // a reviewer counts the grants of its region (RegionScopedListTest): these three, on a provincial entry
        long provincial = total(page(reviewer(), "?size=1&resourceCode=" + FakeCatalog.UNCONDITIONAL));
        assertTrue(provincial >= 3 && provincial <= all, "the province's reviewer counted " + provincial);

        // nobody else lists grants
        page(TestTokens.citizen("wang", "330282196509230044", AUD), "").then().statusCode(403);
        given().get(GRANTS).then().statusCode(401);
    }

    @Test
    void theRequestsListIsPagedAndCountedTooAndBadPagesAreRefused() {
        String consumer = NoticeReadTest.freshDepartment();
        String op = operator(consumer);
        for (int i = 0; i < 3; i++) {
            RequestWorkflowTest.file(op, RequestWorkflowTest.body(FakeCatalog.CONDITIONAL, List.of("GMSFHM")))
                    .then().statusCode(201).body("status", equalTo("PENDING"));
        }
        String requests = "/api/exchange/v1/requests";
        Response first = given().auth().oauth2(op).get(requests + "?side=consumer&size=2");
        assertEquals(3, total(first));
        first.then().body("size()", equalTo(2));
        Response second = given().auth().oauth2(op).get(requests + "?side=consumer&size=2&page=1");
        assertEquals(3, total(second));
        second.then().body("size()", equalTo(1));
        assertEquals(3, total(given().auth().oauth2(op).get(requests + "?status=PENDING")));
        assertEquals(0, total(given().auth().oauth2(op).get(requests + "?side=provider")));
        // the provider counts them on its side
        assertTrue(total(given().auth().oauth2(operator(RequestWorkflowTest.PROVIDER))
                .get(requests + "?side=provider&status=PENDING&size=1")) >= 3);

        // a bad page, size or status is named, for requests and grants alike (nothing is clamped silently)
        for (String list : List.of(requests, GRANTS)) {
            for (String[] bad : List.of(new String[] { "page=-1", "page" }, new String[] { "size=0", "size" },
                    new String[] { "size=201", "size" }, new String[] { "page=x", "page" })) {
                given().auth().oauth2(op).get(list + "?" + bad[0]).then().statusCode(400)
                        .contentType("application/problem+json").body("field", equalTo(bad[1]));
            }
        }
        for (String list : List.of(requests, GRANTS)) {
            given().auth().oauth2(op).get(list + "?status=DONE").then().statusCode(400)
                    .contentType("application/problem+json").body("field", equalTo("status"));
        }
    }
}
