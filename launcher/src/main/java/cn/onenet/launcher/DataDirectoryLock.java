package cn.onenet.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One run of the suite per data directory: an exclusive lock on {@code run.lock} inside it, held from before anything
 * in the directory is touched (a {@code --fresh} start deletes the rest of it) until the suite has stopped. The
 * operating system releases it when the holding process ends, however it ends, so a killed run leaves no stale lock.
 * The file holds the holder's process id, for the message a second run gets.
 */
public final class DataDirectoryLock implements AutoCloseable {

    /** The lock file's name; a fresh start keeps this one file. */
    public static final String FILE_NAME = "run.lock";

    /**
     * Directories this process holds. Checked before the file is opened: on Linux closing any channel of a file drops
     * every lock this process has on it, so a second channel must not even be opened here.
     */
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

    private final Path directory;
    private final FileChannel channel;
    private final FileLock lock;

    private DataDirectoryLock(Path directory, FileChannel channel, FileLock lock) {
        this.directory = directory;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock of {@code dataDir} (created if missing), or refuses with a message naming the directory and the
     * process that holds it.
     */
    public static DataDirectoryLock acquire(Path dataDir) {
        Path file = dataDir.resolve(FILE_NAME);
        Path directory;
        try {
            Files.createDirectories(dataDir);
            directory = dataDir.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create the data directory " + dataDir, e);
        }
        if (!HELD.add(directory)) {
            throw inUse(dataDir, String.valueOf(ProcessHandle.current().pid()));
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                String holder = holder(channel);
                throw inUse(dataDir, holder);
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(String.valueOf(ProcessHandle.current().pid())
                    .getBytes(StandardCharsets.US_ASCII)), 0);
            channel.force(false);
            return new DataDirectoryLock(directory, channel, lock);
        } catch (IOException e) {
            HELD.remove(directory);
            closeQuietly(channel);
            throw new UncheckedIOException("Could not lock the data directory " + dataDir + " (" + file + ")", e);
        } catch (RuntimeException e) {
            HELD.remove(directory);
            closeQuietly(channel);
            throw e;
        }
    }

    private static IllegalStateException inUse(Path dataDir, String holder) {
        return new IllegalStateException("The data directory " + dataDir + " is in use by another run of the suite"
                + (holder.isEmpty() ? "" : " (process " + holder + ")") + ": stop that run first; nothing was"
                + " started or deleted. Two runs cannot share a data directory, not even on other ports"
                + " (--port-offset): use another checkout for a second suite.");
    }

    private static String holder(FileChannel channel) {
        try {
            ByteBuffer buffer = ByteBuffer.allocate(32);
            channel.read(buffer, 0);
            String pid = new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII).trim();
            return pid.matches("\\d{1,19}") ? pid : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // the lock, if any, goes with the channel
            }
        }
    }

    /** Releases the lock; the file stays (an unlocked file is no lock). */
    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel below releases it as well
        }
        closeQuietly(channel);
        HELD.remove(directory);
    }
}
