package io.bulwark;

import io.bulwark.ha.NodeStatus;
import io.bulwark.postgres.ChildEnvironment;
import io.bulwark.postgres.RuntimeDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * The software watchdog. A small shell process (resource {@code fence.sh}), started beside the agent and
 * surviving it, kills PostgreSQL when the leadership deadline the agent last published has passed. The JVM may
 * be frozen (SIGSTOP, a long GC pause, swapping) or dead; the fence is not, so a primary never outlives its
 * leader lease by more than the fence's 0.2 s poll. The agent writes the deadline, as {@code /proc/uptime}
 * centiseconds (the same monotonic clock in both processes), right after every successful write of the leader
 * key and after every HA cycle.
 *
 * <p>One fence per data directory: its script, state and pid files live in the agent's {@link RuntimeDir}. An
 * agent that starts finds the fence its predecessor left there (pid in {@code fence.pid}, checked against
 * {@code /proc/PID/cmdline}) and takes it over by writing its own pid next to the pending deadline, which it
 * keeps: a restarted agent gets no fresh grace period, and there is never a moment with two fences or none.
 * (Before, each agent started its own fence in a new temporary directory, and the previous one lived on with
 * its stale deadline.)
 */
final class Fence implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Fence.class);
    /** Longer than the fence's 0.2 s poll: a fence that read the old state just before the takeover has re-read. */
    private static final long TAKEOVER_SETTLE_MILLIS = 450;

    private final RuntimeDir dir;
    private final LongSupplier nanoClock;
    private final ProcessHandle process;
    private final String agentPid;
    private String lastWritten;

    private Fence(RuntimeDir dir, LongSupplier nanoClock, ProcessHandle process, String agentPid, String line) {
        this.dir = dir;
        this.nanoClock = nanoClock;
        this.process = process;
        this.agentPid = agentPid;
        this.lastWritten = line;
    }

    /**
     * Takes over the fence already guarding {@code dataDir} from {@code runtime}, or starts one; either way the
     * deadline a previous agent left pending stays in force until this agent publishes its own.
     */
    static Fence start(RuntimeDir runtime, Path dataDir, LongSupplier nanoClock) throws IOException {
        runtime.ensure();
        String agent = String.valueOf(ProcessHandle.current().pid());
        String pending = pendingDeadline(runtime.fenceState());
        String line = agent + " " + pending;
        writeState(runtime.fenceState(), line);
        byte[] script = scriptBytes();
        Optional<ProcessHandle> running = runningFence(runtime, dataDir);
        boolean sameScript = running.isPresent() && Files.isRegularFile(runtime.fenceScript())
                && Arrays.equals(Files.readAllBytes(runtime.fenceScript()), script);
        if (sameScript && settledAlive(running.get())) {
            log.info("took over the fence (pid {}) guarding {}{}", running.get().pid(), dataDir,
                    pending.equals("none") ? "" : ", with the pending leadership deadline of the previous agent");
            return new Fence(runtime, nanoClock, running.get(), agent, line);
        }
        installScript(runtime.fenceScript(), script);
        ProcessBuilder pb = new ProcessBuilder("bash", runtime.fenceScript().toString(),
                runtime.fenceState().toString(), dataDir.toAbsolutePath().toString())
                .redirectOutput(ProcessBuilder.Redirect.INHERIT).redirectError(ProcessBuilder.Redirect.INHERIT);
        ChildEnvironment.scrub(pb.environment());
        Process p = pb.start();
        writeAtomically(runtime.fencePid(), p.pid() + "\n");
        if (running.isPresent()) {
            // an older fence script: replaced, after the new fence already enforces the same pending deadline
            running.get().destroy();
            log.info("replaced the fence (pid {}) of an earlier agent version by pid {}", running.get().pid(),
                    p.pid());
        }
        log.info("fence started (pid {}): PostgreSQL is killed if the leadership deadline passes unrenewed{}",
                p.pid(), pending.equals("none") ? "" : "; the previous agent's pending deadline is kept");
        return new Fence(runtime, nanoClock, p.toHandle(), agent, line);
    }

    /**
     * Publish the deadline of this status (or none). A status without a deadline does not clear a pending one
     * while PostgreSQL still runs as a writable primary outside maintenance mode: the deadline then stands, and
     * the fence enforces it if the loop does not stop that primary first.
     */
    synchronized void update(NodeStatus status) {
        long until = status.leaderUntilNanos();
        if (until == Long.MIN_VALUE && status.postgres().isPrimary() && !status.paused()) {
            return;
        }
        publishDeadline(until);
    }

    /** Publish a deadline on the agent's nano clock, or {@code Long.MIN_VALUE} for none. */
    synchronized void publishDeadline(long until) {
        if (until == Long.MIN_VALUE) {
            write(agentPid + " none");
        } else {
            long leftCentis = Math.max(0, (until - nanoClock.getAsLong()) / 10_000_000L);
            write(agentPid + " deadline " + (uptimeCentis() + leftCentis));
        }
    }

    /** Tells the fence to exit (a clean stop: PostgreSQL is stopped or left running on purpose) and waits briefly. */
    @Override
    public synchronized void close() {
        write("stop");
        try {
            process.onExit().get(2, TimeUnit.SECONDS);
            Files.deleteIfExists(dir.fencePid());
            Files.deleteIfExists(dir.fenceScript());
        } catch (IOException | ExecutionException | TimeoutException e) {
            log.debug("the fence (pid {}) did not exit cleanly: {}", process.pid(), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The fence process (for tests). */
    long pid() {
        return process.pid();
    }

    /** The state file (for tests). */
    Path stateFile() {
        return dir.fenceState();
    }

    private void write(String line) {
        if (line.equals(lastWritten)) {
            return;
        }
        try {
            writeState(dir.fenceState(), line);
            lastWritten = line;
        } catch (IOException e) {
            log.warn("cannot update the fence state {}: {}", dir.fenceState(), e.getMessage());
        }
        if (!process.isAlive() && !"stop".equals(line)) {
            log.warn("the fence process (pid {}) has exited; PostgreSQL is not fenced", process.pid());
        }
    }

    /** "deadline N" if the state file holds a deadline some agent published, else "none". */
    static String pendingDeadline(Path state) {
        try {
            String[] f = Files.readString(state, StandardCharsets.US_ASCII).trim().split("\\s+");
            if (f.length == 3 && f[1].equals("deadline") && f[2].matches("\\d{1,18}")) {
                return "deadline " + f[2];
            }
        } catch (IOException e) {
            // no state yet: nothing pending
        }
        return "none";
    }

    /** The fence named in {@code fence.pid}, if that pid is alive and runs our script on our state and data dir. */
    private static Optional<ProcessHandle> runningFence(RuntimeDir runtime, Path dataDir) {
        try {
            long pid = Long.parseLong(Files.readString(runtime.fencePid()).trim());
            List<String> argv = Arrays.asList(Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"))
                    .split("\0"));
            if (argv.contains(runtime.fenceScript().toString()) && argv.contains(runtime.fenceState().toString())
                    && argv.contains(dataDir.toAbsolutePath().toString())) {
                return ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
            }
        } catch (IOException | RuntimeException e) {
            // no pid file, or the pid is gone or reused: no fence to take over
        }
        return Optional.empty();
    }

    /**
     * Still alive after one poll of the fence has seen our pid: it exits only when its agent is dead and nothing is
     * pending, so it may have been on its way out only if it read the state just before we wrote it.
     */
    private static boolean settledAlive(ProcessHandle fence) {
        try {
            Thread.sleep(TAKEOVER_SETTLE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return fence.isAlive();
    }

    private static byte[] scriptBytes() throws IOException {
        try (InputStream in = Fence.class.getResourceAsStream("fence.sh")) {
            if (in == null) {
                throw new IOException("fence.sh is missing from the jar");
            }
            return in.readAllBytes();
        }
    }

    /** Replaced by rename, never rewritten in place: a running bash reads its script as it goes. */
    private static void installScript(Path target, byte[] script) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.write(tmp, script);
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwx------"));
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static void writeState(Path state, String line) throws IOException {
        writeAtomically(state, line + "\n");
    }

    private static void writeAtomically(Path target, String content) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.writeString(tmp, content, StandardCharsets.US_ASCII);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
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
