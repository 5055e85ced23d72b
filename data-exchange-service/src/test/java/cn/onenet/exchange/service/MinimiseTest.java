package cn.onenet.exchange.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import cn.onenet.common.problem.ApiException;
import cn.onenet.common.problem.ProblemType;

import cn.onenet.exchange.service.DeliveryService.EntryView;
import cn.onenet.exchange.service.GrantService.GrantView;

/**
 * What leaves under a grant is decided by the grant and the catalogue's current version together: only items both
 * list, masked when either masks them (a replica that has not yet narrowed its grants still delivers nothing more).
 */
class MinimiseTest {

    static final Map<String, Object> RECORD = record();

    static Map<String, Object> record() {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("GMSFHM", "330106198503120014");
        r.put("XM", "王芳");
        r.put("ZY", "教师");
        return r;
    }

    static GrantView grant(Set<String> items, Set<String> masked) {
        LocalDate today = LocalDate.now(TimeSource.ZONE);
        return new GrantView(1, "330000-01-02/900861", "P", "C", items, Set.of(), "核验", "《某法》第一条",
                today.minusDays(1), today.plusDays(1), 10, 100, "ACTIVE", 0, "有条件共享", null, "API", masked);
    }

    static EntryView entry(Set<String> items, Set<String> sensitive, String grade) {
        return new EntryView("330000-01-02/900861", "测试", "P", "GMSFHM", grade, sensitive, false, "330000", null,
                items, false);
    }

    @Test
    void anItemTheCatalogueRemovedIsNotDelivered() {
        List<String> masked = new ArrayList<>();
        // the grant still lists XM (granted under v1, masked), the catalogue's v2 has no XM
        Map<String, Object> out = DeliveryService.minimise(RECORD, grant(Set.of("GMSFHM", "XM"), Set.of("GMSFHM", "XM")),
                entry(Set.of("GMSFHM", "ZY"), Set.of(), "LEVEL_3"), masked);
        assertEquals(Map.of("GMSFHM", "330***********0014"), out);
        assertEquals(List.of("GMSFHM"), masked);
        assertEquals(List.of("GMSFHM"), DeliveryService.deliveredItems(grant(Set.of("GMSFHM", "XM"), Set.of()),
                entry(Set.of("GMSFHM", "ZY"), Set.of(), "LEVEL_3")));
    }

    @Test
    void anItemOnceMaskedStaysMaskedWhateverTheCatalogueSaysNow() {
        GrantView g = grant(Set.of("GMSFHM", "XM"), Set.of("XM"));
        // no longer sensitive, and a grade that masks nothing
        for (EntryView e : List.of(entry(Set.of("GMSFHM", "XM"), Set.of(), "LEVEL_3"),
                entry(Set.of("GMSFHM", "XM"), Set.of("XM"), "LEVEL_1"))) {
            Map<String, Object> out = DeliveryService.minimise(RECORD, g, e, new ArrayList<>());
            assertEquals("王*", out.get("XM"));
            assertEquals(true, DeliveryService.masksFilter(g, e, "XM"));
        }
        // the entry masks an item now that the grant did not mask when issued
        Map<String, Object> out = DeliveryService.minimise(RECORD, grant(Set.of("GMSFHM", "XM"), Set.of()),
                entry(Set.of("GMSFHM", "XM"), Set.of("GMSFHM"), "LEVEL_2"), new ArrayList<>());
        assertEquals("330***********0014", out.get("GMSFHM"));
        assertEquals("王芳", out.get("XM"));
    }

    @Test
    void aGrantLimitedToARegionDeliversNothingOnceTheEntryHasNoRegionKey() {
        LocalDate today = LocalDate.now(TimeSource.ZONE);
        GrantView county = new GrantView(7, "330000-01-02/900861", "P", "C", Set.of("GMSFHM", "XM"), Set.of(), "核验",
                "《某法》第一条", today.minusDays(1), today.plusDays(1), 10, 100, "ACTIVE", 0, Regions.RETURN_FLOW_BASIS,
                "330106", "API");
        EntryView keyed = new EntryView("330000-01-02/900861", "测试", "P", "GMSFHM", "LEVEL_3", Set.of(), false,
                "330000", Regions.regionKey("GMSFHM", Set.of("GMSFHM", "XM")), Set.of("GMSFHM", "XM"), false);
        assertTrue(DeliveryService.inRegion(county, keyed, "330106198503120014", RECORD));
        assertFalse(DeliveryService.inRegion(county, keyed, "330203198503120014", RECORD));
        DeliveryService.requireRegionKey(county, keyed);

        // a version keyed on something that does not say the region, and without a 行政区划代码 item
        EntryView unkeyed = new EntryView("330000-01-02/900861", "测试", "P", "XM", "LEVEL_3", Set.of(), false,
                "330000", Regions.regionKey("XM", Set.of("GMSFHM", "XM")), Set.of("GMSFHM", "XM"), false);
        assertFalse(DeliveryService.inRegion(county, unkeyed, "330106198503120014", RECORD),
                "a region-limited grant never receives unfiltered records");
        ApiException refused = assertThrows(ApiException.class, () -> DeliveryService.requireRegionKey(county,
                unkeyed));
        assertEquals(ProblemType.FORBIDDEN, refused.type());
        assertEquals("grantId", refused.errors().get(0).field());
        // a grant without a region limit is not concerned
        GrantView province = grant(Set.of("GMSFHM", "XM"), Set.of());
        assertTrue(DeliveryService.inRegion(province, unkeyed, "330106198503120014", RECORD));
        DeliveryService.requireRegionKey(province, unkeyed);
    }
}
