package cn.onenet.gateway.client;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import io.netty.util.AsciiString;
import io.vertx.core.MultiMap;
import io.vertx.core.http.impl.headers.HeadersMultiMap;

/**
 * Whether a request carries a header field more than once, for fields that must appear once (RFC 9112 §3.2 Host).
 * Asked on every request, so it must not allocate: {@link MultiMap#getAll} builds a list
 * (and a string per value) each time. On Vert.x's own header map the field's hash bucket is walked directly, as
 * {@link MultiMap#get} does; any other map (or a Vert.x whose map is laid out differently, seen at class
 * initialisation) falls back to {@code getAll}.
 */
public final class RepeatedHeaders {

    private static final VarHandle ENTRIES;
    private static final VarHandle HASH;
    private static final VarHandle KEY;
    private static final VarHandle NEXT;

    static {
        VarHandle entries = null;
        VarHandle hash = null;
        VarHandle key = null;
        VarHandle next = null;
        try {
            Class<?> entry = Class.forName(HeadersMultiMap.class.getName() + "$MapEntry", false,
                    HeadersMultiMap.class.getClassLoader());
            MethodHandles.Lookup map = MethodHandles.privateLookupIn(HeadersMultiMap.class, MethodHandles.lookup());
            MethodHandles.Lookup entryLookup = MethodHandles.privateLookupIn(entry, MethodHandles.lookup());
            entries = map.findVarHandle(HeadersMultiMap.class, "entries", entry.arrayType());
            hash = entryLookup.findVarHandle(entry, "hash", int.class);
            key = entryLookup.findVarHandle(entry, "key", CharSequence.class);
            next = entryLookup.findVarHandle(entry, "next", entry);
        } catch (ReflectiveOperationException | RuntimeException e) {
            entries = null;
        }
        ENTRIES = entries;
        HASH = hash;
        KEY = key;
        NEXT = next;
    }

    private RepeatedHeaders() {
    }

    /** Whether {@code name} (lower case) occurs in more than one header line. */
    public static boolean repeated(MultiMap headers, AsciiString name) {
        if (ENTRIES == null || !(headers instanceof HeadersMultiMap)) {
            return headers.getAll(name).size() > 1;
        }
        int h = AsciiString.hashCode(name);
        Object[] buckets = (Object[]) ENTRIES.get(headers);
        // the bucket index of HeadersMultiMap (16 buckets)
        int found = 0;
        for (Object e = buckets[h & (buckets.length - 1)]; e != null; e = NEXT.get(e)) {
            if ((int) HASH.get(e) == h && AsciiString.contentEqualsIgnoreCase(name, (CharSequence) KEY.get(e))
                    && ++found > 1) {
                return true;
            }
        }
        return false;
    }
}
