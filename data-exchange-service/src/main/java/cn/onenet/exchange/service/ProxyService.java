package cn.onenet.exchange.service;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import cn.onenet.common.problem.ApiException;
import cn.onenet.common.problem.FailureOrigin;
import cn.onenet.common.problem.ProblemType;
import cn.onenet.exchange.model.CatalogEntry;
import cn.onenet.exchange.service.Commands.RegisterProxy;
import cn.onenet.exchange.service.GrantService.GrantView;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Proxied providers (X-Road style): the exchange forwards the keyed call to the provider's own endpoint with the
 * consumer's identity, purpose and grant, under a timeout and a per-provider circuit breaker. The endpoint's host
 * must resolve to an address the exchange connects to ({@link OutboundAddresses}), at registration and before every
 * call; a stored endpoint that is not usable (refused address, invalid URL) answers 502, never a 500.
 */
@ApplicationScoped
public class ProxyService {

    public record Endpoint(String url, int timeoutMs) {
    }

    /** Consecutive failures that open the circuit, and how long it stays open. */
    static final int FAILURE_THRESHOLD = 5;
    static final long OPEN_MILLIS = 15_000;

    private static final class Breaker {
        int failures;
        long openUntil;
    }

    private final EntityManager em;
    private final OutboundAddresses outbound;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Map<String, Breaker> breakers = new ConcurrentHashMap<>();
    /** Re-read every few seconds: a provider re-points its endpoint through any replica. */
    private final ReloadingCache<String, java.util.Optional<Endpoint>> endpoints = new ReloadingCache<>(
            Duration.ofSeconds(5));

    public ProxyService(EntityManager em, OutboundAddresses outbound) {
        this.em = em;
        this.outbound = outbound;
    }

    /** The endpoint as registered, under the code the resource carries now. */
    public record Registration(String resourceCode, Endpoint endpoint) {
    }

    @Transactional
    public Registration register(Caller caller, String code, RegisterProxy cmd) {
        CatalogEntry entry = CatalogEntry.findCurrent(code);
        if (entry == null) {
            throw ApiException.notFound("目录中没有该资源 / no catalogue entry " + code);
        }
        String resourceCode = entry.resourceCode;
        // only the provider's own staff and systems: lookups, with their keys, go to the endpoint registered here
        if (!entry.providerDepartmentCode.equals(caller.department())) {
            throw ApiException.forbidden("只有提供部门可以登记服务 / only the providing department registers it");
        }
        URI url = OutboundAddresses.absoluteUrl("endpointUrl", cmd == null ? null : cmd.endpointUrl());
        String scheme = OutboundAddresses.scheme(url);
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            throw ApiException.field("endpointUrl", "须为 http(s) 地址 / an http(s) URL is required");
        }
        outbound.checkRegistered("endpointUrl", url);
        String endpointUrl = url.toString();
        int timeout = cmd.timeoutMs() == null ? 3000 : cmd.timeoutMs();
        if (timeout < 100 || timeout > 30_000) {
            throw ApiException.field("timeoutMs", "100–30000 毫秒 / 100 to 30000 ms");
        }
        em.createNativeQuery("INSERT INTO proxied_service (resource_code, endpoint_url, timeout_ms, registered_by) "
                + "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (resource_code) DO UPDATE SET endpoint_url = EXCLUDED.endpoint_url, "
                + "timeout_ms = EXCLUDED.timeout_ms, registered_by = EXCLUDED.registered_by")
                .setParameter(1, resourceCode).setParameter(2, endpointUrl).setParameter(3, timeout)
                .setParameter(4, caller.subject()).executeUpdate();
        endpoints.remove(resourceCode);
        breakers.remove(resourceCode);
        return new Registration(resourceCode, new Endpoint(endpointUrl, timeout));
    }

    /** A resource moved to a new code: its endpoint is read again under the new one. */
    void codeMoved(@Observes ResourceCodeMoves.Moved moved) {
        for (String code : List.of(moved.from(), moved.to())) {
            endpoints.remove(code);
            breakers.remove(code);
        }
    }

    @SuppressWarnings("unchecked")
    public Endpoint endpoint(String resourceCode) {
        return endpoints.get(resourceCode, rc -> QuarkusTransaction.requiringNew().call(() -> {
            List<Object[]> rows = em.createNativeQuery(
                    "SELECT endpoint_url, timeout_ms FROM proxied_service WHERE resource_code = ?1")
                    .setParameter(1, rc).getResultList();
            return rows.isEmpty() ? java.util.Optional.<Endpoint>empty()
                    : java.util.Optional.of(new Endpoint((String) rows.get(0)[0], ((Number) rows.get(0)[1]).intValue()));
        })).orElse(null);
    }

    /** Calls the provider; null when it has no such record. Failures are 502/503/504 problems. */
    public Map<String, Object> fetch(Endpoint endpoint, String resourceCode, String key, GrantView grant,
            Caller caller, String requestId) {
        Breaker b = breakers.computeIfAbsent(resourceCode, rc -> new Breaker());
        synchronized (b) {
            if (b.openUntil > System.currentTimeMillis()) {
                throw new ApiException(ProblemType.UNAVAILABLE,
                        "提供部门服务暂不可用（熔断中）/ the provider's service is failing, circuit open", List.of(),
                        Map.of(), Map.of("Retry-After", Long.toString(OPEN_MILLIS / 1000), FailureOrigin.HEADER,
                                FailureOrigin.DOWNSTREAM));
            }
        }
        HttpRequest req = HttpRequest.newBuilder(target(endpoint, key))
                .timeout(Duration.ofMillis(endpoint.timeoutMs()))
                .header("Accept", "application/json")
                .header("X-Consumer-Department", caller.department())
                .header("X-Consumer-Client", caller.clientId() == null ? "" : caller.clientId())
                .header("X-Consumer-User", caller.subject() == null ? "" : caller.subject())
                .header("X-Grant-Id", Long.toString(grant.id()))
                .header("X-Purpose", URLEncoder.encode(grant.purpose(), StandardCharsets.UTF_8))
                .header("X-Request-Id", requestId == null ? "" : requestId)
                .GET().build();
        try {
            HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (resp.statusCode() == 404) {
                success(b);
                return null;
            }
            if (resp.statusCode() != 200) {
                failure(b);
                throw providerFailed(ProblemType.BAD_GATEWAY,
                        "提供部门服务返回错误 / the provider's service answered " + resp.statusCode());
            }
            Map<String, Object> record = Json.object(resp.body());
            success(b);
            return record;
        } catch (HttpTimeoutException e) {
            failure(b);
            throw providerFailed(ProblemType.GATEWAY_TIMEOUT,
                    "提供部门服务超时 / the provider's service did not answer within " + endpoint.timeoutMs() + " ms");
        } catch (ConnectException e) {
            failure(b);
            throw providerFailed(ProblemType.BAD_GATEWAY, "无法连接提供部门服务 / the provider's service is unreachable");
        } catch (IOException | IllegalStateException e) {
            failure(b);
            throw providerFailed(ProblemType.BAD_GATEWAY, "提供部门服务响应无效 / the provider's answer was unusable");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(ProblemType.UNAVAILABLE, "请求被中断 / interrupted");
        }
    }

    /**
     * The URI to call, its host checked. An endpoint stored before registration checked URLs, or whose host now
     * resolves to a refused address, is the provider's misconfiguration: 502.
     */
    private URI target(Endpoint endpoint, String key) {
        String sep = endpoint.url().contains("?") ? "&" : "?";
        URI uri;
        try {
            uri = new URI(endpoint.url() + sep + "key=" + URLEncoder.encode(key, StandardCharsets.UTF_8));
        } catch (URISyntaxException e) {
            uri = null;
        }
        String scheme = uri == null ? "" : OutboundAddresses.scheme(uri);
        if (uri == null || uri.getHost() == null || !("http".equals(scheme) || "https".equals(scheme))) {
            throw providerFailed(ProblemType.BAD_GATEWAY,
                    "提供部门登记的服务地址无效 / the provider's registered endpoint is not a valid URL");
        }
        try {
            // the JVM caches the answer (networkaddress.cache.ttl): the client connects to the address checked here
            outbound.resolve(uri.getHost());
        } catch (OutboundAddresses.Refused e) {
            if (!e.unresolved()) {
                throw providerFailed(ProblemType.BAD_GATEWAY,
                        "提供部门登记的服务地址不予连接 / the provider's endpoint address is refused");
            }
            // a name that does not resolve fails to connect below (502 unreachable)
        }
        return uri;
    }

    /** The provider failed, not this service: marked so the gateway neither retries nor counts it (FailureOrigin). */
    private static ApiException providerFailed(ProblemType type, String detail) {
        return new ApiException(type, detail, List.of(), Map.of(), Map.of(FailureOrigin.HEADER,
                FailureOrigin.DOWNSTREAM));
    }

    private static void success(Breaker b) {
        synchronized (b) {
            b.failures = 0;
        }
    }

    private static void failure(Breaker b) {
        synchronized (b) {
            b.failures++;
            if (b.failures >= FAILURE_THRESHOLD) {
                b.openUntil = System.currentTimeMillis() + OPEN_MILLIS;
                b.failures = 0;
            }
        }
    }
}
