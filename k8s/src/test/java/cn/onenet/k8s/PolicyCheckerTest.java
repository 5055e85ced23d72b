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
}
