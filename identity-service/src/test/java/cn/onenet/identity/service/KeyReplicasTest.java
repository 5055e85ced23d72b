package cn.onenet.identity.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import cn.onenet.identity.oidc.Together;
import cn.onenet.testsupport.PostgresTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Two replicas creating signing keys at the same moment make one key per algorithm and status, not two. */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class KeyReplicasTest {

    @Inject
    KeyService keys;

    @Inject
    EntityManager em;

    @AfterEach
    void reload() {
        keys.reload();
    }

    @Test
    void twoRotationsAtOnceMakeOneNextKeyPerAlgorithm() throws Exception {
        sql("DELETE FROM signing_key WHERE status = 'NEXT'");
        List<String> answers = together(() -> String.valueOf(keys.rotate().size()));
        assertEquals(Map.of("ES256", 1, "RS256", 1), count("NEXT"), "answers " + answers);
        assertEquals(2, answers.stream().mapToInt(Integer::parseInt).sum(), "answers " + answers);
    }

    @Test
    void twoReplicasStartingOnAnEmptyTableMakeOneActiveKeyPerAlgorithm() throws Exception {
        // as on a fresh install: no active key (the current ones stay published, retired, for the other tests' tokens)
        sql("DELETE FROM signing_key WHERE status = 'NEXT'");
        sql("UPDATE signing_key SET status = 'RETIRED', retired_at = now(), remove_after = now() + interval '1 hour' "
                + "WHERE status = 'ACTIVE'");
        List<String> answers = together(() -> {
            keys.ensureKeys();
            return "done";
        });
        assertEquals(List.of("done", "done"), answers);
        assertEquals(Map.of("ES256", 1, "RS256", 1), count("ACTIVE"));
    }

    private static List<String> together(java.util.function.Supplier<String> call) throws Exception {
        return Together.run(2, k -> call.get());
    }

    private void sql(String statement) {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(statement).executeUpdate());
    }

    private Map<String, Integer> count(String status) {
        Map<String, Integer> counts = new TreeMap<>();
        QuarkusTransaction.requiringNew().run(() -> {
            for (Object row : em.createNativeQuery("SELECT alg FROM signing_key WHERE status = ?1")
                    .setParameter(1, status).getResultList()) {
                counts.merge(row.toString(), 1, Integer::sum);
            }
        });
        return counts;
    }
}
