package io.bulwark.postgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Who this process runs as, read from /proc (no native calls): the effective user id, which is what PostgreSQL
 * checks when it refuses to run as root. The one place that asks (the start checks, {@link Binaries}).
 */
public final class RunningUser {
    private RunningUser() {
    }

    public static boolean isRoot() {
        long uid = uid();
        return uid >= 0 ? uid == 0 : "root".equals(System.getProperty("user.name"));
    }

    /** The effective user id, or -1 where /proc/self/status cannot tell (not Linux). */
    public static long uid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return Long.parseLong(line.split("\\s+")[2]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: unknown
        }
        return -1;
    }
}
