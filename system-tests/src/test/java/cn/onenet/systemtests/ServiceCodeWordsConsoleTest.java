package cn.onenet.systemtests;

import static cn.onenet.systemtests.ConsolePages.awaitOn;
import static cn.onenet.systemtests.ConsolePages.chromium;
import static cn.onenet.systemtests.ConsolePages.logIn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

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
    private static boolean inWords(String shown, String code) {
        return shown != null && shown.contains(" / ") && !shown.contains(code);
    }
}
