package io.bulwark.postgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The postmaster process: started, stopped and promoted with {@code pg_ctl}; found through
 * {@code postmaster.pid} plus a live process check, so a stale pid file after a crash (or a reused pid) does not
 * count as running. The server's stdout/stderr go to {@code postmaster.log} in the data directory, whose tail
 * is quoted when a start fails. Never deletes {@code postmaster.pid}: PostgreSQL's own lock logic handles stale
 * ones.
 */
final class Postmaster {
    private static final Logger log = LoggerFactory.getLogger(Postmaster.class);
    static final String LOG_FILE = "postmaster.log";
    /** Slack on top of pg_ctl's own {@code -t} before the runner kills pg_ctl. */
    private static final Duration SLACK = Duration.ofSeconds(30);

    private final CommandRunner runner;
    private final Binaries binaries;
    private final Path dataDir;
    private volatile long reportedZombie = -1;

    Postmaster(CommandRunner runner, Binaries binaries, Path dataDir) {
        this.runner = runner;
        this.binaries = binaries;
        this.dataDir = dataDir;
    }

    Path logFile() {
        return dataDir.resolve(LOG_FILE);
    }

    boolean hasPidFile() {
        return Files.exists(dataDir.resolve("postmaster.pid"));
    }

    /** The pid in postmaster.pid if that process is alive and looks like a postgres server. */
    Optional<ProcessHandle> process() {
        try {
            List<String> lines = Files.readAllLines(dataDir.resolve("postmaster.pid"));
            if (lines.isEmpty() || lines.get(0).isBlank()) {
                return Optional.empty();
            }
            long pid = Long.parseLong(lines.get(0).trim());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .filter(p -> p.info().command().map(c -> c.contains("postgres")).orElse(true))
                    .filter(p -> !reportIfZombie(p));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * A postmaster that has exited but was not reaped (its parent, usually PID 1 of a container without an init,
     * never waits for orphans) still "exists" for {@code kill(pid, 0)}. It is not running; PostgreSQL will refuse
     * to start while it holds the lock file, so say why, once per pid.
     */
    private boolean reportIfZombie(ProcessHandle p) {
        if (!ProcState.isZombie(p.pid())) {
            return false;
        }
        if (reportedZombie != p.pid()) {
            reportedZombie = p.pid();
            log.error("the postmaster (pid {}) has exited but its parent (pid {}) has not reaped it: PostgreSQL cannot"
                    + " start again until it is. Run the agent under an init that reaps orphans (tini -s, docker"
                    + " run --init, compose init: true)", p.pid(),
                    p.parent().map(ProcessHandle::pid).map(String::valueOf).orElse("?"));
        }
        return true;
    }

    /** standby.signal is present: a starting server will stay in recovery rather than become a primary. */
    boolean startsAsStandby() {
        return Files.exists(dataDir.resolve(PostgresConf.STANDBY_SIGNAL));
    }

    boolean isAlive() {
        return process().isPresent();
    }

    /**
     * {@code pg_ctl start -w -t <wait>}: launches the postmaster and waits at most {@code wait} for it to accept
     * connections. Returns true when it does, false when it is still starting up (crash recovery, a standby
     * waiting for a consistent state): the postmaster keeps running and later probes report "starting". Throws
     * when the postmaster is gone, with the tails of pg_ctl's output and of the server log.
     */
    boolean start(Duration wait) throws PostgresException {
        List<String> argv = binaries.argv("pg_ctl", "start", "-D", dataDir.toString(), "-l", logFile().toString(),
                "-w", "-t", seconds(wait), "-s");
        log.info("starting PostgreSQL in {}", dataDir);
        CommandRunner.Result r = runner.run(argv, Map.of(), wait.plus(SLACK));
        if (r.succeeded()) {
            return true;
        }
        if (isAlive()) {
            log.info("PostgreSQL in {} is still starting up after {} s; not waiting for it", dataDir,
                    seconds(wait));
            return false;
        }
        throw new PostgresException("PostgreSQL did not start: `" + CommandRunner.describe(argv) + "` "
                + (r.timedOut() ? "timed out" : "exited with " + r.exitCode())
                + PostgresException.tailSuffix(r.tail(3))
                + "\nserver log " + logFile() + PostgresException.tailSuffix(logTail(15)));
    }

    /**
     * {@code pg_ctl stop -m <mode> -w}; returns whether the postmaster is gone afterwards. A server that is not
     * running counts as stopped.
     */
    boolean stop(StopMode mode, Duration timeout) throws PostgresException {
        if (!isAlive()) {
            return true;
        }
        List<String> argv = binaries.argv("pg_ctl", "stop", "-D", dataDir.toString(), "-m", mode.pgCtlName(),
                "-w", "-t", seconds(timeout), "-s");
        log.info("stopping PostgreSQL in {} ({} mode)", dataDir, mode.pgCtlName());
        CommandRunner.Result r = runner.run(argv, Map.of(), timeout.plus(SLACK));
        if (!r.succeeded()) {
            log.warn("`{}` {}{}", CommandRunner.describe(argv),
                    r.timedOut() ? "timed out" : "exited with " + r.exitCode(),
                    PostgresException.tailSuffix(r.tail(3)));
        }
        return !isAlive();
    }

    /** {@code pg_ctl promote -w}: the fallback when {@code pg_promote()} cannot be called. */
    void promote(Duration timeout) throws PostgresException {
        List<String> argv = binaries.argv("pg_ctl", "promote", "-D", dataDir.toString(), "-w", "-t",
                seconds(timeout), "-s");
        CommandRunner.Result r = runner.run(argv, Map.of(), timeout.plus(SLACK));
        if (!r.succeeded()) {
            throw PostgresException.commandFailed("promote failed", r, 5);
        }
    }

    /** Last {@code n} lines of the server log (empty if unreadable). */
    List<String> logTail(int n) {
        try {
            List<String> lines = CommandRunner.readTail(logFile()).lines().filter(l -> !l.isBlank()).toList();
            return lines.subList(Math.max(0, lines.size() - n), lines.size());
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    private static String seconds(Duration d) {
        return Long.toString(Math.max(1, (d.toMillis() + 999) / 1000));
    }
}
