package cn.onenet.identity.service;

import java.util.List;
import java.util.Set;

/**
 * What a scope discloses, in plain language for the consent page: the personal data it releases
 * ({@link TokenService#disclosed}) or the access it gives, in Chinese and English.
 */
public record ScopeDisclosure(String scope, String zh, String en) {

    /** One line per scope, in the order given; a scope without its own wording is named as an API. */
    public static List<ScopeDisclosure> of(Set<String> scopes) {
        return scopes.stream().map(ScopeDisclosure::of).toList();
    }

    static ScopeDisclosure of(String scope) {
        return switch (scope) {
            case "openid" -> new ScopeDisclosure(scope, "您的账户标识（用于确认是您本人登录）",
                    "An identifier of your account (to recognise that it is you who signed in)");
            case "profile" -> new ScopeDisclosure(scope, "姓名（企业账户为企业名称）",
                    "Your name (for an enterprise account, the enterprise's name)");
            case "id_number" -> new ScopeDisclosure(scope, "公民身份号码", "Your citizen identity number (公民身份号码)");
            case "phone" -> new ScopeDisclosure(scope, "手机号", "Your mobile phone number");
            case "email" -> new ScopeDisclosure(scope, "电子邮箱", "Your e-mail address");
            case "offline_access" -> new ScopeDisclosure(scope, "在您本次登录期间持续访问，无需再次登录",
                    "Continued access while you stay signed in, without signing in again");
            case "catalog" -> new ScopeDisclosure(scope, "以您的身份访问政务数据目录服务",
                    "Access to the government data catalogue in your name");
            case "exchange" -> new ScopeDisclosure(scope, "以您的身份访问数据共享交换服务",
                    "Access to the data-sharing exchange in your name");
            default -> new ScopeDisclosure(scope, "以您的身份访问接口 " + scope, "Access to the " + scope + " API in your name");
        };
    }
}
