package cn.onenet.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

/** Each deliberately broken fixture (src/test/resources/broken/) is rejected, and the message names the fault. */
class BrokenFixturesTest {

    private static List<String> problems(String fixture) {
        List<String> problems = Validation.problems(K8sDir.broken(fixture));
        assertTrue(!problems.isEmpty(), fixture + " passed validation, but it is broken");
        return problems;
    }

    private static void assertReported(String fixture, String expected) {
        List<String> problems = problems(fixture);
        assertTrue(problems.stream().anyMatch(p -> p.contains(expected)),
                fixture + ": expected a problem containing \"" + expected + "\", got " + problems);
    }

    @Test
    void missingProbe() {
        assertReported("missing-probe", "Deployment/gateway container gateway has no readinessProbe");
    }

    @Test
    void typoInAField() {
        assertReported("typo-field", "Deployment/catalog-service does not match the schema");
        assertReported("typo-field", "unknown field 'spec.template.spec.containers[0].livenesProbe'");
    }

    @Test
    void typoInACustomResourceField() {
        assertReported("typo-crd-field", "Cluster/onenet-pg does not match the cnpg-cluster.yaml field list: "
                + "unknown field 'spec.instnces'");
    }

    @Test
    void latestImage() {
        assertReported("latest-image", "Deployment/data-exchange-service container data-exchange-service image "
                + "registry.onenet.internal/onenet/data-exchange-service:latest is not pinned");
    }

    @Test
    void secretWithData() {
        assertReported("secret-with-data", "Secret/catalog-db carries data");
    }

    @Test
    void endpointOutsideTheClusterNotDeclared() {
        assertReported("external-endpoint", "QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT sends data to otel.example.com, "
                + "outside the cluster");
    }

    @Test
    void extraNetworkPolicyFlow() {
        Set<String> edges = new NetworkGraph(K8sDir.broken("extra-flow")).edges();
        AssertionError error = assertThrows(AssertionError.class, () -> NetworkPolicyGraphTest.assertGraph(
                "extra-flow", new NetworkGraph(K8sDir.overlay("prod")).edges(), edges));
        assertTrue(error.getMessage().contains("allow flows that are not in the suite's graph [data-exchange-service -> gateway:8080/TCP]"),
                error.getMessage());
    }

    @Test
    void imageReferences() {
        assertEquals(null, PolicyChecker.unpinned("registry.example/onenet/gateway:1.0.0"));
        assertEquals(null, PolicyChecker.unpinned("registry:5000/gateway@sha256:" + "a".repeat(64)));
        assertTrue(PolicyChecker.unpinned("registry:5000/gateway").contains("no tag"));
        assertTrue(PolicyChecker.unpinned("gateway:latest").contains(":latest"));
    }
}
