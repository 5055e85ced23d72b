package cn.onenet.identity.demo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import cn.onenet.identity.config.IdentityConfig;
import cn.onenet.identity.model.Department;
import io.quarkus.runtime.StartupEvent;

/** Loads the demo province once, on the local run and in tests; production never has it switched on. */
@ApplicationScoped
public class DemoDataLoader {

    private static final Logger LOG = Logger.getLogger(DemoDataLoader.class);

    private final IdentityConfig config;
    private final EntityManager em;

    public DemoDataLoader(IdentityConfig config, EntityManager em) {
        this.config = config;
        this.em = em;
    }

    @Transactional
    void load(@Observes StartupEvent event) {
        if (!config.demo().enabled() || Department.count() > 0) {
            return;
        }
        for (String statement : script("/demo/regions-and-departments.sql").split(";\\s*\\n")) {
            String sql = statement.lines().filter(l -> !l.trim().startsWith("--")).reduce("", (a, b) -> a + "\n" + b);
            if (!sql.isBlank()) {
                em.createNativeQuery(sql).executeUpdate();
            }
        }
        LOG.infof("Demo data loaded: %d departments", Department.count());
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
