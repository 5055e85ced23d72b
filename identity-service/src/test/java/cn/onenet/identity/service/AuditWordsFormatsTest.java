package cn.onenet.identity.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The details as the service has written them over time, read into fields and words (no names looked up). */
class AuditWordsFormatsTest {

    private static Map<String, Object> fields(String detail) {
        return AuditWords.words(detail).fields();
    }

    private static String summary(String detail) {
        return AuditWords.summary(detail, new AuditWords.Names());
    }

    private static Map<String, Object> map(Object... pairs) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], pairs[i + 1]);
        }
        return map;
    }

    @Test
    void accountsAndLevels() {
        assertEquals(map("type", "LEGAL_PERSON", "level", 2, "legalRepresentative",
                "0d6e2f4a-8b3c-4e1d-a5f7-9c2b6e8d4a10"),
                fields("type=LEGAL_PERSON level=2 legalRepresentative=0d6e2f4a-8b3c-4e1d-a5f7-9c2b6e8d4a10"));
        assertEquals("实名等级 4（现场或数字证书核验）；核验方式：窗口现场核验；核验来源：窗口现场核验",
                summary("level=4 method=in-person source=in-person"));
        assertEquals("角色：共享专员（operator）；收回的角色：审计员（auditor）；撤销令牌授权 2个",
                summary("roles=[operator] removed=[auditor]; grants revoked=2"));
        assertEquals("拒绝：本人账户须由另一名管理员办理；试图设置；角色：管理员（admin）",
                summary("refused: own account, done by another administrator; attempted roles=[admin]"));
        assertEquals(map("roles", List.of(), "note", "refused: admin and auditor exclude each other"),
                fields("refused: admin and auditor exclude each other; roles=[]"));
        assertEquals("结束登录会话 1个；撤销其他令牌授权 3个", summary("sessions ended=1, other grants revoked=3"));
    }

    @Test
    void valuesWithSpacesRunToTheNextKey() {
        assertEquals(map("amr", "pwd otp", "device", "trusted"), fields("amr=pwd otp device=trusted"));
        assertEquals("登录方式：密码、动态口令；受信任的设备", summary("amr=pwd otp device=trusted"));
        assertEquals(map("scope", "openid profile", "acr", "urn:onenet:loa:2"),
                fields("scope=openid profile acr=urn:onenet:loa:2"));
        assertEquals(map("name", "测试部门AB12XY", "grantsRevoked", 3, "accounts", 2, "reason", "机构改革; 职责划转"),
                fields("name=测试部门AB12XY grants revoked=3 accounts=2; reason: 机构改革; 职责划转"));
        assertEquals("名称：测试部门AB12XY；撤销令牌授权 3个；涉及账户 2个；理由：机构改革; 职责划转",
                summary("name=测试部门AB12XY grants revoked=3 accounts=2; reason: 机构改革; 职责划转"));
        // the department's systems' client-credentials grants
        assertEquals(map("grantsRevoked", 0, "accounts", 0, "clientGrantsRevoked", 2, "reason", "撤并"),
                fields("grants revoked=0 accounts=0 client grants revoked=2; reason: 撤并"));
        assertEquals("撤销令牌授权 0个；涉及账户 0个；撤销系统应用令牌授权 2个；理由：撤并",
                summary("grants revoked=0 accounts=0 client grants revoked=2; reason: 撤并"));
        // the audit log's OpenAPI example (AuditResource) says what the words make of its detail
        String example = "name=杭州市公安局 grants revoked=3 accounts=2 client grants revoked=1; reason: 机构改革，职责划转";
        assertEquals("名称：杭州市公安局；撤销令牌授权 3个；涉及账户 2个；撤销系统应用令牌授权 1个；理由：机构改革，职责划转",
                summary(example));
        assertEquals(map("name", "杭州市公安局", "grantsRevoked", 3, "accounts", 2, "clientGrantsRevoked", 1, "reason",
                "机构改革，职责划转"), fields(example));
    }

    @Test
    void textItDoesNotKnowIsKept() {
        assertEquals("已解除登录锁定", summary("lock lifted"));
        assertEquals("锁定至 2026-12-07T10:00Z", summary("locked until 2026-12-07T10:00Z"));
        assertEquals("L3 需核验姓名与公民身份号码", summary("L3 需核验姓名与公民身份号码 / L3 needs method population-register"));
        assertEquals("removed \"auditor\": department 11330000002481020A is not its region's competent authority",
                summary("removed \"auditor\": department 11330000002481020A is not its region's competent authority"));
        assertEquals(null, summary(null));
        assertEquals(Map.of(), fields(null));
    }
}
