package cn.onenet.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Every overlay renders with kubectl kustomize, matches the Kubernetes schema and follows the deployment rules. */
class OverlaysTest {

    static final List<String> SERVICES = List.of("identity-service", "catalog-service", "data-exchange-service",
            "gateway");

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod", "prod-gateway-api"})
    void overlayRendersAndPassesSchemaAndPolicyChecks(String overlay) {
        List<Manifest> manifests = K8sDir.overlay(overlay);
        List<String> problems = Validation.problems(manifests);
        assertTrue(problems.isEmpty(), overlay + ":\n  " + String.join("\n  ", problems));
        for (String service : SERVICES) {
            K8sDir.find(manifests, "Deployment", service);
            K8sDir.find(manifests, "Service", service);
            K8sDir.find(manifests, "ServiceAccount", service);
            K8sDir.find(manifests, "PodDisruptionBudget", service);
        }
        for (Manifest m : manifests) {
            if (!m.is("Namespace")) {
                assertEquals("onenet", m.at("metadata.namespace"), m.id() + " is outside the onenet namespace");
            }
        }
        assertEquals("restricted", Yaml.labels(K8sDir.find(manifests, "Namespace", "onenet").at("metadata.labels"))
                .get("pod-security.kubernetes.io/enforce"));
    }

    @Test
    void everyServiceReadsItsSettingsFromAConfigMapAndItsSecretsFromSecrets() {
        List<Manifest> manifests = K8sDir.overlay("prod");
        for (String service : SERVICES) {
            Map<String, Object> container = K8sDir.find(manifests, "Deployment", service).allContainers().get(0);
            String configMap = String.valueOf(Yaml.at(Yaml.maps(container.get("envFrom")).get(0), "configMapRef.name"));
            assertTrue(configMap.startsWith(service + "-config-"), service + " reads " + configMap);
            K8sDir.find(manifests, "ConfigMap", configMap);
            for (Map<String, Object> env : Yaml.maps(container.get("env"))) {
                if (String.valueOf(env.get("name")).matches(".*(PASSWORD|SECRET|KEY).*")) {
                    assertNotNull(Yaml.at(env, "valueFrom.secretKeyRef.name"), service + " " + env.get("name"));
                }
            }
        }
        assertTrue(manifests.stream().noneMatch(m -> m.is("Secret")), "no Secret is rendered: operators create them");
    }

    @Test
    void servicesMigrateAtStartAndAreNotReadyBeforeTheMigrationEnds() {
        List<Manifest> prod = K8sDir.overlay("prod");
        assertTrue(prod.stream().noneMatch(m -> m.is("Job")), "no separate migration Job");
        for (String service : SERVICES) {
            Manifest d = K8sDir.find(prod, "Deployment", service);
            assertTrue(Yaml.maps(d.podSpec().get("initContainers")).isEmpty(), service + " waits for nothing");
            Map<String, Object> c = d.allContainers().get(0);
            for (Map<String, Object> env : Yaml.maps(c.get("env"))) {
                assertFalse(String.valueOf(env.get("name")).startsWith("QUARKUS_FLYWAY"),
                        service + " must keep Flyway's migrate-at-start: " + env);
            }
            int budget = ((Number) Yaml.at(c, "startupProbe.failureThreshold")).intValue()
                    * ((Number) Yaml.at(c, "startupProbe.periodSeconds")).intValue();
            assertTrue(budget >= 180, service + " allows only " + budget + " s to start (migrations included)");
            assertEquals("/q/health/started", Yaml.at(c, "startupProbe.httpGet.path"));
            assertEquals(0, Yaml.at(d.body(), "spec.strategy.rollingUpdate.maxUnavailable"),
                    service + " keeps old pods until new ones are ready");
        }
    }

    @Test
    void devRunsOneReplicaOfEachServiceAndOnePostgresWithAVolume() {
        List<Manifest> dev = K8sDir.overlay("dev");
        for (String service : SERVICES) {
            assertEquals(1, K8sDir.find(dev, "Deployment", service).at("spec.replicas"), service);
        }
        assertTrue(dev.stream().noneMatch(m -> m.is("HorizontalPodAutoscaler")), "dev has no autoscaler");
        Manifest postgres = K8sDir.find(dev, "StatefulSet", "postgres");
        assertEquals(1, postgres.at("spec.replicas"));
        assertEquals("data", Yaml.at(Yaml.maps(postgres.at("spec.volumeClaimTemplates")).get(0), "metadata.name"));
        assertEquals("jdbc:postgresql://postgres:5432/catalog",
                configOf(dev, "catalog-service").get("QUARKUS_DATASOURCE_JDBC_URL"));
    }

    @Test
    void prodRunsTwoReplicasOrMoreSpreadOverNodesWithAThreeInstanceCluster() {
        List<Manifest> prod = K8sDir.overlay("prod");
        for (String service : SERVICES) {
            Manifest d = K8sDir.find(prod, "Deployment", service);
            if (service.equals("gateway") || service.equals("data-exchange-service")) {
                assertEquals(null, d.at("spec.replicas"), service + ": the autoscaler owns the replica count");
            } else {
                assertTrue(((Number) d.at("spec.replicas")).intValue() >= 2, service + " replicas");
            }
            Map<String, Object> anti = Yaml.map(d.at("spec.template.spec.affinity.podAntiAffinity"));
            assertNotNull(anti, service + " has no pod anti-affinity");
            assertTrue(anti.toString().contains("topologyKey=kubernetes.io/hostname"), service + ": " + anti);
            assertNotNull(Yaml.at(d.allContainers().get(0), "resources.limits.memory"));
        }
        for (String hpa : List.of("gateway", "data-exchange-service")) {
            Manifest h = K8sDir.find(prod, "HorizontalPodAutoscaler", hpa);
            assertTrue(((Number) h.at("spec.minReplicas")).intValue() >= 2, hpa);
            assertEquals(hpa, h.at("spec.scaleTargetRef.name"));
        }
        Manifest cluster = K8sDir.find(prod, "Cluster", "onenet-pg");
        assertEquals(3, cluster.at("spec.instances"));
        Set<String> databases = new TreeSet<>();
        databases.add(String.valueOf(cluster.at("spec.bootstrap.initdb.database")));
        prod.stream().filter(m -> m.is("Database")).forEach(m -> databases.add(String.valueOf(m.at("spec.name"))));
        assertEquals(Set.of("identity", "catalog", "exchange", "gateway"), databases,
                "one database per service, and the gateway replicas' shared rate-limit buckets");
        assertEquals("postgresql", configOf(prod, "gateway").get("GATEWAY_RATE_LIMIT_STORE"));
        assertEquals("jdbc:postgresql://onenet-pg-rw:5432/gateway",
                configOf(prod, "gateway").get("QUARKUS_DATASOURCE_JDBC_URL"));
        assertEquals("jdbc:postgresql://onenet-pg-rw:5432/exchange",
                configOf(prod, "data-exchange-service").get("QUARKUS_DATASOURCE_JDBC_URL"));
        assertFalse(prod.stream().anyMatch(m -> m.is("StatefulSet")), "prod has no hand-made PostgreSQL");
    }

    @Test
    void gatewayApiVariantReplacesTheIngressWithAnHttpRoute() {
        List<Manifest> gw = K8sDir.overlay("prod-gateway-api");
        assertTrue(gw.stream().noneMatch(m -> m.is("Ingress")));
        Manifest route = K8sDir.find(gw, "HTTPRoute", "gateway");
        assertEquals("gateway", Yaml.at(Yaml.maps(Yaml.maps(route.at("spec.rules")).get(0).get("backendRefs")).get(0),
                "name"));
        assertTrue(K8sDir.overlay("prod").stream().anyMatch(m -> m.is("Ingress") && m.name().equals("gateway")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod", "prod-gateway-api"})
    void everySettingOfThePublicHostAgrees(String overlay) {
        List<Manifest> manifests = K8sDir.overlay(overlay);
        String host = manifests.stream().filter(m -> m.is("Ingress"))
                .map(m -> String.valueOf(Yaml.maps(m.at("spec.rules")).get(0).get("host"))).findFirst()
                .orElseGet(() -> String.valueOf(((List<?>) K8sDir.find(manifests, "HTTPRoute", "gateway")
                        .at("spec.hostnames")).get(0)));
        String issuer = "https://" + host + "/oidc";
        assertEquals(issuer, configOf(manifests, "identity-service").get("IDENTITY_ISSUER"), overlay);
        for (String service : List.of("catalog-service", "data-exchange-service", "gateway")) {
            assertEquals(issuer, configOf(manifests, service).get("QUARKUS_OIDC_TOKEN_ISSUER"), overlay + " " + service);
        }
        assertEquals("https://" + host, configOf(manifests, "gateway").get("QUARKUS_HTTP_CORS_ORIGINS"), overlay);
        assertTrue(configOf(manifests, "catalog-service").get("CATALOG_PUBLIC_BASE_URI").startsWith("https://" + host
                + "/"), overlay);
    }

    static Map<String, String> configOf(List<Manifest> manifests, String service) {
        return manifests.stream().filter(m -> m.is("ConfigMap") && m.name().startsWith(service + "-config-"))
                .findFirst().map(m -> Yaml.labels(m.at("data")))
                .orElseThrow(() -> new AssertionError("no ConfigMap for " + service));
    }
}
