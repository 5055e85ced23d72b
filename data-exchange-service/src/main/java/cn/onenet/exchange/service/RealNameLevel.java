package cn.onenet.exchange.service;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import cn.onenet.common.problem.ApiException;
import cn.onenet.common.problem.ProblemType;
import cn.onenet.exchange.config.ExchangeConfig;
import io.quarkus.runtime.StartupEvent;

/**
 * The real-name level (实名等级, token claim {@code acr}, docs/token-claims.md) that the views keyed on the caller's own
 * identifier need: who used my data and my complaints ({@code exchange.citizens-view.min-acr}, L3 by default). A
 * self-registered account proves only a phone and a typed ID number (L2): anyone can register someone else's number,
 * so below the minimum those views are refused, 403 naming {@code requiredAcr}.
 */
@ApplicationScoped
public class RealNameLevel {

    public static final String PREFIX = "urn:onenet:loa:";

    private final ExchangeConfig config;

    public RealNameLevel(ExchangeConfig config) {
        this.config = config;
    }

    /** A minimum that is not a level would refuse (or admit) everyone: the service does not start with it. */
    void onStart(@Observes StartupEvent event) {
        required();
    }

    /** The configured minimum as a level 1–4. */
    int required() {
        int level = level(config.citizensView().minAcr());
        if (level == 0) {
            throw new IllegalStateException("exchange.citizens-view.min-acr must be one of " + PREFIX + "1 … " + PREFIX
                    + "4, not " + config.citizensView().minAcr());
        }
        return level;
    }

    /** The level an {@code acr} value names: 1–4, or 0 for none or anything else. */
    public static int level(String acr) {
        if (acr == null || acr.length() != PREFIX.length() + 1 || !acr.startsWith(PREFIX)) {
            return 0;
        }
        char c = acr.charAt(PREFIX.length());
        return c >= '1' && c <= '4' ? c - '0' : 0;
    }

    /**
     * Refuses the caller unless its token's level reaches the minimum. For an agent acting for an enterprise (token
     * claim {@code act}) the level is the agent's own: identity-service issues such a token with the level of the
     * agent's sign-in in {@code acr}; where the {@code act} object carries an {@code acr} of its own (another
     * provider), the lower of the two counts.
     *
     * @param acr the token's {@code acr}
     * @param agent whether the token names an agent ({@code act})
     * @param agentAcr the {@code acr} inside {@code act}, if any
     */
    public void require(String acr, boolean agent, String agentAcr) {
        int required = required();
        int level = level(acr);
        if (agent && agentAcr != null) {
            level = Math.min(level, level(agentAcr));
        }
        if (level >= required) {
            return;
        }
        String needed = PREFIX + required;
        String detail = "查看数据使用记录和投诉须实名认证等级 L" + required + " 及以上" + (level == 0 ? "" : "（当前 L" + level
                + "）") + (agent ? "：经办人本人" : "：") + "可到政务服务大厅线下核验身份，或完成刷脸认证后重新登录 / who used "
                + "your data and complaints need real-name level L" + required + " or higher" + (level == 0 ? ""
                        : " (this sign-in is L" + level + ")")
                + (agent ? "; the agent's own level counts" : "") + ": verify your identity in person at a service "
                + "centre, or by face recognition, then sign in again";
        Map<String, Object> extensions = new LinkedHashMap<>();
        extensions.put("requiredAcr", needed);
        extensions.put("acr", level == 0 ? null : PREFIX + level);
        extensions.values().removeIf(java.util.Objects::isNull);
        throw new ApiException(ProblemType.FORBIDDEN, detail, List.of(), extensions, Map.of());
    }
}
