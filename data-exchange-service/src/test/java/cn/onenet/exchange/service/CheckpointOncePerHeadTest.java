package cn.onenet.exchange.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import cn.onenet.exchange.ExchangeTestBase;
import cn.onenet.exchange.LockWaits;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;

/** Two replicas signing a checkpoint at the same moment sign the head once; both answer that checkpoint. */
@QuarkusTest
class CheckpointOncePerHeadTest extends ExchangeTestBase {

    @Inject
    UsageLogService log;
    @Inject
    AgroalDataSource dataSource;

    @Test
    void signersAtTheSameTimeSignTheHeadOnce() throws Exception {
        long head;
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT last_seq FROM usage_log_head")) {
                rs.next();
                head = rs.getLong(1);
            }
            // the head not signed yet, as after an append
            s.executeUpdate("DELETE FROM usage_log_checkpoint WHERE last_seq = " + head);
        }
        CompletableFuture<Map<String, Object>> first;
        CompletableFuture<Map<String, Object>> second;
        try (Connection blocker = dataSource.getConnection()) {
            blocker.setAutoCommit(false);
            try (Statement s = blocker.createStatement()) {
                // reads go on, inserts wait: both signers get as far as they can before either has stored anything
                s.execute("LOCK TABLE usage_log_checkpoint IN SHARE MODE");
            }
            first = CompletableFuture.supplyAsync(log::checkpoint);
            second = CompletableFuture.supplyAsync(log::checkpoint);
            LockWaits.untilWaiting(dataSource, 2);
            blocker.rollback();
        }
        Map<String, Object> a = first.get(20, TimeUnit.SECONDS);
        Map<String, Object> b = second.get(20, TimeUnit.SECONDS);
        assertEquals(a, b);
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM usage_log_checkpoint WHERE last_seq = ?")) {
            ps.setLong(1, head);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertEquals(1, rs.getLong(1), "checkpoints of head " + head);
            }
        }
    }
}
