package cn.onenet.catalog.service.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The index directory: commit data kept across opens, and a directory in use elsewhere left alone. */
class SearchIndexDirectoryTest {

    private static ObjectNode entry(String name) {
        ObjectNode e = new ObjectMapper().createObjectNode();
        e.put("name", name).put("resourceCode", "101001/000001").put("version", 1);
        return e;
    }

    @Test
    void commitDataAndDocumentsSurviveReopening(@TempDir Path dir) throws IOException {
        try (SearchIndex index = new SearchIndex(dir.toString(), true)) {
            assertTrue(index.commitData().isEmpty());
            index.upsert(1, entry("居民户籍信息"));
            index.commit(Map.of("k", "v"));
        }
        try (SearchIndex index = new SearchIndex(dir.toString(), true)) {
            assertEquals(Map.of("k", "v"), index.commitData());
            index.refresh();
            assertEquals(1, index.size());
        }
    }

    @Test
    void aDirectoryInUseByAnotherIndexIsNeitherOpenedNorCleared(@TempDir Path dir) throws IOException {
        try (SearchIndex first = new SearchIndex(dir.toString(), true)) {
            first.upsert(1, entry("居民户籍信息"));
            first.commit(Map.of("k", "v"));
            long files;
            try (var list = Files.list(dir)) {
                files = list.count();
            }
            IOException e = assertThrows(IOException.class, () -> new SearchIndex(dir.toString(), true));
            assertTrue(e.getMessage().contains("in use by another process"), e.getMessage());
            try (var list = Files.list(dir)) {
                assertEquals(files, list.count());
            }
            first.refresh();
            assertEquals(1, first.size());
            assertEquals(Map.of("k", "v"), first.commitData());
        }
    }
}
