package cn.onenet.exchange.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Typed settings of data-exchange-service (prefix {@code exchange}). */
@ConfigMapping(prefix = "exchange")
public interface ExchangeConfig {

    String serviceName();

    /** Page size cap for list endpoints. */
    @WithDefault("200")
    int maxPageSize();

    /** 统一社会信用代码 of the 主管部门 (the big-data bureau): receives escalations, runs disputes, signs checkpoints. */
    String competentAuthorityDepartment();

    /** Key of the HMAC that turns ID numbers into lookup hashes for the usage log (never stored in clear). */
    String subjectHashKey();

    Catalog catalog();

    Demo demo();

    Quota quota();

    Bench bench();

    interface Catalog {
        /** How often the catalogue change feed is polled. */
        @WithDefault("10s")
        Duration pollInterval();

        @WithDefault("500")
        int pageSize();
    }

    interface Demo {
        @WithDefault("false")
        boolean enabled();
    }

    interface Quota {
        /** Default calls per second of a new grant. */
        @WithDefault("50")
        int perSecond();

        /** Default calls per day of a new grant. */
        @WithDefault("100000")
        int perDay();
    }

    interface Bench {
        /** Serves the bare primary-key SELECT baseline route (role admin) for the benchmark script. */
        @WithDefault("false")
        boolean enabled();
    }

    /** How often the usage-log chain head is signed as a checkpoint. */
    @WithDefault("5m")
    Duration checkpointInterval();
}
