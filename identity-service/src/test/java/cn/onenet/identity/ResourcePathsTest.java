package cn.onenet.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import cn.onenet.testsupport.ResourcePaths;

/** Every resource method can be reached: none sits under a path another resource class owns. */
class ResourcePathsTest {

    @Test
    void noResourceMethodIsShadowedByAnotherResourceClass() {
        assertEquals(List.of(), ResourcePaths.shadowedMethods("cn.onenet.identity"));
    }
}
