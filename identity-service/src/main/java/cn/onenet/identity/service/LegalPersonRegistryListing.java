package cn.onenet.identity.service;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import cn.onenet.identity.model.Account;
import cn.onenet.identity.model.AccountType;
import cn.onenet.identity.model.LegalPersonRecord;
import cn.onenet.identity.model.RepresentativeChange;
import io.quarkus.panache.common.Sort;

/**
 * What administrators and auditors read of the legal-person reference (法人库) and of the changes its loads recorded:
 * never an ID number nor its digest, persons' names masked.
 */
@ApplicationScoped
public class LegalPersonRegistryListing {

    /** A reference row; {@code accountExists}: an enterprise account (not closed) has its code. */
    public record Entry(String uscc, String name, String status, String statusLabel, OffsetDateTime loadedAt,
            String loadedBy, boolean accountExists) {
    }

    /** A recorded change; representatives by masked name only. */
    public record Change(UUID id, String kind, String uscc, String enterpriseName, String recordedRepresentative,
            String newRepresentative, String previousStatus, String registryStatus, OffsetDateTime detectedAt,
            String detectedBy, OffsetDateTime endedAt, String outcome) {
    }

    /** Rows whose code contains {@code uscc} (any case), by code; a bad filter, page or size is a 400 naming it. */
    public ListPage<Entry> rows(String uscc, Integer page, Integer size) {
        ListFilter filter = new ListFilter();
        filter.contains("uscc", uscc).ifPresent(q -> filter.and("lower(uscc) like :q escape '!'", "q", q));
        ListPage<LegalPersonRecord> found = filter.page(page, size, (where, params) -> LegalPersonRecord.find(where,
                Sort.by("uscc"), params));
        Set<String> registered = found.items().isEmpty() ? Set.of()
                : Account.<Account>list("uscc in ?1 and type = ?2 and status <> 'CLOSED'", found.items().stream()
                        .map(r -> r.uscc).toList(), AccountType.LEGAL_PERSON).stream().map(a -> a.uscc)
                        .collect(Collectors.toSet());
        Map<String, String> actors = new java.util.HashMap<>();
        return new ListPage<>(found.items().stream().map(r -> new Entry(r.uscc, r.name, r.status.name(),
                r.status.label, r.loadedAt, actor(actors, r.loadedBy), registered.contains(r.uscc))).toList(),
                found.total());
    }

    /** The recorded changes, newest first, of codes containing {@code uscc} and of one {@code kind} when given. */
    public ListPage<Change> changes(String uscc, String kind, Integer page, Integer size) {
        ListFilter filter = new ListFilter();
        filter.contains("uscc", uscc).ifPresent(q -> filter.and("lower(uscc) like :q escape '!'", "q", q));
        if (kind != null) {
            String k = kind.strip().toUpperCase(Locale.ROOT);
            if (List.of(RepresentativeChange.REPRESENTATIVE, RepresentativeChange.STATUS).contains(k)) {
                filter.and("kind = :kind", "kind", k);
            } else {
                filter.error("kind", "允许的值：REPRESENTATIVE、STATUS / one of REPRESENTATIVE, STATUS");
            }
        }
        ListPage<RepresentativeChange> found = filter.page(page, size, (where, params) -> RepresentativeChange
                .find(where, Sort.descending("detectedAt").and("id"), params));
        Set<UUID> ids = new java.util.HashSet<>();
        for (RepresentativeChange c : found.items()) {
            ids.add(c.enterpriseId);
            if (c.recordedRepresentativeId != null) {
                ids.add(c.recordedRepresentativeId);
            }
            if (c.newRepresentativeId != null) {
                ids.add(c.newRepresentativeId);
            }
        }
        Map<UUID, Account> accounts = ids.isEmpty() ? Map.of() : Account.<Account>list("id in ?1", ids).stream()
                .collect(Collectors.toMap(a -> a.id, Function.identity()));
        Map<String, String> actors = new java.util.HashMap<>();
        return new ListPage<>(found.items().stream().map(c -> new Change(c.id, c.kind, c.uscc,
                name(accounts.get(c.enterpriseId), false), name(accounts.get(c.recordedRepresentativeId), true),
                name(accounts.get(c.newRepresentativeId), true),
                c.previousStatus == null ? null : c.previousStatus.name(),
                c.registryStatus == null ? null : c.registryStatus.name(), c.detectedAt, actor(actors, c.detectedBy),
                c.endedAt,
                c.outcome)).toList(), found.total());
    }

    /** The administrator who loaded, by login name (the token's subject is their account id), looked up once. */
    private static String actor(Map<String, String> known, String actor) {
        return known.computeIfAbsent(actor, a -> {
            try {
                Account account = Account.findById(UUID.fromString(a));
                return account == null ? a : account.username;
            } catch (IllegalArgumentException notAnId) {
                return a;
            }
        });
    }

    private static String name(Account account, boolean person) {
        if (account == null) {
            return null;
        }
        // the family name only, enough to tell the two persons of a change apart
        return person ? AuditWords.maskName(account.displayName) : account.displayName;
    }
}
