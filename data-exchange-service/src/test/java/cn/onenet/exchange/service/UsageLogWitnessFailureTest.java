package cn.onenet.exchange.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.sql.SQLException;

import org.junit.jupiter.api.Test;

import cn.onenet.common.problem.ApiException;

/** Which database failures of a witness change are a conflict (409) and which are the exchange's own (500). */
class UsageLogWitnessFailureTest {

    @Test
    void onlyConcurrencyFailuresAreConflicts() {
        for (String state : new String[] { "40001", "40P01", "23505" }) {
            RuntimeException e = UsageLogWitnessService.failure(new SQLException("aborted", state), "w");
            assertEquals(409, assertInstanceOf(ApiException.class, e).type().status(), state);
        }
        // value too long, undefined column, a lost connection: not "being changed concurrently"
        for (String state : new String[] { "22001", "42703", "08006", null }) {
            RuntimeException e = UsageLogWitnessService.failure(new SQLException("broken", state), "w");
            assertInstanceOf(IllegalStateException.class, e, String.valueOf(state));
            assertInstanceOf(SQLException.class, e.getCause());
        }
    }
}
