package io.bulwark.postgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Linux process state from {@code /proc/<pid>/stat} (the JDK's {@link ProcessHandle} does not expose it). */
final class ProcState {
    private ProcState() {
    }

    /** True if {@code pid} exists and is a zombie (state {@code Z}); false otherwise or when /proc is unreadable. */
    static boolean isZombie(long pid) {
        return state(Path.of("/proc", Long.toString(pid), "stat")) == 'Z';
    }

    /** The state letter of a {@code stat} file: the first field after the command, which is in parentheses. */
    static char state(Path statFile) {
        try {
            String stat = Files.readString(statFile);
            int end = stat.lastIndexOf(')');
            return end >= 0 && end + 2 < stat.length() ? stat.charAt(end + 2) : '?';
        } catch (IOException e) {
            return '?';
        }
    }
}
