package cn.onenet.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static cn.onenet.systemtests.ConsolePages.awaitOn;
import static cn.onenet.systemtests.ConsolePages.chromium;
import static cn.onenet.systemtests.ConsolePages.logIn;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
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
 * The exchange's grants, requests and objections carry the names of their resource and items ({@code resourceName},
 * {@code itemNames}: code → name, as they stood when the case was filed): the console shows those, as the exchange
 * answers them, and asks the catalogue nothing for them. Only a view without the names (a case filed before the
 * exchange kept them) sends the console to the catalogue.
 */
@ExtendWith(SharedSuite.class)
class ViewNamesConsoleTest {

    private static final String POPULATION = "11330000002481020A"; // 公安厅, the provider
    private static final String HUMAN_RESOURCES = "11330000002481060E"; // 人社厅, the consumer
    private static final String ZHANG_SAN = "33010619850312001X"; // a record of the demo population dataset
    private static final Pattern GRANTS = Pattern.compile(".*/api/exchange/v1/grants(/\\d+)?(\\?.*)?$");

    @Test
    void theExchangesOwnNamesAreShownWithoutAskingTheCatalogueAndOnlyUnnamedViewsAskIt() throws Exception {
        String gateway = SharedSuite.gateway();
        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            Page page = logIn(browser, "rst.operator");
            // the demo grant: its request was filed through the exchange's workflow, which names it
            JsonObject grant = demoGrant(page);
            long id = grant.get("id").getAsLong();
            String code = grant.get("resourceCode").getAsString();
            String resource = named(grant, "resourceName") + "（" + code + "）";
            List<String> items = codes(grant);
            assertFalse(items.isEmpty(), grant.toString());
            JsonObject itemNames = grant.getAsJsonObject("itemNames");
            String itemsShown = String.join("、", items.stream()
                    .map(c -> itemNames.get(c).getAsString() + "（" + c + "）").toList());
            JsonObject request = get(page, "/api/exchange/v1/requests/" + grant.get("requestId").getAsLong());
            JsonObject objection = fileObjection(page, code);

            List<String> catalogue = new CopyOnWriteArrayList<>();
            page.onRequest(r -> {
                if (r.url().contains("/api/catalog/")) {
                    catalogue.add(r.url());
                }
            });

            page.navigate(gateway + "/console#/grants?status=ACTIVE");
            page.reload();
            awaitOn(page, "main table");
            page.waitForLoadState(LoadState.NETWORKIDLE);
            assertTrue(page.textContent("main table").contains(resource), page.textContent("main"));

            page.navigate(gateway + "/console#/grants/" + id);
            awaitOn(page, "#grant-items");
            page.waitForLoadState(LoadState.NETWORKIDLE);
            assertEquals(resource, page.textContent("#grant-resource"));
            assertEquals(itemsShown, page.textContent("#grant-items"));

            page.navigate(gateway + "/console#/requests/" + request.get("id").getAsLong());
            awaitOn(page, "#request-resource");
            page.waitForLoadState(LoadState.NETWORKIDLE);
            assertEquals(named(request, "resourceName") + "（" + code + "）", page.textContent("#request-resource"));

            page.navigate(gateway + "/console#/objections/" + objection.get("id").getAsLong());
            awaitOn(page, "#objection-resource");
            page.waitForLoadState(LoadState.NETWORKIDLE);
            assertEquals(named(objection, "resourceName") + "（" + code + "）",
                    page.textContent("#objection-resource"));

            assertEquals(List.of(), catalogue, "the catalogue asked for names the exchange's views carry");

            // A grant from before V75 carries no names: its view here is the exchange's answer with the two fields
            // removed, nothing else changed. The console then asks the catalogue and shows its names.
            Predicate<String> grants = url -> GRANTS.matcher(url).matches();
            page.route(grants, ViewNamesConsoleTest::withoutNames);
            page.navigate(gateway + "/console#/grants/" + id);
            page.reload();
            awaitOn(page, "#grant-items");
            page.waitForLoadState(LoadState.NETWORKIDLE);
            assertTrue(catalogue.stream().anyMatch(u -> u.contains("/api/catalog/v1/entries/by-code")),
                    "the catalogue was not asked for the names of an unnamed grant: " + catalogue);
            String shownResource = page.textContent("#grant-resource");
            assertTrue(shownResource.endsWith("（" + code + "）") && !shownResource.startsWith(code), shownResource);
            String shownItems = page.textContent("#grant-items");
            assertTrue(shownItems.contains("（" + items.get(0) + "）") && !shownItems.startsWith(items.get(0)),
                    shownItems);
            page.unroute(grants);
        }
    }

    /** A name the exchange's view carries (present and not blank: the exchange named the case when it was filed). */
    private static String named(JsonObject view, String field) {
        JsonElement name = view.get(field);
        assertTrue(name != null && !name.isJsonNull() && !name.getAsString().isBlank(), field + " in " + view);
        return name.getAsString();
    }

    private static List<String> codes(JsonObject view) {
        List<String> items = new ArrayList<>();
        view.getAsJsonArray("items").forEach(item -> items.add(item.getAsString()));
        JsonElement names = view.get("itemNames");
        assertTrue(names != null && names.isJsonObject(), "itemNames in " + view);
        items.forEach(c -> assertTrue(names.getAsJsonObject().has(c), c + " unnamed in " + view));
        return items;
    }

    /** The exchange's answer without resourceName and itemNames, as a grant filed before V75 is shown. */
    private static void withoutNames(Route route) {
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
            view.getAsJsonObject().remove("resourceName");
            view.getAsJsonObject().remove("itemNames");
        }
        route.fulfill(new Route.FulfillOptions().setResponse(original).setBody(body.toString()));
    }

    private static JsonObject get(Page page, String path) {
        String body = String.valueOf(page.evaluate("(p) => fetch(p, { headers: { Accept: 'application/json' } })"
                + ".then(r => r.text())", path));
        return JsonParser.parseString(body).getAsJsonObject();
    }

    /** 人社厅 objects to a record of the granted dataset, as the console's form files it. */
    private static JsonObject fileObjection(Page page, String code) {
        JsonObject body = new JsonObject();
        body.addProperty("resourceCode", code);
        body.addProperty("recordKey", ZHANG_SAN);
        body.addProperty("description", "户籍地址疑未随迁移更新（" + System.nanoTime() + "）");
        String answer = String.valueOf(page.evaluate("([b, key]) => fetch('/api/exchange/v1/objections', { method: "
                + "'POST', headers: { Accept: 'application/json', 'Content-Type': 'application/json', "
                + "'Idempotency-Key': key }, body: b }).then(r => r.text().then(t => r.status + ' ' + t))",
                List.of(body.toString(), UUID.randomUUID().toString())));
        assertTrue(answer.startsWith("201 "), answer);
        return JsonParser.parseString(answer.substring(4)).getAsJsonObject();
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
