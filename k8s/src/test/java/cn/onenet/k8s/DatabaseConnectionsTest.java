package cn.onenet.k8s;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * In prod every pool of every replica the autoscalers or the replica counts allow, plus the extra pod of a rolling
 * update, fits into PostgreSQL's max_connections with room left for the superuser, CloudNativePG and an operator
 * (README.md, "Scaling").
 */
class DatabaseConnectionsTest {

    /** superuser_reserved_connections (3), CloudNativePG's instance manager, exporter and backups, an operator's psql. */
    static final int HEADROOM = 20;

    @Test
    void prodPoolsFitIntoMaxConnections() {
        List<Manifest> manifests = K8sDir.overlay("prod");
        int maxConnections = Integer.parseInt(String.valueOf(
                K8sDir.find(manifests, "Cluster", "onenet-pg").at("spec.postgresql.parameters.max_connections")));
        int total = 0;
        List<String> sum = new ArrayList<>();
        for (String service : OverlaysTest.SERVICES) {
            Map<String, String> config = config(manifests, service);
            if (service.equals("gateway") && !"true".equals(config.get("QUARKUS_DATASOURCE_ACTIVE"))) {
                continue;
            }
            int perPod = pool(config, service, "QUARKUS_DATASOURCE_JDBC_MAX_SIZE");
            if (service.equals("data-exchange-service")) {
                perPod += pool(config, service, "QUARKUS_DATASOURCE_QUOTA_JDBC_MAX_SIZE");
            }
            int pods = maxReplicas(manifests, service) + maxSurge(manifests, service);
            total += pods * perPod;
            sum.add(service + " " + pods + " × " + perPod);
        }
        assertTrue(total <= maxConnections - HEADROOM, "prod may open " + total + " connections (" + String.join(" + ",
                sum) + ") but max_connections " + maxConnections + " leaves " + (maxConnections - HEADROOM)
                + " after a headroom of " + HEADROOM + ": lower the pools or raise max_connections (README.md, Scaling)");
    }

    private static Map<String, String> config(List<Manifest> manifests, String service) {
        Manifest map = manifests.stream().filter(m -> m.is("ConfigMap") && m.name().startsWith(service + "-config-"))
                .findFirst().orElseThrow(() -> new AssertionError("no ConfigMap " + service + "-config"));
        return Yaml.labels(map.at("data"));
    }

    /** Pools are set explicitly in prod: a default taken from application.properties would not be seen here. */
    private static int pool(Map<String, String> config, String service, String key) {
        String value = config.get(key);
        assertNotNull(value, service + ": prod sets no " + key + " in its ConfigMap");
        return Integer.parseInt(value);
    }

    private static int maxReplicas(List<Manifest> manifests, String service) {
        return manifests.stream().filter(m -> m.is("HorizontalPodAutoscaler")
                && service.equals(m.at("spec.scaleTargetRef.name"))).findFirst()
                .map(m -> Integer.parseInt(String.valueOf(m.at("spec.maxReplicas"))))
                .orElseGet(() -> Integer.parseInt(String.valueOf(
                        K8sDir.find(manifests, "Deployment", service).at("spec.replicas"))));
    }

    private static int maxSurge(List<Manifest> manifests, String service) {
        Object surge = K8sDir.find(manifests, "Deployment", service).at("spec.strategy.rollingUpdate.maxSurge");
        assertTrue(surge instanceof Integer, service + ": maxSurge must be a number of pods, is " + surge);
        return (Integer) surge;
    }
}
