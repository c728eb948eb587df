package io.bulwark.postgres;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.bulwark.config.Credentials;

/**
 * Rewinds a stopped data directory onto a new primary's timeline with {@code pg_rewind} (reference §2.6).
 *
 * <p>Order of operations, as Patroni: pg_rewind must be possible at all (data checksums or
 * {@code wal_log_hints=on} in the control file, else it would corrupt pages silently, so we refuse); the target
 * must be shut down cleanly, so a crashed server first gets single-user crash recovery (with signal files
 * removed: single-user mode cannot run as a standby); then pg_rewind connects to the source as the rewind user
 * (password from pgpass). On success the copied {@code pg_replslot} contents are removed: slots of the source
 * make no sense here and would pin WAL.
 */
final class Rewind {
    private static final Logger log = LoggerFactory.getLogger(Rewind.class);
    static final Duration CRASH_RECOVERY_TIMEOUT = Duration.ofMinutes(30);
    static final Duration REWIND_TIMEOUT = Duration.ofHours(6);

    private final CommandRunner runner;
    private final Binaries binaries;
    private final Path dataDir;
    private final Path pgpass;
    private final Credentials rewindUser;
    private final PostgresConf conf;

    Rewind(CommandRunner runner, Binaries binaries, Path dataDir, Path pgpass, Credentials rewindUser,
           PostgresConf conf) {
        this.runner = runner;
        this.binaries = binaries;
        this.dataDir = dataDir;
        this.pgpass = pgpass;
        this.rewindUser = rewindUser;
        this.conf = conf;
    }

    /** Returns whether the data directory is now on the source's timeline. Requires a stopped server. */
    boolean rewind(String host, int port) throws PostgresException {
        ControlData control = ControlData.read(runner, binaries, dataDir);
        if (!control.allowsRewind()) {
            log.warn("pg_rewind is impossible for {}: neither data checksums nor wal_log_hints=on", dataDir);
            return false;
        }
        if (!control.isCleanlyShutDown()) {
            log.info("doing crash recovery in a single user mode (cluster state: {})", control.clusterState());
            crashRecovery();
        }
        Map<String, String> source = new LinkedHashMap<>();
        source.put("host", host);
        source.put("port", Integer.toString(port));
        source.put("user", rewindUser.username());
        source.put("dbname", "postgres");
        source.put("connect_timeout", Integer.toString(PostgresConf.CONNECT_TIMEOUT_SECONDS));
        var argv = binaries.argv("pg_rewind", "--target-pgdata=" + dataDir, "--source-server="
                + Conninfo.render(source), "--progress");
        log.info("running pg_rewind from {}:{}", host, port);
        CommandRunner.Result r = runner.run(argv, Map.of("PGPASSFILE", pgpass.toAbsolutePath().toString(),
                "PGOPTIONS", "-c statement_timeout=0"), REWIND_TIMEOUT);
        if (!r.succeeded()) {
            log.warn("pg_rewind from {}:{} failed: `{}` {}{}", host, port, CommandRunner.describe(argv),
                    r.timedOut() ? "timed out" : "exited with " + r.exitCode(),
                    PostgresException.tailSuffix(r.tail(10)));
            return false;
        }
        clearReplicationSlots();
        log.info("pg_rewind from {}:{} succeeded", host, port);
        return true;
    }

    /** Single-user {@code postgres --single}: replays WAL and writes a shutdown checkpoint, then exits on EOF. */
    private void crashRecovery() throws PostgresException {
        conf.removeSignals();
        var argv = binaries.argv("postgres", "--single", "-D", dataDir.toString(),
                "-c", "archive_mode=off", "-c", "synchronous_standby_names=",
                "postgres");
        CommandRunner.Result r = runner.run(argv, Map.of(), CRASH_RECOVERY_TIMEOUT);
        ControlData after = ControlData.read(runner, binaries, dataDir);
        if (!r.succeeded() || !after.isCleanlyShutDown()) {
            throw PostgresException.commandFailed("crash recovery failed (cluster state: " + after.clusterState()
                    + ")", r, 10);
        }
    }

    private void clearReplicationSlots() {
        try {
            DataDirs.clear(dataDir.resolve("pg_replslot"), true);
        } catch (IOException e) {
            log.warn("cannot clear {}: {}", dataDir.resolve("pg_replslot"), e.toString());
        }
    }
}
