package cn.onenet.identity.service;

import cn.onenet.identity.model.Account;

/**
 * Real-name verification (实名核验), pluggable: the default implementation accepts L1/L2 by format, L3 against a
 * population-register check (replaceable by an exchange call to the population resource) and L4 only as an
 * in-person or certificate verification recorded by an administrator.
 */
public interface LevelVerifier {

    record Result(boolean verified, String source, String reason) {
        public static Result ok(String source) {
            return new Result(true, source, null);
        }

        public static Result refused(String reason) {
            return new Result(false, null, reason);
        }
    }

    /**
     * @param method   how the level is claimed: {@code format-check}, {@code population-register}, {@code in-person},
     *                 {@code certificate}
     * @param evidence what the checker needs (e.g. the name as on the ID card, a certificate serial); never stored
     */
    Result verify(Account account, int level, String method, String evidence);
}
