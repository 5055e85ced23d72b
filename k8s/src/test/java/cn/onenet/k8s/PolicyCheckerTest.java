package cn.onenet.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The deployment rules on small hand-written objects: a compliant workload passes, each gap is named. */
class PolicyCheckerTest {

    private static final String WORKLOAD = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, labels: {app.kubernetes.io/managed-by: quarkus}}
            spec:
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  securityContext: {runAsNonRoot: true, runAsUser: 185, seccompProfile: {type: RuntimeDefault}}
                  containers:
                    - name: web
                      image: registry.example/web:1.0.0
                      ports: [{containerPort: 8080, name: http}]
                      livenessProbe: {httpGet: {path: /q/health/live, port: 8080}}
                      readinessProbe: {httpGet: {path: /q/health/ready, port: 8080}}
                      startupProbe: {httpGet: {path: /q/health/started, port: 8080}}
                      resources: {requests: {cpu: 100m, memory: 128Mi}, limits: {cpu: "1", memory: 256Mi}}
                      securityContext:
                        allowPrivilegeEscalation: false
                        readOnlyRootFilesystem: true
                        capabilities: {drop: [ALL]}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: web}
            spec: {selector: {app: web}, ports: [{port: 80, targetPort: 8080}]}
            """;

    private static List<String> check(String yaml) {
        return new PolicyChecker().check(Yaml.manifests(yaml));
    }

    @Test
    void aCompliantWorkloadPasses() {
        assertEquals(List.of(), check(WORKLOAD));
    }

    @Test
    void eachGapIsNamed() {
        List<String> problems = check(WORKLOAD
                .replace("runAsNonRoot: true, ", "")
                .replace("readOnlyRootFilesystem: true", "readOnlyRootFilesystem: false")
                .replace("drop: [ALL]", "drop: [NET_RAW]")
                .replace("/q/health/ready", "/ready")
                .replace("limits: {cpu: \"1\", memory: 256Mi}", "limits: {cpu: \"1\"}"));
        for (String expected : List.of("may run as root", "readOnlyRootFilesystem: true", "must drop all capabilities",
                "readinessProbe must call /q/health/ready, not /ready", "has no resources.limits.memory")) {
            assertTrue(problems.stream().anyMatch(p -> p.startsWith("Deployment/web container web") && p.contains(expected)),
                    expected + " not in " + problems);
        }
    }

    @Test
    void aServiceNoPolicyLetsAnythingReachIsReported() {
        String denied = WORKLOAD + """
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: deny}
                spec: {podSelector: {}, policyTypes: [Ingress, Egress]}
                """;
        assertTrue(check(denied).contains("Service/web has no NetworkPolicy path: no allowed flow reaches the pods it "
                + "selects {app=web}"), check(denied).toString());
    }

    @Test
    void autoscalerAndDisruptionBudgetMustPointAtRenderedPods() {
        List<String> problems = check(WORKLOAD + """
                ---
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: api}
                spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}, maxReplicas: 3}
                ---
                apiVersion: policy/v1
                kind: PodDisruptionBudget
                metadata: {name: web}
                spec: {maxUnavailable: 1, selector: {matchLabels: {app: webb}}}
                """);
        assertTrue(problems.contains("HorizontalPodAutoscaler/api scales Deployment/api, which is not rendered"),
                problems.toString());
        assertTrue(problems.contains("PodDisruptionBudget/web selects no pod of this deployment"), problems.toString());
    }

    @Test
    void literalSecretsInConfigMapsAndEnvironmentAreReported() {
        List<String> problems = check(WORKLOAD.replace("ports: [{containerPort: 8080, name: http}]",
                "ports: [{containerPort: 8080, name: http}]\n          env: [{name: DB_PASSWORD, value: hunter2}]") + """
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: web-config}
                data: {QUARKUS_OIDC_CLIENT_CREDENTIALS_SECRET: s3cret, QUARKUS_OIDC_TOKEN_ISSUER: https://x/oidc}
                """);
        assertTrue(problems.contains("ConfigMap/web-config entry QUARKUS_OIDC_CLIENT_CREDENTIALS_SECRET looks like a "
                + "secret: put it in a Secret"), problems.toString());
        assertTrue(problems.contains("Deployment/web container web sets DB_PASSWORD literally: take it from a Secret"),
                problems.toString());
        assertEquals(2, problems.size(), problems.toString());
    }

    @Test
    void aSettingThatSendsDataOutsideTheClusterMustNameAHostDeclaredInMainlandChina() {
        String settings = """
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: web-config}
                data:
                  QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT: https://collector.example.com:4317
                  QUARKUS_DATASOURCE_JDBC_URL: jdbc:postgresql://onenet-pg-rw:5432/web
                  QUARKUS_REST_CLIENT_IDENTITY_URL: http://identity-service.onenet.svc.cluster.local
                  IDENTITY_ISSUER: https://onenet.example.gov.cn/oidc
                ---
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata: {name: web}
                spec: {rules: [{host: onenet.example.gov.cn}]}
                ---
                apiVersion: postgresql.cnpg.io/v1
                kind: Cluster
                metadata: {name: pg}
                spec: {backup: {barmanObjectStore: {destinationPath: "s3://onenet-backups/", endpointURL: "https://oss-cn-hangzhou.aliyuncs.com"}}}
                """;
        List<String> problems = check(WORKLOAD + settings);
        assertTrue(problems.contains("ConfigMap/web-config QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT sends data to "
                + "collector.example.com, outside the cluster: personal information stays in mainland China (R22); "
                + "host it there and list it in the Namespace annotation onenet.cn/hosts-in-mainland-china, or remove "
                + "the setting"), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("Cluster/pg spec.backup.barmanObjectStore.endpointURL "
                + "sends data to oss-cn-hangzhou.aliyuncs.com")), problems.toString());
        // a bucket goes to the store's default endpoint unless one is given: it is declared like a host
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("Cluster/pg spec.backup.barmanObjectStore.destinationPath "
                + "sends data to onenet-backups")), problems.toString());
        // cluster services, the database and the public host pass; declared hosts pass too
        assertEquals(3, problems.size(), problems.toString());
        String declared = """
                ---
                apiVersion: v1
                kind: Namespace
                metadata:
                  name: onenet
                  annotations: {onenet.cn/hosts-in-mainland-china: "collector.example.com, oss-cn-hangzhou.aliyuncs.com,onenet-backups"}
                """;
        assertEquals(List.of(), check(WORKLOAD + settings + declared));
    }
}
