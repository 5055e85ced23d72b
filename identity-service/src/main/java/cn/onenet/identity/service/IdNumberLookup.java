package cn.onenet.identity.service;

import java.time.OffsetDateTime;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import cn.onenet.common.identifiers.ResidentIdNumber;
import cn.onenet.common.problem.ApiException;
import cn.onenet.identity.config.IdentityConfig;
import cn.onenet.identity.model.Account;
import cn.onenet.identity.model.AuditEvent;
import io.quarkus.hibernate.orm.panache.Panache;

/**
 * The exact lookup of accounts by 公民身份号码 for the counter and administrators (a citizen says "my account is
 * locked"; a name alone finds hundreds of 张伟). Only a complete number with a right check character is looked up,
 * compared whole with the stored one, never a part of it, so the list cannot be used to find numbers. It is a lookup
 * of personal data: each one is audited ({@code ACCOUNT_ID_NUMBER_LOOKUP}, a row per account shown, or one without an
 * account for an empty answer, the number masked) in the transaction of the answer, and a caller may write at most
 * {@code identity.id-number-lookup.max-per-hour} such rows within an hour, so a stolen session cannot walk through
 * a birth date's sequence numbers unnoticed.
 */
@ApplicationScoped
public class IdNumberLookup {

    /** The audit type of a lookup (written as a literal where it is recorded, as every type is). */
    public static final String EVENT = "ACCOUNT_ID_NUMBER_LOOKUP";
    private static final String SUCCESS = "SUCCESS";

    private final AccountService accounts;
    private final AuditService audit;
    private final IdentityConfig config;

    public IdNumberLookup(AccountService accounts, AuditService audit, IdentityConfig config) {
        this.accounts = accounts;
        this.audit = audit;
        this.config = config;
    }

    /**
     * The number as it is stored: spaces around it removed, full-width digits and {@code Ｘ} (a Chinese input method
     * types them) read as ASCII and a final {@code x} as {@code X}; then checked (GB 11643: 18 characters, a real birth
     * date, the check character), else a {@code 400} naming {@code idNumber}.
     */
    public static String lookupForm(String typed) {
        StringBuilder ascii = new StringBuilder(typed.strip().length());
        for (char c : typed.strip().toCharArray()) {
            ascii.append(c >= '０' && c <= '９' ? (char) (c - '０' + '0') : c == 'Ｘ' || c == 'ｘ' ? 'X' : c);
        }
        String number = ResidentIdNumber.normalise(ascii.toString());
        Optional<String> problem = ResidentIdNumber.problem(number);
        if (problem.isPresent()) {
            // the value typed is not repeated: it may be most of someone's number
            throw ApiException.field("idNumber", problem.get() + "；只能按完整的公民身份号码精确查找 / only a complete "
                    + "number is looked up");
        }
        return number;
    }

    /**
     * The account list filtered by the number in {@code query} (and its other filters), audited; {@code 429} with
     * {@code Retry-After} once the caller's lookups of the last hour reach the limit (that refusal audited as a
     * failure, and not counted).
     */
    @Transactional
    public ListPage<Account> search(AccountService.AccountQuery query, String actor) {
        String number = lookupForm(query.idNumber());
        // lookups of one caller wait for each other, so two at once cannot both take the last one of the hour
        Panache.getEntityManager().createNativeQuery("SELECT pg_advisory_xact_lock(hashtext(?1))")
                .setParameter(1, "identity-id-number-lookup:" + actor).getSingleResult();
        OffsetDateTime hourAgo = OffsetDateTime.now().minusHours(1);
        long recent = AuditEvent.count("eventType = ?1 and outcome = ?2 and actor = ?3 and at > ?4", EVENT, SUCCESS,
                actor, hourAgo);
        if (recent >= config.idNumberLookup().maxPerHour()) {
            AuditEvent oldest = AuditEvent.<AuditEvent>find("eventType = ?1 and outcome = ?2 and actor = ?3 and at > ?4"
                    + " order by at", EVENT, SUCCESS, actor, hourAgo).firstResult();
            audit.record("ACCOUNT_ID_NUMBER_LOOKUP", false, actor, null, null, null, "refused: more than "
                    + config.idNumberLookup().maxPerHour() + " an hour; idNumber=" + LogMask.masked(number));
            OffsetDateTime from = oldest == null ? OffsetDateTime.now() : oldest.at;
            throw LoginThrottle.rateLimited(from.plusHours(1));
        }
        ListPage<Account> found = accounts.search(new AccountService.AccountQuery(query.type(), query.q(),
                query.department(), query.role(), query.status(), number, query.page(), query.size()));
        String detail = "idNumber=" + LogMask.masked(number) + " matches=" + found.total();
        if (found.items().isEmpty()) {
            audit.recordInTransaction("ACCOUNT_ID_NUMBER_LOOKUP", actor, null, null, null, detail);
        }
        for (Account account : found.items()) {
            audit.recordInTransaction("ACCOUNT_ID_NUMBER_LOOKUP", actor, account.id.toString(), null, null, detail);
        }
        return found;
    }
}
