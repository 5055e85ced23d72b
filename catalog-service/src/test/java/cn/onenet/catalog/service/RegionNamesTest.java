package cn.onenet.catalog.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import cn.onenet.catalog.client.IdentityClient;

/**
 * An export asking for a region's name never reads the register itself (a register that is down would hold the request
 * for its connect and read timeouts): the names come from the last read in the background, none before the first.
 */
class RegionNamesTest {

    /** The register as identity-service answers it, counting the reads and failing while it is down. */
    static final class Register implements IdentityClient {
        final List<String> reads = new ArrayList<>();
        boolean down;

        @Override
        public RegisteredDepartment department(String code) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<RegisteredRegion> regions() {
            reads.add(Thread.currentThread().getName());
            if (down) {
                throw new IllegalStateException("connect timed out");
            }
            return List.of(new RegisteredRegion("330100", "杭州市"));
        }
    }

    @Test
    void aNameIsLookedUpWithoutReadingTheRegister() {
        Register register = new Register();
        register.down = true;
        RegionNames names = new RegionNames(register);
        assertEquals(Optional.empty(), names.name("330100"));
        assertEquals(List.of(), register.reads);
        names.refresh();
        assertEquals(1, register.reads.size());
        assertEquals(Optional.empty(), names.name("330100"));
        // asked again only after the retry interval, not on the next check
        names.refresh();
        assertEquals(1, register.reads.size());

        Register up = new Register();
        RegionNames fresh = new RegionNames(up);
        fresh.refresh();
        assertEquals(Optional.of("杭州市"), fresh.name("330100"));
        assertEquals(Optional.empty(), fresh.name("330300"));
        assertEquals(1, up.reads.size());
    }
}
