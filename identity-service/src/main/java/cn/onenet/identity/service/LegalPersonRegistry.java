package cn.onenet.identity.service;

import java.util.Optional;

import cn.onenet.identity.model.RegistryStatus;

/**
 * The legal-person reference (法人库) an enterprise is checked against when its legal representative registers it,
 * pluggable like {@link LevelVerifier}: the default reads the table administrators load
 * ({@link TableLegalPersonRegistry}); a deployment can replace it with a call through the exchange to the market
 * regulator's register. The caller's ID number goes in and only whether the register names them comes out, so an
 * implementation never has to hand out who the representative is.
 */
public interface LegalPersonRegistry {

    /**
     * An enterprise as the reference knows it.
     *
     * @param representative whether the reference names the person asked about as its legal representative (法定代表人)
     * @param source         which reference answered (recorded as the account's {@code levelSource})
     */
    record Entry(String uscc, String name, RegistryStatus status, boolean representative, String source) {
    }

    /**
     * The enterprise with this 统一社会信用代码 (normalised, valid), and whether {@code representativeIdNumber} (a
     * 公民身份号码) is its legal representative; empty when the reference does not know the enterprise.
     */
    Optional<Entry> lookup(String uscc, String representativeIdNumber);
}
