package cn.onenet.exchange.rest;

import static io.restassured.RestAssured.given;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import cn.onenet.exchange.ExchangeTestBase;
import cn.onenet.exchange.FakeCatalog;
import cn.onenet.exchange.service.DatasetService;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * Set-up of the tests of records the test provider hosts at the exchange: its 无条件共享 entries with typed items, the
 * records it pushes (JSON) or uploads (CSV), and how many the exchange keeps.
 */
abstract class HostedRecordsTestBase extends ExchangeTestBase {

    static final String PROVIDER = RequestWorkflowTest.PROVIDER;

    @Inject
    DatasetService datasets;

    /** An item as the catalogue lists it: not sensitive, {@code length} left out when null. */
    static Map<String, Object> item(String code, String name, String type, Integer length) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("code", code);
        item.put("name", name);
        item.put("dataType", type);
        if (length != null) {
            item.put("length", length);
        }
        item.put("sensitive", false);
        return item;
    }

    /** Publishes a 无条件共享 entry of the test provider and replicates it. */
    void entry(String code, String name, String grade, String keyItem, List<Map<String, Object>> items) {
        FakeCatalog.add("PUBLISHED", code, name, PROVIDER, "UNCONDITIONAL", grade, keyItem, items);
        replica.pollOnce();
    }

    static Map<String, Object> record(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    static Response push(String code, Object records) {
        return given().urlEncodingEnabled(false).auth().oauth2(operator(PROVIDER)).contentType(ContentType.JSON)
                .body(records).post("/api/exchange/v1/datasets/" + FakeCatalog.encoded(code) + "/records");
    }

    static Response upload(String code, String csv) {
        return given().urlEncodingEnabled(false).auth().oauth2(operator(PROVIDER)).contentType("text/csv")
                .body(csv.getBytes(StandardCharsets.UTF_8))
                .post("/api/exchange/v1/datasets/" + FakeCatalog.encoded(code) + "/uploads");
    }

    /** How many records the exchange keeps under {@code code}. */
    long stored(String code) {
        return QuarkusTransaction.requiringNew().call(() -> datasets.count(code));
    }
}
