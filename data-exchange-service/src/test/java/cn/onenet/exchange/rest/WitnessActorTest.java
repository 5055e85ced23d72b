package cn.onenet.exchange.rest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import cn.onenet.exchange.ExchangeTestBase;
import cn.onenet.exchange.FakeDepartmentRegister;
import cn.onenet.exchange.WebhookReceiver;
import cn.onenet.exchange.WebhookReceiver.Reply;
import cn.onenet.exchange.service.DemoData;
import cn.onenet.exchange.service.DepartmentRegister;
import cn.onenet.testsupport.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** Who registers or re-points a usage-log witness is named, whatever the length of the identity a token may carry. */
@QuarkusTest
class WitnessActorTest extends ExchangeTestBase {

    static final String WITNESSES = UsageLogWitnessTest.WITNESSES;
    static final String YJT = DemoData.EMERGENCY;

    @Inject
    DepartmentRegister register;

    final List<WebhookReceiver> receivers = new ArrayList<>();

    @BeforeEach
    void witnessDepartmentInTheRegister() {
        List<Map<String, Object>> departments = new ArrayList<>(FakeDepartmentRegister.provinceOnly());
        departments.add(FakeDepartmentRegister.department(YJT, "浙江省应急管理厅", "330000", false));
        FakeDepartmentRegister.set(departments);
        register.refresh();
    }

    @AfterEach
    void noWitnessLeft() throws Exception {
        given().auth().oauth2(admin()).delete(WITNESSES + YJT);
        for (WebhookReceiver r : receivers) {
            r.close();
        }
        FakeDepartmentRegister.set(FakeDepartmentRegister.provinceOnly());
        register.refresh();
    }

    /**
     * A token sub of up to 200 characters is accepted (CurrentCaller.MAX_IDENTITY) and recorded whole as who
     * registered the witness; a column too narrow must not surface as a "changed concurrently" 409.
     */
    @Test
    void anAdministratorWithASubOf150CharactersRegistersAWitness() throws Exception {
        WebhookReceiver r = new WebhookReceiver(n -> Reply.of(200));
        receivers.add(r);
        String admin = TestTokens.civilServant("a".repeat(150), DemoData.AUTHORITY, AUD, "admin");
        Response put = given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("url", r.url()))
                .put(WITNESSES + YJT);
        assertEquals(201, put.statusCode(), put.asString());
    }

    /**
     * Every state change is recorded (who, when, what): a witness re-pointed by a second administrator names them,
     * beside the first who registered it.
     */
    @Test
    void aWitnessRePointedByAnotherAdministratorNamesWhoDidIt() throws Exception {
        WebhookReceiver first = new WebhookReceiver(n -> Reply.of(200));
        WebhookReceiver second = new WebhookReceiver(n -> Reply.of(200));
        receivers.add(first);
        receivers.add(second);
        given().auth().oauth2(admin()).contentType(ContentType.JSON).body(Map.of("url", first.url()))
                .put(WITNESSES + YJT).then().statusCode(201);
        String other = TestTokens.civilServant("admin-review-2", DemoData.AUTHORITY, AUD, "admin");
        Response repointed = given().auth().oauth2(other).contentType(ContentType.JSON)
                .body(Map.of("url", second.url())).put(WITNESSES + YJT);
        repointed.then().statusCode(200);
        String listed = given().auth().oauth2(auditor()).get(UsageLogTest.LOG + "/witnesses").asString();
        assertTrue(listed.contains("admin-review-2"), "after admin-review-2 re-pointed the witness to "
                + second.url() + ": " + listed);
    }
}
