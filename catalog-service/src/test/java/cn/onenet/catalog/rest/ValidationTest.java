package cn.onenet.catalog.rest;

import static cn.onenet.catalog.support.Fixtures.as;
import static cn.onenet.catalog.support.Fixtures.editor;
import static cn.onenet.catalog.support.Fixtures.entry;
import static cn.onenet.catalog.support.Fixtures.item;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import cn.onenet.catalog.support.FakeExchange;
import cn.onenet.catalog.support.Fixtures;
import cn.onenet.testsupport.PostgresTestResource;
import cn.onenet.testsupport.TestOidcResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Every mandatory-field and consistency rule answers 400 problem+json naming the field, and stores nothing. */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestOidcResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FakeExchange.class, restrictToAnnotatedClass = false)
class ValidationTest {

    private static final String E = "/api/catalog/v1/entries";

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> items(Map<String, Object> m) {
        return (List<Map<String, Object>>) m.get("items");
    }

    static Arguments rule(String name, String field, Consumer<Map<String, Object>> change) {
        return Arguments.of(name, field, change);
    }

    static Stream<Arguments> rules() {
        return Stream.of(
                rule("R3 name required", "name", m -> m.put("name", " ")),
                rule("R3 provider required", "providerDepartmentCode", m -> m.remove("providerDepartmentCode")),
                rule("provider code check character", "providerDepartmentCode",
                        m -> m.put("providerDepartmentCode", "11330000002481020B")),
                rule("provider name required", "providerDepartmentName", m -> m.remove("providerDepartmentName")),
                rule("region code 6 digits", "regionCode", m -> m.put("regionCode", "33")),
                rule("abstract mandatory (编制指南)", "abstract", m -> m.remove("abstract")),
                rule("R25 class required", "classification.resourceClass", m -> m.remove("classification")),
                rule("R25 category from the listed ones", "classification.category",
                        m -> m.put("classification", Map.of("resourceClass", "BASE", "category", "交通",
                                "itemCode", "01", "catalogCode", "001"))),
                rule("R24 item code matches the category", "classification.itemCode",
                        m -> m.put("classification", Map.of("resourceClass", "THEMATIC", "category", "社会保障",
                                "itemCode", "01", "catalogCode", "001"))),
                rule("R24 catalog code 3 digits", "classification.catalogCode",
                        m -> m.put("classification", Map.of("resourceClass", "BASE", "category", "人口",
                                "itemCode", "01", "catalogCode", "1"))),
                rule("R24 detail code digits", "classification.detailCode",
                        m -> m.put("classification", Map.of("resourceClass", "BASE", "category", "人口",
                                "itemCode", "01", "catalogCode", "001", "detailCode", "A1"))),
                rule("R3 format class", "format.formatClass",
                        m -> m.put("format", Map.of("formatType", "xlsx"))),
                rule("R3 format type", "format.formatType",
                        m -> m.put("format", Map.of("formatClass", "DATABASE"))),
                rule("R3 data items required", "items", m -> m.put("items", List.of())),
                rule("item name required", "items[1].name", m -> items(m).get(1).put("name", "")),
                rule("item data type required", "items[0].dataType", m -> items(m).get(0).remove("dataType")),
                rule("item data type from C/N/Y/D/T/L/M/G/B/I/F", "items[0].dataType",
                        m -> items(m).get(0).put("dataType", "X")),
                rule("item length positive", "items[0].length", m -> items(m).get(0).put("length", 0)),
                rule("character items need a length", "items[2].length", m -> items(m).get(2).remove("length")),
                rule("item codes unique", "items[1].code", m -> items(m).get(1).put("code", "GMSFHM")),
                rule("texts hold no control characters", "name", m -> m.put("name", "校验-控制字符\u0001")),
                rule("nor do the texts of data items", "items[0].description",
                        m -> items(m).get(0).put("description", "说明\u001b[31m")),
                rule("C1 control characters too (NEL)", "name", m -> m.put("name", "校验-C1控制字符\u0085")),
                rule("C1 control characters in a listed text (CSI)", "permittedPurposes[0]",
                        m -> m.put("permittedPurposes", List.of("社会保障\u009b31m待遇资格认证"))),
                rule("item names unique, an ideographic space after one included", "items[1].name",
                        m -> items(m).get(1).put("name", "公民身份号码\u3000")),
                rule("key item is one of the items", "keyItem", m -> m.put("keyItem", "NOPE")),
                rule("R3 share attribute", "shareAttribute", m -> m.remove("shareAttribute")),
                rule("R2 conditional needs scope", "shareScope", m -> m.remove("shareScope")),
                rule("R2 conditional needs purposes", "permittedPurposes", m -> m.put("permittedPurposes", List.of())),
                rule("R2 conditional needs conditions", "shareConditions", m -> m.remove("shareConditions")),
                rule("R1 not shared needs a legal basis type", "notSharedLegalBasis.type", m -> notShared(m, null)),
                rule("R1 legal basis type restricted (no local rule)", "notSharedLegalBasis.type",
                        m -> notShared(m, "LOCAL_REGULATION")),
                rule("R2 not shared names the specific article of its legal basis", "notSharedLegalBasis.article",
                        m -> {
                            notShared(m, "LAW");
                            m.put("notSharedLegalBasis", Map.of("type", "LAW", "title", "中华人民共和国个人信息保护法"));
                        }),
                rule("R2 not shared needs a reason", "notSharedReason", m -> {
                    notShared(m, "LAW");
                    m.remove("notSharedReason");
                }),
                rule("R2 no conditions on unconditional data", "shareConditions",
                        m -> m.put("shareAttribute", "UNCONDITIONAL")),
                rule("R3 share method", "shareMethod.methodType", m -> m.put("shareMethod", Map.of("methodClass", "PLATFORM"))),
                rule("file formats via the platform are files", "shareMethod.methodType",
                        m -> m.put("format", Map.of("formatClass", "SPREADSHEET", "formatType", "xlsx"))),
                rule("databases are not shared as files", "shareMethod.methodType",
                        m -> m.put("shareMethod", Map.of("methodClass", "PLATFORM", "methodType", "FILE"))),
                rule("open attribute required", "openAttribute", m -> m.remove("openAttribute")),
                rule("open needs conditions", "openConditions", m -> {
                    m.put("openAttribute", "OPEN");
                    items(m).forEach(i -> i.put("sensitive", false));
                }),
                rule("sensitive items cannot be open", "openAttribute", m -> {
                    m.put("openAttribute", "OPEN");
                    m.put("openConditions", "注明来源");
                }),
                rule("R3 update cycle", "updateCycle", m -> m.put("updateCycle", "HOURLY")),
                rule("R3 data classification", "dataCategory", m -> m.remove("dataCategory")),
                rule("R3 data grade", "grade", m -> m.remove("grade")),
                rule("Art. 3 no secrets", "secret", m -> m.put("secret", true)),
                rule("related codes are resource codes", "relatedResourceCodes[0]",
                        m -> m.put("relatedResourceCodes", List.of("abc"))));
    }

    static void notShared(Map<String, Object> m, String type) {
        m.put("shareAttribute", "NOT_SHARED");
        m.remove("shareConditions");
        m.remove("shareScope");
        m.remove("permittedPurposes");
        m.put("notSharedReason", "涉及个人隐私");
        m.put("notSharedLegalBasis", type == null ? Map.of("title", "某法", "article", "第一条")
                : Map.of("type", type, "title", "某法", "article", "第一条"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void ruleIsEnforcedWithItsField(String name, String field, Consumer<Map<String, Object>> change) {
        Map<String, Object> body = entry("校验-" + name);
        change.accept(body);
        as(editor()).body(body).post(E).then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem(field));
        as(editor()).queryParam("size", 200).get(E).then().statusCode(200)
                .body("findAll { it.name == '校验-" + name + "' }.size()", equalTo(0));
    }

    @Test
    void validVariantsAreAccepted() {
        Map<String, Object> notShared = entry("校验-不予共享-有效");
        notShared(notShared, "LAW");
        notShared.put("notSharedLegalBasis", Map.of("type", "LAW", "title", "中华人民共和国居民身份证法", "article", "第十九条"));
        notShared.remove("shareMethod");
        as(editor()).body(notShared).post(E).then().statusCode(201);
        Map<String, Object> open = Fixtures.open(entry("校验-开放-有效"));
        List<Map<String, Object>> its = new ArrayList<>();
        its.add(item("JGMC", "机构名称", "C", 100, false));
        its.add(item("CLRQ", "成立日期", "D", null, false));
        open.put("items", its);
        open.put("keyItem", "JGMC");
        as(editor()).body(open).post(E).then().statusCode(201);
    }

    @Test
    void anUnpairedSurrogateIsRefusedWithItsFieldNotStoredAsAQuestionMark() throws Exception {
        String body = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(entry("校验-代理字符"))
                .replace("全省户籍人口", "全省户籍人口\\ud800");
        as(editor()).body(body).post(E).then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("abstract"));
        as(editor()).queryParam("size", 200).get(E).then().statusCode(200)
                .body("findAll { it.name == '校验-代理字符' }.size()", equalTo(0));
    }

    @Test
    void malformedAndUnknownValuesAre4xx() {
        as(editor()).body("{\"name\": ").post(E).then().statusCode(400).contentType("application/problem+json");
        Map<String, Object> bad = entry("校验-枚举");
        bad.put("grade", "SUPER");
        as(editor()).body(bad).post(E).then().statusCode(400).body("errors[0].field", equalTo("grade"));
        as(Fixtures.reviewer()).get(E + "/999999").then().statusCode(404).contentType("application/problem+json");
    }
}
