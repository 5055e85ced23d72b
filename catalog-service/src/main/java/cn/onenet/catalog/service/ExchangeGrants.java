package cn.onenet.catalog.service;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import cn.onenet.catalog.client.ExchangeClient;
import cn.onenet.common.problem.ApiException;
import cn.onenet.common.problem.ProblemType;

/** Asks the exchange how many active grants an entry has; fails closed when it cannot tell. */
@ApplicationScoped
public class ExchangeGrants {

    private static final Logger LOG = Logger.getLogger(ExchangeGrants.class);

    private final ExchangeClient client;

    public ExchangeGrants(@RestClient ExchangeClient client) {
        this.client = client;
    }

    public int activeGrants(String resourceCode) {
        try {
            ExchangeClient.ActiveGrants answer = client
                    .activeGrants(URLEncoder.encode(resourceCode, StandardCharsets.UTF_8));
            if (answer == null) {
                throw new IllegalStateException("empty answer");
            }
            return answer.activeGrants();
        } catch (RuntimeException e) {
            LOG.warnf("Active-grants check for %s failed: %s", resourceCode, e.toString());
            throw new ApiException(ProblemType.UNAVAILABLE,
                    "无法向数据共享交换服务确认有效授权，注销或缩减共享的变更暂不能审批 / the exchange could not confirm active grants; "
                            + "deregistration or a narrowing change refused",
                    java.util.List.of(), Map.of(), Map.of());
        }
    }
}
