package cn.onenet.exchange.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import cn.onenet.exchange.ExchangeTestBase;
import cn.onenet.exchange.repository.V66__CorrectionSubjectIdentifierBackfill;
import cn.onenet.exchange.repository.V68__WebhookFollowUpBackfill;
import cn.onenet.exchange.repository.V71__ObjectionRecordKeyAndOutcome;
import cn.onenet.exchange.repository.V76__IdentifierKeysFoldedAndCaseNames;
import cn.onenet.exchange.repository.V77__GrantTermsEvidence;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Grants issued before their terms were chained get one entry each from V77, "terms as of migration": chained in id
 * order after the head, each hashing what the row held then. Run against a schema of its own.
 */
@QuarkusTest
class GrantTermsMigrationTest extends ExchangeTestBase {

    static final String SCHEMA = "grant_terms_migration";

    static Flyway flyway(String target) {
        return Flyway.configure().configuration(AuthorityRegionBackfillTest.flyway(SCHEMA, target).getConfiguration())
                .javaMigrations(new V66__CorrectionSubjectIdentifierBackfill(), new V68__WebhookFollowUpBackfill(),
                        new V71__ObjectionRecordKeyAndOutcome(), new V76__IdentifierKeysFoldedAndCaseNames(),
                        new V77__GrantTermsEvidence())
                .load();
    }

    @Test
    void everyGrantIssuedBeforeHasItsTermsChainedAsOfTheMigration() throws Exception {
        try (Connection c = AuthorityRegionBackfillTest.connect(); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        }
        try {
            flyway("75").migrate();
            try (Connection c = AuthorityRegionBackfillTest.connect(); Statement s = c.createStatement()) {
                s.execute("SET search_path TO " + SCHEMA);
                long active = GrantMaskAndSuspensionBackfillTest.grant(c, "E3", "[\"GMSFHM\",\"XM\"]", "[\"XM\"]",
                        "ACTIVE");
                long suspended = GrantMaskAndSuspensionBackfillTest.grant(c, "E3", "[\"ZY\"]", "[]", "SUSPENDED");

                flyway("77").migrate();

                List<LogEntry> chained = new ArrayList<>();
                List<String> stored = new ArrayList<>();
                try (ResultSet rs = s.executeQuery("SELECT " + UsageLogService.COLUMNS + " FROM usage_log ORDER BY seq")) {
                    while (rs.next()) {
                        chained.add(UsageLogService.read(rs));
                        stored.add(rs.getString("entry_hash"));
                    }
                }
                assertEquals(2, chained.size());
                String prev = "0".repeat(64);
                for (int i = 0; i < 2; i++) {
                    LogEntry e = chained.get(i);
                    assertEquals(i + 1, e.seq());
                    assertEquals(prev, e.prevHash());
                    assertEquals(stored.get(i), e.hash());
                    assertEquals(LogEntry.GRANT_TERMS, e.format());
                    assertEquals(GrantEvidence.OPERATION, e.operation());
                    assertEquals(GrantEvidence.AS_OF_MIGRATION, e.outcome());
                    prev = stored.get(i);
                }
                assertEquals(List.of(active, suspended), chained.stream().map(LogEntry::grantId).toList());
                Map<String, Object> first = Json.object(chained.get(0).terms());
                assertEquals(GrantEvidence.AS_OF_MIGRATION, first.get("action"));
                Map<?, ?> terms = (Map<?, ?>) first.get("terms");
                assertEquals(List.of("GMSFHM", "XM"), terms.get("items"));
                assertEquals(List.of("XM"), terms.get("clearItems"));
                assertEquals("ACTIVE", terms.get("status"));
                assertEquals("SUSPENDED", ((Map<?, ?>) Json.object(chained.get(1).terms()).get("terms")).get("status"));
                try (ResultSet rs = s.executeQuery("SELECT last_seq, last_hash FROM usage_log_head")) {
                    rs.next();
                    assertEquals(2, rs.getLong(1));
                    assertEquals(prev, rs.getString(2));
                }
            }
        } finally {
            try (Connection c = AuthorityRegionBackfillTest.connect(); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
            }
        }
    }
}
