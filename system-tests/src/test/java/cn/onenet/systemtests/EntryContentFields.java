package cn.onenet.systemtests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fields of a catalogue entry's content as the catalogue's API gives them, read from catalog-service's
 * {@code EntryContent} record: its components and those of its nested records, by their JSON names
 * ({@code @JsonProperty}), nested ones as paths ({@code classification.detailCode}), the data item's on their own.
 */
final class EntryContentFields {

    private static final Pattern RECORD = Pattern.compile("\\brecord\\s+(\\w+)\\s*\\(");
    private static final Pattern JSON_NAME = Pattern.compile("@JsonProperty\\(\"([^\"]+)\"\\)");

    private EntryContentFields() {
    }

    /** {@code content}: the entry's field paths; {@code item}: a data item's fields. */
    static Map<String, List<String>> read() throws IOException {
        Path source = Path.of(System.getProperty("suite.root", "..")).toAbsolutePath().normalize()
                .resolve("catalog-service/src/main/java/cn/onenet/catalog/model/EntryContent.java");
        String text = Files.readString(source).replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\n]*", "");
        Map<String, List<String[]>> records = new HashMap<>();
        Matcher m = RECORD.matcher(text);
        while (m.find()) {
            List<String[]> components = new ArrayList<>();
            for (String component : SourceCodes.arguments(text, m.end())) {
                Matcher named = JSON_NAME.matcher(component);
                String plain = component.replaceAll("@\\w+(\\([^)]*\\))?", "").replaceAll("<[^<>]*>", "").trim();
                if (plain.isEmpty()) {
                    continue;
                }
                String[] words = plain.split("\\s+");
                components.add(new String[] {words[0], named.find() ? named.group(1) : words[words.length - 1]});
            }
            records.put(m.group(1), components);
        }
        List<String> content = new ArrayList<>();
        flatten(records, "EntryContent", "", content);
        List<String> item = records.get("DataItem").stream().map(c -> c[1]).toList();
        return Map.of("content", content, "item", item);
    }

    private static void flatten(Map<String, List<String[]>> records, String record, String prefix, List<String> out) {
        for (String[] component : records.get(record)) {
            String type = component[0];
            String path = prefix + component[1];
            if (type.equals("List") && path.equals("items")) {
                continue; // the data items, a table of their own
            }
            if (records.containsKey(type)) {
                flatten(records, type, path + ".", out);
            } else {
                out.add(path);
            }
        }
    }
}
