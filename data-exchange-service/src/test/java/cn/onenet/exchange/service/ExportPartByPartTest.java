package cn.onenet.exchange.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import cn.onenet.exchange.service.ExportService.Part;
import cn.onenet.exchange.service.ExportService.PartByPart;

/** A download's body holds at most one stored part: the next is read only once the previous was written and let go. */
class ExportPartByPartTest {

    static final int PART_BYTES = 1 << 20;

    final List<String> events = new ArrayList<>();
    final List<WeakReference<Part>> made = new ArrayList<>();

    /** A part of 1 MiB, every byte its number; the test keeps only a weak reference to it. */
    Part part(int i) {
        byte[] content = new byte[PART_BYTES];
        Arrays.fill(content, (byte) i);
        Part p = new Part(content, List.of("subject-" + i));
        made.add(new WeakReference<>(p));
        return p;
    }

    /** Reads part i after checking that no earlier part is still reachable. */
    Part read(int i) {
        for (int j = 0; j < i; j++) {
            assertTrue(collected(made.get(j)), "part " + j + " still held while part " + i + " is read");
        }
        events.add("read " + i);
        return part(i);
    }

    static boolean collected(WeakReference<?> ref) {
        for (int attempt = 0; attempt < 50 && ref.get() != null; attempt++) {
            System.gc();
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return ref.get() == null;
    }

    /** Records each write (by the part's number) and flush. */
    OutputStream recording(ByteArrayOutputStream into) {
        return new OutputStream() {
            @Override
            public void write(int b) {
                into.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                events.add("write " + b[off]);
                into.write(b, off, len);
            }

            @Override
            public void flush() {
                events.add("flush");
            }
        };
    }

    @Test
    void writesThePartsInOrderHoldingOneAtATime() throws IOException {
        ExportService.Body body = new PartByPart(part(0), 4, this::read,
                p -> events.add("log " + p.subjectHashes().get(0)));
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        body.writeTo(recording(written));

        assertEquals(List.of("write 0", "flush", "read 1", "log subject-1", "write 1", "flush", "read 2",
                "log subject-2", "write 2", "flush", "read 3", "log subject-3", "write 3", "flush"), events);
        byte[] expected = new byte[4 * PART_BYTES];
        for (int i = 0; i < 4; i++) {
            Arrays.fill(expected, i * PART_BYTES, (i + 1) * PART_BYTES, (byte) i);
        }
        assertArrayEquals(expected, written.toByteArray());
        // the body lets go of the last part too, and of the first one it was given
        assertTrue(collected(made.get(0)));
        assertTrue(collected(made.get(3)));
    }

    @Test
    void aSinglePartIsWrittenWithoutReadingAnyOther() throws IOException {
        ExportService.Body body = new PartByPart(part(0), 1, this::read, p -> events.add("log"));
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        body.writeTo(recording(written));
        assertEquals(List.of("write 0", "flush"), events);
        assertEquals(PART_BYTES, written.size());
        assertThrows(IllegalStateException.class, () -> body.writeTo(recording(new ByteArrayOutputStream())));
    }
}
