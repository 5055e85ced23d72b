package cn.onenet.exchange.rest;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import cn.onenet.exchange.ExchangeTestBase;
import cn.onenet.testsupport.OpenApiDocumentCheck;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The OpenAPI document at /q/openapi is complete for its readers: every operation has a summary and a documented
 * success answer, every JSON request body and named success body shows an example. The fixture under /test-provider/
 * (a provider that answers too late) belongs to these tests, not to the service, and is left out.
 */
@QuarkusTest
class OpenApiDocumentTest extends ExchangeTestBase {

    @Test
    void everyOperationIsDocumentedWithSummaryAndExamples() {
        List<String> gaps = OpenApiDocumentCheck.ofTestApplication().problems().stream()
                .filter(problem -> !problem.contains(" /test-provider/"))
                .toList();
        assertTrue(gaps.isEmpty(), gaps.size() + " gaps in the OpenAPI document:\n" + String.join("\n", gaps));
    }
}
