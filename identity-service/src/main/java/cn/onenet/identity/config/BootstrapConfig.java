package cn.onenet.identity.config;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The first start of a production installation (prefix {@code identity.bootstrap}, all optional): the first
 * administrator with their department and region, and the suite's own OAuth clients with the secrets the services
 * already read from their Kubernetes Secrets. Read by {@link cn.onenet.identity.service.Bootstrap}.
 */
@ConfigMapping(prefix = "identity.bootstrap")
public interface BootstrapConfig {

    Admin admin();

    Department department();

    /**
     * The suite's public address (scheme and host, e.g. {@code https://onenet.example.gov.cn}) from which the console
     * client's redirect and logout URIs are built; default: {@code identity.issuer} without its {@code /oidc}.
     */
    Optional<String> publicBaseUrl();

    Clients clients();

    /** Created only while no account holds the role {@code admin}. */
    interface Admin {
        /** Login name of the first administrator ({@code IDENTITY_BOOTSTRAP_ADMIN_LOGIN_NAME}). */
        Optional<String> loginName();

        /** Their initial password, checked by the password policy ({@code IDENTITY_BOOTSTRAP_ADMIN_PASSWORD}). */
        Optional<String> password();

        /** Their display name ({@code IDENTITY_BOOTSTRAP_ADMIN_NAME}). */
        Optional<String> name();
    }

    /** The administrator's department, and its region; each created when missing. */
    interface Department {
        /** 统一社会信用代码 of the department. */
        Optional<String> code();

        Optional<String> name();

        Optional<String> nameEn();

        /** GB/T 2260 code of the department's region (its level follows from the code). */
        Optional<String> regionCode();

        Optional<String> regionName();

        /** Whether the department is its region's 政务数据共享主管部门 (the data-sharing competent authority). */
        @WithDefault("true")
        boolean competentAuthority();
    }

    /** Secrets of the suite's own clients; a client is registered when its secret is set and it does not exist. */
    interface Clients {
        /** Secret of client {@code catalog-service} (Secret {@code catalog-service-oidc-client}). */
        Optional<String> catalogServiceSecret();

        /** Secret of client {@code data-exchange-service} (Secret {@code data-exchange-service-oidc-client}). */
        Optional<String> dataExchangeServiceSecret();

        /** Secret of client {@code gateway}, the console (Secret {@code gateway-oidc-client}). */
        Optional<String> gatewaySecret();
    }
}
