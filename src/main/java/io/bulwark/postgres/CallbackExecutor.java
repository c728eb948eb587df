package io.bulwark.postgres;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the user's callbacks ({@code on_start}, {@code on_stop}, {@code on_restart}, {@code on_reload},
 * {@code on_role_change}) as Patroni's CallbackExecutor does: without waiting for them, at most one at a time, a
 * new one killing (SIGKILL, with its descendants) the one still running, because only the latest event is true
 * (an {@code on_role_change primary} still moving a VIP must not finish after {@code on_stop}). {@code on_reload}
 * has a slot of its own, so a reload never kills a role change. {@code pre_promote} runs synchronously through
 * {@link #runAndWait}.
 *
 * <p>Children get the agent's environment without its secrets ({@link ChildEnvironment}), stdin from
 * {@code /dev/null}, and the agent's working directory; each output line and the exit status are logged. Calls
 * never throw: a command that cannot start is logged, and the HA loop goes on. Thread-safe.
 */
public final class CallbackExecutor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CallbackExecutor.class);
    private static final String ON_RELOAD = "on_reload";

    /** The agent's environment, scrubbed for each child. */
    private final Map<String, String> environment;
    private Process current;
    private Process currentReload;

    public CallbackExecutor() {
        this(System.getenv());
    }

    /** {@code environment}: what the children would inherit before {@link ChildEnvironment#scrub} (tests). */
    CallbackExecutor(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    /**
     * Starts {@code argv} (the command, then {@code action role cluster_name}) after killing the callback of the
     * same slot still running; returns the started process, or null when it could not start.
     */
    public synchronized Process call(List<String> argv) {
        boolean reload = argv.size() >= 3 && ON_RELOAD.equals(argv.get(argv.size() - 3));
        Process previous = reload ? currentReload : current;
        if (previous != null && previous.isAlive()) {
            log.info("killing callback `{}` (pid {}) still running: a newer one replaces it",
                    String.join(" ", argv.subList(0, Math.max(0, argv.size() - 3))), previous.pid());
            kill(previous);
        }
        Process started = start(argv, "callback");
        if (reload) {
            currentReload = started;
        } else {
            current = started;
        }
        return started;
    }

    /**
     * Runs {@code argv} and waits at most {@code timeout} for it, and only while {@code keepGoing} says so (asked
     * about once a second); returns its exit code, or -1 when it could not start, was killed (timeout, or
     * {@code keepGoing} false), or the wait was interrupted (interrupt flag restored).
     */
    public int runAndWait(List<String> argv, Duration timeout, java.util.function.BooleanSupplier keepGoing) {
        Process process = start(argv, "command");
        if (process == null) {
            return -1;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (!process.waitFor(Math.min(1000, Math.max(0, (deadline - System.nanoTime()) / 1_000_000)),
                    TimeUnit.MILLISECONDS)) {
                String why = System.nanoTime() - deadline >= 0 ? "did not finish within " + timeout.toSeconds() + " s"
                        : keepGoing.getAsBoolean() ? null : "is no longer wanted";
                if (why != null) {
                    log.warn("`{}` {}; killed", String.join(" ", argv), why);
                    kill(process);
                    return -1;
                }
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            kill(process);
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Waits up to {@code timeout} for running callbacks (an {@code on_stop} at shutdown) before the agent exits. */
    public void awaitRunning(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Process p : running()) {
            try {
                p.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private synchronized List<Process> running() {
        return java.util.stream.Stream.of(current, currentReload).filter(p -> p != null && p.isAlive()).toList();
    }

    @Override
    public void close() {
        awaitRunning(Duration.ofSeconds(5));
    }

    private Process start(List<String> argv, String kind) {
        String line = String.join(" ", argv);
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().clear();
        pb.environment().putAll(environment);
        ChildEnvironment.scrub(pb.environment());
        Process process;
        try {
            process = pb.start();
        } catch (IOException | RuntimeException e) {
            log.error("cannot run {} `{}`: {}", kind, line, e.getMessage());
            return null;
        }
        log.info("running {} `{}` (pid {})", kind, line, process.pid());
        Thread.ofVirtual().name("callback-" + process.pid()).start(() -> logOutput(process, line));
        return process;
    }

    /** Logs each output line, then the exit status; ends when the process and its output end. */
    private static void logOutput(Process process, String line) {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String text;
            while ((text = out.readLine()) != null) {
                log.info("`{}`: {}", line, text);
            }
        } catch (IOException e) {
            log.debug("output of `{}` unreadable: {}", line, e.toString());
        }
        try {
            int code = process.waitFor();
            if (code == 0) {
                log.info("`{}` exited with 0", line);
            } else {
                log.warn("`{}` exited with {}", line, code);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGKILL to the process and every descendant (Patroni kills a callback's children too). */
    private static void kill(Process process) {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
