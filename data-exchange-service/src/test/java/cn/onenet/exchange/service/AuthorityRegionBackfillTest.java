package cn.onenet.exchange.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import cn.onenet.exchange.ExchangeTestBase;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Requests and grants filed before the exchange stored their 主管部门's region get it from the migration that adds it
 * (V29), by the rule the exchange applies to new ones ({@link Jurisdiction#commonRegion}): every mix of consumer
 * region (recorded or not, any length, valid or not), department credit codes (of a region or not) and entry region
 * (none, any level, valid or not, no entry at all). Run against a schema of its own migrated to V28 first.
 */
@QuarkusTest
class AuthorityRegionBackfillTest extends ExchangeTestBase {

    static final String SCHEMA = "authority_region_backfill";

    static final List<String> CONSUMER_REGIONS = Arrays.asList(null, "330106", "330100", "330000", "330100000000",
            "330106001", "330106001000", "330100001", "33010", "abc", "000000", "440300");
    static final List<String> CONSUMERS = List.of("11330106MB00000001", "11330200MB00000002", "C-NOREGION");
    static final List<String> ENTRY_REGIONS = Arrays.asList(null, "330100", "330106", "330000", "330200", "110000",
            "330106001", "330106001000", "bad", "");
    static final List<String> PROVIDERS = List.of("11330100MB00000003", "12440300MB00000004", "P-NOREGION");

    /** One request or grant: the sides as the rule reads them; no entry at all when the entry region is null. */
    record Case(String consumerRegion, String consumer, String provider, String entryRegion) {

        String code() {
            return "330000-01-02/" + ENTRY_REGIONS.indexOf(entryRegion);
        }

        String expected() {
            return Jurisdiction.commonRegion(consumerRegion, consumer, provider, entryRegion);
        }
    }

    static Connection connect() throws SQLException {
        Config config = ConfigProvider.getConfig();
        return DriverManager.getConnection(config.getValue("quarkus.datasource.jdbc.url", String.class),
                config.getValue("quarkus.datasource.username", String.class),
                config.getOptionalValue("quarkus.datasource.password", String.class).orElse(null));
    }

    static Flyway flyway(String target) {
        return flyway(SCHEMA, target);
    }

    /** Flyway on a schema of its own (created if missing), migrated up to {@code target}. */
    static Flyway flyway(String schema, String target) {
        Config config = ConfigProvider.getConfig();
        return Flyway.configure()
                .dataSource(config.getValue("quarkus.datasource.jdbc.url", String.class),
                        config.getValue("quarkus.datasource.username", String.class),
                        config.getOptionalValue("quarkus.datasource.password", String.class).orElse(null))
                .schemas(schema).defaultSchema(schema).createSchemas(true)
                .locations("filesystem:src/main/resources/db/migration").target(target).load();
    }

    @Test
    void theMigrationStoresOnEveryRequestAndGrantTheRegionTheRuleGives() throws Exception {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        }
        try {
            flyway("28").migrate();
            List<Case> cases = new ArrayList<>();
            for (String consumerRegion : CONSUMER_REGIONS) {
                for (String consumer : CONSUMERS) {
                    for (String provider : PROVIDERS) {
                        for (String entryRegion : ENTRY_REGIONS) {
                            cases.add(new Case(consumerRegion, consumer, provider, entryRegion));
                        }
                    }
                }
            }
            try (Connection c = connect()) {
                insert(c, cases);
            }
            flyway("29").migrate();

            try (Connection c = connect(); Statement s = c.createStatement()) {
                Map<String, String> requests = stored(s, "SELECT scenario, authority_region FROM " + SCHEMA
                        + ".share_request");
                Map<String, String> grants = stored(s, "SELECT purpose, authority_region FROM " + SCHEMA
                        + ".share_grant");
                assertEquals(cases.size(), requests.size());
                assertEquals(cases.size() + CONSUMERS.size() * PROVIDERS.size() * ENTRY_REGIONS.size(),
                        grants.size());
                int checked = 0;
                for (int i = 0; i < cases.size(); i++) {
                    Case k = cases.get(i);
                    assertEquals(k.expected(), requests.get("case-" + i), "request " + k);
                    assertEquals(k.expected(), grants.get("case-" + i), "grant " + k);
                    if (k.consumerRegion() == null) {
                        Case alone = new Case(null, k.consumer(), k.provider(), k.entryRegion());
                        assertEquals(alone.expected(), grants.get("alone-" + i), "grant without request " + k);
                        checked++;
                    }
                    checked++;
                }
                assertEquals(cases.size() + CONSUMERS.size() * PROVIDERS.size() * ENTRY_REGIONS.size(), checked);
                // the rule's outcomes are all there: no region at all, the national one, provinces, cities, counties
                assertTrue(requests.containsValue(null) && requests.containsValue("000000")
                        && requests.containsValue("330000") && requests.containsValue("330100")
                        && requests.containsValue("330106"), requests.values().stream().distinct().toList().toString());
            }
        } finally {
            try (Connection c = connect(); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
            }
        }
    }

    /**
     * The entries, a request per case with its grant (case-i), and for the cases without a consumer region a grant
     * without a request as well (alone-i).
     */
    static void insert(Connection c, List<Case> cases) throws SQLException {
        try (PreparedStatement entry = c.prepareStatement("INSERT INTO " + SCHEMA + ".catalog_entry (resource_code, "
                + "entry_version, name, provider_department_code, region_code, share_attribute) "
                + "VALUES (?, 1, 'e', 'P', ?, 'UNCONDITIONAL')")) {
            for (String region : ENTRY_REGIONS) {
                if (region != null) {
                    entry.setString(1, new Case(null, null, null, region).code());
                    entry.setString(2, region);
                    entry.addBatch();
                }
            }
            entry.executeBatch();
        }
        Map<String, Long> requestIds = new HashMap<>();
        try (PreparedStatement request = c.prepareStatement("INSERT INTO " + SCHEMA + ".share_request (resource_code, "
                + "provider_department_code, consumer_department_code, consumer_region_code, filed_by, "
                + "office_head_approver, items, legal_basis, scenario, purpose, scope, delivery_method, period_from, "
                + "period_to, attested, share_attribute, status, received_on) VALUES (?, ?, ?, ?, 'op', 'head', '[]', "
                + "'basis', ?, 'purpose', 'scope', 'API', current_date, current_date, TRUE, 'UNCONDITIONAL', "
                + "'GRANTED', current_date) RETURNING id")) {
            for (int i = 0; i < cases.size(); i++) {
                Case k = cases.get(i);
                request.setString(1, k.code());
                request.setString(2, k.provider());
                request.setString(3, k.consumer());
                request.setString(4, k.consumerRegion());
                request.setString(5, "case-" + i);
                try (ResultSet rs = request.executeQuery()) {
                    rs.next();
                    requestIds.put("case-" + i, rs.getLong(1));
                }
            }
        }
        try (PreparedStatement grant = c.prepareStatement("INSERT INTO " + SCHEMA + ".share_grant (request_id, "
                + "resource_code, provider_department_code, consumer_department_code, items, purpose, legal_basis, "
                + "delivery_method, valid_from, valid_to, quota_per_second, quota_per_day, status) "
                + "VALUES (?, ?, ?, ?, '[]', ?, 'basis', 'API', current_date, current_date, 1, 1, 'ACTIVE')")) {
            for (int i = 0; i < cases.size(); i++) {
                Case k = cases.get(i);
                grant.setLong(1, requestIds.get("case-" + i));
                grant.setString(2, k.code());
                grant.setString(3, k.provider());
                grant.setString(4, k.consumer());
                grant.setString(5, "case-" + i);
                grant.addBatch();
                if (k.consumerRegion() == null) {
                    grant.setNull(1, java.sql.Types.BIGINT);
                    grant.setString(5, "alone-" + i);
                    grant.addBatch();
                }
            }
            grant.executeBatch();
        }
    }

    static Map<String, String> stored(Statement s, String query) throws SQLException {
        Map<String, String> found = new HashMap<>();
        try (ResultSet rs = s.executeQuery(query)) {
            while (rs.next()) {
                found.put(rs.getString(1), rs.getString(2));
            }
        }
        return found;
    }
}
