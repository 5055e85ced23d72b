package cn.onenet.identity.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** Common passwords and passwords built from the holder's own identifiers are refused; others pass. */
class PasswordPolicyTest {

    private static final String ID_NUMBER = "33010619850312001X";

    @Test
    void commonPasswordsAreRefusedWhateverTheirCase() {
        for (String common : List.of("Huawei@2024", "Password@1", "Woaini@1314", "Qwer1234!@#$", "1qaz@WSX3edc",
                "P@ssw0rd123")) {
            assertEquals(Optional.of("密码过于常见 / password is too common"), PasswordPolicy.problem(common, "dsj.admin"),
                    common);
        }
    }

    @Test
    void aPasswordWithTheLoginNameIdNumberOrBirthDateIsRefused() {
        assertTrue(PasswordPolicy.problem("Zj@" + ID_NUMBER, ID_NUMBER).orElseThrow().contains("login name"));
        assertTrue(PasswordPolicy.problem("Zj@dsj.admin9", "dsj.admin").orElseThrow().contains("login name"));
        // the birth date in the ID number, in full or as yymmdd
        assertTrue(PasswordPolicy.problem("Qiantang#19850312", ID_NUMBER).orElseThrow().contains("birth date"));
        assertTrue(PasswordPolicy.problem("Qiantang#850312", ID_NUMBER).orElseThrow().contains("birth date"));
        // the same digits are fine for someone born another day, or a login name that is no ID number
        assertEquals(Optional.empty(), PasswordPolicy.problem("Qiantang#850312", "33010619900101002X"));
        assertEquals(Optional.empty(), PasswordPolicy.problem("Qiantang#19850312", "dsj.admin"));
    }

    @Test
    void aStrongPasswordPasses() {
        for (String good : List.of("Zj@2026onenet", "Good-pass-2026", "Xh#2026-qiantang")) {
            assertEquals(Optional.empty(), PasswordPolicy.problem(good, ID_NUMBER), good);
        }
    }
}
