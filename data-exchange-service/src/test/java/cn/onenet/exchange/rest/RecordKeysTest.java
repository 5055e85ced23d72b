package cn.onenet.exchange.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.Test;

import cn.onenet.exchange.FakeCatalog;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Record keys as a provider pushes them: a 公民身份号码 or 统一社会信用代码 key is one key in any letter case (stored,
 * looked up, filtered and objected to in upper case); one key twice in one upload is refused, naming both records;
 * white space around the key is not part of it.
 */
@QuarkusTest
class RecordKeysTest extends HostedRecordsTestBase {

    static final String ZHANG_SAN = "33010619850312001X";
    static final String ENTERPRISE = "91330106MA2H00001E";

    @Inject
    EntityManager em;

    /** An entry keyed by 公民身份号码 with the catalogue's lengths: GMSFHM 18, XM 4. */
    private void personEntry(String code) {
        entry(code, "主键大小写测试目录 " + code, "LEVEL_2", "GMSFHM", List.of(item("GMSFHM", "公民身份号码", "C", 18),
                item("XM", "姓名", "C", 4), item("ZY", "职业", "C", 10)));
    }

    private static long granted(String consumer, String code, List<String> items) {
        return DeliveryTest.fileGranted(consumer, RequestWorkflowTest.body(code, items));
    }

    @Test
    void anIdNumberWithALowerCaseCheckCharacterIsTheSameRecordEverywhere() {
        String code = "330000-01-02/900751";
        personEntry(code);
        push(code, List.of(record("GMSFHM", ZHANG_SAN, "XM", "张三", "ZY", "教师")))
                .then().statusCode(201);
        // the same person pushed again with the check character typed x: an update, not a second record
        push(code, List.of(record("GMSFHM", ZHANG_SAN.toLowerCase(), "XM", "张三",
                "ZY", "医生"))).then().statusCode(201);
        assertEquals(1, stored(code));

        String consumer = operator("11330000MB00000751");
        long grant = granted(consumer, code, List.of("GMSFHM", "XM", "ZY"));
        for (String key : List.of(ZHANG_SAN, ZHANG_SAN.toLowerCase())) {
            given().urlEncodingEnabled(false).auth().oauth2(consumer).header("X-Grant-Id", grant)
                    .get(DeliveryTest.path(code, key)).then().statusCode(200).body("record.ZY", equalTo("医生"))
                    .body("record.GMSFHM", equalTo(ZHANG_SAN));
            given().urlEncodingEnabled(false).auth().oauth2(consumer).header("X-Grant-Id", grant)
                    .queryParam("GMSFHM", key)
                    .get("/api/exchange/v1/data/" + FakeCatalog.encoded(code) + "/records").then().statusCode(200)
                    .body("records.size()", equalTo(1)).body("records[0].ZY", equalTo("医生"));
        }
        // an objection names the record as stored
        given().auth().oauth2(consumer).contentType(ContentType.JSON)
                .body(Map.of("resourceCode", code, "recordKey", " " + ZHANG_SAN.toLowerCase() + " ",
                        "description", "职业有误"))
                .post("/api/exchange/v1/objections").then().statusCode(201).body("recordKey", equalTo(ZHANG_SAN));
    }

    @Test
    void aCreditCodeInLowerCaseIsStoredAndFoundInUpperCase() {
        String code = "330000-01-02/900752";
        entry(code, "企业主键大小写测试目录", "LEVEL_1", "TYSHXYDM",
                List.of(item("TYSHXYDM", "统一社会信用代码", "C", 18), item("QYMC", "企业名称", "C", 50)));
        upload(code, "TYSHXYDM,QYMC\n" + ENTERPRISE.toLowerCase() + ",杭州示例科技有限公司\n").then()
                .statusCode(201);
        String consumer = operator("11330000MB00000752");
        long grant = granted(consumer, code, List.of("TYSHXYDM", "QYMC"));
        for (String key : List.of(ENTERPRISE, ENTERPRISE.toLowerCase())) {
            given().urlEncodingEnabled(false).auth().oauth2(consumer).header("X-Grant-Id", grant)
                    .get(DeliveryTest.path(code, key)).then().statusCode(200)
                    .body("record.TYSHXYDM", equalTo(ENTERPRISE)).body("record.QYMC", equalTo("杭州示例科技有限公司"));
        }
    }

    @Test
    void oneKeyTwiceInOneUploadIsRefusedNamingBothRecordsAndNothingIsStored() {
        String code = "330000-01-02/900753";
        personEntry(code);
        push(code, List.of(record("GMSFHM", ZHANG_SAN, "XM", "张三"),
                record("GMSFHM", "330282196509230044", "XM", "王芳"),
                record("GMSFHM", ZHANG_SAN.toLowerCase(), "XM", "张叁"))).then().statusCode(400)
                .contentType("application/problem+json").body("errors.field", equalTo(List.of("records[2].GMSFHM")))
                .body("errors[0].message", containsString("records[0]"))
                .body("errors[0].message", containsString("与第 1 条记录"));
        // a file alike: two parcels of one 图斑编号 are a data error, not a silent overwrite
        upload(code, "GMSFHM,XM\n" + ZHANG_SAN + ",张三\n" + ZHANG_SAN + ",张叁\n").then()
                .statusCode(400).body("errors.field", hasItem("records[1].GMSFHM"));
        assertEquals(0, stored(code));
    }

    @Test
    void whiteSpaceAroundTheKeyIsNotPartOfItAndIsNotStored() {
        String code = "330000-01-02/900754";
        personEntry(code);
        // 18 characters once stripped (the catalogue's length), an ideographic space too
        push(code, List.of(record("GMSFHM", " " + ZHANG_SAN + "\u3000", "XM", "张三丰",
                "ZY", "教师"))).then().statusCode(201);
        String consumer = operator("11330000MB00000754");
        long grant = granted(consumer, code, List.of("GMSFHM", "XM", "ZY"));
        given().urlEncodingEnabled(false).auth().oauth2(consumer).header("X-Grant-Id", grant)
                .queryParam("GMSFHM", ZHANG_SAN)
                .get("/api/exchange/v1/data/" + FakeCatalog.encoded(code) + "/records").then().statusCode(200)
                .body("records.size()", equalTo(1)).body("records[0].GMSFHM", equalTo(ZHANG_SAN));
        String data = QuarkusTransaction.requiringNew().call(() -> storedData(code, ZHANG_SAN));
        assertEquals("{\"GMSFHM\":\"" + ZHANG_SAN + "\",\"XM\":\"张三丰\",\"ZY\":\"教师\"}", data);
    }

    private String storedData(String code, String key) {
        return (String) em
                .createNativeQuery("SELECT data FROM dataset_record WHERE resource_code = ?1 AND record_key = ?2")
                .setParameter(1, code).setParameter(2, key).getSingleResult();
    }
}
