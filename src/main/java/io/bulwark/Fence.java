package io.bulwark;

import io.bulwark.ha.NodeStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.LongSupplier;

/**
 * The software watchdog. A small shell process (resource {@code fence.sh}), started beside the agent and
 * surviving it, kills the postmaster when the leadership deadline the agent last published has passed. The JVM
 * may be frozen (SIGSTOP, a long GC pause, swapping) or dead; the fence is not, so a primary never outlives its
 * leader lease by more than the fence's 0.2 s poll. The agent writes the deadline after every HA cycle as
 * {@code /proc/uptime} centiseconds (the same monotonic clock in both processes).
 */
final class Fence implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Fence.class);

    private final Path state;
    private final LongSupplier nanoClock;
    private final Process process;
    private String lastWritten = "";

    private Fence(Path state, LongSupplier nanoClock, Process process) {
        this.state = state;
        this.nanoClock = nanoClock;
        this.process = process;
    }

    static Fence start(Path dataDir, String memberName, LongSupplier nanoClock) throws IOException {
        Path dir = Path.of(System.getProperty("java.io.tmpdir"));
        Path script = dir.resolve("bulwark-fence-" + memberName + ".sh");
        try (InputStream in = Fence.class.getResourceAsStream("fence.sh")) {
            if (in == null) {
                throw new IOException("fence.sh is missing from the jar");
            }
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        }
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        Path state = dir.resolve("bulwark-fence-" + memberName + ".state");
        Files.writeString(state, "none\n");
        Process p = new ProcessBuilder("bash", script.toString(), state.toString(), dataDir.toString(),
                String.valueOf(ProcessHandle.current().pid()))
                .redirectOutput(ProcessBuilder.Redirect.INHERIT).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        log.info("fence started (pid {}): PostgreSQL is killed if the leadership deadline passes unrenewed", p.pid());
        return new Fence(state, nanoClock, p);
    }

    /** Publish the deadline of this status (or "none"); called by the HA loop after each cycle. */
    void update(NodeStatus status) {
        long until = status.leaderUntilNanos();
        String line;
        if (until == Long.MIN_VALUE) {
            line = "none";
        } else {
            long leftCentis = Math.max(0, (until - nanoClock.getAsLong()) / 10_000_000L);
            line = "deadline " + (uptimeCentis() + leftCentis);
        }
        write(line);
    }

    @Override
    public void close() {
        write("stop");
    }

    private void write(String line) {
        if (line.equals(lastWritten)) {
            return;
        }
        try {
            Path tmp = state.resolveSibling(state.getFileName() + ".tmp");
            Files.writeString(tmp, line + "\n", StandardCharsets.US_ASCII);
            Files.move(tmp, state, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            lastWritten = line;
        } catch (IOException e) {
            log.warn("cannot update the fence state {}: {}", state, e.getMessage());
        }
        if (!process.isAlive() && !"stop".equals(line)) {
            log.warn("the fence process has exited (code {}); PostgreSQL is not fenced", process.exitValue());
        }
    }

    private static long uptimeCentis() {
        try {
            String up = Files.readString(Path.of("/proc/uptime")).split("\\s+")[0];
            return Long.parseLong(up.replace(".", ""));
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
