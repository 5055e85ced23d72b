package cn.onenet.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

class ResourcePathsTest {

    @Test
    void aMethodUnderAPathAnotherResourceOwnsIsReported() {
        assertEquals(List.of("Admin.rebuild at /api/x/v1/search/rebuild is shadowed by Search at /api/x/v1/search"),
                ResourcePaths.shadowedMethods("cn.onenet.testsupport.shadowing"));
    }
}
