package cn.onenet.k8s;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.MapperConfig;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;

/**
 * Checks every object against the Kubernetes API schema, offline.
 *
 * <p>The schema is the fabric8 Kubernetes model (io.fabric8:kubernetes-model-*, the version the Quarkus BOM manages,
 * {@value #SCHEMA}), whose classes are generated from the Kubernetes OpenAPI. Objects are bound strictly: an unknown
 * field (a typo) or a value of the wrong type fails, with the field's path. The model's catch-all "additional
 * properties" are switched off for that. Custom resources without such a model (CloudNativePG) are checked against
 * the field allow-lists under {@code crd-fields/} ({@link CrdAllowList}).
 */
public final class SchemaValidator {

    public static final String SCHEMA = "Kubernetes 1.35 API as modelled by fabric8 kubernetes-model 7.6.1";

    private static final Map<String, Class<?>> MODELS = Map.ofEntries(
            Map.entry("v1/Namespace", Namespace.class),
            Map.entry("v1/ServiceAccount", ServiceAccount.class),
            Map.entry("v1/Service", Service.class),
            Map.entry("v1/ConfigMap", ConfigMap.class),
            Map.entry("v1/Secret", Secret.class),
            Map.entry("v1/PersistentVolumeClaim", PersistentVolumeClaim.class),
            Map.entry("apps/v1/Deployment", Deployment.class),
            Map.entry("apps/v1/StatefulSet", StatefulSet.class),
            Map.entry("networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class),
            Map.entry("networking.k8s.io/v1/Ingress", Ingress.class),
            Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
            Map.entry("autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class),
            Map.entry("rbac.authorization.k8s.io/v1/Role", Role.class),
            Map.entry("rbac.authorization.k8s.io/v1/RoleBinding", RoleBinding.class),
            Map.entry("gateway.networking.k8s.io/v1/HTTPRoute", HTTPRoute.class));

    private static final Map<String, String> CRDS = Map.of(
            "postgresql.cnpg.io/v1/Cluster", "cnpg-cluster.yaml",
            "postgresql.cnpg.io/v1/Database", "cnpg-database.yaml");

    private final ObjectMapper strict = new ObjectMapper()
            .setAnnotationIntrospector(new StrictIntrospector())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    /** The schema violations of one object; empty when it conforms. */
    public List<String> validate(Manifest m) {
        String key = m.apiVersion() + "/" + m.kind();
        List<String> problems = new ArrayList<>();
        if (m.name() == null || "null".equals(m.name())) {
            problems.add(key + ": metadata.name is required");
        }
        Class<?> model = MODELS.get(key);
        if (model != null) {
            try {
                strict.convertValue(m.body(), model);
            } catch (IllegalArgumentException e) {
                problems.add(m.id() + " does not match the schema (" + SCHEMA + "): " + describe(e));
            }
            if (!m.is("ConfigMap") && !m.is("Secret")) {
                enumerations("", m.body(), m, problems);
            }
            return problems;
        }
        String crd = CRDS.get(key);
        if (crd != null) {
            for (String p : CrdAllowList.load(crd).check(m.body())) {
                problems.add(m.id() + " does not match the " + crd + " field list: " + p);
            }
            ObjectMeta.check(m, strict, problems);
            return problems;
        }
        problems.add(m.id() + ": no schema for apiVersion " + m.apiVersion() + " kind " + m.kind()
                + " (known: " + new java.util.TreeSet<>(MODELS.keySet()) + " and " + CRDS.keySet() + ")");
        return problems;
    }

    /**
     * Fields whose OpenAPI description fixes the allowed values but which the model types as plain strings. Keyed by
     * field name, or by "parent.field" where the name alone is ambiguous.
     */
    private static final Map<String, Set<String>> ENUMERATIONS = Map.of(
            "imagePullPolicy", Set.of("Always", "IfNotPresent", "Never"),
            "protocol", Set.of("TCP", "UDP", "SCTP"),
            "pathType", Set.of("Exact", "Prefix", "ImplementationSpecific"),
            "policyTypes", Set.of("Ingress", "Egress"),
            "httpGet.scheme", Set.of("HTTP", "HTTPS"),
            "seccompProfile.type", Set.of("RuntimeDefault", "Localhost", "Unconfined"),
            "spec.type", Set.of("ClusterIP", "NodePort", "LoadBalancer", "ExternalName"),
            "restartPolicy", Set.of("Always", "OnFailure", "Never"),
            "whenUnsatisfiable", Set.of("DoNotSchedule", "ScheduleAnyway"),
            "operator", Set.of("In", "NotIn", "Exists", "DoesNotExist", "Equal", "Gt", "Lt"));

    private static void enumerations(String path, Object value, Manifest m, List<String> problems) {
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                String key = String.valueOf(e.getKey());
                if (path.isEmpty() && key.equals("metadata")) {
                    continue; // labels and annotations are free-form
                }
                String child = path.isEmpty() ? key : path + "." + key;
                String parent = path.contains(".") ? path.substring(path.lastIndexOf('.') + 1) : path;
                parent = parent.replaceAll("\\[\\d+]$", "");
                Set<String> allowed = ENUMERATIONS.getOrDefault(parent + "." + key,
                        key.equals("type") || key.equals("scheme") ? null : ENUMERATIONS.get(key));
                if (allowed != null) {
                    List<?> values = e.getValue() instanceof List<?> l ? l : List.of(String.valueOf(e.getValue()));
                    for (Object v : values) {
                        if (!allowed.contains(String.valueOf(v))) {
                            problems.add(m.id() + " does not match the schema (" + SCHEMA + "): invalid value '" + v
                                    + "' at '" + child + "' (allowed: " + new java.util.TreeSet<>(allowed) + ")");
                        }
                    }
                }
                enumerations(child, e.getValue(), m, problems);
            }
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                enumerations(path + "[" + i + "]", list.get(i), m, problems);
            }
        }
    }

    private static String describe(IllegalArgumentException e) {
        Throwable cause = e.getCause() instanceof JsonMappingException ? e.getCause() : e;
        if (cause instanceof JsonMappingException jme) {
            StringBuilder path = new StringBuilder();
            for (JsonMappingException.Reference ref : jme.getPath()) {
                if (ref.getFieldName() != null) {
                    if (!path.isEmpty()) {
                        path.append('.');
                    }
                    path.append(ref.getFieldName());
                } else if (ref.getIndex() >= 0) {
                    path.append('[').append(ref.getIndex()).append(']');
                }
            }
            String what = jme instanceof com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException
                    ? "unknown field" : "invalid value at";
            return what + " '" + path + "' (" + jme.getOriginalMessage().lines().findFirst().orElse("") + ")";
        }
        return e.getMessage();
    }

    /** metadata of a custom resource is a standard ObjectMeta. */
    private static final class ObjectMeta {
        static void check(Manifest m, ObjectMapper strict, List<String> problems) {
            try {
                strict.convertValue(m.body().get("metadata"), io.fabric8.kubernetes.api.model.ObjectMeta.class);
            } catch (IllegalArgumentException e) {
                problems.add(m.id() + " metadata does not match the schema: " + describe(e));
            }
        }
    }

    /** Jackson introspection that ignores the model's "additionalProperties" catch-all and any ignoreUnknown. */
    private static final class StrictIntrospector extends JacksonAnnotationIntrospector {
        @Override
        public Boolean hasAnySetter(Annotated a) {
            return Boolean.FALSE;
        }

        @Override
        public JsonIgnoreProperties.Value findPropertyIgnoralByName(MapperConfig<?> config, Annotated a) {
            return super.findPropertyIgnoralByName(config, a).withoutIgnoreUnknown();
        }
    }
}
