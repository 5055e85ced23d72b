package cn.onenet.identity.audit;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.Test;

import cn.onenet.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A refused authorization request is logged with the {@code client_id} it named, which anyone may send: a CR/LF in
 * it stays escaped on the one line of that event, and cannot start a line of the sender's making (a forged
 * "LOGIN SUCCESS" of an administrator, under the audit logger's name).
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class AuditLogLineTest {

    @Test
    void aLineBreakInTheClientIdLeavesOneLogLine() {
        String forged = "2026-12-07 19:52:00.000 INFO  [cn.on.id.audit] (executor-thread-9) [req=x] audit LOGIN "
                + "SUCCESS actor=dsj.admin FORGED";
        List<String> lines = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                Object[] parameters = record.getParameters();
                String message = parameters == null || parameters.length == 0 ? record.getMessage()
                        : String.format(record.getMessage(), parameters);
                if (message.contains("FORGED")) {
                    lines.add(message);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        capture.setLevel(Level.ALL);
        Logger audit = Logger.getLogger("cn.onenet.identity.audit");
        audit.addHandler(capture);
        try {
            for (String breakText : List.of("\n", "\r\n", "\r", "\u2028", "\u0085")) {
                given().redirects().follow(false).queryParam("client_id", "evil" + breakText + forged)
                        .queryParam("response_type", "code").get("/oidc/authorize").then().statusCode(400);
            }
        } finally {
            audit.removeHandler(capture);
        }
        assertEquals(5, lines.size(), () -> String.join("\n---\n", lines));
        for (String line : lines) {
            assertTrue(line.matches("audit AUTHORIZE_REFUSED FAILURE [^\\n\\r\\u2028\\u0085]*"), line);
            assertTrue(line.contains("client=evil\\"), line);
        }
        assertTrue(lines.get(0).contains("client=evil\\n2026-12-07 19:52:00.000"), lines.get(0));
    }
}
