package cn.onenet.exchange.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

class RegionsTest {

    @Test
    void levelsAndPrefixes() {
        assertEquals("33", Regions.prefix("330000"));
        assertEquals("3301", Regions.prefix("330100"));
        assertEquals("330106", Regions.prefix("330106"));
        assertEquals("330106004", Regions.prefix("330106004000"));
        assertEquals(1, Regions.level("330000"));
        assertEquals(2, Regions.level("330100"));
        assertEquals(3, Regions.level("330106"));
        assertEquals(4, Regions.level("330106004"));
        assertEquals(5, Regions.level("330106004001"));
        assertEquals(0, Regions.level("33A106"));
        assertNull(Regions.prefix(null));
    }

    @Test
    void theRegionOfACompetentAuthority() {
        assertEquals("330100", Regions.authorityRegion("330100000000"));
        assertEquals("330100", Regions.authorityRegion("330100"));
        assertEquals("330000", Regions.authorityRegion("330000"));
        assertEquals("330106", Regions.authorityRegion("330106000"));
        assertEquals("000000", Regions.authorityRegion(Regions.NATIONAL));
        assertNull(Regions.authorityRegion("330106004000")); // a township has no 主管部门
        assertNull(Regions.authorityRegion("33010"));
        assertNull(Regions.authorityRegion(null));
    }

    @Test
    void returnFlowOnlyDownwardsAndInside() {
        assertTrue(Regions.returnFlow("330000", "330106")); // province → county inside
        assertTrue(Regions.returnFlow("330100", "330106004000")); // city → township inside
        assertFalse(Regions.returnFlow("330000", "330000")); // same level
        assertFalse(Regions.returnFlow("330000", "320106")); // another province
        assertFalse(Regions.returnFlow("330106", "330000")); // upwards
        assertFalse(Regions.returnFlow("330100", "330282")); // county of another city
        assertFalse(Regions.returnFlow(null, "330106"));
        assertFalse(Regions.returnFlow("330000", null));
    }

    @Test
    void recordRegionsFromKeysOrTheRegionItem() {
        Regions.RegionKey id = Regions.regionKey("GMSFHM", Set.of("GMSFHM", "XM"));
        assertEquals("330106", Regions.regionOf(id, "33010619850312001X", Map.of()));
        Regions.RegionKey uscc = Regions.regionKey("TYSHXYDM", Set.of("TYSHXYDM"));
        assertEquals("330106", Regions.regionOf(uscc, "91330106MA2H00001E", Map.of()));
        Regions.RegionKey item = Regions.regionKey("ZZBH", Set.of("ZZBH", Regions.REGION_ITEM));
        assertEquals("330106004000", Regions.regionOf(item, "X-1", Map.of(Regions.REGION_ITEM, "330106004000")));
        assertNull(Regions.regionKey("ZZBH", Set.of("ZZBH")));
        assertTrue(Regions.inScope("3301", "330106"));
        assertFalse(Regions.inScope("330106", "330282"));
        assertFalse(Regions.inScope("330106004", "330106")); // a county-precision key never reaches a township grant
        assertFalse(Regions.inScope("330106", null));
    }

    @Test
    void disputesGoToTheLowestCommonRegionWithAnAuthority() {
        assertEquals("330100", Regions.commonAuthority("330106", "330100")); // county and its city
        assertEquals("330100", Regions.commonAuthority("330100", "330100")); // same city
        assertEquals("330100", Regions.commonAuthority("330106", "330110")); // two counties of one city
        assertEquals("330000", Regions.commonAuthority("330100", "330000")); // city and province
        assertEquals("330000", Regions.commonAuthority("330100", "330200")); // two cities
        assertEquals("330106", Regions.commonAuthority("330106004000", "330106005")); // townships: their county
        assertEquals("330106", Regions.commonAuthority("330106004000", "330106004001")); // never below county
        assertEquals(Regions.NATIONAL, Regions.commonAuthority("330100", "320100")); // two provinces
        assertNull(Regions.commonAuthority(null, "330100"));
        assertNull(Regions.commonAuthority("33A100", "330100"));
        assertEquals("330100", Regions.ofCreditCode("11330100MB00000020"));
        assertEquals("330000", Regions.ofCreditCode("11330000002481090H"));
        assertNull(Regions.ofCreditCode("1133"));
        assertTrue(Regions.same("330100", "330100000000"));
        assertFalse(Regions.same("330100", "330000"));
        assertFalse(Regions.same(null, null));
    }
}
