package cn.onenet.common.problem;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;

class DatabaseUnavailableTest {

    @Test
    void connectionFailuresAreRecognisedBehindWrappers() {
        SQLException refused = new SQLException("Connection to localhost:5432 refused", "08001");
        assertTrue(DatabaseUnavailable.causedBy(refused));
        assertTrue(DatabaseUnavailable.causedBy(new RuntimeException("commit failed",
                new IllegalStateException("wrapped", refused))));
        assertTrue(DatabaseUnavailable.causedBy(new SQLException("An I/O error occurred", "08006")));
        assertTrue(DatabaseUnavailable.causedBy(
                new SQLException("terminating connection due to administrator command", "57P01")));
        assertTrue(DatabaseUnavailable.causedBy(new SQLException("the database system is starting up", "57P03")));
        assertTrue(DatabaseUnavailable.causedBy(new SQLTransientConnectionException("pool exhausted")));
        assertTrue(DatabaseUnavailable.causedBy(new RuntimeException(
                new SQLException("Acquisition timeout while waiting for new connection", new TimeoutException()))));
    }

    @Test
    void otherDatabaseFailuresAreNot() {
        assertFalse(DatabaseUnavailable.causedBy(new SQLException("duplicate key", "23505")));
        assertFalse(DatabaseUnavailable.causedBy(new SQLException("deadlock detected", "40P01")));
        assertFalse(DatabaseUnavailable.causedBy(new SQLException("syntax error", "42601")));
        assertFalse(DatabaseUnavailable.causedBy(new IllegalStateException("bug")));
        assertFalse(DatabaseUnavailable.causedBy(null));
    }

    @Test
    void aChangeCutOffByTheOutageIsNotCalledUnchanged() {
        for (String method : new String[] {"POST", "PUT", "PATCH", "DELETE", "post"}) {
            assertTrue(DatabaseUnavailable.outcomeUnknown(method), method);
        }
        for (String method : new String[] {"GET", "HEAD", "OPTIONS", null}) {
            assertFalse(DatabaseUnavailable.outcomeUnknown(method), String.valueOf(method));
        }
        String unknown = ProblemMappers.unavailableDetail(true);
        assertFalse(unknown.contains("nothing was changed") || unknown.contains("未做任何更改"), unknown);
        assertTrue(unknown.contains("check the outcome before repeating") && unknown.contains("先查询结果"), unknown);
        assertTrue(ProblemMappers.unavailableDetail(false).contains("nothing was changed"));
    }
}
