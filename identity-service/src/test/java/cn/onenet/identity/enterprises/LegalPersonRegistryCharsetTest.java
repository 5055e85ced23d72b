package cn.onenet.identity.enterprises;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import cn.onenet.identity.model.LegalPersonRecord;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

/**
 * 法人库 CSV files saved by Chinese Excel are GBK: the declared charset is honoured (GBK, GB2312 and GB18030 read as
 * GB18030), and a file that is not valid in its declared (or, undeclared, UTF-8) charset is refused naming where,
 * never stored garbled.
 */
@QuarkusTest
class LegalPersonRegistryCharsetTest extends EnterpriseTestBase {

    private static final Charset GBK = Charset.forName("GBK");
    private static final String NAME = "西湖数据服务有限公司";

    private static byte[] csv(String uscc, String status, Charset charset) {
        return ("uscc,name,representativeIdNumber,status\n" + uscc + "," + NAME + ",33010619850312001X," + status
                + "\n").getBytes(charset);
    }

    /** As sent: RestAssured would add {@code charset=ISO-8859-1} to a text type without one. */
    private static io.restassured.specification.RequestSpecification as(String token, String contentType) {
        return given().config(io.restassured.RestAssured.config().encoderConfig(io.restassured.config.EncoderConfig
                .encoderConfig().appendDefaultContentCharsetToContentTypeIfUndefined(false))).auth().oauth2(token)
                .contentType(contentType);
    }

    private static LegalPersonRecord stored(String uscc) {
        return QuarkusTransaction.requiringNew().call(() -> LegalPersonRecord.findById(uscc));
    }

    @Test
    void aGbkCsvIsReadOrRefusedNeverStoredGarbled() {
        String admin = Enterprises.admin();
        for (String label : List.of("GBK", "gbk", "GB18030", "gb2312", "\"GBK\"")) {
            String uscc = Enterprises.uscc();
            as(admin, "text/csv; charset=" + label).body(csv(uscc, "存续", GBK))
                    .post(Enterprises.REGISTRY).then().statusCode(200).body("added", equalTo(1));
            assertEquals(NAME, stored(uscc).name, label);
        }
        // the same bytes said to be UTF-8, or said nothing of: refused, naming the line, and nothing stored
        for (String type : List.of("text/csv; charset=UTF-8", "text/csv")) {
            String uscc = Enterprises.uscc();
            as(admin, type).body(csv(uscc, "IN_BUSINESS", GBK))
                    .post(Enterprises.REGISTRY).then().statusCode(400).contentType("application/problem+json")
                    .body("errors[0].field", equalTo("rows[0]"))
                    .body("errors[0].message", containsString("UTF-8"))
                    .body("errors[0].message", containsString("charset"))
                    .body("requestId", org.hamcrest.Matchers.notNullValue());
            assertNull(stored(uscc), type);
        }
        // a header line not in the charset is named as the header
        as(admin, "text/csv; charset=UTF-8")
                .body("uscc,名称,representativeIdNumber,status\n".getBytes(GBK)).post(Enterprises.REGISTRY).then()
                .statusCode(400).body("errors[0].field", equalTo("header"));
        // a UTF-8 file said to be GBK would read as other characters: refused, naming its first Chinese line
        String mislabelled = Enterprises.uscc();
        as(admin, "text/csv; charset=GBK").body(csv(mislabelled, "IN_BUSINESS", StandardCharsets.UTF_8))
                .post(Enterprises.REGISTRY).then().statusCode(400).body("errors[0].field", equalTo("rows[0]"))
                .body("errors[0].message", containsString("charset=UTF-8"));
        assertNull(stored(mislabelled));
        // UTF-8 (with or without the label, with a BOM) reads as before
        String uscc = Enterprises.uscc();
        byte[] bom = { (byte) 0xEF, (byte) 0xBB, (byte) 0xBF };
        byte[] utf8 = csv(uscc, "存续", StandardCharsets.UTF_8);
        byte[] withBom = new byte[bom.length + utf8.length];
        System.arraycopy(bom, 0, withBom, 0, bom.length);
        System.arraycopy(utf8, 0, withBom, bom.length, utf8.length);
        as(admin, "text/csv").body(withBom).post(Enterprises.REGISTRY).then()
                .statusCode(200).body("added", equalTo(1));
        assertEquals(NAME, stored(uscc).name);
        // a charset this load does not read: 415 naming it, nothing stored
        String latin = Enterprises.uscc();
        as(admin, "text/csv; charset=ISO-8859-1")
                .body(csv(latin, "IN_BUSINESS", StandardCharsets.ISO_8859_1)).post(Enterprises.REGISTRY).then()
                .statusCode(415).contentType("application/problem+json").body("errors[0].field", equalTo("charset"));
        assertNull(stored(latin));
    }

    /** A name holding the replacement character (text garbled before it reached us) is refused, as JSON too. */
    @Test
    void aGarbledNameIsRefused() {
        String uscc = Enterprises.uscc();
        Enterprises.load(Enterprises.admin(), List.of(Enterprises.row(uscc, "\uFFFD\uFFFD数据有限公司",
                "33010619850312001X", "存续"))).then().statusCode(400)
                .body("errors[0].field", equalTo("rows[0].name"));
        assertNull(stored(uscc));
    }
}
