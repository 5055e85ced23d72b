package cn.onenet.identity.demo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import cn.onenet.identity.config.IdentityConfig;
import cn.onenet.identity.model.Account;
import cn.onenet.identity.model.AccountType;
import cn.onenet.identity.model.Delegation;
import cn.onenet.identity.model.DelegationStatus;
import cn.onenet.identity.model.Department;
import cn.onenet.identity.model.OAuthClient;
import cn.onenet.identity.service.AccountService;
import cn.onenet.identity.service.ClientService;
import cn.onenet.identity.service.PasswordHasher;
import cn.onenet.identity.service.SuiteClients;
import io.quarkus.runtime.StartupEvent;

/**
 * Loads the demo province, its staff, citizens, an enterprise with an agent, and the suite's clients, once, on the
 * local run and in tests; production never has it switched on. Demo-only secrets live here and nowhere else.
 */
@ApplicationScoped
public class DemoDataLoader {

    private static final Logger LOG = Logger.getLogger(DemoDataLoader.class);

    /** The password of every demo account (satisfies the password policy). */
    public static final String DEMO_PASSWORD = "Zj@2026onenet";

    private final IdentityConfig config;
    private final EntityManager em;
    private final AccountService accounts;
    private final ClientService clients;
    private final PasswordHasher hasher;
    private String demoPasswordHash;

    public DemoDataLoader(IdentityConfig config, EntityManager em, AccountService accounts, ClientService clients,
            PasswordHasher hasher) {
        this.config = config;
        this.em = em;
        this.accounts = accounts;
        this.clients = clients;
        this.hasher = hasher;
    }

    /**
     * Every demo account has the same published password: it is hashed once (one salt) instead of once per account,
     * which takes about 5 s off the first start. Real accounts always get a hash and salt of their own.
     */
    private String demoPasswordHash() {
        if (demoPasswordHash == null) {
            demoPasswordHash = hasher.hash(DEMO_PASSWORD);
        }
        return demoPasswordHash;
    }

    @Transactional
    void load(@Observes @Priority(10) StartupEvent event) {
        if (!config.demo().enabled()) {
            return;
        }
        if (Department.count() == 0) {
            for (String statement : script("/demo/regions-and-departments.sql").split(";\\s*\\n")) {
                String sql = statement.lines().filter(l -> !l.trim().startsWith("--")).reduce("", (a, b) -> a + "\n" + b);
                if (!sql.isBlank()) {
                    em.createNativeQuery(sql).executeUpdate();
                }
            }
            LOG.infof("Demo data loaded: %d departments", Department.count());
        }
        loadClients();
        if (Account.count() == 0) {
            loadAccounts();
        }
        loadHeads();
    }

    private void loadAccounts() {
        staff("dsj.admin", "李明（大数据局管理员）", "113300000024810109", Set.of("admin"));
        staff("dsj.reviewer", "王芳（大数据局审核员）", "113300000024810109", Set.of("reviewer"));
        staff("dsj.auditor", "陈静（大数据局审计员）", "113300000024810109", Set.of("auditor"));
        staff("gat.operator", "赵强（公安厅数据专员）", "11330000002481020A", Set.of("operator", "catalog-editor"));
        staff("zrzyt.operator", "孙丽（自然资源厅数据专员）", "11330000002481030B", Set.of("operator", "catalog-editor"));
        staff("bdc.operator", "周杰（不动产登记中心数据专员）", "123300004701410402", Set.of("operator", "catalog-editor"));
        staff("gjj.operator", "吴敏（公积金中心数据专员）", "123300004701410503", Set.of("operator", "catalog-editor"));
        staff("rst.operator", "郑浩（人社厅数据专员）", "11330000002481060E", Set.of("operator", "catalog-editor"));
        staff("scjgj.operator", "冯雪（市场监管局数据专员）", "11330000002481070F", Set.of("operator", "catalog-editor"));
        // 杭州市数据资源管理局, the city's 主管部门: catalogues its own data and reviews the city's entries
        staff("hz.editor", "何涛（杭州市数据资源管理局数据专员）", "113301000024910106", Set.of("operator", "catalog-editor"));
        staff("hz.reviewer", "许婷（杭州市数据资源管理局审核员）", "113301000024910106", Set.of("reviewer"));

        Account zhang = citizen("33010619850312001X", "张三", 3, "population-register");
        citizen("33010619920708002X", "李四", 2, null);
        citizen("330282196509230044", "王秀英", 4, "in-person");
        Account zhao = citizen("330110200102150052", "赵六", 3, "population-register");

        Account company = accounts.create(new AccountService.NewAccount(AccountType.LEGAL_PERSON, null,
                "杭州数智科技有限公司", null, "91330106MA2H00001E", null, zhang.id, null, DEMO_PASSWORD, null, null),
                demoPasswordHash(), "demo");
        company.level = 3;
        company.levelMethod = "business-licence";
        company.levelSource = "市场监管局";
        Delegation agent = new Delegation();
        agent.id = UUID.randomUUID();
        agent.enterpriseId = company.id;
        agent.agentId = zhao.id;
        agent.agentName = zhao.displayName;
        agent.agentIdMasked = zhao.idNumber.substring(0, 6) + "********" + zhao.idNumber.substring(14);
        agent.validFrom = OffsetDateTime.now().minusDays(1);
        agent.validTo = OffsetDateTime.now().plusYears(1);
        agent.status = DelegationStatus.ACTIVE;
        agent.acceptedAt = OffsetDateTime.now();
        agent.createdBy = zhang.id;
        agent.persist();
        LOG.infof("Demo accounts loaded: %d", Account.count());
    }

    /**
     * One head (部门负责人) per demo department, who approves its catalogue submissions and share requests. Added to
     * demo data kept from before the role existed too.
     */
    private void loadHeads() {
        head("gat.head", "钱伟（公安厅数据共享工作负责人）", "11330000002481020A");
        head("zrzyt.head", "韩冰（自然资源厅数据共享工作负责人）", "11330000002481030B");
        head("bdc.head", "杨帆（不动产登记中心负责人）", "123300004701410402");
        head("gjj.head", "朱红（公积金中心负责人）", "123300004701410503");
        head("rst.head", "秦岭（人社厅数据共享工作负责人）", "11330000002481060E");
        head("scjgj.head", "尤佳（市场监管局数据共享工作负责人）", "11330000002481070F");
        head("hz.head", "施远（杭州市数据资源管理局负责人）", "113301000024910106");
    }

    private void head(String username, String name, String department) {
        if (Account.byUsername(username) == null) {
            staff(username, name, department, Set.of(AccountService.HEAD));
        }
    }

    private void staff(String username, String name, String department, Set<String> roles) {
        accounts.create(new AccountService.NewAccount(AccountType.CIVIL_SERVANT, username, name, null, null,
                department, null, roles, DEMO_PASSWORD, null, null), demoPasswordHash(), "demo");
    }

    private Account citizen(String idNumber, String name, int level, String method) {
        Account a = accounts.create(new AccountService.NewAccount(AccountType.NATURAL_PERSON, null, name, idNumber,
                null, null, null, null, DEMO_PASSWORD, null, null), demoPasswordHash(), "demo");
        if (method != null) {
            a.level = level;
            a.levelMethod = method;
            a.levelSource = "in-person".equals(method) ? "西湖区政务服务中心" : "人口库";
            a.levelVerifiedAt = OffsetDateTime.now();
        }
        return a;
    }

    private void loadClients() {
        String origin = config.issuer().replaceAll("/oidc/?$", "");
        client(SuiteClients.catalogService(), "demo-catalog-secret");
        client(SuiteClients.dataExchangeService(), "demo-exchange-secret");
        client(SuiteClients.gateway(origin), "demo-gateway-secret");
        client(new ClientService.Registration("gat-population-system", "浙江省公安厅人口信息系统", "client_secret_basic",
                List.of("client_credentials"), null, null, null, List.of("catalog", "exchange"),
                List.of("onenet-catalog", "onenet-exchange"), List.of("system"), "11330000002481020A", false, null,
                null, null, null), "demo-gat-population-secret");
    }

    private void client(ClientService.Registration registration, String secret) {
        OAuthClient existing = OAuthClient.findById(registration.clientId());
        if (existing == null) {
            clients.create(registration, secret, "demo");
        } else if (registration.redirectUris() != null) {
            // the gateway's URIs follow IDENTITY_ISSUER between runs
            existing.redirectUris = String.join("\n", registration.redirectUris());
            existing.postLogoutRedirectUris = String.join("\n", registration.postLogoutRedirectUris());
            existing.backchannelLogoutUri = registration.backchannelLogoutUri();
        }
    }

    private static String script(String resource) {
        try (InputStream in = DemoDataLoader.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
