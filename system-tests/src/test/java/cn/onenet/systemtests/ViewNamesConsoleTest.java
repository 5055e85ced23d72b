package cn.onenet.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static cn.onenet.systemtests.ConsolePages.awaitOn;
import static cn.onenet.systemtests.ConsolePages.chromium;
import static cn.onenet.systemtests.ConsolePages.logIn;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.Route;
import com.microsoft.playwright.options.LoadState;

/**
 * Where the exchange's grant, request and objection views carry the names of their resource and items
 * ({@code resourceName}, {@code itemNames}: code → name), the console shows those and asks the catalogue nothing for
 * them; where they carry only the resource's, the items' come from the catalogue. The exchange's answers to the
 * browser are given these fields here (the names deliberately unlike the catalogue's), so that the test shows which
 * source the page used whether or not the running exchange names them itself.
 */
@ExtendWith(SharedSuite.class)
class ViewNamesConsoleTest {

    private static final String POPULATION = "11330000002481020A";
    private static final String HUMAN_RESOURCES = "11330000002481060E";
    private static final Pattern GRANTS = Pattern.compile(".*/api/exchange/v1/grants(/\\d+)?(\\?.*)?$");
    private static final String NAME = "交换所载资源名称";

    @Test
    void aGrantsOwnNamesAreShownWithoutAskingTheCatalogueAndItsItemsFallBackToIt() throws Exception {
        String gateway = SharedSuite.gateway();
        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            Page page = logIn(browser, "rst.operator");
            JsonObject grant = demoGrant(page);
            long id = grant.get("id").getAsLong();
            String code = grant.get("resourceCode").getAsString();
            List<String> items = new java.util.ArrayList<>();
            grant.get("items").getAsJsonArray().forEach(item -> items.add(item.getAsString()));
            assertFalse(items.isEmpty(), grant.toString());
            List<String> lookedUp = new CopyOnWriteArrayList<>();
            page.onRequest(r -> {
                if (r.url().contains("/api/catalog/v1/entries/by-code")) {
                    lookedUp.add(r.url());
                }
            });

            // the views name the resource and every item
            Predicate<String> grants = url -> GRANTS.matcher(url).matches();
            page.route(grants, route -> named(route, true));
            page.navigate(gateway + "/console#/grants?status=ACTIVE");
            page.reload();
            awaitOn(page, "main table");
            page.waitForLoadState(LoadState.NETWORKIDLE);
            assertTrue(page.textContent("main table").contains(NAME + "（" + code + "）"), page.textContent("main"));
            page.navigate(gateway + "/console#/grants/" + id);
            awaitOn(page, "#grant-items");
            page.waitForLoadState(LoadState.NETWORKIDLE);
            assertEquals(NAME + "（" + code + "）", page.textContent("#grant-resource"));
            assertEquals(String.join("、", items.stream().map(c -> "项" + c + "（" + c + "）").toList()),
                    page.textContent("#grant-items"));
            assertEquals(List.of(), lookedUp, "the catalogue asked for names the views carry");

            // a view naming only its resource: the items' names are the catalogue's
            page.unroute(grants);
            page.route(grants, route -> named(route, false));
            page.navigate(gateway + "/console#/search");
            page.navigate(gateway + "/console#/grants/" + id);
            page.reload();
            awaitOn(page, "#grant-items");
            page.waitForLoadState(LoadState.NETWORKIDLE);
            assertEquals(NAME + "（" + code + "）", page.textContent("#grant-resource"));
            String shown = page.textContent("#grant-items");
            assertFalse(shown.contains("项" + items.get(0)), shown);
            assertTrue(shown.contains("（" + items.get(0) + "）") && !shown.startsWith(items.get(0)), shown);
            assertFalse(lookedUp.isEmpty(), "the catalogue was not asked for the items' names");

            // a view naming nothing (as before): the catalogue's name
            page.unroute(grants);
            page.navigate(gateway + "/console#/search");
            page.navigate(gateway + "/console#/grants/" + id);
            page.reload();
            awaitOn(page, "#grant-items");
            assertFalse(page.textContent("#grant-resource").contains(NAME), page.textContent("#grant-resource"));
        }
    }

    /** The exchange's answer with the resource's name and, when items is true, the items' names added. */
    private static void named(Route route, boolean items) {
        APIResponse original = route.fetch();
        if (original.status() != 200) {
            route.fulfill(new Route.FulfillOptions().setResponse(original));
            return;
        }
        JsonElement body = JsonParser.parseString(original.text());
        JsonArray views = body.isJsonArray() ? body.getAsJsonArray() : new JsonArray();
        if (body.isJsonObject()) {
            views.add(body);
        }
        for (JsonElement view : views) {
            JsonObject v = view.getAsJsonObject();
            if (!v.has("resourceCode")) {
                continue;
            }
            v.addProperty("resourceName", NAME);
            if (items) {
                JsonObject names = new JsonObject();
                for (JsonElement item : v.getAsJsonArray("items")) {
                    names.addProperty(item.getAsString(), "项" + item.getAsString());
                }
                v.add("itemNames", names);
            } else {
                v.remove("itemNames");
            }
        }
        route.fulfill(new Route.FulfillOptions().setResponse(original).setBody(body.toString()));
    }

    /** The demo grant 公安厅 → 人社厅, once the exchange has created it from the catalogue's feed. */
    private static JsonObject demoGrant(Page page) throws InterruptedException {
        long deadline = System.nanoTime() + 120_000_000_000L;
        String seen = "";
        while (System.nanoTime() < deadline) {
            seen = String.valueOf(page.evaluate("() => fetch('/api/exchange/v1/grants?size=200', { headers: "
                    + "{ Accept: 'application/json' } }).then(r => r.text())"));
            for (JsonElement g : JsonParser.parseString(seen).getAsJsonArray()) {
                JsonObject grant = g.getAsJsonObject();
                if (POPULATION.equals(grant.get("providerDepartmentCode").getAsString())
                        && HUMAN_RESOURCES.equals(grant.get("consumerDepartmentCode").getAsString())) {
                    return grant;
                }
            }
            Thread.sleep(2000);
        }
        throw new AssertionError("no demo grant 公安厅 → 人社厅: " + seen);
    }
}
