package cn.onenet.identity.accounts;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import cn.onenet.common.identifiers.ResidentIdNumber;
import cn.onenet.identity.oidc.OidcFlow;
import cn.onenet.identity.oidc.TestClients;
import cn.onenet.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * The account list as the admin console pages through it: filters by name, department, role and status, a total in
 * X-Total-Count, a bounded page size, identity numbers neither shown nor searched, and who may read it.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
public class AccountListTest {

    private static final String ACCOUNTS = "/api/identity/v1/accounts";
    /** 浙江省人力资源和社会保障厅 and 浙江省公安厅 of the demo data. */
    static final String RST = "11330000002481060E";
    static final String GAT = "11330000002481020A";

    @Inject
    TestClients clients;

    @BeforeEach
    void clients() {
        clients.ensure(null);
    }

    static RequestSpecification as(String user) {
        return given().auth().oauth2(OidcFlow.accessToken("test-web", user));
    }

    private static String post(RequestSpecification admin, Map<String, Object> body) {
        return admin.contentType("application/json").body(body).post(ACCOUNTS).then().statusCode(201).extract()
                .path("id");
    }

    /** A valid 公民身份号码 no demo account has: region 330106, born in 1990. */
    private static String newIdNumber() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        String first17 = String.format("3301061990%02d%02d%03d", 1 + r.nextInt(12), 1 + r.nextInt(28), r.nextInt(1000));
        return first17 + ResidentIdNumber.checkCharacter(first17);
    }

    private static long total(Response r) {
        return Long.parseLong(r.header("X-Total-Count"));
    }

    @Test
    void anAdministratorFiltersByNameDepartmentRoleAndStatusAndPagesWithATotal() {
        RequestSpecification admin = as("dsj.admin");
        String tag = "Qx" + (System.nanoTime() % 1_000_000);
        String staffA = "lst." + tag + "a";
        String staffB = "lst." + tag + "b";
        post(as("dsj.admin"), Map.of("type", "CIVIL_SERVANT", "username", staffA, "displayName", "甲测试员",
                "departmentCode", RST, "roles", List.of("operator"), "password", OidcFlow.PASSWORD));
        String b = post(as("dsj.admin"), Map.of("type", "CIVIL_SERVANT", "username", staffB, "displayName",
                "乙测试员", "departmentCode", GAT, "roles", List.of("catalog-editor"), "password", OidcFlow.PASSWORD));
        admin.post(ACCOUNTS + "/" + b + "/disable").then().statusCode(200);
        String idNumber = newIdNumber();
        post(as("dsj.admin"), Map.of("type", "NATURAL_PERSON", "displayName", "丙" + tag, "idNumber", idNumber,
                "password", OidcFlow.PASSWORD));

        // q: case-insensitive, in the display name or a staff login name; the total counts every match
        Response all = as("dsj.admin").queryParam("q", tag.toLowerCase()).get(ACCOUNTS);
        all.then().statusCode(200).contentType("application/json").body("$", hasSize(3))
                .body("displayName", hasItem("丙" + tag)).body("username", hasItem(staffA));
        assertEquals(3, total(all));
        // the identity number appears masked only
        assertFalse(all.asString().contains(idNumber), all.asString());
        all.then().body("find { it.type == 'natural_person' }.idNumberMasked",
                equalTo(idNumber.substring(0, 6) + "********" + idNumber.substring(14)))
                .body("find { it.type == 'natural_person' }.username",
                        equalTo(idNumber.substring(0, 6) + "********" + idNumber.substring(14)));

        // one page at a time, ordered by login name, the total on each page
        Response first = as("dsj.admin").queryParam("q", tag).queryParam("size", 2).get(ACCOUNTS);
        first.then().statusCode(200).body("$", hasSize(2));
        assertEquals(3, total(first));
        Response second = as("dsj.admin").queryParam("q", tag).queryParam("size", 2).queryParam("page", 1)
                .get(ACCOUNTS);
        second.then().statusCode(200).body("$", hasSize(1));
        assertEquals(3, total(second));

        // by type, department, role and status
        Response staff = as("dsj.admin").queryParam("q", tag.toUpperCase()).queryParam("type", "CIVIL_SERVANT")
                .get(ACCOUNTS);
        staff.then().body("username", equalTo(List.of(staffA, staffB)));
        as("dsj.admin").queryParam("q", tag).queryParam("department", RST).get(ACCOUNTS).then()
                .body("username", equalTo(List.of(staffA))).header("X-Total-Count", "1");
        as("dsj.admin").queryParam("q", tag).queryParam("department", GAT).get(ACCOUNTS).then()
                .body("username", equalTo(List.of(staffB))).body("[0].departmentCode", equalTo(GAT));
        as("dsj.admin").queryParam("q", tag).queryParam("role", "catalog-editor").get(ACCOUNTS).then()
                .body("username", equalTo(List.of(staffB)));
        as("dsj.admin").queryParam("q", tag).queryParam("status", "disabled").get(ACCOUNTS).then()
                .body("username", equalTo(List.of(staffB))).body("[0].status", equalTo("DISABLED"));
        as("dsj.admin").queryParam("q", tag).queryParam("status", "enabled").get(ACCOUNTS).then()
                .body("$", hasSize(2)).header("X-Total-Count", "2");
        // the status as an account shows it reads the same
        as("dsj.admin").queryParam("q", tag).queryParam("status", "DISABLED").get(ACCOUNTS).then()
                .body("username", equalTo(List.of(staffB)));
        as("dsj.admin").queryParam("q", tag).queryParam("status", "ACTIVE").get(ACCOUNTS).then()
                .header("X-Total-Count", "2");
        // every filter together, and a registered department nobody works in
        as("dsj.admin").queryParam("q", tag).queryParam("type", "CIVIL_SERVANT").queryParam("department", RST)
                .queryParam("role", "operator").queryParam("status", "enabled").get(ACCOUNTS).then()
                .body("username", equalTo(List.of(staffA)));
        as("dsj.admin").queryParam("department", "91330106MA2H00001E").get(ACCOUNTS).then().statusCode(200)
                .body("$", hasSize(0)).header("X-Total-Count", "0");
    }

    @Test
    void identityNumbersAreNotSearchedAndWildcardsAreLiteral() {
        String idNumber = newIdNumber();
        String tag = "Wz" + (System.nanoTime() % 1_000_000);
        post(as("dsj.admin"), Map.of("type", "NATURAL_PERSON", "displayName", "丁" + tag, "idNumber", idNumber,
                "password", OidcFlow.PASSWORD));
        as("dsj.admin").queryParam("q", "丁" + tag).get(ACCOUNTS).then().statusCode(200).header("X-Total-Count", "1");
        // neither the whole number nor a part of it (here the birth date and sequence) finds the holder
        for (String part : List.of(idNumber, idNumber.substring(6, 16), idNumber.substring(10))) {
            as("dsj.admin").queryParam("q", part).get(ACCOUNTS).then().statusCode(200).body("$", hasSize(0))
                    .header("X-Total-Count", "0");
        }
        // % and _ match themselves, not everything
        as("dsj.admin").queryParam("q", "%").get(ACCOUNTS).then().statusCode(200).header("X-Total-Count", "0");
        as("dsj.admin").queryParam("q", tag.substring(0, 2) + "_").get(ACCOUNTS).then().statusCode(200)
                .header("X-Total-Count", "0");
    }

    @Test
    void badFiltersAndPageSizesAreProblemsNamingTheField() {
        Map<String, Object> bad = Map.of("size", 201, "page", -1, "status", "locked", "role", "superuser",
                "department", "91330106MA2H00001F", "type", "NO_SUCH", "q", "长".repeat(101));
        for (Map.Entry<String, Object> e : bad.entrySet()) {
            as("dsj.admin").queryParam(e.getKey(), e.getValue()).get(ACCOUNTS).then().statusCode(400)
                    .contentType("application/problem+json").body("errors.field", hasItem(e.getKey()));
        }
        as("dsj.admin").queryParam("size", 0).get(ACCOUNTS).then().statusCode(400)
                .body("errors.field", hasItem("size"));
        as("dsj.admin").queryParam("size", 200).get(ACCOUNTS).then().statusCode(200);
    }

    @Test
    void aPageBeyondTheLastIntOffsetIsAProblemNamingThePage() {
        pagesEndAtTheLastIntOffset(ACCOUNTS);
    }

    /**
     * {@code page * size} is the first row, an int in Panache: a page past {@code Integer.MAX_VALUE / size} is a 400
     * naming {@code page} (it used to overflow into a 500), the last page below it an empty page.
     */
    static void pagesEndAtTheLastIntOffset(String list) {
        pagesEndAtTheLastIntOffset("dsj.admin", list);
    }

    /** As {@link #pagesEndAtTheLastIntOffset(String)}, read by {@code user}. */
    public static void pagesEndAtTheLastIntOffset(String user, String list) {
        for (int[] pageAndSize : new int[][] { { Integer.MAX_VALUE, 200 }, { Integer.MAX_VALUE / 200 + 1, 200 },
                { Integer.MAX_VALUE, 2 }, { 1 << 30, 2 } }) {
            as(user).queryParam("page", pageAndSize[0]).queryParam("size", pageAndSize[1]).get(list).then()
                    .statusCode(400).contentType("application/problem+json")
                    .body("errors.field", equalTo(List.of("page")));
        }
        as(user).queryParam("page", Integer.MAX_VALUE / 200).queryParam("size", 200).get(list).then()
                .statusCode(200).body("$", hasSize(0));
        as(user).queryParam("page", Integer.MAX_VALUE - 1).queryParam("size", 1).get(list).then()
                .statusCode(200).body("$", hasSize(0));
    }

    @Test
    void adminsAndAuditorsReadTheListOthersDoNot() {
        Response auditor = as("dsj.auditor").queryParam("type", "CIVIL_SERVANT").queryParam("role", "admin")
                .get(ACCOUNTS);
        auditor.then().statusCode(200).body("username", hasItem("dsj.admin"))
                .body("roles", everyItem(hasItem("admin")));
        assertEquals(auditor.jsonPath().getList("$").size(), total(auditor));
        assertFalse(auditor.asString().contains("argon2"));
        as("dsj.admin").queryParam("q", "gat.operator").get(ACCOUNTS).then().statusCode(200)
                .body("username", hasItem("gat.operator"));
        for (String user : List.of("gat.operator", "dsj.reviewer", "33010619850312001X")) {
            as(user).queryParam("q", "dsj").get(ACCOUNTS).then().statusCode(403)
                    .contentType("application/problem+json");
        }
        given().get(ACCOUNTS).then().statusCode(401).contentType("application/problem+json");
    }
}
