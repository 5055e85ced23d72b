package cn.onenet.systemtests;

import static cn.onenet.systemtests.ConsolePages.awaitOn;
import static cn.onenet.systemtests.ConsolePages.chromium;
import static cn.onenet.systemtests.ConsolePages.logIn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;

/**
 * The codes the services write have words in the console, read from the services' sources (as the audit log's event
 * types are, in {@link AdminChangeConsoleTest}): every notice kind and subject type the exchange can send (the 通知
 * page), each subject with a link where the console has a page for it; every step an entry's history can record (the
 * entry's 办理记录), and the catalogue's own automatic steps told apart from a department system's.
 */
@ExtendWith(SharedSuite.class)
class ServiceCodeWordsConsoleTest {

    /** The subject types the console has a page (or a list) for. */
    private static final Set<String> SUBJECTS_WITH_PAGES = Set.of("REQUEST", "GRANT", "OBJECTION", "DISPUTE",
            "INCIDENT", "COMPLAINT", "CORRECTION", "WITNESS", "DATASET_UPLOAD");
    /** {@code "ASSESSMENT_" + kind}: the two assessments an entry takes (…/assessments/secrecy, personal-information). */
    private static final Map<String, List<String>> ACTION_PREFIXES = Map.of("ASSESSMENT_",
            List.of("ASSESSMENT_SECRECY", "ASSESSMENT_PERSONAL_INFORMATION"));

    @Test
    void everyNoticeKindAndSubjectTypeTheExchangeSendsHasWordsAndItsPage() throws Exception {
        Map<String, SourceCodes.Found> sent = SourceCodes.written("data-exchange-service",
                Map.of("kind", "\\bn\\.kind\\s*=(?!=)", "subject", "\\bn\\.subjectType\\s*=(?!=)"));
        Set<String> kinds = sent.get("kind").codes();
        Set<String> subjects = sent.get("subject").codes();
        // the scan found them, those handed on through helpers, constants and "GRANT_" + status too
        assertTrue(kinds.size() > 45 && kinds.containsAll(Set.of("REQUEST_APPROVED", "EXTENSION_LAPSED",
                "CORRECTION_FILED", "WITNESS_FAILING", "WITNESS_CHANGED", "DATASET_STALE", "DEADLINE_RECOUNTED",
                "GRANT_SUSPENDED", "GRANT_ACTIVE", "DISPOSAL_DUE_SOON", "COMPLAINT_UPHELD")), kinds.toString());
        assertTrue(subjects.containsAll(Set.of("REQUEST", "CORRECTION", "WITNESS", "SUBSCRIPTION", "DATASET_UPLOAD")),
                subjects.toString());
        assertEquals(Set.of(), sent.get("kind").prefixes());
        assertEquals(Set.of(), sent.get("subject").prefixes());

        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            Page operator = logIn(browser, "gat.operator");
            operator.navigate(SharedSuite.gateway() + "/console#/notices");
            awaitOn(operator, "#notices-unread");
            @SuppressWarnings("unchecked")
            Map<String, Map<String, String>> words = (Map<String, Map<String, String>>) operator.evaluate(
                    "async () => { const m = await import('/console/assets/exchange.js'); return { kinds: m.NOTICE_KIND || {},"
                    + " subjects: Object.fromEntries(Object.entries(m.SUBJECT || {}).map(([type, [text, href]]) =>"
                    + " [type, text + '|' + (href ? href(7) : '')])) }; }");
            List<String> missing = new ArrayList<>();
            for (String kind : kinds) {
                String shown = words.get("kinds").get(kind);
                if (!inWords(shown, kind)) {
                    missing.add(kind + "=" + shown);
                }
            }
            for (String type : subjects) {
                String shown = words.get("subjects").get(type);
                if (shown == null || !inWords(shown.split("\\|")[0], type)
                        || SUBJECTS_WITH_PAGES.contains(type) != shown.matches(".*\\|#/[a-z].*")) {
                    missing.add(type + "=" + shown);
                }
            }
            assertEquals(List.of(), missing, "notice kinds and subject types without words or page in the console");
            assertEquals("更正申请 / correction|#/corrections/7", words.get("subjects").get("CORRECTION"));
        }
    }

    @Test
    void everyStepTheCatalogueRecordsHasWordsAndItsOwnStepsAreNotADepartmentSystems() throws Exception {
        SourceCodes.Found recorded = SourceCodes.written("catalog-service", Map.of("action", "\\bev\\.action\\s*=(?!=)"))
                .get("action");
        assertEquals(ACTION_PREFIXES.keySet(), recorded.prefixes(), "a history action the test cannot expand");
        Set<String> actions = new TreeSet<>(recorded.codes());
        ACTION_PREFIXES.values().forEach(actions::addAll);
        assertTrue(actions.size() > 20 && actions.containsAll(Set.of("CREATE", "HEAD_APPROVAL", "RECOUNT_DEADLINE",
                "DROP_RESOURCE_CODE", "REJECT_DEREGISTRATION")), actions.toString());

        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            Page auditor = logIn(browser, "dsj.auditor");
            @SuppressWarnings("unchecked")
            Map<String, Object> shown = (Map<String, Object>) auditor.evaluate(
                    "async () => { const m = await import('/console/assets/console.js'); const actor = m.stepActor"
                    + " || (() => ''); return { actions: m.ACTIONS || {},"
                    + " own: actor({ actor: 'catalog-service', actorRole: 'system' }),"
                    + " system: actor({ actor: 'gat-population-system', actorRole: 'system' }),"
                    + " editor: actor({ actor: 'e1', actorName: '赵敏', actorRole: 'catalog-editor' }) }; }");
            @SuppressWarnings("unchecked")
            Map<String, String> words = (Map<String, String>) shown.get("actions");
            List<String> missing = actions.stream().filter(a -> !inWords(words.get(a), a)).map(a -> a + "="
                    + words.get(a)).toList();
            assertEquals(List.of(), missing, "history actions without words in the console");
            // the catalogue's own step (a deadline counted again) reads as automatic, a department system's as before
            assertEquals("catalog-service (系统自动 / automatic, by the catalogue)", shown.get("own"));
            assertEquals("gat-population-system (部门系统 / department system)", shown.get("system"));
            assertTrue(((String) shown.get("editor")).startsWith("赵敏 ("), (String) shown.get("editor"));
        }
    }

    /** Words in both languages, not the code itself. */
    /**
     * Every operation and outcome the exchange writes to the usage log (the arguments of each {@code LogEntry.Draft} it
     * builds, followed through its helpers; a usage record's operation expanded by the record kinds; the webhook
     * follow-ups it writes by the list it checks them against) has words on the 使用记录 page.
     */
    @Test
    void everyUsageLogOperationAndOutcomeTheExchangeWritesHasWords() throws Exception {
        Map<String, SourceCodes.Found> written = SourceCodes.passed("data-exchange-service",
                "new\\s+(?:LogEntry\\.)?Draft\\s*\\(", Map.of("operation", 11, "outcome", 12));
        Set<String> operations = new TreeSet<>();
        for (String code : written.get("operation").codes()) {
            if (code.endsWith("_")) {
                // a prefix joined to a usage record's kind (USAGE_RECORD_ + r.kind)
                usageRecordKinds().forEach(kind -> operations.add(code + kind));
            } else {
                operations.add(code);
            }
        }
        Set<String> outcomes = new TreeSet<>(written.get("outcome").codes());
        outcomes.addAll(webhookFollowUps());
        assertTrue(operations.containsAll(Set.of("LOOKUP", "QUERY", "FEED", "WEBHOOK", "EXPORT", "USAGE_LOG_EXPORT",
                "USAGE_RECORD_SCENARIO", "USAGE_RECORD_DESTRUCTION", "USAGE_RECORD_VOID")), operations.toString());
        assertTrue(outcomes.containsAll(Set.of("DELIVERED", "EMPTY", "NOT_FOUND", "OUT_OF_REGION", "NOT_SENT",
                "NOT_ACCEPTED", "REPEATED", "RECORDED", "EXPORTED")), outcomes.toString());
        assertEquals(Set.of(), written.get("operation").prefixes());
        assertEquals(Set.of(), written.get("outcome").prefixes());

        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            Page auditor = logIn(browser, "dsj.auditor");
            @SuppressWarnings("unchecked")
            Map<String, Map<String, String>> words = (Map<String, Map<String, String>>) auditor.evaluate(
                    "async () => { const m = await import('/console/assets/usage.js');"
                    + " return { operations: m.OPERATION || {}, outcomes: m.OUTCOME || {} }; }");
            List<String> missing = new ArrayList<>();
            operations.stream().filter(code -> !inWords(words.get("operations").get(code), code))
                    .forEach(code -> missing.add(code + "=" + words.get("operations").get(code)));
            outcomes.stream().filter(code -> !inWords(words.get("outcomes").get(code), code))
                    .forEach(code -> missing.add(code + "=" + words.get("outcomes").get(code)));
            assertEquals(List.of(), missing, "usage-log operations and outcomes without words in the console");
        }
    }

    /** The kinds of a usage record (UsageRecord.Kind), read from the exchange's source. */
    private static List<String> usageRecordKinds() throws IOException {
        String text = exchangeSource("model/UsageRecord.java").replaceAll("(?s)/\\*.*?\\*/", "");
        Matcher m = Pattern.compile("enum\\s+Kind\\s*\\{([^}]*)\\}").matcher(text);
        assertTrue(m.find(), "no UsageRecord.Kind");
        return Arrays.stream(m.group(1).split("[,;]")).map(String::trim).filter(k -> !k.isEmpty()).toList();
    }

    /** The webhook follow-up outcomes (DeliveryService.WEBHOOK_FOLLOW_UPS), each constant's value. */
    private static List<String> webhookFollowUps() throws IOException {
        String text = exchangeSource("service/DeliveryService.java");
        Matcher list = Pattern.compile("WEBHOOK_FOLLOW_UPS\\s*=\\s*List\\.of\\(([^)]*)\\)")
                .matcher(text);
        assertTrue(list.find(), "no WEBHOOK_FOLLOW_UPS");
        List<String> values = new ArrayList<>();
        for (String name : list.group(1).split(",")) {
            Matcher value = Pattern.compile("static\\s+final\\s+String\\s+"
                    + name.trim() + "\\s*=\\s*\"([A-Z_]+)\"").matcher(text);
            assertTrue(value.find(), "no constant " + name);
            values.add(value.group(1));
        }
        return values;
    }

    private static String exchangeSource(String path) throws IOException {
        return Files.readString(Path.of(System.getProperty("suite.root", ".."))
                .toAbsolutePath().normalize().resolve("data-exchange-service/src/main/java/cn/onenet/exchange/" + path));
    }

    private static boolean inWords(String shown, String code) {
        return shown != null && shown.contains(" / ") && !shown.contains(code);
    }
}
