package cn.onenet.identity.service;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.arc.DefaultBean;

import cn.onenet.identity.model.Account;
import cn.onenet.identity.model.AccountType;

/**
 * The built-in verifier. L3 compares the name given as evidence with the account's registered name (the stand-in for
 * the population register until the exchange provides it); L4 requires an in-person or certificate method.
 */
@ApplicationScoped
@DefaultBean
public class DefaultLevelVerifier implements LevelVerifier {

    @Override
    public Result verify(Account account, int level, String method, String evidence) {
        if (level <= 2) {
            return Result.ok("format-check");
        }
        if (level == 3) {
            if (!"population-register".equals(method)) {
                return Result.refused("L3 需核验姓名与公民身份号码 / L3 needs method population-register");
            }
            if (account.type == AccountType.NATURAL_PERSON
                    && (evidence == null || !evidence.trim().equals(account.displayName))) {
                return Result.refused("姓名与身份号码不一致 / name and ID number do not match the register");
            }
            return Result.ok("population-register");
        }
        if (!"in-person".equals(method) && !"certificate".equals(method)) {
            return Result.refused("L4 需现场核验或数字证书 / L4 needs method in-person or certificate");
        }
        if (evidence == null || evidence.isBlank()) {
            return Result.refused("须提供核验记录编号或证书序列号 / evidence (record number or certificate serial) required");
        }
        return Result.ok(method);
    }
}
