package cn.onenet.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The schema check on single objects: what passes, and how each kind of mistake is reported. */
class SchemaValidatorTest {

    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              labels: {anything: goes, protocol: free-form}
            spec:
              REPLICAS
              selector:
                matchLabels: {app: web}
              template:
                metadata:
                  labels: {app: web}
                spec:
                  containers:
                    - name: web
                      image: registry.example/web:1.0.0
                      PULL
                      ports:
                        - containerPort: 8080
                          protocol: TCP
            """;

    private static List<String> validate(String yaml) {
        return new SchemaValidator().validate(Yaml.manifests(yaml).get(0));
    }

    private static String deployment(String replicas, String pull) {
        return DEPLOYMENT.replace("REPLICAS", replicas).replace("PULL", pull);
    }

    @Test
    void aValidObjectPasses() {
        assertEquals(List.of(), validate(deployment("replicas: 2", "imagePullPolicy: IfNotPresent")));
    }

    @Test
    void unknownFieldIsReportedWithItsPath() {
        List<String> problems = validate(deployment("replicas: 2", "imagePullPolicyy: IfNotPresent"));
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("Deployment/web does not match the schema")
                && problems.get(0).contains("unknown field 'spec.template.spec.containers[0].imagePullPolicyy'"),
                problems.get(0));
    }

    @Test
    void wrongTypeIsReportedWithItsPath() {
        List<String> problems = validate(deployment("replicas: two", "imagePullPolicy: Always"));
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("invalid value at 'spec.replicas'"), problems.get(0));
    }

    @Test
    void valueOutsideAnEnumerationIsReported() {
        List<String> problems = validate(deployment("replicas: 1", "imagePullPolicy: Alwyas"));
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("invalid value 'Alwyas' at 'spec.template.spec.containers[0]"
                + ".imagePullPolicy'"), problems.get(0));
    }

    @Test
    void apiVersionThatNoLongerExistsIsReported() {
        List<String> problems = validate("""
                apiVersion: extensions/v1beta1
                kind: Ingress
                metadata: {name: old}
                spec: {}
                """);
        assertTrue(problems.get(0).contains("Ingress/old: no schema for apiVersion extensions/v1beta1"),
                problems.toString());
    }

    @Test
    void customResourceFieldsAreCheckedAgainstTheirList() {
        List<String> problems = validate("""
                apiVersion: postgresql.cnpg.io/v1
                kind: Cluster
                metadata: {name: pg, labelz: {}}
                spec:
                  instances: three
                  storage: {size: 10Gi}
                """);
        assertEquals(2, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("'spec.instances' must be integer"), problems.toString());
        assertTrue(problems.get(1).contains("metadata does not match the schema: unknown field 'labelz'"),
                problems.toString());
    }
}
