package cn.onenet.identity.accounts;

import java.util.Set;

import cn.onenet.identity.model.AccountType;
import cn.onenet.identity.oidc.OidcFlow;
import cn.onenet.identity.service.AccountService;
import io.quarkus.arc.Arc;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Administrators a test needs as its set-up, created and disabled through the account service, as an operator of the
 * installation would: the API would make each wait for a second administrator (双人复核), which is what
 * {@code AdminChangeTest} and {@code AdminChangeKindsTest} exercise, not what every other test is about.
 */
public final class TestAdministrators {

    private TestAdministrators() {
    }

    /** A new enabled civil servant {@code username} of {@code departmentCode} with {@code roles}; its id. */
    public static String create(String username, String departmentCode, Set<String> roles) {
        return create(username, departmentCode, roles, null);
    }

    /** The same, with the phone number on file (may be null). */
    public static String create(String username, String departmentCode, Set<String> roles, String phone) {
        AccountService accounts = Arc.container().instance(AccountService.class).get();
        return QuarkusTransaction.requiringNew().call(() -> accounts.create(new AccountService.NewAccount(
                AccountType.CIVIL_SERVANT, username, "复核测试员", null, null, departmentCode, null, roles,
                OidcFlow.PASSWORD, null, phone), "test").id.toString());
    }

    /** Disables the account, so the demo's dsj.admin stays the only administrator who can act. */
    public static void disable(String accountId) {
        AccountService accounts = Arc.container().instance(AccountService.class).get();
        QuarkusTransaction.requiringNew().run(() -> accounts.setStatus(java.util.UUID.fromString(accountId), false,
                "test"));
    }
}
