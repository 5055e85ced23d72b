package cn.onenet.identity.service;

import java.util.List;

/**
 * The registrations of the suite's own OAuth clients: its two services (client credentials) and the console of the
 * gateway (code flow). The demo data and the production bootstrap register the same ones.
 */
public final class SuiteClients {

    public static final String CATALOG_SERVICE = "catalog-service";
    public static final String DATA_EXCHANGE_SERVICE = "data-exchange-service";
    public static final String GATEWAY = "gateway";

    private SuiteClients() {
    }

    public static ClientService.Registration catalogService() {
        return new ClientService.Registration(CATALOG_SERVICE, "政务数据目录服务", "client_secret_basic",
                List.of("client_credentials"), null, null, null, List.of("catalog", "exchange"),
                List.of("onenet-exchange", "onenet-identity"), List.of("system"), null, true, null, null, null, null);
    }

    public static ClientService.Registration dataExchangeService() {
        return new ClientService.Registration(DATA_EXCHANGE_SERVICE, "数据共享交换服务", "client_secret_basic",
                List.of("client_credentials"), null, null, null, List.of("catalog", "exchange"),
                List.of("onenet-catalog", "onenet-identity"), List.of("system"), null, true, null, null, null, null);
    }

    /** The console's client; its URIs are under {@code origin} (the suite's public scheme and host). */
    public static ClientService.Registration gateway(String origin) {
        return new ClientService.Registration(GATEWAY, "一网通办门户与管理控制台", "client_secret_basic",
                List.of("authorization_code", "refresh_token"), List.of(origin + "/console/callback"),
                List.of(origin + "/console/"), origin + "/console/backchannel-logout",
                List.of("openid", "profile", "email", "phone", "id_number", "offline_access"),
                List.of("onenet-identity", "onenet-catalog", "onenet-exchange"), List.of(), null, true, null, null,
                null, null);
    }
}
