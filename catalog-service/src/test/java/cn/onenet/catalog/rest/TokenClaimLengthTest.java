package cn.onenet.catalog.rest;

import static cn.onenet.catalog.support.Fixtures.AUD;
import static cn.onenet.catalog.support.Fixtures.POLICE;
import static cn.onenet.catalog.support.Fixtures.PROVINCE;
import static cn.onenet.catalog.support.Fixtures.as;
import static cn.onenet.catalog.support.Fixtures.auditor;
import static cn.onenet.catalog.support.Fixtures.entry;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import cn.onenet.catalog.support.FakeExchange;
import cn.onenet.testsupport.PostgresTestResource;
import cn.onenet.testsupport.TestOidcResource;
import cn.onenet.testsupport.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Who acted is recorded from the token: an account id ({@code sub}) longer than the columns that record it (100) is
 * refused with 403 before anything is stored, and a display name longer than the history's column (200) is kept as
 * far as it fits. Neither is a 500.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestOidcResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FakeExchange.class, restrictToAnnotatedClass = false)
class TokenClaimLengthTest {

    private static final String E = "/api/catalog/v1/entries/";

    @Inject
    DataSource dataSource;

    private static String editorToken(String sub, String name) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("sub", sub);
        claims.put("aud", AUD);
        claims.put("roles", List.of("catalog-editor"));
        claims.put("scope", "openid");
        claims.put("dept", POLICE);
        claims.put("region", PROVINCE);
        claims.put("account_type", "civil_servant");
        if (name != null) {
            claims.put("name", name);
        }
        return TestTokens.custom(claims);
    }

    private long entriesNamed(String name) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT count(*) FROM catalog_entry WHERE name = ?")) {
            s.setString(1, name);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Test
    void anAccountIdLongerThanTheColumnsIsRefusedAndNothingIsStored() throws Exception {
        as(editorToken("s".repeat(101), "赵敏")).body(entry("令牌-过长账号")).post(E).then().statusCode(403)
                .contentType("application/problem+json").body("requestId", notNullValue());
        assertEquals(0, entriesNamed("令牌-过长账号"));
        // 100 characters fit
        as(editorToken("s".repeat(100), "赵敏")).body(entry("令牌-百字账号")).post(E).then().statusCode(201);
    }

    @Test
    void aDisplayNameLongerThanTheHistoryKeepsIsCut() {
        String name = "名".repeat(250);
        int id = as(editorToken("long-name-editor", name)).body(entry("令牌-过长姓名")).post(E).then().statusCode(201)
                .extract().path("id");
        as(auditor()).get(E + id + "/history").then().statusCode(200)
                .body("[0].actor", equalTo("long-name-editor")).body("[0].actorName", equalTo("名".repeat(200)));
    }
}
