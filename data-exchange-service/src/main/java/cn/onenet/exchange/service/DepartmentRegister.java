package cn.onenet.exchange.service;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;

import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import cn.onenet.common.identifiers.CreditCode;
import cn.onenet.exchange.client.IdentityClient;
import cn.onenet.exchange.client.IdentityClient.RegisteredDepartment;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;

/**
 * The exchange's copy of identity-service's department register ({@link IdentityClient}), kept as the catalogue
 * replica is: read at start and every {@code exchange.identity.poll-interval}, stored in the database (table
 * {@code department_register}, migration {@code V52}) so that a restart while identity-service is down still knows the
 * register, and never emptied by a failed or empty read (the copy read last stays). It names the 政务数据共享主管部门
 * of each region ({@link #authorityOf}): the handler of a dispute routed there (R17) and the addressee of the notices
 * to that 主管部门. Departments whose code is not an 18-character 统一社会信用代码 or whose region code is not a
 * GB/T 2260 code are left out; of two authorities of one region (identity-service allows one) the lower code counts.
 */
@ApplicationScoped
public class DepartmentRegister {

    private static final Logger LOG = Logger.getLogger(DepartmentRegister.class);

    /** A region's 主管部门: its 统一社会信用代码 and name. */
    public record Authority(String code, String name) {
    }

    private final IdentityClient client;
    private final EntityManager em;
    /** 6-digit region → its 主管部门, as last loaded from the table. */
    private volatile Map<String, Authority> authorities = Map.of();
    private volatile boolean lastRefreshFailed;
    /** Whether identity-service has answered since this replica started. */
    private volatile boolean readSinceStart;

    public DepartmentRegister(@RestClient IdentityClient client, EntityManager em) {
        this.client = client;
        this.em = em;
    }

    void atStart(@Observes StartupEvent event) {
        try {
            load();
        } catch (RuntimeException e) {
            LOG.warnf("Could not read the stored department register: %s", e.getMessage());
        }
    }

    @Scheduled(every = "${exchange.identity.poll-interval}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledRefresh() {
        refresh();
    }

    /**
     * Until identity-service has answered once, asks again every {@code exchange.identity.first-read-retry}: when the
     * suite starts together, identity-service is often not up at the first read, and a minute of the fallback
     * authority would otherwise follow.
     */
    @Scheduled(every = "${exchange.identity.first-read-retry}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void untilFirstRead() {
        if (!readSinceStart) {
            refresh();
        }
    }

    /**
     * Reads identity-service's register and stores it, replacing the stored copy; returns how many departments it
     * holds, or -1 when identity-service did not answer (or answered no department), the stored copy then kept.
     */
    public synchronized int refresh() {
        List<RegisteredDepartment> read;
        try {
            read = client.departments("true");
        } catch (RuntimeException e) {
            if (!lastRefreshFailed) {
                LOG.warnf("identity-service's department register unreachable, keeping the stored copy: %s",
                        e.getMessage());
            }
            lastRefreshFailed = true;
            load();
            return -1;
        }
        if (read == null || read.isEmpty()) {
            LOG.warn("identity-service's department register answered no department, keeping the stored copy");
            load();
            return -1;
        }
        if (lastRefreshFailed) {
            LOG.info("identity-service's department register reachable again");
        }
        lastRefreshFailed = false;
        readSinceStart = true;
        // a code is kept in upper case (identity-service's form; one code in either case is one department, once)
        Set<String> seen = new HashSet<>();
        List<RegisteredDepartment> valid = read.stream().filter(DepartmentRegister::valid)
                .filter(d -> seen.add(CreditCode.normalise(d.code()))).toList();
        QuarkusTransaction.requiringNew().run(() -> {
            // replicas refreshing together replace the copy one after the other
            em.createNativeQuery("SELECT pg_advisory_xact_lock(hashtext('department_register'))").getSingleResult();
            em.createNativeQuery("DELETE FROM department_register").executeUpdate();
            for (RegisteredDepartment d : valid) {
                em.createNativeQuery("INSERT INTO department_register (code, name, region_code, competent_authority, "
                        + "active, refreshed_at) VALUES (?1, ?2, ?3, ?4, ?5, now())").setParameter(1, CreditCode.normalise(d.code()))
                        .setParameter(2, d.name()).setParameter(3, d.regionCode())
                        .setParameter(4, d.competentAuthority()).setParameter(5, d.active()).executeUpdate();
            }
        });
        load();
        return valid.size();
    }

    /**
     * The 主管部门 of {@code region} (any of its 6-, 9- or 12-digit forms at county level or above) in the register:
     * an active department marked {@code competentAuthority} of that region; null when the register names none (or
     * the region is a township or village, or not a region code).
     */
    public Authority authorityOf(String region) {
        String r = Regions.authorityRegion(region);
        return r == null ? null : authorities.get(r);
    }

    /** {@link #authorityOf}'s code, or null. */
    public String authorityCodeOf(String region) {
        Authority a = authorityOf(region);
        return a == null ? null : a.code();
    }

    /** The register's names of these departments (active or not); a code it does not hold is left out. */
    @SuppressWarnings("unchecked")
    public Map<String, String> namesOf(Collection<String> codes) {
        Map<String, String> names = new HashMap<>();
        if (codes.isEmpty()) {
            return names;
        }
        for (Object[] row : (List<Object[]>) em.createNativeQuery(
                "SELECT code, name FROM department_register WHERE code IN (:codes)").setParameter("codes", codes)
                .getResultList()) {
            names.put((String) row[0], (String) row[1]);
        }
        return names;
    }

    @SuppressWarnings("unchecked")
    private void load() {
        List<Object[]> rows = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                "SELECT code, name, region_code FROM department_register WHERE competent_authority AND active "
                        + "ORDER BY code DESC").getResultList());
        Map<String, Authority> byRegion = new HashMap<>();
        for (Object[] row : rows) {
            String region = Regions.authorityRegion((String) row[2]);
            if (region != null) {
                // descending codes: the lowest code of a region is put last and counts
                byRegion.put(region, new Authority((String) row[0], (String) row[1]));
            }
        }
        authorities = Map.copyOf(byRegion);
    }

    private static boolean valid(RegisteredDepartment d) {
        return d != null && d.code() != null && CreditCode.normalise(d.code()).matches("[0-9A-Z]{18}")
                && d.name() != null
                && !d.name().isBlank() && d.name().length() <= 200 && Regions.prefix(d.regionCode()) != null;
    }
}
