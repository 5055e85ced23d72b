package cn.onenet.identity.service;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import cn.onenet.common.identifiers.CreditCode;
import cn.onenet.common.problem.ApiException;
import cn.onenet.common.problem.FieldError;
import cn.onenet.identity.config.BootstrapConfig;
import cn.onenet.identity.config.IdentityConfig;
import cn.onenet.identity.model.Account;
import cn.onenet.identity.model.AccountType;
import cn.onenet.identity.model.AdminLevel;
import cn.onenet.identity.model.Department;
import cn.onenet.identity.model.DepartmentKind;
import cn.onenet.identity.model.OAuthClient;
import cn.onenet.identity.model.Region;
import io.quarkus.hibernate.orm.panache.Panache;
import io.quarkus.runtime.StartupEvent;

/**
 * The first start of a production installation, where Flyway inserts no rows and the API can neither create a
 * region nor register a client with a secret of the operator's choosing: from {@code identity.bootstrap.*} (see
 * {@link BootstrapConfig}) it creates the first administrator, with their department and region, while no account
 * holds the role {@code admin}, and registers each suite client whose secret is set and that does not exist yet.
 * Runs at every start, in every replica (one at a time, under an advisory lock) and creates nothing twice; it never
 * changes what exists. Logs what it created, never a secret.
 */
@ApplicationScoped
public class Bootstrap {

    private static final Logger LOG = Logger.getLogger(Bootstrap.class);
    static final String ACTOR = "bootstrap";

    @Inject
    BootstrapConfig config;

    @Inject
    IdentityConfig identity;

    @Inject
    AccountService accounts;

    @Inject
    DepartmentService departments;

    @Inject
    ClientService clients;

    @Transactional
    void onStart(@Observes @Priority(20) StartupEvent event) {
        run();
    }

    /** Creates what is configured and missing; returns what it created (e.g. {@code client gateway}). */
    @Transactional
    public List<String> run() {
        // replicas starting together bootstrap one after another: the second finds everything there
        Panache.getEntityManager().createNativeQuery("SELECT pg_advisory_xact_lock(hashtext('identity-bootstrap'))")
                .getSingleResult();
        List<String> created = new ArrayList<>();
        administrator(created);
        client(SuiteClients.catalogService(), config.clients().catalogServiceSecret(), created);
        client(SuiteClients.dataExchangeService(), config.clients().dataExchangeServiceSecret(), created);
        client(SuiteClients.gateway(publicBaseUrl()), config.clients().gatewaySecret(), created);
        if (!created.isEmpty()) {
            LOG.infof("Bootstrap created: %s", String.join(", ", created));
        }
        return created;
    }

    private void administrator(List<String> created) {
        BootstrapConfig.Admin admin = config.admin();
        BootstrapConfig.Department dept = config.department();
        Map<String, Optional<String>> settings = new java.util.LinkedHashMap<>();
        settings.put("IDENTITY_BOOTSTRAP_ADMIN_LOGIN_NAME", admin.loginName());
        settings.put("IDENTITY_BOOTSTRAP_ADMIN_PASSWORD", admin.password());
        settings.put("IDENTITY_BOOTSTRAP_ADMIN_NAME", admin.name());
        settings.put("IDENTITY_BOOTSTRAP_DEPARTMENT_CODE", dept.code());
        settings.put("IDENTITY_BOOTSTRAP_DEPARTMENT_NAME", dept.name());
        settings.put("IDENTITY_BOOTSTRAP_DEPARTMENT_REGION_CODE", dept.regionCode());
        settings.put("IDENTITY_BOOTSTRAP_DEPARTMENT_REGION_NAME", dept.regionName());
        List<String> missing = settings.entrySet().stream()
                .filter(e -> e.getValue().filter(v -> !v.isBlank()).isEmpty()).map(Map.Entry::getKey).toList();
        if (missing.size() == settings.size()) {
            return; // no administrator configured
        }
        if (Account.count("type = ?1 and ?2 member of roles", AccountType.CIVIL_SERVANT, Administrators.ROLE) > 0) {
            return; // the installation has its administrators; nothing here changes them
        }
        if (!missing.isEmpty()) {
            LOG.warnf("Bootstrap: no administrator created, %s not set", String.join(", ", missing));
            return;
        }
        String loginName = admin.loginName().get().trim();
        if (Account.byUsername(loginName) != null) {
            LOG.warnf("Bootstrap: no administrator created, the login name %s is taken by an account without the role "
                    + "admin", loginName);
            return;
        }
        String regionCode = dept.regionCode().get().trim();
        if (Region.findById(regionCode) == null) {
            Region region = new Region();
            region.code = regionCode;
            region.name = dept.regionName().get().trim();
            region.level = level(regionCode);
            region.persist();
            created.add("region " + regionCode + " " + region.name + " (" + region.level + ")");
        }
        String code = CreditCode.normalise(dept.code().get());
        if (Department.count("code", code) == 0) {
            Region region = Region.findById(regionCode);
            try {
                departments.create(new DepartmentService.NewDepartment(code, dept.name().get(),
                        dept.nameEn().orElse(null), regionCode, null, region.level,
                        DepartmentKind.GOVERNMENT_DEPARTMENT, dept.competentAuthority(),
                        "bootstrap of the installation"), ACTOR);
            } catch (ApiException e) {
                throw refused("IDENTITY_BOOTSTRAP_DEPARTMENT_*", e);
            }
            created.add("department " + code + " " + dept.name().get().trim());
        }
        try {
            accounts.create(new AccountService.NewAccount(AccountType.CIVIL_SERVANT, loginName, admin.name().get(),
                    null, null, code, null, Set.of(Administrators.ROLE), admin.password().get(), null, null), ACTOR);
        } catch (ApiException e) {
            throw refused("IDENTITY_BOOTSTRAP_ADMIN_*", e);
        }
        created.add("administrator " + loginName + " of " + code);
    }

    private void client(ClientService.Registration registration, Optional<String> secret, List<String> created) {
        if (secret.filter(s -> !s.isBlank()).isEmpty() || OAuthClient.findById(registration.clientId()) != null) {
            return;
        }
        try {
            clients.create(registration, secret.get(), ACTOR);
        } catch (ApiException e) {
            throw refused("the secret or public base URL of client " + registration.clientId(), e);
        }
        created.add("client " + registration.clientId());
    }

    private String publicBaseUrl() {
        return config.publicBaseUrl().orElse(identity.issuer().replaceAll("/oidc/?$", "")).replaceAll("/+$", "");
    }

    /** GB/T 2260: 省 ends in 0000, 市 in 00, anything else is a 县. */
    static AdminLevel level(String regionCode) {
        if (regionCode.endsWith("0000")) {
            return AdminLevel.PROVINCE;
        }
        return regionCode.endsWith("00") ? AdminLevel.CITY : AdminLevel.COUNTY;
    }

    /** Stops the start: the operator's settings are wrong, and a half-made installation would hide it. */
    private static IllegalStateException refused(String what, ApiException e) {
        String problems = e.errors() == null || e.errors().isEmpty() ? e.getMessage()
                : e.errors().stream().map(FieldError::toString).collect(Collectors.joining("; "));
        return new IllegalStateException("Bootstrap refused " + what + ": " + problems, e);
    }
}
