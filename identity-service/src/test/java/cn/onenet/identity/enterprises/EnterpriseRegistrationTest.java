package cn.onenet.identity.enterprises;

import static cn.onenet.identity.enterprises.Enterprises.ME;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;

import cn.onenet.identity.enterprises.Enterprises.Person;
import cn.onenet.identity.model.Account;
import cn.onenet.identity.model.AccountType;
import cn.onenet.identity.model.AuditEvent;
import cn.onenet.identity.oidc.OidcFlow;
import cn.onenet.identity.oidc.TestClients;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** 法人自助注册: a legal representative registers their enterprise, checked against the legal-person register. */
@QuarkusTest
class EnterpriseRegistrationTest extends EnterpriseTestBase {

    /** The demo enterprise, registered by an administrator, and the agent it authorised (赵六, L3). */
    private static final String DEMO_USCC = "91330106MA2H00001E";
    private static final String DEMO_AGENT = "330110200102150052";
    /** A demo citizen at L2. */
    private static final String LI_SI = "33010619920708002X";

    @Test
    void theLegalRepresentativeRegistersTheEnterpriseAtLevelThree() {
        Person rep = Enterprises.person(accounts, "钱 多多", 3);
        String uscc = Enterprises.uscc();
        Enterprises.load(Enterprises.admin(), List.of(Enterprises.row(uscc, "杭州钱塘数据服务有限公司（滨江分公司）",
                rep.idNumber(), "存续"))).then().statusCode(200);
        String token = rep.token();
        // half-width brackets and a stray space are the same name
        Response created = given().auth().oauth2(token).contentType("application/json").body(Map.of("uscc",
                uscc.toLowerCase(), "name", "杭州钱塘数据服务有限公司 (滨江分公司)", "englishName",
                "Qiantang Data Services (Binjiang Branch)")).post(ME);
        created.then().statusCode(201).body("uscc", equalTo(uscc))
                .body("name", equalTo("杭州钱塘数据服务有限公司（滨江分公司）"))
                .body("englishName", equalTo("Qiantang Data Services (Binjiang Branch)")).body("level", equalTo(3))
                .body("levelSource", equalTo("法人库")).body("status", equalTo("ACTIVE"))
                .body("representativeChangeRecordedAt", nullValue());
        Account enterprise = Account.find("uscc", uscc).firstResult();
        assertEquals(AccountType.LEGAL_PERSON, enterprise.type);
        assertEquals(rep.id(), enterprise.legalRepresentativeId);
        assertEquals("legal-person-registry", enterprise.levelMethod);
        // audited in the transaction, and the representative told
        assertEquals(1, AuditEvent.count("eventType = 'ENTERPRISE_REGISTERED' and subject = ?1 and actor = ?2",
                enterprise.id.toString(), rep.id().toString()));
        assertTrue(Enterprises.told(rep.id(), "ENTERPRISE_REGISTERED").stream()
                .anyMatch(m -> m.recipient.equals(rep.phone()) && m.body.contains(uscc)));
        given().auth().oauth2(token).get(ME).then().statusCode(200).body("uscc", equalTo(List.of(uscc)))
                .body("[0].id", equalTo(enterprise.id.toString()));
        // a second registration of the code is a conflict
        Enterprises.register(token, uscc, "杭州钱塘数据服务有限公司（滨江分公司）").then().statusCode(409)
                .contentType("application/problem+json");
        // the representative now authorises agents for it with their own login
        given().auth().oauth2(token).contentType("application/json").body(Map.of("enterpriseUscc", uscc,
                "agentIdNumber", DEMO_AGENT, "agentName", "赵六", "validTo",
                OffsetDateTime.now().plusDays(30).toString())).post("/api/identity/v1/delegations").then()
                .statusCode(201).body("status", equalTo("PENDING"));
    }

    /**
     * For someone the register does not name, an unknown code, a code of another person's enterprise and a
     * registered one are answered alike (403), so the endpoint tells nobody which codes exist or are registered.
     */
    @Test
    void aCallerTheRegisterDoesNotNameLearnsNothingAboutTheCode() {
        Person rep = Enterprises.person(accounts, "孙 代表", 3);
        Person other = Enterprises.person(accounts, "周 路人", 3);
        String inRegister = Enterprises.uscc();
        String registered = Enterprises.uscc();
        Enterprises.load(Enterprises.admin(), List.of(Enterprises.row(inRegister, "杭州一号有限公司", rep.idNumber(), "存续"),
                Enterprises.row(registered, "杭州二号有限公司", rep.idNumber(), "存续"))).then().statusCode(200);
        Enterprises.register(rep.token(), registered, "杭州二号有限公司").then().statusCode(201);
        String token = other.token();
        List<Map<String, Object>> answers = new java.util.ArrayList<>();
        for (String[] attempt : new String[][] { { Enterprises.uscc(), "杭州零号有限公司" },
                { inRegister, "杭州一号有限公司" }, { registered, "杭州二号有限公司" }, { DEMO_USCC, "杭州数智科技有限公司" } }) {
            Response r = Enterprises.register(token, attempt[0], attempt[1]);
            assertEquals(403, r.statusCode(), r.asString());
            assertEquals("application/problem+json", r.contentType().split(";")[0]);
            Map<String, Object> body = new java.util.TreeMap<>(r.jsonPath().getMap(""));
            body.remove("instance");
            body.remove("requestId");
            answers.add(body);
        }
        assertTrue(((String) answers.get(0).get("detail")).contains("does not name you as the legal representative"));
        assertEquals(answers.get(0), answers.get(1));
        assertEquals(answers.get(0), answers.get(2));
        assertEquals(answers.get(0), answers.get(3));
        assertEquals(0, Account.count("uscc", inRegister));
        assertEquals(rep.id(), Account.<Account>find("uscc", registered).firstResult().legalRepresentativeId);
        given().auth().oauth2(token).get(ME).then().statusCode(200).body("size()", equalTo(0));
    }

    @Test
    void theRegisterDecidesNameAndStatus() {
        Person rep = Enterprises.person(accounts, "吴 法人", 3);
        String revoked = Enterprises.uscc();
        String deregistered = Enterprises.uscc();
        String named = Enterprises.uscc();
        Enterprises.load(Enterprises.admin(), List.of(Enterprises.row(revoked, "杭州吊销有限公司", rep.idNumber(), "吊销"),
                Enterprises.row(deregistered, "杭州注销有限公司", rep.idNumber(), "注销"),
                Enterprises.row(named, "杭州真名有限公司", rep.idNumber(), "存续"))).then().statusCode(200);
        String token = rep.token();
        Enterprises.register(token, revoked, "杭州吊销有限公司").then().statusCode(422)
                .contentType("application/problem+json").body("registryStatus", equalTo("REVOKED"));
        Enterprises.register(token, deregistered, "杭州注销有限公司").then().statusCode(422)
                .body("registryStatus", equalTo("DEREGISTERED"));
        Enterprises.register(token, named, "杭州假名有限公司").then().statusCode(400)
                .contentType("application/problem+json").body("errors.field", equalTo(List.of("name")));
        assertEquals(0, Account.count("uscc in ?1", List.of(revoked, deregistered, named)));
    }

    @Test
    void badInputIsAProblemNamingTheField() {
        Person rep = Enterprises.person(accounts, "郑 输入", 3);
        String token = rep.token();
        String uscc = Enterprises.uscc();
        String wrongCheck = uscc.substring(0, 17) + (uscc.charAt(17) == '0' ? '1' : '0');
        given().auth().oauth2(token).contentType("application/json").body(Map.of("uscc", wrongCheck, "name", "某公司"))
                .post(ME).then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", equalTo(List.of("uscc"))).body("requestId", org.hamcrest.Matchers.notNullValue());
        given().auth().oauth2(token).contentType("application/json").body(Map.of("uscc", uscc)).post(ME).then()
                .statusCode(400).body("errors.field", equalTo(List.of("name")));
        given().auth().oauth2(token).contentType("application/json").body(Map.of("name", "某公司", "englishName",
                "x".repeat(201))).post(ME).then().statusCode(400)
                .body("errors.field", equalTo(List.of("uscc", "englishName")));
        given().auth().oauth2(token).contentType("application/json").body("{\"uscc\": [1]}").post(ME).then()
                .statusCode(400).contentType("application/problem+json");
    }

    /** Only a natural person's own login at L3 or above registers; anyone signed in lists their own. */
    @Test
    void whoMayRegisterAndList() {
        String uscc = Enterprises.uscc();
        Map<String, Object> body = Map.of("uscc", uscc, "name", "某公司");
        // no token
        given().contentType("application/json").body(body).post(ME).then().statusCode(401);
        given().get(ME).then().statusCode(401);
        // a sign-in at L2: refused with the level it needs
        String liSi = OidcFlow.accessToken("test-web", LI_SI);
        given().auth().oauth2(liSi).contentType("application/json").body(body).post(ME).then().statusCode(403)
                .contentType("application/problem+json").body("requiredAcr", equalTo("urn:onenet:loa:3"))
                .body("acr", equalTo("urn:onenet:loa:2"));
        given().auth().oauth2(liSi).get(ME).then().statusCode(200).body("size()", equalTo(0));
        // an agent acting for the demo enterprise is not anyone's own login
        OidcFlow flow = new OidcFlow("test-web", TestClients.SECRET);
        flow.authorize(flow.params("openid profile"));
        AuthorizationResponse response = OidcFlow.redirect(flow.submitLogin(DEMO_AGENT, OidcFlow.PASSWORD, null,
                DEMO_USCC));
        String agent = ((OIDCTokenResponse) flow.exchange(response.toSuccessResponse().getAuthorizationCode())
                .toSuccessResponse()).getOIDCTokens().getAccessToken().getValue();
        given().auth().oauth2(agent).contentType("application/json").body(body).post(ME).then().statusCode(403);
        given().auth().oauth2(agent).get(ME).then().statusCode(403).contentType("application/problem+json");
        // a client-credentials token is nobody's login
        String client = given().auth().preemptive().basic("test-web", TestClients.SECRET)
                .formParam("grant_type", "client_credentials").post("/oidc/token").then().statusCode(200).extract()
                .path("access_token");
        given().auth().oauth2(client).contentType("application/json").body(body).post(ME).then().statusCode(403);
        given().auth().oauth2(client).get(ME).then().statusCode(403);
        // an enterprise's own login registers no enterprise, and represents none
        String enterprise = OidcFlow.accessToken("test-web", DEMO_USCC);
        given().auth().oauth2(enterprise).contentType("application/json").body(body).post(ME).then().statusCode(403);
        given().auth().oauth2(enterprise).get(ME).then().statusCode(200).body("size()", equalTo(0));
        // the demo representative (张三, L3) lists the enterprise an administrator created for them
        given().auth().oauth2(OidcFlow.accessToken("test-web", "33010619850312001X")).get(ME).then().statusCode(200)
                .body("uscc", hasItem(DEMO_USCC)).body("uscc", not(hasItem(uscc)));
        assertNotNull(Account.byUsername(DEMO_USCC));
    }

    /** Two registrations of one code at the same moment: one account, the other answer a 409 (never a 500). */
    @Test
    void twoRegistrationsAtOnceMakeOneAccount() throws Exception {
        Person rep = Enterprises.person(accounts, "许 并发", 3);
        String uscc = Enterprises.uscc();
        Enterprises.load(Enterprises.admin(), List.of(Enterprises.row(uscc, "杭州并发有限公司", rep.idNumber(), "存续")))
                .then().statusCode(200);
        String token = rep.token();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<Integer>> answers = new java.util.ArrayList<>();
            for (int i = 0; i < 2; i++) {
                answers.add(pool.submit(() -> {
                    start.await();
                    return Enterprises.register(token, uscc, "杭州并发有限公司").statusCode();
                }));
            }
            start.countDown();
            List<Integer> codes = new java.util.ArrayList<>();
            for (java.util.concurrent.Future<Integer> answer : answers) {
                codes.add(answer.get(60, java.util.concurrent.TimeUnit.SECONDS));
            }
            java.util.Collections.sort(codes);
            assertEquals(List.of(201, 409), codes);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, Account.count("uscc", uscc));
    }
}
