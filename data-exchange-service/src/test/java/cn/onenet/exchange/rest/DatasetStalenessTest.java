package cn.onenet.exchange.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import cn.onenet.exchange.ExchangeTestBase;
import cn.onenet.exchange.FakeCatalog;
import cn.onenet.exchange.service.CatalogReplicaService;
import cn.onenet.exchange.model.Notice;
import cn.onenet.exchange.service.StalenessService;
import cn.onenet.exchange.service.TimeSource;
import cn.onenet.exchange.service.ReplicaBackfill;
import cn.onenet.testsupport.TestTokens;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * 更新周期 (条例第十三条) kept in the replica, and the staleness monitor (条例第十八条、第三十八条第二款): a hosted dataset
 * whose last upload is older than its declared cycle plus the grace is stale, shown in the dataset views and listed for
 * the region's reviewers; its provider is told once per stale period.
 */
@QuarkusTest
class DatasetStalenessTest extends ExchangeTestBase {

    static final String PROVIDER = "11330000MC00000121";
    static final String MONTHLY = "330000-01-02/901931";
    static final String IRREGULAR = "330000-01-02/901932";
    static final String NEVER_UPLOADED = "330000-01-02/901934";

    /** The entries these tests put in the feed (the feed outlives each test). */
    static final java.util.Set<String> ADDED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    @Inject
    TimeSource time;
    @Inject
    StalenessService staleness;
    @Inject
    ReplicaBackfill backfill;
    @Inject
    EntityManager em;

    @AfterEach
    void realClock() {
        time.set(null);
    }

    /** An entry of {@code provider} (GMSFHM, XM, ZY) declaring {@code cycle}, in the replica. */
    void catalogued(String code, String provider, String cycle) {
        catalogued(replica, code, provider, "CONDITIONAL", cycle);
    }

    /** An entry of {@code provider} (GMSFHM, XM, ZY) sharing as {@code share} and declaring {@code cycle}, once. */
    static void catalogued(CatalogReplicaService replica, String code, String provider, String share, String cycle) {
        if (!ADDED.add(code)) {
            return;
        }
        Map<String, Object> entry = FakeCatalog.add("PUBLISHED", code, "更新周期测试目录 " + code, provider, share,
                "LEVEL_2", "GMSFHM", List.of(Map.of("code", "GMSFHM", "name", "公民身份号码", "sensitive", true),
                        Map.of("code", "XM", "name", "姓名", "sensitive", true),
                        Map.of("code", "ZY", "name", "职业", "sensitive", false)));
        entry.put("updateCycle", cycle);
        if ("NOT_SHARED".equals(share)) {
            entry.put("notSharedReason", "涉及国家秘密");
            entry.put("notSharedLegalBasis", Map.of("type", "LAW", "title", "中华人民共和国保守国家秘密法"));
        }
        replica.pollOnce();
    }

    static long upload(String provider, String code) {
        return given().urlEncodingEnabled(false).auth().oauth2(operator(provider)).contentType(ContentType.JSON)
                .body(List.of(Map.of("GMSFHM", "330110200102150052", "XM", "刘洋", "ZY", "教师")))
                .post("/api/exchange/v1/datasets/" + FakeCatalog.encoded(code) + "/records").then().statusCode(201)
                .extract().jsonPath().getLong("uploadId");
    }

    static JsonPath freshness(String token, String code) {
        return given().urlEncodingEnabled(false).auth().oauth2(token)
                .get("/api/exchange/v1/datasets/" + FakeCatalog.encoded(code) + "/freshness").then().statusCode(200)
                .extract().jsonPath();
    }

    /** The clock {@code days} after now. */
    void daysLater(int days) {
        time.set(Clock.fixed(Instant.now().plus(Duration.ofDays(days)), TimeSource.ZONE));
    }

    long staleNotices(long upload) {
        return QuarkusTransaction.requiringNew().call(() -> Notice.count("departmentCode = ?1 and kind = ?2 and "
                + "subjectType = ?3 and subjectId = ?4", PROVIDER, StalenessService.NOTICE, StalenessService.SUBJECT,
                upload));
    }

    @Test
    void aMonthlyDatasetUploaded40DaysAgoIsStaleOneUploadedYesterdayIsNotAndTheProviderIsToldOnce() {
        catalogued(MONTHLY, PROVIDER, "MONTHLY");
        catalogued(IRREGULAR, PROVIDER, "IRREGULAR");
        catalogued(NEVER_UPLOADED, PROVIDER, "MONTHLY");
        long first = upload(PROVIDER, MONTHLY);
        upload(PROVIDER, IRREGULAR);
        String provider = operator(PROVIDER);

        // the replica keeps the cycle the feed carries
        JsonPath now = freshness(provider, MONTHLY);
        assertEquals("MONTHLY", now.getString("updateCycle"));
        assertEquals("FRESH", now.getString("state"));
        assertEquals(first, now.getLong("lastUploadId"));

        // uploaded yesterday: not stale, nobody told
        daysLater(1);
        assertEquals(false, freshness(provider, MONTHLY).getBoolean("stale"));
        staleness.notifyStale();
        assertEquals(0, staleNotices(first));

        // 40 days later: a month and the grace (3 days) have passed
        daysLater(40);
        JsonPath stale = freshness(provider, MONTHLY);
        assertEquals("STALE", stale.getString("state"));
        assertEquals(true, stale.getBoolean("stale"));
        JsonPath irregular = freshness(reviewer(), IRREGULAR);
        assertEquals("NO_CYCLE", irregular.getString("state"));
        assertEquals(false, irregular.getBoolean("stale"));
        assertEquals("NO_DATA", freshness(auditor(), NEVER_UPLOADED).getString("state"));

        // told once in the stale period, however often the monitor runs
        staleness.notifyStale();
        staleness.notifyStale();
        daysLater(41);
        staleness.notifyStale();
        assertEquals(1, staleNotices(first));
        given().auth().oauth2(provider).get("/api/exchange/v1/notices").then().statusCode(200)
                .body("kind", hasItem(StalenessService.NOTICE));

        // a new upload ends the period; once it is stale in turn, the provider is told again
        long second = upload(PROVIDER, MONTHLY);
        daysLater(1);
        staleness.notifyStale();
        assertEquals(0, staleNotices(second));
        daysLater(41);
        staleness.notifyStale();
        assertEquals(1, staleNotices(second));
        assertEquals(1, staleNotices(first));
    }

    @Test
    void theRegionsReviewersListItsStaleDatasetsAndDepartmentsTheirOwn() {
        catalogued(MONTHLY, PROVIDER, "MONTHLY");
        catalogued(IRREGULAR, PROVIDER, "IRREGULAR");
        upload(PROVIDER, MONTHLY);
        upload(PROVIDER, IRREGULAR);
        daysLater(40);

        given().auth().oauth2(reviewer()).get("/api/exchange/v1/datasets?stale=true&size=200").then().statusCode(200)
                .body("resourceCode", hasItem(MONTHLY)).body("resourceCode", not(hasItem(IRREGULAR)))
                .body("stale", not(hasItem(false))).header("X-Total-Count", notNullValue());
        // a reviewer of another department is still a reviewer of the region: it reads the list
        given().auth().oauth2(reviewerOfDepartment("rv-921", "11330000MC00000921", "330000"))
                .get("/api/exchange/v1/datasets?stale=true&size=200").then().statusCode(200)
                .body("resourceCode", hasItem(MONTHLY));
        // the reviewers of 杭州 do not see the province's datasets, nor ask for them
        given().auth().oauth2(reviewerIn("rv-hz", "11330100MC00000401", "330100"))
                .get("/api/exchange/v1/datasets?stale=true&size=200").then().statusCode(200)
                .body("resourceCode", not(hasItem(MONTHLY)));
        given().auth().oauth2(reviewerIn("rv-hz", "11330100MC00000401", "330100"))
                .get("/api/exchange/v1/datasets?region=330000").then().statusCode(403);
        given().auth().oauth2(reviewerIn("rv-none", "11330100MC00000401", null))
                .get("/api/exchange/v1/datasets").then().statusCode(403);
        // a department lists its own
        given().auth().oauth2(operator(PROVIDER)).get("/api/exchange/v1/datasets?size=200").then().statusCode(200)
                .body("resourceCode", hasItem(MONTHLY)).body("providerDepartmentCode", not(hasItem(not(PROVIDER))));
        given().auth().oauth2(operator("11330000MC00000122")).get("/api/exchange/v1/datasets").then()
                .statusCode(200).body("resourceCode", not(hasItem(MONTHLY)));
        given().auth().oauth2(operator("11330000MC00000122")).get("/api/exchange/v1/datasets?provider=" + PROVIDER)
                .then().statusCode(403);
        given().auth().oauth2(auditor()).get("/api/exchange/v1/datasets?stale=true&region=330000&size=200").then()
                .statusCode(200).body("resourceCode", hasItem(MONTHLY));
        // citizens have no dataset views; bad filters are named
        given().auth().oauth2(TestTokens.citizen("c-921", "33010619850312001X", AUD)).get("/api/exchange/v1/datasets")
                .then().statusCode(403);
        given().urlEncodingEnabled(false).auth().oauth2(TestTokens.citizen("c-921", "33010619850312001X", AUD))
                .get("/api/exchange/v1/datasets/" + FakeCatalog.encoded(MONTHLY) + "/freshness").then().statusCode(403);
        given().auth().oauth2(reviewer()).get("/api/exchange/v1/datasets?stale=maybe").then().statusCode(400)
                .contentType("application/problem+json").body("field", equalTo("stale"));
        given().auth().oauth2(auditor()).get("/api/exchange/v1/datasets?region=33").then().statusCode(400)
                .body("field", equalTo("region"));
        given().urlEncodingEnabled(false).auth().oauth2(reviewer())
                .get("/api/exchange/v1/datasets/" + FakeCatalog.encoded("330000-01-02/901999") + "/freshness").then()
                .statusCode(404);
    }

    @Test
    void entriesReplicatedBeforeTheCycleWasKeptGetItFromTheFeedAgain() {
        catalogued(NEVER_UPLOADED, PROVIDER, "MONTHLY");
        QuarkusTransaction.requiringNew().run(() -> {
            em.createNativeQuery("UPDATE catalog_entry SET update_cycle = NULL WHERE resource_code = ?1")
                    .setParameter(1, NEVER_UPLOADED).executeUpdate();
            em.createNativeQuery("INSERT INTO feed_cursor (name, position) VALUES ('catalog-feed-update-cycle', 0)")
                    .executeUpdate();
        });
        assertNull(freshness(reviewer(), NEVER_UPLOADED).getString("updateCycle"));
        backfill.run();
        assertEquals("MONTHLY", freshness(reviewer(), NEVER_UPLOADED).getString("updateCycle"));
        assertEquals(0L, (long) QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "SELECT count(*) FROM feed_cursor WHERE name = 'catalog-feed-update-cycle'").getSingleResult())
                .longValue()));
        // done: nothing more to read
        assertEquals(-1, backfill.run());
    }
}
