package cn.onenet.exchange.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import cn.onenet.exchange.ExchangeTestBase;
import cn.onenet.exchange.service.DemoData;
import cn.onenet.testsupport.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The settings a client reads: the real-name level the citizens' own views need, as this deployment sets it (L4
 * here, not the default L3), and the citizens' views refusing below that same level.
 */
@QuarkusTest
@TestProfile(SettingsTest.L4.class)
class SettingsTest extends ExchangeTestBase {

    private static final String SETTINGS = "/api/exchange/v1/settings";

    /** A deployment that asks more than the default. */
    public static class L4 implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("exchange.citizens-view.min-acr", "urn:onenet:loa:4");
        }
    }

    @Test
    void everySignedInCallerReadsTheLevelTheCitizensViewsNeed() {
        for (String token : new String[] {
                CitizenViewRealNameLevelTest.citizenAt("settings-l2", "33010619920708002X", "urn:onenet:loa:2"),
                CitizenViewRealNameLevelTest.citizenAt("settings-l3", "330106198503120011", "urn:onenet:loa:3"),
                operator(DemoData.POLICE), system(DemoData.HOUSING_FUND), reviewer() }) {
            given().auth().oauth2(token).get(SETTINGS).then().statusCode(200)
                    .body("citizensViewMinAcr", equalTo("urn:onenet:loa:4"))
                    .body("citizensViewMinLevel", equalTo(4));
        }
        // the level it names is the one the views hold an L3 citizen to
        given().auth().oauth2(CitizenViewRealNameLevelTest.citizenAt("settings-l3", "330106198503120011",
                "urn:onenet:loa:3")).get(CitizenViewRealNameLevelTest.MINE).then().statusCode(403)
                .body("requiredAcr", equalTo("urn:onenet:loa:4"));
    }

    @Test
    void withoutAValidTokenItIs401() {
        given().get(SETTINGS).then().statusCode(401).body("requestId", notNullValue());
        given().auth().oauth2(TestTokens.expired("settings-expired", AUD, "citizen")).get(SETTINGS).then()
                .statusCode(401);
        given().auth().oauth2(TestTokens.citizen("settings-other-aud", "33010619920708002X", "onenet-catalog"))
                .get(SETTINGS).then().statusCode(401);
    }
}
