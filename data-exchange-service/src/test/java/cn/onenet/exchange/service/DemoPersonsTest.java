package cn.onenet.exchange.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The demo's persons are one set across the services: a record of the exchange's demo datasets (and the demo 电子证照)
 * about a citizen carries the name of identity-service's demo account with that 公民身份号码, and the enterprise's
 * 法定代表人 is the citizen identity-service makes its legal representative. Read from identity-service's demo loader,
 * so a name changed there and not here fails this test.
 */
class DemoPersonsTest {

    private static final Path IDENTITY_DEMO = Path.of("..", "identity-service", "src", "main", "java", "cn", "onenet",
            "identity", "demo", "DemoDataLoader.java");
    private static final Pattern CITIZEN = Pattern.compile(
            "(?:Account\\s+(\\w+)\\s*=\\s*)?citizen\\(\"([0-9]{17}[0-9X])\",\\s*\"([^\"]+)\"");

    /** The items that name a person, each with the item holding that person's 公民身份号码. */
    private static final Map<String, String> NAME_AND_ID = Map.of("XM", "GMSFHM", "QLRXM", "QLRZJHM",
            "CZZT", "CZZTDM");

    @Test
    void everyDemoRecordNamesTheCitizenAsIdentityServiceDoes() throws IOException {
        String loader = Files.readString(IDENTITY_DEMO, StandardCharsets.UTF_8);
        Map<String, String> names = new TreeMap<>();
        Map<String, String> byVariable = new LinkedHashMap<>();
        Matcher m = CITIZEN.matcher(loader);
        while (m.find()) {
            names.put(m.group(2), m.group(3));
            if (m.group(1) != null) {
                byVariable.put(m.group(1), m.group(3));
            }
        }
        assertFalse(names.isEmpty(), "no demo citizens found in " + IDENTITY_DEMO);
        assertTrue(names.keySet().containsAll(DemoData.CITIZENS), "the exchange's demo citizens " + DemoData.CITIZENS
                + " are identity-service's " + names.keySet());

        int checked = 0;
        List<Map<String, Object>> records = new java.util.ArrayList<>(DemoData.LICENCES.values());
        DemoData.DATASETS.values().forEach(records::addAll);
        for (Map<String, Object> record : records) {
            for (Map.Entry<String, String> item : NAME_AND_ID.entrySet()) {
                Object id = record.get(item.getValue());
                if (record.containsKey(item.getKey()) && names.containsKey(String.valueOf(id))) {
                    assertEquals(names.get(String.valueOf(id)), record.get(item.getKey()), item.getKey() + " of "
                            + id + " in " + record);
                    checked++;
                }
            }
        }
        assertTrue(checked >= 10, "records naming a demo citizen: " + checked);

        // the enterprise's legal representative: the account identity-service names in the enterprise's account
        Matcher representative = Pattern.compile("\"" + DemoData.ENTERPRISE + "\",\\s*null,\\s*(\\w+)\\.id")
                .matcher(loader);
        assertTrue(representative.find(), "the enterprise's account in " + IDENTITY_DEMO);
        String name = byVariable.get(representative.group(1));
        Map<String, Object> enterprise = DemoData.DATASETS.get("企业登记信息").get(0);
        assertEquals(name, enterprise.get("FDDBR"), enterprise.toString());
    }
}
