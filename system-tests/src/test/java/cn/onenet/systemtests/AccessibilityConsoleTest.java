package cn.onenet.systemtests;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static cn.onenet.systemtests.ConsolePages.answer;
import static cn.onenet.systemtests.ConsolePages.awaitOn;
import static cn.onenet.systemtests.ConsolePages.chromium;
import static cn.onenet.systemtests.ConsolePages.clientCredentials;
import static cn.onenet.systemtests.ConsolePages.demoGrantResource;
import static cn.onenet.systemtests.ConsolePages.logIn;
import static cn.onenet.systemtests.ConsolePages.DEMO_PASSWORD;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.CDPSession;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;

import io.restassured.http.ContentType;

/**
 * The console for keyboard and screen-reader users (GB/T 37668-2019, WCAG 2.1 AA), in Chromium against the
 * {@link SharedSuite}. Each role's sections are opened by their address (a hash navigation), and Chromium's own
 * accessibility tree and the page's DOM are read: every control and table has a name, the focus lands on the new
 * section's heading, the English half of a bilingual label is marked as English, text contrast is at least 4.5:1,
 * nothing looks clickable that the keyboard cannot reach. A refused form says which field is wrong, to a screen reader
 * as well; an unread count says what it counts.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(SharedSuite.class)
class AccessibilityConsoleTest {

    private static final String ZHANG_SAN = "33010619850312001X";
    private static final String POLICE = "11330000002481020A"; // 浙江省公安厅

    /** The roles whose sections are read: admin, reviewer (主管部门), auditor, operator/editor, head, citizen. */
    private static final List<String> USERS = List.of("dsj.admin", "dsj.reviewer", "dsj.auditor", "gat.operator",
            "bdc.head", ZHANG_SAN);

    /** Forms not in the menu, opened from a section's button (and, for the auditor, a draft's page). */
    private static final Map<String, List<String>> FORMS = Map.of("dsj.admin", List.of("#/departments/new",
            "#/accounts/new"), "gat.operator", List.of("#/entries/new"));

    /** Controls that a screen reader must be able to name. */
    private static final Set<String> CONTROLS = Set.of("textbox", "searchbox", "combobox", "listbox", "checkbox",
            "radio", "button", "spinbutton", "slider", "switch", "link", "group", "table");

    /** What the sweep found, by kind: names, focus, lang, contrast, pointer. */
    private final Map<String, List<String>> found = new TreeMap<>();

    private String gateway;
    private String draftPage;

    /** The DOM's part of the sweep: focus, lang of the English parts, contrast, click-only elements. */
    private static final String DOM_CHECKS = """
            () => {
              const out = { focus: [], lang: [], contrast: [], pointer: [], status: [] };
              // a step done or to do is said in words, not by its mark and colour alone
              for (const li of document.querySelectorAll('.workflow li')) {
                if (!/已完成|待完成/.test(li.textContent)) out.status.push('step "' + li.textContent + '" says neither');
              }
              const app = document.getElementById('app');
              const heading = app.querySelector('h2');
              const active = document.activeElement;
              if (!heading || active !== heading) {
                out.focus.push('focus on ' + (active ? active.tagName + ' ' + (active.textContent || '').slice(0, 40)
                  : 'nothing') + ', heading ' + (heading ? heading.textContent : 'none'));
              }
              // the UI's own bilingual words: headings, captions, column headers, buttons, menu entries
              const labels = document.querySelectorAll('main h2, main h3, main h4, th, legend, dt, button, summary, '
                + '.field > span, nav a');
              const latin = /\\s\\/\\s+([A-Za-z][^\\u3400-\\u9fff\\u3000-\\u303f\\uff00-\\uffef]*)$/;
              for (const el of labels) {
                for (const node of el.childNodes) {
                  if (node.nodeType !== Node.TEXT_NODE) continue;
                  const m = node.nodeValue.match(latin);
                  if (m && !/^[\\s\\d.,:;()+\\-×→←·]*$/.test(m[1]) && !/[\\u3400-\\u9fff]/.test(m[1])) {
                    out.lang.push(el.tagName + ': "' + node.nodeValue.trim() + '" has no lang=en for "' + m[1].trim() + '"');
                  }
                }
              }
              // the page's own English word in its heading (no " / " before it)
              const title = document.querySelector('header h1 small');
              if (title && title.closest('[lang]').getAttribute('lang') !== 'en') {
                out.lang.push('H1: "' + title.textContent + '" has no lang=en');
              }
              const rgb = (c) => { const m = c.match(/[\\d.]+/g).map(Number); return { r: m[0], g: m[1], b: m[2],
                a: m.length > 3 ? m[3] : 1 }; };
              const lum = ({ r, g, b }) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92
                : ((v + 0.055) / 1.055) ** 2.4; }; return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
              const blend = (top, under) => ({ r: top.r * top.a + under.r * (1 - top.a),
                g: top.g * top.a + under.g * (1 - top.a), b: top.b * top.a + under.b * (1 - top.a), a: 1 });
              const background = (el) => {
                const layers = [];
                for (let e = el; e; e = e.parentElement) {
                  const c = rgb(getComputedStyle(e).backgroundColor);
                  if (c.a > 0) layers.push(c);
                  if (c.a === 1) break;
                }
                return layers.reverse().reduce((under, top) => blend(top, under), { r: 255, g: 255, b: 255, a: 1 });
              };
              const seen = new Set();
              const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
              for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                const el = node.parentElement;
                if (!node.nodeValue.trim() || seen.has(el) || !el.getClientRects().length) continue;
                if (el.closest('[disabled], noscript, [hidden]')) continue;
                seen.add(el);
                const style = getComputedStyle(el);
                if (style.visibility === 'hidden') continue;
                const under = background(el);
                const color = blend(rgb(style.color), under);
                const [hi, lo] = [lum(color), lum(under)].sort((a, b) => b - a);
                const ratio = (hi + 0.05) / (lo + 0.05);
                const size = parseFloat(style.fontSize);
                const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
                if (ratio < (large ? 3 : 4.5)) {
                  out.contrast.push(el.tagName + '.' + el.className + ' "' + node.nodeValue.trim().slice(0, 30) + '" '
                    + style.color + ' on ' + JSON.stringify(under) + ': ' + ratio.toFixed(2));
                }
              }
              for (const el of document.body.querySelectorAll('*')) {
                const focusable = el.matches('a[href], button, input, select, textarea, summary, label, [tabindex]');
                if (!focusable && getComputedStyle(el).cursor === 'pointer' && !el.closest('a[href], button, label, summary')) {
                  out.pointer.push(el.tagName + '.' + el.className + ' looks clickable but takes no focus');
                }
                if (el.tabIndex > 0) out.pointer.push(el.tagName + ' has tabindex ' + el.tabIndex);
              }
              return out;
            }""";

    /** Waits until the page has not changed for a moment (the section's calls have come back and been drawn). */
    private static final String SETTLED = """
            () => new Promise((resolve) => {
              let timer;
              const done = () => { observer.disconnect(); resolve(true); };
              const observer = new MutationObserver(() => { clearTimeout(timer); timer = setTimeout(done, 500); });
              observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
              timer = setTimeout(done, 500);
              setTimeout(done, 15000);
            })""";

    @BeforeAll
    void sweep() throws Exception {
        gateway = SharedSuite.gateway();
        // a draft under work of 公安厅, whose page shows the Art. 13 steps (read by the province's auditor)
        String editor = new CodeFlowClient(gateway, "gateway", "demo-gateway-secret").accessToken("gat.operator",
                DEMO_PASSWORD, "openid profile");
        long draft = given().auth().oauth2(editor).contentType(ContentType.JSON).body(ConsolePages.entry(
                "无障碍检查 " + System.nanoTime(), POLICE, "浙江省公安厅", "330000"))
                .post(gateway + "/api/catalog/v1/entries").then().statusCode(201).extract().jsonPath().getLong("id");
        Map<String, List<String>> forms = new TreeMap<>(FORMS);
        draftPage = "#/entries/" + draft;
        forms.put("dsj.auditor", List.of(draftPage));
        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            for (String user : USERS) {
                Page page = logIn(browser, user);
                CDPSession cdp = page.context().newCDPSession(page);
                cdp.send("Accessibility.enable");
                Set<String> hashes = new LinkedHashSet<>();
                for (Object href : (List<?>) page.evaluate(
                        "() => [...document.querySelectorAll('#nav a')].map((a) => a.getAttribute('href'))")) {
                    hashes.add(String.valueOf(href));
                }
                hashes.addAll(forms.getOrDefault(user, List.of()));
                Set<String> details = new LinkedHashSet<>();
                for (String hash : hashes) {
                    check(page, cdp, user, hash);
                    // and the first item a list links to (an entry, a request, a department …)
                    Object first = page.evaluate(FIRST_ITEM, hash.split("\\?")[0]);
                    if (first != null) {
                        details.add(String.valueOf(first));
                    }
                }
                for (String hash : details) {
                    check(page, cdp, user, hash);
                }
                page.context().close();
            }
        }
    }

    /** The first link of a section's table to a page of its own (an item's), or null. */
    private static final String FIRST_ITEM = """
            (section) => { const a = [...document.querySelectorAll('main tbody a[href^="#/"]')]
              .find((x) => x.getAttribute('href').split('?')[0].startsWith(section + '/'));
              return a ? a.getAttribute('href') : null; }""";

    /** Opens the section by its address and reads what it drew. */
    private void check(Page page, CDPSession cdp, String user, String hash) {
        page.navigate(gateway + "/console" + hash);
        awaitOn(page, "main h2");
        page.evaluate(SETTLED);
        String where = user + " " + hash + ": ";
        sweepAccessibilityTree(cdp, where);
        @SuppressWarnings("unchecked")
        Map<String, List<String>> dom = (Map<String, List<String>>) page.evaluate(DOM_CHECKS);
        dom.forEach((kind, list) -> list.forEach(text -> note(kind, where + text)));
        if (hash.equals(draftPage) && page.locator(".workflow li").count() == 0) {
            note("status", where + "the draft's page shows no steps: " + page.textContent("main"));
        }
    }

    /** Chromium's accessibility tree: every control, link, group and table has a name. */
    private void sweepAccessibilityTree(CDPSession cdp, String where) {
        JsonArray nodes = cdp.send("Accessibility.getFullAXTree").getAsJsonArray("nodes");
        for (JsonElement element : nodes) {
            JsonObject node = element.getAsJsonObject();
            if (node.has("ignored") && node.get("ignored").getAsBoolean() || !node.has("role")) {
                continue;
            }
            String role = node.getAsJsonObject("role").get("value").getAsString();
            String name = node.has("name") && node.getAsJsonObject("name").has("value")
                    ? node.getAsJsonObject("name").get("value").getAsString().trim() : "";
            if (CONTROLS.contains(role) && name.isEmpty()) {
                note("name", where + role + " without a name: " + describe(cdp, node));
            }
        }
    }

    private static String describe(CDPSession cdp, JsonObject node) {
        if (!node.has("backendDOMNodeId")) {
            return "(no DOM node)";
        }
        JsonObject args = new JsonObject();
        args.addProperty("backendNodeId", node.get("backendDOMNodeId").getAsInt());
        JsonObject dom = cdp.send("DOM.describeNode", args).getAsJsonObject("node");
        return dom.get("nodeName").getAsString() + " " + dom.get("attributes");
    }

    private void note(String kind, String text) {
        found.computeIfAbsent(kind, k -> new ArrayList<>()).add(text);
    }

    private void assertNoneFound(String kind) {
        List<String> list = found.getOrDefault(kind, List.of());
        assertTrue(list.isEmpty(), list.size() + " found:\n" + String.join("\n", list));
    }

    @Test
    void everyControlLinkGroupAndTableOfEachSectionHasAName() {
        assertNoneFound("name");
    }

    @Test
    void openingASectionByItsAddressPutsTheFocusOnItsHeading() {
        assertNoneFound("focus");
    }

    @Test
    void theEnglishHalfOfEachBilingualLabelIsMarkedAsEnglish() {
        assertNoneFound("lang");
    }

    @Test
    void textContrastsWithItsBackgroundAtLeastFourAndAHalfToOne() {
        assertNoneFound("contrast");
    }

    @Test
    void aWorkflowStepSaysInWordsWhetherItIsDone() {
        assertNoneFound("status");
    }

    @Test
    void nothingLooksClickableThatTheKeyboardCannotReach() {
        assertNoneFound("pointer");
    }

    /**
     * A refused registration (the code and the name missing): the notice, an alert, says why; the focus is on the
     * first field the service named, which says it is invalid and is described by its message (its name stays the
     * field's caption).
     */
    @Test
    void aRefusedFormPutsTheFocusOnTheFirstInvalidFieldWhichIsDescribedByItsMessage() {
        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            Page page = departmentForm(browser);
            page.fill("#department-form input[name=code]", "");
            page.fill("#department-form input[name=name]", "");
            page.focus("#department-form button[type=submit]");
            answer(page, () -> page.keyboard().press("Enter"), "register", "error");
            assertEquals("alert", page.getAttribute("#notice", "role"));
            assertFalse(page.textContent("#notice").isBlank());

            @SuppressWarnings("unchecked")
            Map<String, Object> focused = (Map<String, Object>) page.evaluate("""
                    () => { const el = document.activeElement; const f = el.closest('[data-field]');
                      const ids = (el.getAttribute('aria-describedby') || '').split(/\\s+/).filter(Boolean);
                      return { tag: el.tagName, name: el.name || '', invalid: el.getAttribute('aria-invalid'),
                        field: f ? f.dataset.field : '', first: document.querySelector('#department-form .invalid')
                          === f, error: f ? f.querySelector('.error').textContent : '',
                        described: ids.map((id) => (document.getElementById(id) || {}).textContent || '').join(' ') }; }""");
            assertEquals("INPUT", focused.get("tag"), focused.toString());
            assertEquals(Boolean.TRUE, focused.get("first"), "not the first invalid field: " + focused);
            assertEquals("true", focused.get("invalid"), focused.toString());
            String error = String.valueOf(focused.get("error"));
            assertFalse(error.isBlank(), focused.toString());
            assertTrue(String.valueOf(focused.get("described")).contains(error), focused.toString());

            // Chromium's tree: the field's name is its caption, its description the service's message
            JsonObject node = focusedNode(page);
            assertNotNull(node, "no focused node in the accessibility tree");
            String name = node.getAsJsonObject("name").get("value").getAsString();
            assertFalse(name.contains(error), "the message is read as part of the name: " + name);
            assertTrue(node.has("description") && node.getAsJsonObject("description").get("value").getAsString()
                    .contains(error), "description: " + node);
        }
    }

    /**
     * An action refused as a whole (the session ended meanwhile): the keyboard user's focus stays on the button they
     * pressed (it is not dropped to the page's start while the button was busy), and the notice is an alert.
     */
    @Test
    void aRefusedActionLeavesTheFocusOnItsButton() {
        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            Page page = departmentForm(browser);
            page.context().clearCookies();
            page.focus("#department-form button[type=submit]");
            answer(page, () -> page.keyboard().press("Enter"), "register", "error");
            assertEquals("alert", page.getAttribute("#notice", "role"));
            assertTrue(page.textContent("#notice").contains("登录已失效"), page.textContent("#notice"));
            assertEquals(Boolean.TRUE, page.evaluate("() => document.activeElement === "
                    + "document.querySelector('#department-form button[type=submit]')"),
                    "focus on " + page.evaluate("() => document.activeElement.outerHTML.slice(0, 80)"));
        }
    }

    /** The admin's form registering a department. */
    private Page departmentForm(Browser browser) {
        Page page = logIn(browser, "dsj.admin");
        page.navigate(gateway + "/console#/departments/new");
        awaitOn(page, "#department-form");
        return page;
    }

    /** A keyboard user sees where the focus is: the focused link has an outline. */
    @Test
    void theKeyboardFocusIsVisible() {
        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            Page page = logIn(browser, "dsj.auditor");
            page.navigate(gateway + "/console#/search");
            awaitOn(page, "main h2");
            page.evaluate(SETTLED);
            page.keyboard().press("Tab");
            @SuppressWarnings("unchecked")
            Map<String, Object> focus = (Map<String, Object>) page.evaluate("() => { const el = document.activeElement;"
                    + " const s = getComputedStyle(el); return { tag: el.tagName, style: s.outlineStyle,"
                    + " width: s.outlineWidth }; }");
            assertFalse("BODY".equals(focus.get("tag")), "Tab reached nothing");
            assertFalse("none".equals(focus.get("style")) || "0px".equals(focus.get("width")), focus.toString());
        }
    }

    /**
     * The menu's unread count says what it counts to a screen reader ("3 条未读 / unread"), not only a number in a
     * coloured circle.
     */
    @Test
    void theUnreadBadgeSaysWhatItCounts() throws Exception {
        String citizenToken = new CodeFlowClient(gateway, "gateway", "demo-gateway-secret").accessToken(ZHANG_SAN,
                DEMO_PASSWORD, "openid profile id_number");
        String provider = new CodeFlowClient(gateway, "gateway", "demo-gateway-secret").accessToken("gat.operator",
                DEMO_PASSWORD, "openid profile");
        correctionAnswered(citizenToken, provider);
        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            Page page = logIn(browser, ZHANG_SAN);
            page.waitForFunction("() => { const b = document.getElementById('my-notices-badge');"
                    + " return b && !b.hidden; }", null, new Page.WaitForFunctionOptions().setTimeout(20_000));
            CDPSession cdp = page.context().newCDPSession(page);
            String name = null;
            for (JsonElement element : cdp.send("Accessibility.getFullAXTree").getAsJsonArray("nodes")) {
                JsonObject node = element.getAsJsonObject();
                if (node.has("role") && "link".equals(node.getAsJsonObject("role").get("value").getAsString())
                        && node.has("name") && node.getAsJsonObject("name").get("value").getAsString()
                        .contains("我的通知")) {
                    name = node.getAsJsonObject("name").get("value").getAsString();
                }
            }
            assertNotNull(name, "no 我的通知 link in the tree");
            assertTrue(name.matches(".*\\d+ 条未读 / \\d+ unread.*"), name);
        }
    }

    /** 张三 asks 公安厅 to correct his name and 公安厅 answers: a notice for 张三. */
    private void correctionAnswered(String citizen, String provider) throws Exception {
        String resource = demoGrantResource(clientCredentials("gat-population-system", "demo-gat-population-secret"));
        long id = given().auth().oauth2(citizen).header("Idempotency-Key", UUID.randomUUID().toString())
                .contentType(ContentType.JSON).body(Map.of("resourceCode", resource, "item", "XM",
                        "currentValue", "张伟", "correctValue", "张三", "description", "姓名有误"))
                .post(gateway + "/api/exchange/v1/me/corrections").then().statusCode(201).extract().jsonPath()
                .getLong("id");
        String path = gateway + "/api/exchange/v1/corrections/" + id;
        int version = given().auth().oauth2(provider).get(path).then().statusCode(200).extract().jsonPath()
                .getInt("version");
        given().auth().oauth2(provider).contentType(ContentType.JSON).body(Map.of("version", version,
                "outcome", "NOT_CORRECTED", "reason", "经核实，姓名登记无误", "explanation", "户籍档案记载姓名为张三"))
                .post(path + "/answer").then().statusCode(200);
    }

    /** The accessibility tree's node of the focused element. */
    private static JsonObject focusedNode(Page page) {
        page.evaluate("() => document.activeElement.setAttribute('data-focus-probe', '')");
        CDPSession cdp = page.context().newCDPSession(page);
        int document = cdp.send("DOM.getDocument").getAsJsonObject("root").get("nodeId").getAsInt();
        JsonObject query = new JsonObject();
        query.addProperty("nodeId", document);
        query.addProperty("selector", "[data-focus-probe]");
        JsonObject args = new JsonObject();
        args.addProperty("nodeId", cdp.send("DOM.querySelector", query).get("nodeId").getAsInt());
        args.addProperty("fetchRelatives", false);
        JsonArray nodes = cdp.send("Accessibility.getPartialAXTree", args).getAsJsonArray("nodes");
        return nodes.isEmpty() ? null : nodes.get(0).getAsJsonObject();
    }
}
