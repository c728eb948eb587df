package io.bulwark.postgres;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.bulwark.config.BootstrapConfig;
import io.bulwark.config.DynamicConfig;
import io.bulwark.config.ExternalMethod;

/**
 * A new cluster created by the user's command instead of initdb ({@code bootstrap.method}, reference §4.7), the way
 * a point-in-time restore from a backup is done: run the command (Patroni's {@code --scope} and {@code --datadir}
 * unless {@code no_params}), write the method's {@code recovery_conf} with {@code recovery.signal} (or keep what the
 * command wrote, with {@code keep_existing_recovery_conf}), start PostgreSQL and wait until recovery has ended and
 * the server runs as a primary. A recovery that pauses at its target is promoted; one that stops the server (the
 * target was never reached) fails the bootstrap, so no half-restored cluster becomes the leader.
 */
final class CustomBootstrap {
    private static final Logger log = LoggerFactory.getLogger(CustomBootstrap.class);
    /** The bound on the command and on the recovery after it (a restore of a large backup takes long). */
    static final Duration TIMEOUT = Duration.ofHours(6);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration START_WAIT = Duration.ofSeconds(5);

    private final Path dataDir;
    private final CommandRunner runner;
    private final PostgresConf conf;
    private final SecureFiles files;
    private final Postmaster postmaster;
    private final LocalConnection connection;

    CustomBootstrap(Path dataDir, CommandRunner runner, PostgresConf conf, SecureFiles files, Postmaster postmaster,
                    LocalConnection connection) {
        this.dataDir = dataDir;
        this.runner = runner;
        this.conf = conf;
        this.files = files;
        this.postmaster = postmaster;
        this.connection = connection;
    }

    /** Runs the method; on return the server runs as a primary. */
    void run(BootstrapConfig bootstrap, DynamicConfig dyn, String scope) throws PostgresException {
        ExternalMethod method = bootstrap.method();
        Map<String, String> params = new LinkedHashMap<>();
        params.put("scope", scope);
        params.put("datadir", dataDir.toString());
        log.info("Running custom bootstrap script: {}", String.join(" ", method.command()));
        CommandRunner.Result r = runner.run(method.argv(params), Map.of(), TIMEOUT);
        if (!r.succeeded()) {
            throw PostgresException.commandFailed("custom bootstrap failed (bootstrap." + method.name() + ")", r, 10);
        }
        if (DataDirs.classify(dataDir) != PostgresState.DataDirState.INITIALIZED) {
            throw new PostgresException("custom bootstrap failed: bootstrap." + method.name() + " exited 0 but left"
                    + " no data directory in " + dataDir);
        }
        boolean keep = method.flag(BootstrapConfig.KEEP_EXISTING_RECOVERY_CONF);
        boolean recoveryLeft = Files.exists(dataDir.resolve(PostgresConf.RECOVERY_SIGNAL))
                || Files.exists(dataDir.resolve(PostgresConf.STANDBY_SIGNAL));
        conf.writeRecovery(dyn, bootstrap.recoveryConf()); // no standby.signal: this server is to become the primary
        if (!bootstrap.recoveryConf().isEmpty() || keep && recoveryLeft) {
            files.touch(dataDir.resolve(PostgresConf.RECOVERY_SIGNAL));
        }
        postmaster.start(START_WAIT);
        awaitEndOfRecovery(method.name());
        conf.write(dyn, null); // the recovery settings served their purpose; the next start must not repeat them
        log.info("custom bootstrap (bootstrap.{}) finished: the restored cluster runs as a primary", method.name());
    }

    private void awaitEndOfRecovery(String name) throws PostgresException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        boolean promoted = false;
        while (System.nanoTime() - deadline < 0) {
            if (!postmaster.isAlive()) {
                throw new PostgresException("custom bootstrap failed: PostgreSQL stopped during the recovery after"
                        + " bootstrap." + name + " (a recovery target that was never reached stops it)"
                        + PostgresException.tailSuffix(postmaster.logTail(15)));
            }
            try {
                String state = connection.call(c -> {
                    // the pause state is asked only in recovery: outside it the function raises an error
                    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT CASE WHEN"
                            + " pg_catalog.pg_is_in_recovery() THEN pg_catalog.pg_get_wal_replay_pause_state()"
                            + " ELSE 'primary' END")) {
                        rs.next();
                        return rs.getString(1);
                    }
                });
                if (state.equals("primary")) {
                    return;
                }
                if (state.equals("paused") && !promoted) {
                    log.info("recovery after bootstrap.{} paused at its target: promoting", name);
                    connection.call(c -> {
                        try (Statement st = c.createStatement()) {
                            st.execute("SELECT pg_catalog.pg_promote(false)");
                        }
                        return null;
                    });
                    promoted = true;
                }
            } catch (SQLException e) {
                log.debug("waiting for the recovery after bootstrap.{}: {}", name, e.getMessage());
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PostgresException("custom bootstrap interrupted", e);
            }
        }
        throw new PostgresException("custom bootstrap failed: recovery after bootstrap." + name + " did not end within "
                + TIMEOUT.toHours() + " h");
    }
}
