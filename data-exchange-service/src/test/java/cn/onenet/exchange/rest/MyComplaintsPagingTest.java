package cn.onenet.exchange.rest;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import cn.onenet.exchange.ExchangeTestBase;
import cn.onenet.exchange.model.Complaint;
import cn.onenet.exchange.service.SubjectHasher;
import cn.onenet.testsupport.TestTokens;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * 我的投诉, page by page like 我的数据使用记录: newest first, X-Total-Count counting the caller's complaints on all pages
 * (nobody else's), and a bad page or size is 400 problem+json naming the field.
 */
@QuarkusTest
class MyComplaintsPagingTest extends ExchangeTestBase {

    static final String MINE = "/api/exchange/v1/me/complaints";

    @Inject
    SubjectHasher hasher;

    static Response page(String token, Object page, Object size) {
        return CitizenAccessPagingTest.page(MINE, token, page, size);
    }

    /** A complaint of the person with this ID number; its id. */
    long complaintOf(String idNumber) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Complaint c = CaseListPagingTest.complaint(NoticeReadTest.freshDepartment(),
                    NoticeReadTest.freshDepartment(), "OPEN", LocalDate.now().plusDays(14));
            c.subjectHash = hasher.hash(idNumber);
            return c.id;
        });
    }

    @Test
    void pagesTheCallersOwnComplaintsNewestFirstWithTheTotal() {
        String id = CitizenAccessPagingTest.idNumber();
        String other = CitizenAccessPagingTest.idNumber();
        List<Long> newestFirst = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            newestFirst.add(0, complaintOf(id));
            complaintOf(other);
        }
        String citizen = TestTokens.citizen("zhou", id, AUD);

        List<Long> seen = new ArrayList<>();
        for (int p = 0; p < 3; p++) {
            Response r = page(citizen, p, 2);
            r.then().statusCode(200).header(GrantResource.TOTAL_COUNT, "5");
            List<Long> ids = r.jsonPath().getList("id", Long.class);
            assertEquals(p < 2 ? 2 : 1, ids.size(), ids.toString());
            seen.addAll(ids);
        }
        // newest first, each once, none of another person's
        assertEquals(newestFirst, seen);
        page(citizen, 3, 2).then().statusCode(200).header(GrantResource.TOTAL_COUNT, "5").body("size()", equalTo(0));
        Response all = page(citizen, null, null);
        all.then().statusCode(200).header(GrantResource.TOTAL_COUNT, "5");
        assertEquals(newestFirst, all.jsonPath().getList("id", Long.class));
        // a person without complaints: an empty page, counted 0
        page(TestTokens.citizen("nobody", CitizenAccessPagingTest.idNumber(), AUD), null, null).then().statusCode(200)
                .header(GrantResource.TOTAL_COUNT, "0").body("size()", equalTo(0));

        for (Object[] bad : new Object[][] { { "page", -1, 2 }, { "page", "x", 2 }, { "size", 0, 0 },
                { "size", 0, 201 }, { "size", 0, "ten" } }) {
            page(citizen, bad[1], bad[2]).then().statusCode(400).contentType("application/problem+json")
                    .body("field", equalTo(bad[0])).body("requestId", notNullValue());
        }
    }
}
