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

    /**
     * Starts the fence in a new private directory (mode 0700) under {@code java.io.tmpdir}: script and state file
     * belong to this agent alone. (They once had names derived from the member name only, so a second agent with
     * the same member name on the host, in another cluster, kept renewing the first one's deadline: its fence
     * never fired.)
     */
    static Fence start(Path dataDir, String memberName, LongSupplier nanoClock) throws IOException {
        Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")),
                "bulwark-fence-" + memberName.replaceAll("[^A-Za-z0-9_.-]", "_") + "-");
        Path script = dir.resolve("fence.sh");
        try (InputStream in = Fence.class.getResourceAsStream("fence.sh")) {
            if (in == null) {
                throw new IOException("fence.sh is missing from the jar");
            }
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        }
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        Path state = dir.resolve("state");
        Files.writeString(state, "none\n");
        Process p = new ProcessBuilder("bash", script.toString(), state.toString(), dataDir.toString(),
                String.valueOf(ProcessHandle.current().pid()))
                .redirectOutput(ProcessBuilder.Redirect.INHERIT).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        log.info("fence started (pid {}): PostgreSQL is killed if the leadership deadline passes unrenewed", p.pid());
        return new Fence(state, nanoClock, p);
    }

    /** Publish the deadline of this status (or "none"); called by the HA loop after each cycle. */
    void update(NodeStatus status) {
        publishDeadline(status.leaderUntilNanos());
    }

    /** Publish a deadline on the agent's nano clock, or {@code Long.MIN_VALUE} for none. */
    void publishDeadline(long until) {
        String line;
        if (until == Long.MIN_VALUE) {
            line = "none";
        } else {
            long leftCentis = Math.max(0, (until - nanoClock.getAsLong()) / 10_000_000L);
            line = "deadline " + (uptimeCentis() + leftCentis);
        }
        write(line);
    }

    /** Tells the fence to exit, waits briefly for it, and removes its directory. */
    @Override
    public void close() {
        write("stop");
        try {
            if (process.waitFor(2, java.util.concurrent.TimeUnit.SECONDS)) {
                Path dir = state.getParent();
                try (var files = Files.list(dir)) {
                    for (Path f : files.toList()) {
                        Files.deleteIfExists(f);
                    }
                }
                Files.deleteIfExists(dir);
            }
        } catch (IOException e) {
            log.debug("could not remove the fence directory {}: {}", state.getParent(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The state file (for tests). */
    Path stateFile() {
        return state;
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
