package cn.onenet.launcher;

import java.util.List;
import java.util.Map;

/** The suite as the local run starts it: fixed ports, one database per service, start order. */
public final class SuiteLayout {

    public static final int POSTGRES_PORT = 15432;

    private SuiteLayout() {
    }

    private static final String IDENTITY = "http://127.0.0.1:${port:identity-service}";
    /** The gateway, the suite's one public address: the issuer of its tokens and the base of the catalogue's URIs. */
    private static final String GATEWAY = "http://127.0.0.1:${port:gateway}";
    private static final String ISSUER = GATEWAY + "/oidc";

    /** Every fixed port of the suite: PostgreSQL's and the services'. */
    static List<Integer> ports() {
        List<Integer> ports = new java.util.ArrayList<>();
        ports.add(POSTGRES_PORT);
        services().forEach(s -> ports.add(s.port()));
        return ports;
    }

    /** The smallest port offset that keeps every port at 1 or above. */
    public static int minPortOffset() {
        return RunArguments.minPortOffset();
    }

    /** The largest port offset that keeps every port at 65535 or below. */
    public static int maxPortOffset() {
        return RunArguments.maxPortOffset();
    }

    /** Refuses an offset that would move a port out of 1..65535, naming the port and the allowed range. */
    public static void checkPortOffset(int offset) {
        RunArguments.checkPortOffset(offset);
    }

    public static List<ServiceSpec> services() {
        return List.of(
                new ServiceSpec("identity-service", "identity-service", 8081, "identity", Map.of(
                        "IDENTITY_ISSUER", ISSUER)),
                new ServiceSpec("catalog-service", "catalog-service", 8082, "catalog", Map.of(
                        "QUARKUS_OIDC_AUTH_SERVER_URL", IDENTITY + "/oidc",
                        "QUARKUS_OIDC_TOKEN_ISSUER", ISSUER,
                        "QUARKUS_OIDC_CLIENT_AUTH_SERVER_URL", IDENTITY + "/oidc",
                        "QUARKUS_OIDC_CLIENT_CLIENT_ID", "catalog-service",
                        "QUARKUS_OIDC_CLIENT_CREDENTIALS_SECRET", "demo-catalog-secret",
                        "QUARKUS_REST_CLIENT_EXCHANGE_URL", "http://127.0.0.1:${port:data-exchange-service}",
                        "QUARKUS_REST_CLIENT_IDENTITY_URL", IDENTITY,
                        // the DCAT export's URIs (datasets, departments) name the gateway of this run, offset included
                        "CATALOG_PUBLIC_BASE_URI", GATEWAY + "/api/catalog/v1",
                        // in the data directory (the services' working directory): a restart on kept data resumes it
                        "CATALOG_SEARCH_INDEX_DIR", "catalog-index")),
                new ServiceSpec("data-exchange-service", "data-exchange-service", 8083, "exchange", Map.of(
                        "QUARKUS_OIDC_AUTH_SERVER_URL", IDENTITY + "/oidc",
                        "QUARKUS_OIDC_TOKEN_ISSUER", ISSUER,
                        "QUARKUS_OIDC_CLIENT_AUTH_SERVER_URL", IDENTITY + "/oidc",
                        "QUARKUS_OIDC_CLIENT_CLIENT_ID", "data-exchange-service",
                        "QUARKUS_OIDC_CLIENT_CREDENTIALS_SECRET", "demo-exchange-secret",
                        "QUARKUS_REST_CLIENT_CATALOG_URL", "http://127.0.0.1:${port:catalog-service}",
                        "QUARKUS_REST_CLIENT_IDENTITY_URL", IDENTITY)),
                new ServiceSpec("gateway", "gateway", 8080, null, Map.of(
                        "QUARKUS_OIDC_AUTH_SERVER_URL", IDENTITY + "/oidc",
                        "QUARKUS_OIDC_TOKEN_ISSUER", ISSUER,
                        "GATEWAY_UPSTREAMS_IDENTITY", IDENTITY,
                        "GATEWAY_UPSTREAMS_CATALOG", "http://127.0.0.1:${port:catalog-service}",
                        "GATEWAY_UPSTREAMS_EXCHANGE", "http://127.0.0.1:${port:data-exchange-service}")));
    }
}
