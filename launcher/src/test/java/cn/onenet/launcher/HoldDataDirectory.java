package cn.onenet.launcher;

import java.nio.file.Path;

/** Another process holding a data directory's lock, as a running suite does, until its standard input ends. */
public final class HoldDataDirectory {

    private HoldDataDirectory() {
    }

    public static void main(String[] args) throws Exception {
        try (DataDirectoryLock lock = DataDirectoryLock.acquire(Path.of(args[0]))) {
            System.out.println("held");
            System.out.flush();
            while (System.in.read() >= 0) {
                // wait for the test to close our input
            }
        }
    }
}
