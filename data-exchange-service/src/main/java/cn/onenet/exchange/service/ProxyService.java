package cn.onenet.exchange.service;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.annotation.PreDestroy;
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
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClientOptions;

/**
 * Proxied providers (X-Road style): the exchange forwards the keyed call to the provider's own endpoint with the
 * consumer's identity, purpose and grant, under a timeout and a per-provider circuit breaker. The endpoint's host
 * must resolve to an address the exchange connects to ({@link OutboundAddresses}), at registration and before every
 * call, and the call connects to the very address checked ({@link OutboundClient}: a name re-pointed in between
 * does not reach inside); a stored endpoint that is not usable (refused address, invalid URL) answers 502, never a
 * 500.
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
    private final OutboundClient http;
    private final Map<String, Breaker> breakers = new ConcurrentHashMap<>();
    /** Re-read every few seconds: a provider re-points its endpoint through any replica. */
    private final ReloadingCache<String, java.util.Optional<Endpoint>> endpoints = new ReloadingCache<>(
            Duration.ofSeconds(5));

    public ProxyService(EntityManager em, OutboundAddresses outbound, Vertx vertx) {
        this.em = em;
        this.outbound = outbound;
        // a connection per concurrent call to a provider, up to 64, reused while kept alive
        this.http = new OutboundClient(vertx, new WebClientOptions().setConnectTimeout(2000)
                .setUserAgent("onenet-data-exchange-proxy").setMaxPoolSize(64));
    }

    @PreDestroy
    void close() {
        http.close();
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
        URI url = OutboundAddresses.absoluteUrl(Fields.ENDPOINT_URL, cmd == null ? null : cmd.endpointUrl());
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
        OutboundAddresses.Target target = target(endpoint, key);
        if (target.address() == null) {
            // the name does not resolve (now): the provider is unreachable
            failure(b);
            throw unreachable();
        }
        int timeout = endpoint.timeoutMs();
        // the call connects to the address just checked; Host, SNI and the certificate check use the name
        HttpRequest<Buffer> req = http.request(HttpMethod.GET, target).timeout(timeout)
                .putHeader("Accept", "application/json")
                .putHeader("X-Consumer-Department", caller.department())
                .putHeader("X-Consumer-Client", caller.clientId() == null ? "" : caller.clientId())
                .putHeader("X-Consumer-User", caller.subject() == null ? "" : caller.subject())
                .putHeader("X-Grant-Id", Long.toString(grant.id()))
                .putHeader("X-Purpose", URLEncoder.encode(grant.purpose(), StandardCharsets.UTF_8))
                .putHeader("X-Request-Id", requestId == null ? "" : requestId);
        try {
            // the answer is due within the timeout as a whole, however slowly it trickles in
            HttpResponse<Buffer> resp = req.send().toCompletionStage().toCompletableFuture().get(timeout,
                    TimeUnit.MILLISECONDS);
            if (resp.statusCode() == 404) {
                success(b);
                return null;
            }
            if (resp.statusCode() != 200) {
                failure(b);
                throw providerFailed(ProblemType.BAD_GATEWAY,
                        "提供部门服务返回错误 / the provider's service answered " + resp.statusCode());
            }
            Buffer body = resp.body();
            Map<String, Object> record = Json.object(body == null ? "" : body.toString(StandardCharsets.UTF_8));
            success(b);
            return record;
        } catch (TimeoutException e) {
            failure(b);
            throw timedOut(timeout);
        } catch (ExecutionException e) {
            failure(b);
            throw switch (OutboundClient.failure(e.getCause() == null ? e : e.getCause())) {
                case TIMEOUT, CONNECT_TIMEOUT -> timedOut(timeout);
                case UNREACHABLE -> unreachable();
                case TLS, BROKEN -> unusable();
            };
        } catch (IllegalStateException e) {
            failure(b);
            throw unusable();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(ProblemType.UNAVAILABLE, "请求被中断 / interrupted");
        }
    }

    /**
     * Where to call, its host checked. An endpoint stored before registration checked URLs, or whose host now
     * resolves to a refused address, is the provider's misconfiguration: 502.
     */
    private OutboundAddresses.Target target(Endpoint endpoint, String key) {
        String sep = endpoint.url().contains("?") ? "&" : "?";
        URI uri;
        try {
            uri = new URI(endpoint.url() + sep + "key=" + URLEncoder.encode(key, StandardCharsets.UTF_8));
        } catch (URISyntaxException e) {
            uri = null;
        }
        String scheme = uri == null ? "" : OutboundAddresses.scheme(uri);
        if (uri == null || uri.getHost() == null || !("http".equals(scheme) || "https".equals(scheme))
                || !OutboundAddresses.portUsable(uri)) {
            throw providerFailed(ProblemType.BAD_GATEWAY,
                    "提供部门登记的服务地址无效 / the provider's registered endpoint is not a valid URL");
        }
        try {
            return outbound.target(uri);
        } catch (OutboundAddresses.Refused e) {
            throw providerFailed(ProblemType.BAD_GATEWAY,
                    "提供部门登记的服务地址不予连接 / the provider's endpoint address is refused");
        }
    }

    private static ApiException timedOut(int timeoutMs) {
        return providerFailed(ProblemType.GATEWAY_TIMEOUT,
                "提供部门服务超时 / the provider's service did not answer within " + timeoutMs + " ms");
    }

    private static ApiException unreachable() {
        return providerFailed(ProblemType.BAD_GATEWAY, "无法连接提供部门服务 / the provider's service is unreachable");
    }

    private static ApiException unusable() {
        return providerFailed(ProblemType.BAD_GATEWAY, "提供部门服务响应无效 / the provider's answer was unusable");
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
