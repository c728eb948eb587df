package io.bulwark.postgres;

import io.bulwark.config.PgBackRest;
import io.bulwark.config.PostgresqlConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.LongSupplier;

/**
 * pgBackRest backups of this member's server ({@code bulwark.pgbackrest}, {@code POST /backup}, {@code bulwarkctl
 * backup}), one at a time, on a thread of their own: a backup takes minutes to hours and must never hold up the HA
 * loop or a REST request. Whether this member may back up (it must be the primary) is the caller's decision.
 *
 * <p>Each backup first runs {@code stanza-create}, which pgBackRest makes idempotent; so does {@link #onPrimary},
 * once per agent when it first runs as a primary, so that archive_command works before the first backup (until
 * the stanza exists every archive-push fails and PostgreSQL keeps the WAL in pg_wal).
 */
public final class Backups implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Backups.class);
    private static final int OUTPUT_LINES = 20;
    private static final Duration STANZA_TIMEOUT = Duration.ofMinutes(5);
    private static final long STANZA_RETRY_NANOS = Duration.ofSeconds(60).toNanos();

    /** What {@link #start} did. */
    public enum Start { STARTED, ALREADY_RUNNING, NOT_CONFIGURED }

    /**
     * The last backup this agent ran: {@code state} is {@code none}, {@code running}, {@code succeeded} or
     * {@code failed}; {@code output}: the last lines pgBackRest printed (a failure's reason).
     */
    public record Status(String state, String type, Instant started, Instant finished, Integer exitCode,
                         List<String> output) {
        public static final Status NONE = new Status("none", null, null, null, null, List.of());

        public Status {
            output = List.copyOf(output);
        }
    }

    private final PostgresqlConfig cfg;
    private final CommandRunner runner;
    private final Path pgpass;
    private final LongSupplier nanoClock;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "bulwark-backup");
        t.setDaemon(true);
        return t;
    });
    private Status status = Status.NONE;
    private boolean stanzaReady;
    private boolean stanzaRunning;
    /** When {@link #onPrimary} last started a stanza-create (nanoClock), null before the first. */
    private Long stanzaTriedNanos;

    public Backups(PostgresqlConfig cfg, CommandRunner runner, Path pgpass, LongSupplier nanoClock) {
        this.cfg = cfg;
        this.runner = runner;
        this.pgpass = pgpass;
        this.nanoClock = nanoClock;
    }

    /** Whether {@code bulwark.pgbackrest} is configured. */
    public boolean configured() {
        return cfg.pgbackrest() != null;
    }

    public synchronized Status status() {
        return status;
    }

    /** Starts a backup of {@code type} ({@link PgBackRest#BACKUP_TYPES}) unless one is running. */
    public synchronized Start start(String type) {
        if (!PgBackRest.BACKUP_TYPES.contains(type)) {
            throw new IllegalArgumentException("backup type must be one of full, diff, incr; got '" + type + "'");
        }
        if (!configured()) {
            return Start.NOT_CONFIGURED;
        }
        if (status.state().equals("running")) {
            return Start.ALREADY_RUNNING;
        }
        status = new Status("running", type, Instant.now(), null, null, List.of());
        log.info("starting a pgBackRest {} backup (stanza {})", type, cfg.pgbackrest().stanza());
        worker.execute(() -> runBackup(type));
        return Start.STARTED;
    }

    /**
     * Called on every HA cycle this member runs as the primary: the first time (and then at most once a minute
     * until it succeeds) it creates the stanza in the background.
     */
    public synchronized void onPrimary() {
        if (!configured() || stanzaReady || stanzaRunning || status.state().equals("running")) {
            return;
        }
        long now = nanoClock.getAsLong();
        if (stanzaTriedNanos != null && now - stanzaTriedNanos < STANZA_RETRY_NANOS) {
            return;
        }
        stanzaTriedNanos = now;
        stanzaRunning = true;
        worker.execute(() -> {
            CommandRunner.Result r = runQuietly(List.of("stanza-create"), STANZA_TIMEOUT);
            synchronized (this) {
                stanzaRunning = false;
                stanzaReady = r != null && r.succeeded();
            }
            if (r != null && !r.succeeded()) {
                log.warn("pgbackrest stanza-create failed (exit code {}), retried in a minute: {}", r.exitCode(),
                        String.join(" | ", r.tail(5)));
            }
        });
    }

    private void runBackup(String type) {
        CommandRunner.Result created = runQuietly(List.of("stanza-create"), STANZA_TIMEOUT);
        boolean stanzaOk = created != null && created.succeeded();
        CommandRunner.Result r = stanzaOk ? runQuietly(List.of("--type=" + type, "backup"), null) : created;
        synchronized (this) {
            stanzaReady |= stanzaOk;
            int code = r == null ? -1 : r.exitCode();
            List<String> output = new ArrayList<>();
            if (r == null) {
                output.add("could not run pgbackrest (see the agent's log)");
            } else {
                if (!stanzaOk) {
                    output.add("stanza-create failed:");
                }
                output.addAll(r.tail(OUTPUT_LINES));
            }
            status = new Status(code == 0 ? "succeeded" : "failed", type, status.started(), Instant.now(), code,
                    output);
        }
        if (r != null && r.succeeded()) {
            log.info("pgBackRest {} backup succeeded", type);
        } else {
            log.error("pgBackRest {} backup failed: {}", type, String.join(" | ", status().output()));
        }
    }

    /** pgBackRest {@code operation} against the local server; null when it could not be run at all (logged). */
    private CommandRunner.Result runQuietly(List<String> operation, Duration timeout) {
        PgBackRest pb = cfg.pgbackrest();
        List<String> argv = pb.localServer(cfg.dataDir(), cfg.port(), socketDir(cfg.parameters()),
                cfg.superuser().username(), operation);
        try {
            return runner.run(argv, Map.of("PGPASSFILE", pgpass.toString()), timeout);
        } catch (PostgresException e) {
            log.error("cannot run pgbackrest: {}", e.getMessage());
            return null;
        }
    }

    /** The first of {@code unix_socket_directories}, or null for the server's (and pgBackRest's) default. */
    static String socketDir(Map<String, String> parameters) {
        String dirs = parameters.get("unix_socket_directories");
        if (dirs == null || dirs.isBlank()) {
            return null;
        }
        String first = dirs.split(",")[0].trim();
        return first.isEmpty() ? null : first;
    }

    /** A running backup's pgBackRest process is stopped with the agent's other commands (CommandRunner#stopRunning). */
    @Override
    public void close() {
        worker.shutdownNow();
    }
}
