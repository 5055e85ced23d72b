package cn.onenet.catalog.rest;

import static cn.onenet.catalog.support.Fixtures.MARKET;
import static cn.onenet.catalog.support.Fixtures.as;
import static cn.onenet.catalog.support.Fixtures.create;
import static cn.onenet.catalog.support.Fixtures.editor;
import static cn.onenet.catalog.support.Fixtures.editorOf;
import static cn.onenet.catalog.support.Fixtures.entry;
import static cn.onenet.catalog.support.Fixtures.entryOf;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

import cn.onenet.catalog.model.CatalogEntry;
import cn.onenet.catalog.support.FakeExchange;
import cn.onenet.catalog.support.Fixtures;
import cn.onenet.testsupport.PostgresTestResource;
import cn.onenet.testsupport.TestOidcResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * A department's current entries are told apart by name (NFKC-folded, stripped) and classification, which is how
 * the spreadsheet import finds the entry of a row without a resource code: a second entry of the same name and
 * classification is refused (409 naming {@code name}) on create and on rename, also when two are created at once,
 * and a row that matches several entries registered before the rule is a problem of the row.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestOidcResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FakeExchange.class, restrictToAnnotatedClass = false)
class DuplicateNameTest {

    private static final String E = "/api/catalog/v1/entries";
    private static final String X = "/api/catalog/v1/spreadsheets/entries";

    private static void conflict(io.restassured.response.ValidatableResponse response, long holder) {
        response.statusCode(409).contentType("application/problem+json").body("field", equalTo("name"))
                .body("errors[0].field", equalTo("name")).body("existingEntryId", equalTo((int) holder));
    }

    private static long entriesNamed(String name) {
        return QuarkusTransaction.requiringNew().call(() -> CatalogEntry.count("name", name));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aSecondEntryOfTheSameNameAndClassificationIsRefused() {
        long first = create(editor(), entry("重名-户籍AB"));
        conflict(as(editor()).body(entry("重名-户籍AB")).post(E).then(), first);
        // typed full-width or with ideographic spaces it is the same name
        conflict(as(editor()).body(entry("\u3000重名－户籍ＡＢ\u3000")).post(E).then(), first);
        assertEquals(1, entriesNamed("重名-户籍AB"));
        // another classification, or another department, may use the name
        Map<String, Object> otherClass = entry("重名-户籍AB");
        ((Map<String, Object>) otherClass.get("classification")).put("catalogCode", "002");
        as(editor()).body(otherClass).post(E).then().statusCode(201);
        as(editorOf(MARKET)).body(entryOf(MARKET, "重名-户籍AB")).post(E).then().statusCode(201);
    }

    @Test
    void aDeregisteredEntryNoLongerHoldsItsName() {
        long gone = Fixtures.published(editor(), entry("重名-注销后再登记"));
        Fixtures.action(editor(), gone, "deregistration", Map.of("reason", "并入人口综合库")).statusCode(200);
        conflict(as(editor()).body(entry("重名-注销后再登记")).post(E).then(), gone);
        Fixtures.action(Fixtures.reviewer(), gone, "deregistration/approval", Map.of("opinion", "同意"))
                .statusCode(200).body("state", equalTo("DEREGISTERED"));
        as(editor()).body(entry("重名-注销后再登记")).post(E).then().statusCode(201);
    }

    @Test
    void anEntryIsNotRenamedToTheNameOfAnother() {
        long taken = create(editor(), entry("重名-改名甲"));
        long other = create(editor(), entry("重名-改名乙"));
        int lock = Fixtures.lockVersion(other);
        conflict(Fixtures.put(editor(), other, entry("重名-改名甲")), taken);
        as(editor()).get(E + "/" + other).then().statusCode(200).body("name", equalTo("重名-改名乙"))
                .body("lockVersion", equalTo(lock));
        // an edit that keeps the name, and a rename to a free name, are fine
        Map<String, Object> edited = entry("重名-改名乙");
        edited.put("abstract", "修改摘要");
        Fixtures.put(editor(), other, edited).statusCode(200);
        Fixtures.put(editor(), other, entry("重名-改名丙")).statusCode(200).body("name", equalTo("重名-改名丙"));
    }

    @Test
    void twoSimultaneousCreatesOfTheSameNameDoNotBothSucceed() throws Exception {
        for (int round = 0; round < 4; round++) {
            String name = "重名-同时创建" + round;
            CyclicBarrier start = new CyclicBarrier(2);
            List<CompletableFuture<Integer>> creates = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                creates.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        start.await();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    return as(editor()).body(entry(name)).post(E).then().extract().statusCode();
                }));
            }
            List<Integer> statuses = new ArrayList<>();
            for (CompletableFuture<Integer> c : creates) {
                statuses.add(c.get());
            }
            statuses.sort(null);
            assertEquals(List.of(201, 409), statuses, name);
            assertEquals(1, entriesNamed(name));
        }
    }

    /** The entry's name made that of {@code first}, as V12 leaves an entry registered twice before the rule. */
    private static void registeredTwiceBefore(long first, long second, String name) {
        QuarkusTransaction.requiringNew().run(() -> CatalogEntry.getEntityManager().createNativeQuery(
                "UPDATE catalog_entry SET name = ?1, name_key = ?1, duplicate_of = ?2, "
                        + "draft = jsonb_set(draft, '{name}', to_jsonb(CAST(?1 AS text))) WHERE id = ?3")
                .setParameter(1, name).setParameter(2, first).setParameter(3, second).executeUpdate());
    }

    private static List<List<String>> exportedRows(String name) throws IOException {
        byte[] file = as(editor()).queryParam("format", "csv").queryParam("provider", Fixtures.POLICE).get(X).then()
                .statusCode(200).extract().asByteArray();
        List<List<String>> rows = new ArrayList<>();
        for (CSVRecord r : CSVFormat.DEFAULT.parse(new StringReader(
                new String(file, StandardCharsets.UTF_8).replace("\ufeff", "")))) {
            rows.add(new ArrayList<>(r.toList()));
        }
        int column = rows.get(0).indexOf("信息资源名称");
        int seq = rows.get(0).indexOf("序号");
        // the rows of the first entry of the name (one per item, sharing its 序号)
        String first = rows.subList(1, rows.size()).stream().filter(r -> r.get(column).equals(name))
                .map(r -> r.get(seq)).findFirst().orElseThrow();
        List<List<String>> out = new ArrayList<>(List.of(rows.get(0)));
        rows.subList(1, rows.size()).stream().filter(r -> r.get(seq).equals(first)).forEach(out::add);
        return out;
    }

    private static byte[] csv(List<List<String>> rows) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CSVPrinter p = new CSVPrinter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8),
                CSVFormat.DEFAULT)) {
            for (List<String> row : rows) {
                p.printRecord(row);
            }
        }
        return out.toByteArray();
    }

    @Test
    void anImportRowMatchingTwoEntriesIsAProblemOfTheRow() throws IOException {
        long first = create(editor(), entry("重名-导入两条"));
        long second = create(editor(), entry("重名-导入两条（旧）"));
        registeredTwiceBefore(first, second, "重名-导入两条");
        // the rows of one of them, changed, with its 版本: the name matches either of the two
        List<List<String>> rows = exportedRows("重名-导入两条");
        int summary = rows.get(0).indexOf("信息资源摘要");
        rows.subList(1, rows.size()).forEach(r -> r.set(summary, "导入修改的摘要"));
        int lockFirst = Fixtures.lockVersion(first);
        int lockSecond = Fixtures.lockVersion(second);

        JsonPath refused = given().auth().oauth2(editor()).contentType("text/csv").body(csv(rows)).post(X).then()
                .statusCode(422).contentType("application/problem+json").extract().jsonPath();
        assertEquals(List.of("name"), refused.getList("rows.field"), refused.prettify());
        assertTrue(refused.getString("rows[0].message").contains(first + "、" + second), refused.prettify());
        JsonPath partial = given().auth().oauth2(editor()).contentType("text/csv").queryParam("partial", true)
                .body(csv(rows)).post(X).then().statusCode(201).extract().jsonPath();
        assertEquals(List.of("name"), partial.getList("problems.field"), partial.prettify());
        assertEquals(0, partial.getInt("updated"));
        assertEquals(lockFirst, Fixtures.lockVersion(first));
        assertEquals(lockSecond, Fixtures.lockVersion(second));

        // an entry left a duplicate keeps its name while it is edited; renamed, it is no longer one
        Map<String, Object> kept = entry("重名-导入两条");
        kept.put("abstract", "沿用原名修改");
        Fixtures.put(editor(), second, kept).statusCode(200);
        Fixtures.put(editor(), second, entry("重名-导入两条（历史）")).statusCode(200);
        conflict(Fixtures.put(editor(), second, entry("重名-导入两条")), first);
    }

    @Test
    void anImportRowFindsTheEntryOfItsNameTypedFullWidth() throws IOException {
        long id = create(editor(), entry("重名-导入全角AB"));
        List<List<String>> rows = exportedRows("重名-导入全角AB");
        int name = rows.get(0).indexOf("信息资源名称");
        rows.subList(1, rows.size()).forEach(r -> r.set(name, "重名-导入全角ＡＢ\u3000"));
        JsonPath result = given().auth().oauth2(editor()).contentType("text/csv").body(csv(rows)).post(X).then()
                .statusCode(201).extract().jsonPath();
        assertEquals(0, result.getInt("created"), result.prettify());
        assertEquals((int) id, result.getInt("rows[0].entryId"), result.prettify());
        assertEquals(1, entriesNamed("重名-导入全角AB") + entriesNamed("重名-导入全角ＡＢ\u3000"));
    }
}
