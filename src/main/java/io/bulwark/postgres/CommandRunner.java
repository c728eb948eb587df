package io.bulwark.postgres;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs PostgreSQL's command-line tools: explicit argv, no shell, stdin from {@code /dev/null}, stdout and stderr
 * captured together, bounded by a timeout. The argv may be prefixed by a user switch (tests run as root and use
 * {@code runuser -u postgres --}); files the agent writes for PostgreSQL are then handed to that user.
 *
 * <p>Hazards: argv is logged at DEBUG and appears in exception messages, so callers must never put secrets
 * on it (use pgpass files); the environment is never logged. An interrupted caller kills the child and gets a
 * failed result with the interrupt flag restored.
 */
public final class CommandRunner {
    private static final Logger log = LoggerFactory.getLogger(CommandRunner.class);
    private static final int MAX_CAPTURE_BYTES = 64 * 1024;
    /** Commands running now that must not outlive the agent (see {@link #stopRunning}). */
    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

    private final List<String> prefix;
    private final String fileOwner;

    /** Runs commands as the current OS user. */
    public CommandRunner() {
        this(List.of(), null);
    }

    /**
     * @param prefix    argv prepended to every command, e.g. {@code ["runuser", "-u", "postgres", "--"]}
     * @param fileOwner OS user that must own the files the agent writes for PostgreSQL, or {@code null}
     */
    public CommandRunner(List<String> prefix, String fileOwner) {
        this.prefix = List.copyOf(prefix);
        this.fileOwner = fileOwner;
    }

    /** Runs every command as {@code user} via {@code runuser} (needs root) and chowns written files to it. */
    public static CommandRunner asOsUser(String user) {
        return new CommandRunner(List.of("runuser", "-u", user, "--"), user);
    }

    /** Whether commands run under another OS user than the agent's. */
    public boolean switchesUser() {
        return !prefix.isEmpty();
    }

    /** OS user that must own files written for PostgreSQL, or {@code null} to keep the agent's user. */
    public String fileOwner() {
        return fileOwner;
    }

    /** The outcome of one command. {@code output} holds at most the last 64 KiB of stdout and stderr. */
    public record Result(List<String> argv, int exitCode, String output, boolean timedOut) {
        public boolean succeeded() {
            return !timedOut && exitCode == 0;
        }

        /** The last {@code n} non-blank output lines. */
        public List<String> tail(int n) {
            List<String> lines = output.lines().filter(l -> !l.isBlank()).toList();
            return lines.subList(Math.max(0, lines.size() - n), lines.size());
        }
    }

    /**
     * Runs {@code argv} (without the prefix) with {@code env} added to a {@link ChildEnvironment scrubbed} copy of
     * the agent's environment, in the root directory (the agent's working directory may be unreadable to the
     * PostgreSQL user). A {@code null} timeout waits indefinitely.
     */
    public Result run(List<String> argv, Map<String, String> env, Duration timeout) throws PostgresException {
        return run(argv, env, timeout, null);
    }

    /**
     * A long command's sign of life: {@code progress} (e.g. bytes written so far) grows while the command works.
     * When it has not changed for {@code limit}, the command is stopped as if timed out, and its output ends with
     * a line saying so. Checked every {@code min(5 s, limit / 4)}.
     */
    public record Watch(LongSupplier progress, Duration limit) {
        Duration every() {
            Duration quarter = limit.dividedBy(4);
            return quarter.compareTo(Duration.ofSeconds(5)) < 0 ? quarter : Duration.ofSeconds(5);
        }
    }

    /** As {@link #run(List, Map, Duration)}, also stopped when {@code watch} (may be null) sees no progress. */
    public Result run(List<String> argv, Map<String, String> env, Duration timeout, Watch watch)
            throws PostgresException {
        List<String> full = new ArrayList<>(prefix);
        full.addAll(argv);
        log.debug("running {}", describe(argv));
        Path out = null;
        try {
            out = Files.createTempFile("bulwark-cmd-", ".out");
            ProcessBuilder pb = new ProcessBuilder(full)
                    .directory(new File("/"))
                    .redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(out.toFile());
            ChildEnvironment.scrub(pb.environment());
            pb.environment().put("LC_ALL", "C");
            pb.environment().put("LANG", "C");
            pb.environment().putAll(env);
            Process process = pb.start();
            boolean tracked = outlivesNoAgent(argv) && RUNNING.add(process);
            try {
                return finish(argv, process, out, timeout, watch);
            } finally {
                if (tracked) {
                    RUNNING.remove(process);
                }
            }
        } catch (IOException e) {
            throw new PostgresException("cannot run `" + describe(argv) + "`: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PostgresException("interrupted while running `" + describe(argv) + "`", e);
        } finally {
            deleteQuietly(out);
        }
    }

    /**
     * Stops (SIGTERM, then SIGKILL after 5 s) every command still running, with its descendants, so none outlives
     * an agent that exits: a pg_basebackup or pg_rewind left behind would go on writing into a data directory the
     * next agent manages. {@code pg_ctl} is not tracked: while it starts a server the postmaster is its child, and
     * PostgreSQL's lifetime is the HA loop's business (in maintenance mode it is left running on purpose).
     * Returns how many were stopped.
     */
    public static int stopRunning() {
        int stopped = 0;
        for (Process p : List.copyOf(RUNNING)) {
            if (p.isAlive()) {
                log.warn("stopping `{}` (pid {}) still running as the agent exits", p.info().commandLine().orElse("?"),
                        p.pid());
                kill(p);
                stopped++;
            }
        }
        return stopped;
    }

    /** How many tracked commands are running (tests). */
    static int running() {
        return (int) RUNNING.stream().filter(Process::isAlive).count();
    }

    private static boolean outlivesNoAgent(List<String> argv) {
        return argv.isEmpty() || !Path.of(argv.get(0)).getFileName().toString().equals("pg_ctl");
    }

    /** Waits for {@code process} per {@code timeout} and {@code watch}; kills it when either ends the wait. */
    private static Result finish(List<String> argv, Process process, Path out, Duration timeout, Watch watch)
            throws IOException, InterruptedException {
        String stalled = null;
        Duration rest = timeout;
        if (watch != null) {
            stalled = watchProgress(process, timeout, watch);
            rest = timeout == null ? null : Duration.ZERO; // the watch has waited out the timeout already
        }
        boolean finished = stalled == null && await(process, rest);
        if (!finished) {
            kill(process);
        }
        int code = finished ? process.exitValue() : -1;
        String output = readTail(out) + (stalled == null ? "" : "\n" + stalled + "\n");
        return new Result(List.copyOf(argv), code, output, !finished);
    }

    /** argv as one readable line, for logs and messages. */
    public static String describe(List<String> argv) {
        return String.join(" ", argv);
    }

    /**
     * Waits while the process runs and makes progress: null when it exited or {@code timeout} passed (then
     * {@link #await} decides), else the line explaining why it is stopped.
     */
    private static String watchProgress(Process process, Duration timeout, Watch watch) throws InterruptedException {
        long start = System.nanoTime();
        long lastChange = start;
        long last = watch.progress().getAsLong();
        try {
            while (!process.waitFor(watch.every().toMillis(), TimeUnit.MILLISECONDS)) {
                long now = System.nanoTime();
                if (timeout != null && now - start >= timeout.toNanos()) {
                    return null;
                }
                long current = watch.progress().getAsLong();
                if (current != last) {
                    last = current;
                    lastChange = now;
                } else if (now - lastChange >= watch.limit().toNanos()) {
                    return "(stopped by the agent: no progress for " + watch.limit().toSeconds() + " s)";
                }
            }
            return null;
        } catch (InterruptedException e) {
            kill(process);
            throw e;
        }
    }

    private static boolean await(Process process, Duration timeout) throws InterruptedException {
        try {
            if (timeout == null) {
                process.waitFor();
                return true;
            }
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            kill(process);
            throw e;
        }
    }

    /** SIGTERM to the child and its descendants, then SIGKILL after 5 s. */
    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** The last 64 KiB of {@code file}, decoded leniently. */
    static String readTail(Path file) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long length = raf.length();
            long start = Math.max(0, length - MAX_CAPTURE_BYTES);
            byte[] bytes = new byte[(int) (length - start)];
            raf.seek(start);
            raf.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                log.debug("cannot delete {}: {}", file, e.toString());
            }
        }
    }

    @Override
    public String toString() {
        return prefix.isEmpty() ? "CommandRunner[current user]" : "CommandRunner" + Arrays.toString(prefix.toArray());
    }
}
