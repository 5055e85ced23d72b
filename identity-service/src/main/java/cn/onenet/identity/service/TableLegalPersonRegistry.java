package cn.onenet.identity.service;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.arc.DefaultBean;

import cn.onenet.identity.config.LegalPersonRegistryConfig;
import cn.onenet.identity.model.LegalPersonRecord;

/**
 * The built-in legal-person reference: the {@code legal_person_registry} table administrators load
 * ({@link LegalPersonRegistryLoader}). The representative is matched by the keyed digest of the caller's ID number.
 */
@ApplicationScoped
@DefaultBean
public class TableLegalPersonRegistry implements LegalPersonRegistry {

    /** Digests of representatives' ID numbers never match digests made for other uses. */
    static final String DIGEST_PURPOSE = "legal-representative-id";

    private final Pseudonyms pseudonyms;
    private final LegalPersonRegistryConfig config;

    public TableLegalPersonRegistry(Pseudonyms pseudonyms, LegalPersonRegistryConfig config) {
        this.pseudonyms = pseudonyms;
        this.config = config;
    }

    @Override
    public Optional<Entry> lookup(String uscc, String representativeIdNumber) {
        LegalPersonRecord row = LegalPersonRecord.findById(uscc);
        if (row == null) {
            return Optional.empty();
        }
        boolean representative = representativeIdNumber != null
                && row.representativeIdDigest.equals(digest(representativeIdNumber));
        return Optional.of(new Entry(row.uscc, row.name, row.status, representative, config.source()));
    }

    /** The keyed digest of a 公民身份号码 as the table keeps it (upper-case check character). */
    public String digest(String idNumber) {
        return pseudonyms.of(DIGEST_PURPOSE, idNumber.strip().toUpperCase());
    }
}
