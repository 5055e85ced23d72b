package cn.onenet.identity.accounts;

import static cn.onenet.identity.accounts.AccountListTest.GAT;
import static cn.onenet.identity.accounts.AccountListTest.RST;
import static cn.onenet.identity.accounts.AccountListTest.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import cn.onenet.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** The client list as the admin console pages through it: filters, a total in X-Total-Count, bounds, who may read. */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class ClientListTest extends AdminApiTest {

    private static void register(String clientId, String name, String department) {
        Map<String, Object> body = new HashMap<>();
        body.put("clientId", clientId);
        body.put("name", name);
        body.put("grantTypes", List.of("client_credentials"));
        body.put("roles", List.of("system"));
        body.put("departmentCode", department);
        admin().contentType("application/json").body(body).post(CLIENTS).then().statusCode(201);
    }

    @Test
    void anAdministratorFiltersByNameDepartmentAndStatusAndPagesWithATotal() {
        String tag = "lq" + (System.nanoTime() % 1_000_000);
        String a = tag + "-a";
        String b = tag + "-b";
        String c = "zz-other-" + (System.nanoTime() % 1_000_000);
        register(a, "人社厅列表测试系统", RST);
        register(b, "公安厅列表测试系统", GAT);
        register(c, "网上办事 " + tag.toUpperCase(), null);
        admin().post(CLIENTS + "/" + b + "/disable").then().statusCode(200);

        // q: the client id or the name, case-insensitive; every match counted
        Response all = admin().queryParam("q", tag.toUpperCase()).get(CLIENTS);
        all.then().statusCode(200).contentType("application/json").body("clientId", equalTo(List.of(a, b, c)))
                .header("X-Total-Count", "3");
        assertFalse(all.asString().contains("secretHash") || all.asString().contains("clientSecret"), all.asString());
        admin().queryParam("q", "列表测试").get(CLIENTS).then().body("clientId", equalTo(List.of(a, b)));

        // pages
        admin().queryParam("q", tag).queryParam("size", 2).get(CLIENTS).then().body("clientId", equalTo(List.of(a, b)))
                .header("X-Total-Count", "3");
        admin().queryParam("q", tag).queryParam("size", 2).queryParam("page", 1).get(CLIENTS).then()
                .body("clientId", equalTo(List.of(c))).header("X-Total-Count", "3");

        // department and status, alone and together
        admin().queryParam("q", tag).queryParam("department", RST).get(CLIENTS).then()
                .body("clientId", equalTo(List.of(a))).body("[0].departmentCode", equalTo(RST));
        admin().queryParam("department", GAT).get(CLIENTS).then().body("clientId", hasItem(b));
        admin().queryParam("q", tag).queryParam("status", "disabled").get(CLIENTS).then()
                .body("clientId", equalTo(List.of(b))).body("[0].enabled", equalTo(false));
        admin().queryParam("q", tag).queryParam("status", "enabled").get(CLIENTS).then()
                .body("clientId", equalTo(List.of(a, c))).header("X-Total-Count", "2");
        admin().queryParam("q", tag).queryParam("status", "enabled").queryParam("department", GAT).get(CLIENTS)
                .then().body("$", hasSize(0)).header("X-Total-Count", "0");
        // % matches itself
        admin().queryParam("q", "%").get(CLIENTS).then().statusCode(200).header("X-Total-Count", "0");
    }

    @Test
    void badFiltersAndPageSizesAreProblemsNamingTheField() {
        Map<String, Object> bad = Map.of("size", 201, "page", -1, "status", "paused", "department",
                "11330000002481060X", "q", "x".repeat(101));
        for (Map.Entry<String, Object> e : bad.entrySet()) {
            admin().queryParam(e.getKey(), e.getValue()).get(CLIENTS).then().statusCode(400)
                    .contentType("application/problem+json").body("errors.field", hasItem(e.getKey()));
        }
        admin().queryParam("size", 200).get(CLIENTS).then().statusCode(200).body("clientId", hasItem("test-web"));
    }

    @Test
    void aPageBeyondTheLastIntOffsetIsAProblemNamingThePage() {
        AccountListTest.pagesEndAtTheLastIntOffset(CLIENTS);
    }

    @Test
    void onlyAdministratorsReadTheList() {
        for (String user : List.of("dsj.auditor", "gat.operator")) {
            as(user).queryParam("q", "test").get(CLIENTS).then().statusCode(403).contentType("application/problem+json");
        }
        given().queryParam("q", "test").get(CLIENTS).then().statusCode(401).contentType("application/problem+json");
        admin().queryParam("q", "test-web").get(CLIENTS).then().statusCode(200)
                .body("clientId", equalTo(List.of("test-web"))).header("X-Total-Count", "1");
    }
}
