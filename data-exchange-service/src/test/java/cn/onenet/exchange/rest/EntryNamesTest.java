package cn.onenet.exchange.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.Test;

import cn.onenet.exchange.ExchangeTestBase;
import cn.onenet.exchange.FakeCatalog;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * Requests, grants and objections name the catalogue entry and its items beside the codes (resourceName, itemNames),
 * complaints and incidents the entry, corrections the entry and their item (resourceName, itemName), as the entry
 * named them when the case was filed: a later catalogue version renaming them changes nothing shown.
 */
@QuarkusTest
class EntryNamesTest extends ExchangeTestBase {

    static final String PROVIDER = RequestWorkflowTest.PROVIDER;
    static final String NAME = "名称快照测试目录";
    static final String ZHANG = "33010619850312001X";

    @Inject
    EntityManager em;

    private static Map<String, Object> item(String code, String name) {
        return Map.of("code", code, "name", name, "dataType", "C", "length", 20, "sensitive", false);
    }

    private static JsonPath read(String token, String path) {
        return given().auth().oauth2(token).get("/api/exchange/v1" + path).then().statusCode(200).extract()
                .jsonPath();
    }

    /** An entry named {@link #NAME} with the items 公民身份号码, 姓名, 职业, in the replica. */
    private Map<String, Object> entry(String code) {
        Map<String, Object> entry = FakeCatalog.add("PUBLISHED", code, NAME, PROVIDER, "UNCONDITIONAL", "LEVEL_2",
                "GMSFHM", List.of(item("GMSFHM", "公民身份号码"), item("XM", "姓名"), item("ZY", "职业")));
        replica.pollOnce();
        return entry;
    }

    /** The catalogue renames the entry and its items (version 2), and the replica follows. */
    private void renamed(Map<String, Object> entry) {
        Map<String, Object> renamed = new LinkedHashMap<>(entry);
        renamed.put("version", 2);
        renamed.put("name", NAME + "（第二版）");
        renamed.put("items", List.of(item("GMSFHM", "身份证号码"), item("XM", "姓名（户籍）"), item("ZY", "职业名称")));
        FakeCatalog.addItem("PUBLISHED", renamed);
        replica.pollOnce();
    }

    /** What the single view and the list show of the case {@code id}: its resourceName and itemNames. */
    private static void named(String token, String kind, String list, long id, String name,
            Map<String, String> items) {
        JsonPath one = read(token, "/" + kind + "/" + id);
        assertEquals(name, one.getString("resourceName"), kind + " " + id);
        assertEquals(items, one.getMap("itemNames"), kind + " " + id);
        JsonPath all = read(token, "/" + kind + list);
        assertEquals(name, all.getString("find { it.id == " + id + " }.resourceName"), kind + " list");
        assertEquals(items, all.getMap("find { it.id == " + id + " }.itemNames"), kind + " list");
    }

    @Test
    void casesShowTheNamesTheEntryGaveWhenTheyWereFiledAlsoAfterTheCatalogueRenamedThem() {
        String code = "330000-01-02/900781";
        Map<String, Object> entry = entry(code);
        String consumer = operator("11330000MB00000781");
        Map<String, String> asked = new LinkedHashMap<>();
        asked.put("XM", "姓名");
        asked.put("GMSFHM", "公民身份号码");
        // the answer to the filing names them already, in the order the items were asked for
        JsonPath filed = RequestWorkflowTest.file(consumer, RequestWorkflowTest.body(code, List.of("XM", "GMSFHM")))
                .then().statusCode(201).body("status", equalTo("GRANTED")).body("resourceName", equalTo(NAME))
                .extract().jsonPath();
        assertEquals(asked, filed.getMap("itemNames"));
        long request = filed.getLong("id");
        long grant = filed.getLong("grantId");
        long objection = given().auth().oauth2(consumer).contentType(ContentType.JSON)
                .body(Map.of("resourceCode", code, "recordKey", "33010619850312001X", "description", "职业有误"))
                .post("/api/exchange/v1/objections").then().statusCode(201).body("resourceName", equalTo(NAME))
                .extract().jsonPath().getLong("id");

        renamed(entry);

        named(consumer, "requests", "?side=consumer", request, NAME, asked);
        named(operator(PROVIDER), "requests", "?side=provider", request, NAME, asked);
        named(consumer, "grants", "", grant, NAME, asked);
        Map<String, String> all = new LinkedHashMap<>();
        all.put("GMSFHM", "公民身份号码");
        all.put("XM", "姓名");
        all.put("ZY", "职业");
        named(consumer, "objections", "", objection, NAME, all);
        named(operator(PROVIDER), "objections", "", objection, NAME, all);

        // a grant narrowed by the 主管部门 names only the items it still holds
        given().auth().oauth2(reviewer()).contentType(ContentType.JSON)
                .body(Map.of("version", 0, "reason", "缩减数据项", "items", List.of("XM")))
                .post("/api/exchange/v1/grants/" + grant + "/change").then().statusCode(200)
                .body("itemNames", equalTo(Map.of("XM", "姓名")));
    }

    @Test
    void complaintsIncidentsAndCorrectionsShowTheNamesTheEntryGaveWhenTheyWereFiled() {
        String code = "330000-01-02/900787";
        Map<String, Object> entry = entry(code);
        String provider = operator(PROVIDER);
        given().urlEncodingEnabled(false).auth().oauth2(provider).contentType(ContentType.JSON)
                .body(List.of(Map.of("GMSFHM", ZHANG, "XM", "张三", "ZY", "教师")))
                .post("/api/exchange/v1/datasets/" + FakeCatalog.encoded(code) + "/records").then().statusCode(201);
        String consumer = operator("11330000MB00000787");
        RequestWorkflowTest.file(consumer, RequestWorkflowTest.body(code, List.of("GMSFHM", "ZY"))).then()
                .statusCode(201).body("status", equalTo("GRANTED"));
        String rid = "names-" + UUID.randomUUID();
        given().urlEncodingEnabled(false).auth().oauth2(consumer).header("X-Request-Id", rid)
                .get(DeliveryTest.path(code, ZHANG)).then().statusCode(200);
        String zhang = ComplaintTest.citizen("names-zhang", ZHANG);
        long complaint = ComplaintTest.fileComplaint(zhang, Map.of("requestId", rid, "description", "未办理业务"))
                .then().statusCode(201).body("resourceName", equalTo(NAME)).extract().jsonPath().getLong("id");
        long incident = given().auth().oauth2(provider).contentType(ContentType.JSON)
                .body(IncidentTest.with(IncidentTest.report("LEAK", new ArrayList<>()), "resourceCode", code))
                .post("/api/exchange/v1/incidents").then().statusCode(201).body("resourceName", equalTo(NAME))
                .extract().jsonPath().getLong("id");
        long correction = given().auth().oauth2(zhang).contentType(ContentType.JSON)
                .body(Map.of("resourceCode", code, "item", "ZY", "correctValue", "医生", "description", "职业已变更"))
                .post("/api/exchange/v1/me/corrections").then().statusCode(201).body("resourceName", equalTo(NAME))
                .body("itemName", equalTo("职业")).extract().jsonPath().getLong("id");

        renamed(entry);

        for (String token : List.of(zhang, consumer, admin())) {
            assertEquals(NAME, read(token, "/complaints/" + complaint).getString("resourceName"));
            String list = token.equals(zhang) ? "/me/complaints" : "/complaints";
            assertEquals(NAME, read(token, list).getString("find { it.id == " + complaint + " }.resourceName"));
        }
        for (String token : List.of(provider, admin())) {
            assertEquals(NAME, read(token, "/incidents/" + incident).getString("resourceName"));
            assertEquals(NAME, read(token, "/incidents").getString("find { it.id == " + incident + " }.resourceName"));
        }
        for (String path : List.of("/me/corrections/" + correction, "/corrections/" + correction)) {
            JsonPath view = read(path.startsWith("/me") ? zhang : provider, path);
            assertEquals(NAME, view.getString("resourceName"), path);
            assertEquals("职业", view.getString("itemName"), path);
        }
        JsonPath listed = read(provider, "/corrections");
        assertEquals(NAME, listed.getString("find { it.id == " + correction + " }.resourceName"));
        assertEquals("职业", listed.getString("find { it.id == " + correction + " }.itemName"));

        // cases filed before the names were kept (as V76 leaves them) show none rather than today's
        QuarkusTransaction.requiringNew().run(() -> {
            em.createNativeQuery("UPDATE complaint SET resource_name = NULL WHERE id = ?1")
                    .setParameter(1, complaint).executeUpdate();
            em.createNativeQuery("UPDATE security_incident SET resource_name = NULL WHERE id = ?1")
                    .setParameter(1, incident).executeUpdate();
            em.createNativeQuery("UPDATE correction SET resource_name = NULL, item_name = NULL WHERE id = ?1")
                    .setParameter(1, correction).executeUpdate();
        });
        given().auth().oauth2(consumer).get("/api/exchange/v1/complaints/" + complaint).then().statusCode(200)
                .body("resourceCode", equalTo(code)).body("resourceName", nullValue());
        given().auth().oauth2(provider).get("/api/exchange/v1/incidents/" + incident).then().statusCode(200)
                .body("resourceName", nullValue());
        given().auth().oauth2(provider).get("/api/exchange/v1/corrections/" + correction).then().statusCode(200)
                .body("resourceName", nullValue()).body("item", equalTo("ZY")).body("itemName", nullValue());
    }

    @Test
    void casesFiledBeforeNamesWereKeptShowNoNamesRatherThanTodays() {
        String code = "330000-01-02/900782";
        FakeCatalog.add("PUBLISHED", code, NAME, PROVIDER, "UNCONDITIONAL", "LEVEL_2", "GMSFHM",
                List.of(item("GMSFHM", "公民身份号码"), item("XM", "姓名")));
        replica.pollOnce();
        String consumer = operator("11330000MB00000782");
        JsonPath filed = RequestWorkflowTest.file(consumer, RequestWorkflowTest.body(code, List.of("GMSFHM")))
                .then().statusCode(201).extract().jsonPath();
        long request = filed.getLong("id");
        long grant = filed.getLong("grantId");
        // as V75 leaves the rows that were there before it
        QuarkusTransaction.requiringNew().run(() -> {
            em.createNativeQuery("UPDATE share_request SET resource_name = NULL, item_names = NULL WHERE id = ?1")
                    .setParameter(1, request).executeUpdate();
            em.createNativeQuery("UPDATE share_grant SET resource_name = NULL, item_names = NULL WHERE id = ?1")
                    .setParameter(1, grant).executeUpdate();
        });
        given().auth().oauth2(consumer).get("/api/exchange/v1/requests/" + request).then().statusCode(200)
                .body("resourceCode", equalTo(code)).body("resourceName", nullValue())
                .body("itemNames", nullValue()).body("items", equalTo(List.of("GMSFHM")));
        given().auth().oauth2(consumer).get("/api/exchange/v1/grants/" + grant).then().statusCode(200)
                .body("resourceName", nullValue()).body("itemNames", nullValue());
    }
}
