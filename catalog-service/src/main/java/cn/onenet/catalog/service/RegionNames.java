package cn.onenet.catalog.service;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;

import cn.onenet.catalog.client.IdentityClient;
import cn.onenet.catalog.client.IdentityClient.RegisteredRegion;

/**
 * The names of the GB/T 2260 regions (行政区划), read from identity-service's region register (public,
 * {@code GET /api/identity/v1/regions}), so the DCAT-AP export can label the regions it names. The register changes
 * rarely: the list is kept for {@link #FRESH} and read again after it. A name is an addition, never a condition: the
 * register is read in the background (at start, then checked every minute), never by a request, so an export never
 * waits for an identity-service that is down (up to its connect and read timeouts); while the register does not answer
 * the last list read is used (none before the first), and it is asked again after {@link #RETRY}.
 */
@ApplicationScoped
public class RegionNames {

    private static final Logger LOG = Logger.getLogger(RegionNames.class);
    static final Duration FRESH = Duration.ofMinutes(10);
    static final Duration RETRY = Duration.ofMinutes(1);

    private final IdentityClient client;
    private volatile Map<String, String> names = Map.of();
    private volatile Instant nextRead = Instant.MIN;

    public RegionNames(@RestClient IdentityClient client) {
        this.client = client;
    }

    /** The region's Chinese name, when the last list read from the register holds the code; never reads it. */
    public Optional<String> name(String code) {
        return Optional.ofNullable(names.get(code));
    }

    /** Reads the register when the list read last is older than {@link #FRESH} (or failed {@link #RETRY} ago). */
    @Scheduled(every = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public synchronized void refresh() {
        Instant now = Instant.now();
        if (!now.isAfter(nextRead)) {
            return;
        }
        nextRead = now.plus(RETRY);
        try {
            List<RegisteredRegion> regions = client.regions();
            Map<String, String> read = new HashMap<>();
            for (RegisteredRegion r : regions == null ? List.<RegisteredRegion>of() : regions) {
                if (r.code() != null && r.name() != null && !r.name().isBlank()) {
                    read.put(r.code(), r.name());
                }
            }
            names = Map.copyOf(read);
            nextRead = now.plus(FRESH);
        } catch (RuntimeException e) {
            LOG.warnf("Region register read failed, region names kept as they were: %s", e.toString());
        }
    }
}
