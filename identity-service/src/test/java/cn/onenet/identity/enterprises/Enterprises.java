package cn.onenet.identity.enterprises;

import static io.restassured.RestAssured.given;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import cn.onenet.common.identifiers.CreditCode;
import cn.onenet.common.identifiers.ResidentIdNumber;
import cn.onenet.identity.model.Account;
import cn.onenet.identity.model.AccountType;
import cn.onenet.identity.model.OutboxMessage;
import cn.onenet.identity.oidc.OidcFlow;
import cn.onenet.identity.service.AccountService;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.restassured.response.Response;

/** Fresh persons and enterprise codes, and the registry loaded through the API as the demo administrator. */
final class Enterprises {

    static final String ME = "/api/identity/v1/me/enterprises";
    static final String REGISTRY = "/api/identity/v1/legal-person-registry";
    private static final String CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    private static final AtomicInteger SEQ = new AtomicInteger(ThreadLocalRandom.current().nextInt(5000));

    private Enterprises() {
    }

    /** A natural person with an account, a phone and a real-name level. */
    record Person(UUID id, String idNumber, String name, String phone) {
        String token() {
            return OidcFlow.accessToken("test-web", idNumber);
        }
    }

    static Person person(AccountService accounts, String name, int level) {
        int n = SEQ.incrementAndGet();
        String first17 = "330108" + LocalDate.of(1950, 1, 1).plusDays(n * 3L).toString().replace("-", "")
                + String.format("%03d", 100 + n % 800);
        String idNumber = first17 + ResidentIdNumber.checkCharacter(first17);
        String phone = "136" + String.format("%08d", ThreadLocalRandom.current().nextInt(100_000_000));
        Account a = QuarkusTransaction.requiringNew().call(() -> accounts.create(new AccountService.NewAccount(
                AccountType.NATURAL_PERSON, null, name, idNumber, null, null, null, null, OidcFlow.PASSWORD, null,
                phone), "test"));
        QuarkusTransaction.requiringNew().run(() -> Account.update("level = ?1 where id = ?2", level, a.id));
        return new Person(a.id, idNumber, name, phone);
    }

    /** A valid 统一社会信用代码 nobody uses (check character computed). */
    static String uscc() {
        StringBuilder b = new StringBuilder("91330108");
        for (int i = 0; i < 9; i++) {
            b.append(CODE_ALPHABET.charAt(ThreadLocalRandom.current().nextInt(CODE_ALPHABET.length())));
        }
        return b.append(CreditCode.checkCharacter(b.toString())).toString();
    }

    static String admin() {
        return OidcFlow.accessToken("test-web", "dsj.admin");
    }

    static Map<String, Object> row(String uscc, String name, String idNumber, String status) {
        return Map.of("uscc", uscc, "name", name, "representativeIdNumber", idNumber, "status", status);
    }

    static Response load(String token, List<Map<String, Object>> rows) {
        return given().auth().oauth2(token).contentType("application/json").body(Map.of("rows", rows)).post(REGISTRY);
    }

    static Response register(String token, String uscc, String name) {
        return given().auth().oauth2(token).contentType("application/json")
                .body(Map.of("uscc", uscc, "name", name)).post(ME);
    }

    static List<OutboxMessage> told(UUID account, String kind) {
        return OutboxMessage.list("accountId = ?1 and kind = ?2 order by id", account, kind);
    }
}
