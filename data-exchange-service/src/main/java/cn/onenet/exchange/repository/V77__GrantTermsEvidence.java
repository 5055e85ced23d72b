package cn.onenet.exchange.repository;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;
import org.jboss.logging.Logger;

import cn.onenet.exchange.service.GrantEvidence;
import cn.onenet.exchange.service.Json;
import cn.onenet.exchange.service.LogEntry;

/**
 * Grant terms become evidence (授权凭据): from now on every state change of a grant is chained in the usage log with
 * the grant's terms and approvals ({@link GrantEvidence}, entry format 4, column {@code grant_terms}; a null column
 * is a catalogue change, no partition is rewritten). Grants issued before have no chained terms: this migration
 * appends, for each of them, in id order, one entry "terms as of migration" (outcome
 * {@value GrantEvidence#AS_OF_MIGRATION}) with the row's terms and the approvers its request names as they stand
 * now. That entry proves what the terms were from now on, not that they were what was approved: a row changed
 * before this migration is chained as changed. The chain head row is locked first, so a replica still running
 * writes after them.
 */
public class V77__GrantTermsEvidence extends BaseJavaMigration {

    private static final Logger LOG = Logger.getLogger(V77__GrantTermsEvidence.class);

    private static final String GRANTS = "SELECT g.id, g.request_id, g.resource_code, g.provider_department_code, "
            + "g.consumer_department_code, g.items, g.clear_items, g.masked_items, g.purpose, g.legal_basis, "
            + "g.valid_from, g.valid_to, g.status, g.covert_use_permitted, g.covert_max_period, "
            + "r.office_head_approver, r.office_head_approver_subject, r.provider_head_approver, "
            + "r.provider_head_approver_subject "
            + "FROM share_grant g LEFT JOIN share_request r ON r.id = g.request_id ORDER BY g.id";

    @Override
    public void migrate(Context context) throws SQLException {
        Connection c = context.getConnection();
        try (Statement s = c.createStatement()) {
            s.execute("ALTER TABLE usage_log ADD COLUMN grant_terms TEXT");
        }
        int added = 0;
        try (PreparedStatement ps = c.prepareStatement(GRANTS)) {
            ps.setFetchSize(500);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long id = rs.getLong("id");
                    Long request = rs.getObject("request_id") == null ? null : rs.getLong("request_id");
                    List<String> items = Json.strings(rs.getString("items"));
                    GrantEvidence.Terms terms = new GrantEvidence.Terms(rs.getString("resource_code"),
                            rs.getString("provider_department_code"), rs.getString("consumer_department_code"),
                            items, Json.strings(rs.getString("clear_items")),
                            Json.strings(rs.getString("masked_items")), rs.getString("purpose"),
                            rs.getString("legal_basis"), rs.getObject("valid_from", java.time.LocalDate.class),
                            rs.getObject("valid_to", java.time.LocalDate.class), rs.getString("status"),
                            rs.getBoolean("covert_use_permitted") ? rs.getString("covert_max_period") : null);
                    String doc = GrantEvidence.document(GrantEvidence.AS_OF_MIGRATION, id, request, terms,
                            GrantEvidence.person(rs.getString("office_head_approver"),
                                    rs.getString("office_head_approver_subject")),
                            GrantEvidence.person(rs.getString("provider_head_approver"),
                                    rs.getString("provider_head_approver_subject")),
                            GrantEvidence.person(null, "data-exchange-service"));
                    GrantEvidence.append(c, new LogEntry.Draft(null, null, "data-exchange-service",
                            terms.consumer(), id, terms.purpose(), terms.legalBasis(), terms.resourceCode(),
                            terms.provider(), items, List.of(), GrantEvidence.OPERATION,
                            GrantEvidence.AS_OF_MIGRATION, null, null), doc);
                    added++;
                }
            }
        }
        LOG.infof("V77: the terms of %d grants chained in the usage log as of this migration", added);
    }
}
