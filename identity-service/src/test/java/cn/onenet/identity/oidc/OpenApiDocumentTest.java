package cn.onenet.identity.oidc;

import org.junit.jupiter.api.Test;

import cn.onenet.testsupport.OpenApiDocumentCheck;
import cn.onenet.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Readers of the API learn it from the OpenAPI document: every operation says what it does, documents its success
 * answer, and every JSON body shows an example.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class OpenApiDocumentTest {

    @Test
    void everyOperationHasASummaryAndEveryBodyAnExample() {
        OpenApiDocumentCheck.ofTestApplication().assertComplete();
    }
}
