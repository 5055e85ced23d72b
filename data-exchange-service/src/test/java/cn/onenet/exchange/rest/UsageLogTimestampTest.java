package cn.onenet.exchange.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;

import jakarta.inject.Inject;

import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.tsp.TimeStampToken;
import org.junit.jupiter.api.Test;

import cn.onenet.exchange.ExchangeTestBase;
import cn.onenet.exchange.TestTsa;
import cn.onenet.exchange.service.UsageLogService;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** RFC 3161 time-stamps of usage-log checkpoints from the configured TSA (here {@link TestTsa}, for every test). */
@QuarkusTest
@QuarkusTestResource(value = TestTsa.class, restrictToAnnotatedClass = false)
class UsageLogTimestampTest extends ExchangeTestBase {

    static final String LOG = UsageLogTest.LOG;

    @Inject
    AgroalDataSource dataSource;

    private static Map<String, Object> freshCheckpoint() {
        UsageLogTest.lookups(1, "tsa-");
        return UsageLogTest.signCheckpoint(auditor()).statusCode(200).extract().jsonPath().getMap("");
    }

    @Test
    void aCheckpointCarriesAnRfc3161TimeStampOverItsSealFromTheConfiguredTsa() throws Exception {
        Map<String, Object> earlier = freshCheckpoint();
        Map<String, Object> cp = freshCheckpoint();
        String token = (String) cp.get("timestampToken");
        assertNotNull(token, cp.toString());
        TimeStampToken t = new TimeStampToken(new CMSSignedData(Base64.getDecoder().decode(token)));
        // the imprint is the seal's: the TSA vouches that this very signature existed at its time
        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(((String) cp.get("signature"))
                .getBytes(StandardCharsets.UTF_8)), t.getTimeStampInfo().getMessageImprintDigest());
        t.validate(new JcaSimpleSignerInfoVerifierBuilder().build(TestTsa.certificate));
        assertEquals(t.getTimeStampInfo().getGenTime().toInstant().toString(), cp.get("timestampedAt"));
        given().auth().oauth2(auditor()).get(LOG + "/checkpoints?size=1").then().statusCode(200)
                .body("checkpoints[0].timestampToken", equalTo(token));
        given().auth().oauth2(auditor()).get(LOG + "/verify").then().body("valid", equalTo(true));

        // another checkpoint's token in its place does not cover this seal
        long id = ((Number) cp.get("id")).longValue();
        long seq = ((Number) cp.get("lastSeq")).longValue();
        try (var c = dataSource.getConnection(); var s = c.createStatement()) {
            s.executeUpdate("UPDATE usage_log_checkpoint SET timestamp_token = decode('"
                    + earlier.get("timestampToken") + "', 'base64') WHERE id = " + id);
        }
        try {
            given().auth().oauth2(auditor()).get(LOG + "/verify").then().body("valid", equalTo(false))
                    .body("brokenEntries.find { it.seq == " + seq + " }.problem",
                            equalTo(UsageLogService.TIMESTAMP_INVALID));
        } finally {
            try (var c = dataSource.getConnection(); var s = c.createStatement()) {
                s.executeUpdate("UPDATE usage_log_checkpoint SET timestamp_token = decode('" + token
                        + "', 'base64') WHERE id = " + id);
            }
        }
        given().auth().oauth2(auditor()).get(LOG + "/verify").then().body("valid", equalTo(true));
    }

    @Test
    void aTsaThatFailsCostsTheCheckpointOnlyItsTimeStamp() {
        TestTsa.failing = true;
        Map<String, Object> cp;
        try {
            cp = freshCheckpoint();
        } finally {
            TestTsa.failing = false;
        }
        given().auth().oauth2(auditor()).get(LOG + "/checkpoints?size=1").then().statusCode(200)
                .body("checkpoints[0].id", equalTo(cp.get("id"))).body("checkpoints[0].payloadFormat", equalTo(2))
                .body("checkpoints[0].timestampToken", nullValue()).body("checkpoints[0].timestampedAt", nullValue());
        given().auth().oauth2(auditor()).get(LOG + "/verify").then().body("valid", equalTo(true));
    }
}
