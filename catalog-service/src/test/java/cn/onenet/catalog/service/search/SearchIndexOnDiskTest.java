package cn.onenet.catalog.service.search;

import static cn.onenet.catalog.support.Fixtures.admin;
import static cn.onenet.catalog.support.Fixtures.as;
import static cn.onenet.catalog.support.Fixtures.editor;
import static cn.onenet.catalog.support.Fixtures.entry;
import static cn.onenet.catalog.support.Fixtures.operator;
import static cn.onenet.catalog.support.Fixtures.published;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import cn.onenet.catalog.service.search.SearchService.Start;
import cn.onenet.catalog.support.FakeExchange;
import cn.onenet.testsupport.PostgresTestResource;
import cn.onenet.testsupport.TestOidcResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * An index kept on disk is resumed at start when it is up to date with the database's change feed (the changes made
 * since its last commit are applied, also after a crash), and rebuilt when it cannot be trusted.
 */
@QuarkusTest
@TestProfile(SearchIndexOnDiskTest.OnDisk.class)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestOidcResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FakeExchange.class, restrictToAnnotatedClass = false)
class SearchIndexOnDiskTest {

    // a fixed path: the profile is read in more than one class loader, so a fresh temporary name would differ
    static final Path DIR = Path.of("target", "search-index-on-disk-test").toAbsolutePath();

    public static class OnDisk implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("catalog.search.index-dir", DIR.toString());
        }
    }

    @BeforeAll
    static void theIndexDirectoryIsInUse() {
        assertTrue(Files.isDirectory(DIR), "the service keeps its index in " + DIR);
    }

    @Inject
    SearchService search;

    @Inject
    DataSource dataSource;

    /** How many hits of a search for the name carry exactly that name (1 when indexed once). */
    private static long hits(String name) {
        List<String> names = as(operator()).queryParam("q", name).queryParam("size", 200)
                .get("/api/catalog/v1/search").then().statusCode(200).extract().jsonPath().getList("hits.name");
        return names.stream().filter(name::equals).count();
    }

    @Test
    void anOrderlyRestartResumesTheIndexFromDisk() throws Exception {
        published(editor(), entry("磁盘索引甲类登记信息"));
        assertEquals(1, hits("磁盘索引甲类登记信息"));
        int before = search.size();

        assertEquals(Start.RESUMED, search.restart(false));
        assertEquals(before, search.size());
        assertEquals(1, hits("磁盘索引甲类登记信息"));

        // what an operator sees; only admins may look
        as(admin()).get("/api/catalog/v1/search-index").then().statusCode(200)
                .body("ready", equalTo(true)).body("storage", equalTo("disk")).body("start", equalTo("RESUMED"))
                .body("entries", equalTo(before)).body("committedFeedCursor", equalTo((int) search.lastCursor()));
        as(operator()).get("/api/catalog/v1/search-index").then().statusCode(403);
        given().get("/api/catalog/v1/search-index").then().statusCode(401);
        // an admin's rebuild on demand, refused to others
        as(operator()).post("/api/catalog/v1/search-index/rebuild").then().statusCode(403);
        as(admin()).post("/api/catalog/v1/search-index/rebuild").then().statusCode(200).body("entries", equalTo(before));
        assertEquals(1, hits("磁盘索引甲类登记信息"));
    }

    @Test
    void afterACrashTheChangesSinceTheLastCommitAreReappliedFromTheFeed() throws Exception {
        search.restart(false); // a commit now, so the next entry is indexed but not committed
        published(editor(), entry("磁盘索引乙类崩溃前信息"));
        assertEquals(1, hits("磁盘索引乙类崩溃前信息"));

        assertEquals(Start.RESUMED, search.restart(true));
        assertEquals(1, hits("磁盘索引乙类崩溃前信息"));
        assertEquals(liveEntries(), search.size());
    }

    @Test
    void anIndexFromAnotherStateOfTheDatabaseIsRebuilt() throws Exception {
        published(editor(), entry("磁盘索引丙类恢复信息"));
        search.restart(false);
        // the feed event the index last applied now reads differently, as after restoring another backup
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE feed_event SET occurred_at = occurred_at - interval '1 second' "
                    + "WHERE cursor = (SELECT max(cursor) FROM feed_event)");
        }
        assertEquals(Start.REBUILT, search.restart(false));
        assertEquals(1, hits("磁盘索引丙类恢复信息"));
        assertEquals(liveEntries(), search.size());
        assertEquals(Start.RESUMED, search.restart(false));
    }

    @Test
    void aDamagedIndexIsRebuilt() throws Exception {
        published(editor(), entry("磁盘索引丁类损坏信息"));
        search.restart(false);
        search.close();
        try (Stream<Path> files = Files.list(DIR)) {
            for (Path f : files.filter(f -> f.getFileName().toString().startsWith("segments")).toList()) {
                Files.write(f, new byte[] {1, 2, 3});
            }
        }
        assertEquals(Start.REBUILT, search.restart(false));
        assertEquals(1, hits("磁盘索引丁类损坏信息"));
        assertEquals(liveEntries(), search.size());
    }

    private int liveEntries() throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                var rs = s.executeQuery("SELECT count(*) FROM catalog_entry WHERE published IS NOT NULL "
                        + "AND state <> 'DEREGISTERED'")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
