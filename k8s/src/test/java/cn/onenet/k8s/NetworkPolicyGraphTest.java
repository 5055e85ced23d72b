package cn.onenet.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

/**
 * The NetworkPolicies allow exactly the suite's flows, nothing more: gateway from the ingress, services from the
 * gateway, exchange to catalog (change feed) and catalog to exchange (active grants, docs/catalog-exchange-contract.md),
 * every service to identity (JWKS, tokens), each service to its database, the exchange to providers' endpoints and
 * webhook receivers outside the cluster (80, 443), identity to the relying parties outside the cluster (443: back-channel
 * logout, clients' JWKS), DNS for every pod; in prod also what
 * CloudNativePG needs (replication, the operator's status calls, the instances' calls to the API server) and the
 * gateway's replicas reaching the database for their shared rate-limit buckets.
 */
class NetworkPolicyGraphTest {

    /** Production runs several gateway replicas, which share their rate-limit buckets in PostgreSQL. */
    private static final String SHARED_RATE_LIMITS = "gateway -> onenet-pg:5432/TCP";

    private static Set<String> appFlows(String database, String ingressFrom) {
        Set<String> flows = new TreeSet<>(List.of(
                ingressFrom + " -> gateway:8080/TCP",
                "gateway -> identity-service:8081/TCP",
                "gateway -> catalog-service:8082/TCP",
                "gateway -> data-exchange-service:8083/TCP",
                "catalog-service -> identity-service:8081/TCP",
                "data-exchange-service -> identity-service:8081/TCP",
                "data-exchange-service -> catalog-service:8082/TCP",
                "catalog-service -> data-exchange-service:8083/TCP",
                "identity-service -> " + database + ":5432/TCP",
                "catalog-service -> " + database + ":5432/TCP",
                "data-exchange-service -> " + database + ":5432/TCP",
                // proxied provider endpoints and webhook receivers outside the cluster
                "data-exchange-service -> outside:443/TCP",
                "data-exchange-service -> outside:80/TCP",
                // back-channel logout tokens to the relying parties (the console through the public host) and
                // the JWKS of clients registered with a jwks_uri
                "identity-service -> outside:443/TCP"));
        for (String pod : List.of("gateway", "identity-service", "catalog-service", "data-exchange-service", database)) {
            flows.add(pod + " -> kube-dns:53/UDP");
            flows.add(pod + " -> kube-dns:53/TCP");
        }
        return flows;
    }

    private static Set<String> cloudNativePgFlows() {
        return Set.of(
                "onenet-pg -> onenet-pg:5432/TCP",
                "onenet-pg -> onenet-pg:8000/TCP",
                "cnpg-operator -> onenet-pg:8000/TCP",
                "onenet-pg -> outside:443/TCP",
                "onenet-pg -> outside:6443/TCP");
    }

    @Test
    void prodAllowsExactlyTheSuitesFlows() {
        Set<String> expected = new TreeSet<>(appFlows("onenet-pg", "ingress-nginx"));
        expected.addAll(cloudNativePgFlows());
        expected.add(SHARED_RATE_LIMITS);
        assertGraph("prod", expected, new NetworkGraph(K8sDir.overlay("prod")).edges());
    }

    @Test
    void prodWithGatewayApiTakesTrafficFromTheGatewayDataPlaneOnly() {
        Set<String> expected = new TreeSet<>(appFlows("onenet-pg", "gateway-system"));
        expected.addAll(cloudNativePgFlows());
        expected.add(SHARED_RATE_LIMITS);
        assertGraph("prod-gateway-api", expected, new NetworkGraph(K8sDir.overlay("prod-gateway-api")).edges());
    }

    @Test
    void monitoringComponentAddsOnlyTheScrapes() {
        List<Manifest> manifests = K8sDir.variant("prod-monitoring");
        assertEquals(List.of(), Validation.problems(manifests));
        Set<String> expected = new TreeSet<>(appFlows("onenet-pg", "ingress-nginx"));
        expected.addAll(cloudNativePgFlows());
        expected.add(SHARED_RATE_LIMITS);
        expected.addAll(Set.of(
                "monitoring -> gateway:8080/TCP",
                "monitoring -> identity-service:8081/TCP",
                "monitoring -> catalog-service:8082/TCP",
                "monitoring -> data-exchange-service:8083/TCP",
                "monitoring -> onenet-pg:9187/TCP"));
        assertGraph("prod + components/monitoring", expected, new NetworkGraph(manifests).edges());
    }

    @Test
    void devAllowsExactlyTheSuitesFlows() {
        assertGraph("dev", appFlows("postgres", "ingress-nginx"), new NetworkGraph(K8sDir.overlay("dev")).edges());
    }

    static void assertGraph(String overlay, Set<String> expected, Set<String> actual) {
        Set<String> extra = new TreeSet<>(actual);
        extra.removeAll(expected);
        Set<String> missing = new TreeSet<>(expected);
        missing.removeAll(actual);
        if (!extra.isEmpty() || !missing.isEmpty()) {
            fail(overlay + ": the NetworkPolicies allow flows that are not in the suite's graph " + extra
                    + " and block flows it needs " + missing);
        }
        assertEquals(expected, actual);
    }
}
