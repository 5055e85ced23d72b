package cn.onenet.exchange.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import cn.onenet.exchange.FakeCatalog;
import cn.onenet.exchange.repository.V76__IdentifierKeysFoldedAndCaseNames;
import cn.onenet.exchange.service.SubjectHasher;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * A 公民身份号码 or 统一社会信用代码 key typed with full-width characters (a Chinese input method), with a zero-width
 * space pasted along, or in lower case is the same key everywhere: stored, looked up, filtered on and objected to in
 * its standard spelling, and logged under its holder's hash, so the holder's view shows the access (also one that found
 * nothing). A key still no valid identifier once normalised is refused, 400 naming the field, nothing logged.
 */
@QuarkusTest
class FullWidthKeyTest extends HostedRecordsTestBase {

    static final String ZWSP = "\u200b";
    static final String ENTERPRISE = "91330106MA2H00001E";

    @Inject
    AgroalDataSource dataSource;

    /** The full-width spelling of an ASCII identifier (digits and letters U+FF10–U+FF5A), lower case too. */
    static String fullWidth(String ascii, boolean lowerCase) {
        StringBuilder b = new StringBuilder();
        for (char c : (lowerCase ? ascii.toLowerCase() : ascii).toCharArray()) {
            b.append((char) (c - '!' + '\uff01'));
        }
        return b.toString();
    }

    private void personEntry(String code) {
        entry(code, "全角主键测试目录 " + code, "LEVEL_2", "GMSFHM",
                List.of(item("GMSFHM", "公民身份号码", "C", 18), item("XM", "姓名", "C", 4)));
    }

    /** A consumer's grant on a person entry holding one record, of a new citizen {@code id}. */
    private record Granted(String id, String consumer, long grant) {
    }

    private Granted personGranted(String code, String dept, String name) {
        personEntry(code);
        String id = CitizenSeesLookupsThatFoundNothingTest.idIn("330106");
        push(code, List.of(record("GMSFHM", id, "XM", name))).then().statusCode(201);
        String consumer = operator(dept);
        return new Granted(id, consumer,
                DeliveryTest.fileGranted(consumer, RequestWorkflowTest.body(code, List.of("GMSFHM", "XM"))));
    }

    private static Response lookup(String consumer, long grant, String code, String key, String requestId) {
        return given().urlEncodingEnabled(false).auth().oauth2(consumer).header("X-Grant-Id", grant)
                .header("X-Request-Id", requestId)
                .get(DeliveryTest.path(code, URLEncoder.encode(key, StandardCharsets.UTF_8)));
    }

    private static Response query(String consumer, long grant, String code, String value, String requestId) {
        return given().urlEncodingEnabled(false).auth().oauth2(consumer).header("X-Grant-Id", grant)
                .header("X-Request-Id", requestId).get("/api/exchange/v1/data/" + FakeCatalog.encoded(code)
                        + "/records?GMSFHM=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
    }

    private static Response object(String consumer, String code, String recordKey) {
        return given().auth().oauth2(consumer).contentType(ContentType.JSON)
                .body(Map.of("resourceCode", code, "recordKey", recordKey, "description", "姓名有误"))
                .post("/api/exchange/v1/objections");
    }

    private long logged(String requestId) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM usage_log WHERE request_id = ?")) {
            ps.setString(1, requestId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private String storedKey(String code) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT record_key || ' ' || data FROM dataset_record WHERE resource_code = ? AND NOT deleted")) {
            ps.setString(1, code);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    @Test
    void aFullWidthIdNumberFindsTheRecordAndTheCitizenSeesTheLookup() {
        String code = "330000-01-02/900785";
        Granted g = personGranted(code, "11330000MB00000785", "张三");
        String id = g.id();
        String consumer = g.consumer();
        long grant = g.grant();

        String wide = "wide-" + UUID.randomUUID();
        lookup(consumer, grant, code, fullWidth(id, true), wide).then().statusCode(200)
                .body("record.GMSFHM", equalTo(id)).body("record.XM", equalTo("张三"));
        String invisible = "zwsp-" + UUID.randomUUID();
        lookup(consumer, grant, code, ZWSP + id.substring(0, 6) + ZWSP + id.substring(6) + "\ufeff", invisible).then()
                .statusCode(200).body("record.GMSFHM", equalTo(id));
        String filtered = "filter-" + UUID.randomUUID();
        query(consumer, grant, code, "\u3000" + fullWidth(id, false), filtered).then().statusCode(200)
                .body("records.size()", equalTo(1)).body("records[0].GMSFHM", equalTo(id));
        CitizenSeesLookupsThatFoundNothingTest.mine(id).then().statusCode(200).body("requestId", hasItem(wide))
                .body("requestId", hasItem(invisible)).body("requestId", hasItem(filtered))
                .body("find { it.requestId == '" + wide + "' }.outcome", equalTo("DELIVERED"));

        // a full-width number the exchange holds no record of is still logged under its holder, shown as NOT_FOUND
        String nobody = CitizenSeesLookupsThatFoundNothingTest.idIn("330106");
        String missing = "missing-" + UUID.randomUUID();
        lookup(consumer, grant, code, fullWidth(nobody, false), missing).then().statusCode(404);
        CitizenSeesLookupsThatFoundNothingTest.mine(nobody).then().statusCode(200).body("requestId", hasItem(missing))
                .body("find { it.requestId == '" + missing + "' }.outcome", equalTo("NOT_FOUND"));

        // an objection names the record as stored
        object(consumer, code, fullWidth(id, true)).then().statusCode(201).body("recordKey", equalTo(id));
    }

    @Test
    void aFullWidthKeyIsStoredInItsStandardSpelling() throws SQLException {
        String code = "330000-01-02/900786";
        personEntry(code);
        String id = CitizenSeesLookupsThatFoundNothingTest.idIn("330106");
        push(code, List.of(record("GMSFHM", fullWidth(id, true) + ZWSP, "XM", "李四")))
                .then().statusCode(201);
        assertEquals(id + " {\"GMSFHM\":\"" + id + "\",\"XM\":\"李四\"}", storedKey(code));
        // the same person in the standard spelling is an update, not a second record
        upload(code, "GMSFHM,XM\n" + id + ",李肆\n").then().statusCode(201);
        assertEquals(id + " {\"GMSFHM\":\"" + id + "\",\"XM\":\"李肆\"}", storedKey(code));
    }

    @Test
    void aRecordStoredInFullWidthBeforeKeysWereNormalisedIsFoundOnceV76FoldedIt() throws SQLException {
        String code = "330000-01-02/900788";
        personEntry(code);
        String id = CitizenSeesLookupsThatFoundNothingTest.idIn("330106");
        String consumer = operator("11330000MB00000788");
        long grant = DeliveryTest.fileGranted(consumer, RequestWorkflowTest.body(code, List.of("GMSFHM", "XM")));
        String wide = fullWidth(id, false);
        String joined = id.substring(0, 4) + "\u200d" + id.substring(4);
        // stored, as an upload stored such keys before they were normalised: twice, the zero-width spelling last
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO dataset_record (resource_code, record_key, data, record_version, change_seq) "
                        + "VALUES (?, ?, ?, 1, nextval('record_change_seq'))")) {
            for (String[] r : List.of(new String[] { wide, "张三" }, new String[] { joined, "张叁" })) {
                ps.setString(1, code);
                ps.setString(2, r[0]);
                ps.setString(3, "{\"GMSFHM\":\"" + r[0] + "\",\"XM\":\"" + r[1] + "\"}");
                ps.executeUpdate();
            }
        }
        lookup(consumer, grant, code, id, "before-" + UUID.randomUUID()).then().statusCode(404);

        try (Connection c = dataSource.getConnection()) {
            V76__IdentifierKeysFoldedAndCaseNames.foldIdentifierKeys(c);
        }

        String found = "folded-" + UUID.randomUUID();
        lookup(consumer, grant, code, id, found).then().statusCode(200).body("record.GMSFHM", equalTo(id))
                .body("record.XM", equalTo("张叁"));
        lookup(consumer, grant, code, wide, "wide-" + UUID.randomUUID()).then().statusCode(200)
                .body("record.XM", equalTo("张叁"));
        assertEquals(id + " {\"XM\": \"张叁\", \"GMSFHM\": \"" + id + "\"}", storedKey(code));
        CitizenSeesLookupsThatFoundNothingTest.mine(id).then().statusCode(200).body("requestId", hasItem(found));
    }

    @Test
    void aFullWidthCreditCodeInLowerCaseFindsTheEnterprise() {
        String code = "330000-01-02/900783";
        entry(code, "全角信用代码测试目录", "LEVEL_1", "TYSHXYDM",
                List.of(item("TYSHXYDM", "统一社会信用代码", "C", 18), item("QYMC", "企业名称", "C", 50)));
        upload(code, "TYSHXYDM,QYMC\n" + ENTERPRISE + ",杭州示例科技有限公司\n").then().statusCode(201);
        String consumer = operator("11330000MB00000783");
        long grant = DeliveryTest.fileGranted(consumer, RequestWorkflowTest.body(code, List.of("TYSHXYDM", "QYMC")));
        lookup(consumer, grant, code, fullWidth(ENTERPRISE, true), "ent-" + UUID.randomUUID()).then().statusCode(200)
                .body("record.TYSHXYDM", equalTo(ENTERPRISE));
    }

    @Test
    void aKeyThatIsStillNoIdNumberIsRefusedNamingTheFieldAndNothingIsLogged() throws SQLException {
        String code = "330000-01-02/900784";
        Granted g = personGranted(code, "11330000MB00000784", "王五");
        String id = g.id();
        String consumer = g.consumer();
        long grant = g.grant();

        // seventeen full-width digits and a full-width hyphen; a wrong check character; an ideographic space only
        String wrongCheck = id.substring(0, 17) + (id.charAt(17) == '1' ? '2' : '1');
        for (String bad : List.of(fullWidth(id.substring(0, 17), false) + "－", fullWidth(wrongCheck, false),
                ZWSP + ZWSP)) {
            String rid = "bad-" + UUID.randomUUID();
            lookup(consumer, grant, code, bad, rid).then().statusCode(400).contentType("application/problem+json")
                    .body("errors.field", equalTo(List.of("key")));
            String qid = "badq-" + UUID.randomUUID();
            query(consumer, grant, code, bad, qid).then().statusCode(400).contentType("application/problem+json")
                    .body("errors.field", equalTo(List.of("GMSFHM")));
            assertEquals(0, logged(rid));
            assertEquals(0, logged(qid));
            object(consumer, code, bad).then().statusCode(400).contentType("application/problem+json")
                    .body("errors.field", equalTo(List.of("recordKey")));
        }
    }

    @Test
    void anIdentifierHashesAsItsStandardSpellingAndOtherKeysAsBefore() {
        SubjectHasher hasher = new SubjectHasher("test-key");
        assertEquals(hasher.hash(ENTERPRISE), hasher.hash(fullWidth(ENTERPRISE, true)));
        assertEquals(hasher.hash(ENTERPRISE), hasher.hash(ZWSP + ENTERPRISE.toLowerCase()));
        assertEquals(List.of(hasher.hash(ENTERPRISE)), hasher.identifiers(List.of(fullWidth(ENTERPRISE, false))));
        assertEquals(List.of(ENTERPRISE), SubjectHasher.identifiersOf(null,
                Map.of("CZR", List.of(Map.of("TYSHXYDM", fullWidth(ENTERPRISE, true))))));
        // a key that is no identifier keeps its own spelling: a licence number's full-width brackets
        String licence = "浙（2020）杭州市不动产权第0001号";
        assertEquals(hasher.hash(" " + licence.toUpperCase() + " "), hasher.hash(licence));
        assertNotEquals(hasher.hash(licence), hasher.hash("浙(2020)杭州市不动产权第0001号"));
    }
}
