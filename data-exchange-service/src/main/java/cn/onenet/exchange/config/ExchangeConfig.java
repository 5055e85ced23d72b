package cn.onenet.exchange.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;

/** Typed settings of data-exchange-service (prefix {@code exchange}). */
@ConfigMapping(prefix = "exchange")
public interface ExchangeConfig {

    String serviceName();

    /** Page size cap for list endpoints. */
    @WithDefault("200")
    int maxPageSize();

    /**
     * The longest period a share request may ask for (ISO 8601): its {@code periodTo} at most this after its
     * {@code periodFrom}, or after the filing day when that is later. A grant is time-limited (R12, R14): one that never
     * ends is never brought up for review.
     */
    @WithDefault("P3Y")
    java.time.Period maxGrantPeriod();

    /**
     * 统一社会信用代码 of the 主管部门 (the big-data bureau): receives escalations, runs disputes, signs checkpoints. In
     * any letter case; used in upper case, as tokens carry it.
     */
    @WithConverter(DepartmentCodeConverter.class)
    String competentAuthorityDepartment();

    /** Key of the HMAC that turns ID numbers into lookup hashes for the usage log (never stored in clear). */
    String subjectHashKey();

    Catalog catalog();

    Identity identity();

    Demo demo();

    Quota quota();

    Bench bench();

    Seal seal();

    Webhook webhook();

    Export export();

    Outbound outbound();

    Covert covert();

    UsageRecords usageRecords();

    CitizensView citizensView();

    Reason reason();

    Disposal disposal();

    /** Disposal of the data when a grant ends (R14, 条例第二十七条第一款、第四十条第四项). */
    interface Disposal {
        /** Working days after the grant was terminated or expired within which the consumer confirms disposal. */
        @WithDefault("10")
        int workingDays();

        /** The consumer is reminded once when the due day is at most this many working days away. */
        @WithDefault("3")
        int reminderWorkingDays();
    }

    /** The reason (事由) a department system states for a keyed lookup in X-Onenet-Reason. */
    interface Reason {
        /**
         * Whether every keyed lookup must state one (400 naming the header without it); by default it is optional.
         * Grants carry no per-grant conditions of this kind, so the switch is service-wide.
         */
        @WithDefault("false")
        boolean required();
    }

    /**
     * The views keyed on the caller's own identifier ({@code cn_id}, {@code uscc}): who used my data and my
     * complaints. A self-registered account proves only a phone and a typed ID number (L2), so these views need a
     * verified real-name level.
     */
    interface CitizensView {
        /**
         * The lowest {@code acr} (urn:onenet:loa:1 … urn:onenet:loa:4, docs/token-claims.md) of the token, and of the
         * agent acting for an enterprise, that reads these views or complains.
         */
        @WithDefault("urn:onenet:loa:3")
        String minAcr();
    }

    /** Usage records per grant (使用记录, 条例第二十九条第二款, R16). */
    interface UsageRecords {
        /**
         * How often the consumer states the outcomes (应用成效) of an ACTIVE grant (ISO 8601 period): one issued longer
         * ago with no OUTCOME record within it is overdue, and its consumer is told once per overdue period.
         */
        @WithDefault("P1Y")
        java.time.Period outcomeInterval();
    }

    /**
     * Covert queries (X-Covert-Until + X-Covert-Legal-Basis, R21): hidden from the citizens' view for a bounded time, on
     * a cited legal basis.
     */
    interface Covert {
        /** The longest a covert query stays hidden: X-Covert-Until at most today plus this (ISO 8601 period). */
        @WithDefault("P1Y")
        java.time.Period maxPeriod();

        /** The fewest characters (code points) of a legal basis; it must also cite a law or an article. */
        @WithDefault("6")
        int minLegalBasisLength();
    }

    /**
     * Where the exchange connects on a department's behalf (webhook receivers, proxied providers' endpoints): only to
     * public addresses. Loopback, private (10/8, 172.16/12, 192.168/16, fc00::/7), link-local (169.254/16, fe80::/10),
     * shared (100.64/10), unspecified, multicast and reserved addresses, and their IPv4-mapped forms, are refused at
     * registration and again at each connection.
     */
    interface Outbound {
        /** Allows loopback addresses (development, the local run with demo data, tests). */
        @WithDefault("false")
        boolean allowLoopback();

        /**
         * Host names or IP literals exempt from the address rule, e.g. a receiver on the government extranet
         * ({@code exchange.outbound.allowed-hosts=gateway.zwww.internal,10.20.0.15}). Compared exactly, case-insensitively.
         */
        java.util.Optional<java.util.List<String>> allowedHosts();
    }

    interface Export {
        /**
         * Records per part of a bulk export: the job writes the file in parts of at most this many records, the
         * download sends it part by part, each with its own usage-log entry; nothing holds more than one part.
         */
        @WithDefault("2000")
        int partRecords();

        /** Rows the database cursor hands the export job at a time. */
        @WithDefault("500")
        int fetchSize();
    }

    interface Seal {
        /** Algorithm of a department's first seal key: EdDSA, ES256, RS256 or SM2SM3. */
        @WithDefault("EdDSA")
        String defaultAlgorithm();

        /**
         * Per provider department (统一社会信用代码 → algorithm), e.g. {@code exchange.seal.algorithm."1133…"=SM2SM3};
         * the code in any letter case ({@link cn.onenet.exchange.service.SealService}).
         */
        java.util.Map<String, String> algorithm();

        /**
         * Ed25519 seals signed with libsodium (bundled with lazysodium, called through JNA): the same RFC 8032
         * signatures in about half the CPU time of Bouncy Castle. Where the library cannot load, or with false,
         * Bouncy Castle signs.
         */
        @WithDefault("true")
        boolean nativeEd25519();
    }

    interface Webhook {
        /** Allows plain http to 127.0.0.1 / localhost receivers (development and tests); otherwise https only. */
        @WithDefault("false")
        boolean allowLoopbackHttp();

        /** How often the outbox is drained. */
        @WithDefault("1s")
        Duration pollInterval();

        /** First retry delay; doubled per attempt, plus up to 50 % jitter. */
        @WithDefault("2s")
        Duration backoffBase();

        @WithDefault("10m")
        Duration backoffMax();

        /** Attempts per event before the subscription is marked failing. */
        @WithDefault("8")
        int maxAttempts();

        /**
         * How long one attempt may wait for the answer once connected (and its request sent); an attempt timed out
         * this way has left the exchange.
         */
        @WithDefault("5s")
        Duration timeout();

        /**
         * How long one attempt may take to get a connection (TCP connect, or a free pooled one); an attempt timed out
         * this way sent nothing.
         */
        @WithDefault("2s")
        Duration connectTimeout();

        /** Events sent per subscription per drain before others get their turn. */
        @WithDefault("50")
        int batch();
    }

    interface Catalog {
        /** How often the catalogue change feed is polled. */
        @WithDefault("10s")
        Duration pollInterval();

        @WithDefault("500")
        int pageSize();

        /**
         * How often each replica asks the catalogue whether its working-day calendar changed (a conditional GET of
         * {@code /api/catalog/v1/calendar/snapshot}) and reloads the copy another replica stored: the longest an
         * admin's edit takes to reach this service's deadlines.
         */
        @WithDefault("30s")
        Duration calendarInterval();
    }

    interface Identity {
        /**
         * How often identity-service's department register ({@code GET /api/identity/v1/departments}, at
         * {@code quarkus.rest-client.identity.url}) is read again: the longest a change of a region's 主管部门 takes to
         * reach the disputes and notices routed there.
         */
        @WithDefault("60s")
        Duration pollInterval();

        /**
         * Until identity-service has answered once since start, how often the register is asked again (a duration, or
         * {@code off}); read by the scheduler.
         */
        @WithDefault("5s")
        String firstReadRetry();
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

        /**
         * Where the grants' quota state is kept: {@code postgresql}, this service's database, shared by every replica
         * and kept across restarts; or {@code memory}, this replica alone (a single replica, e.g. on a laptop).
         */
        @WithDefault("postgresql")
        Store store();

        enum Store {
            POSTGRESQL,
            MEMORY
        }
    }

    interface Bench {
        /** Serves the bare primary-key SELECT baseline route (role admin) for the benchmark script. */
        @WithDefault("false")
        boolean enabled();
    }

    /** How often the usage-log chain head is signed as a checkpoint. */
    @WithDefault("5m")
    Duration checkpointInterval();

    /**
     * Under concurrent load (the previous usage-log batch held more than one entry) the writer waits up to this long
     * after the first entry for more before committing: fewer, larger commits. 0 commits at once.
     */
    @WithDefault("1ms")
    Duration usageLogGatherWindow();
}
