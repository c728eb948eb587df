package io.bulwark.postgres;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.bulwark.config.DynamicConfig;
import io.bulwark.config.StandbyClusterConfig;
import io.bulwark.postgres.PostgresState.DataDirState;

/**
 * Starting, stopping and promoting the local server for {@link Postgres} (whose methods of the same names
 * document the contract), keeping the reported process state ({@link ProcessStates}) in step.
 */
final class ServerProcess {
    private static final Logger log = LoggerFactory.getLogger(ServerProcess.class);
    static final Duration ESCALATED_STOP_TIMEOUT = Duration.ofSeconds(30);

    private final Path dataDir;
    private final Binaries binaries;
    private final Postmaster postmaster;
    private final LocalConnection connection;
    private final ProcessStates states;
    private final PgPass pgpass;
    private final SecureFiles files;
    private final PostgresConf conf;
    private final ServerFunctions sql;
    private final Reconfiguration reconfiguration;

    ServerProcess(Path dataDir, Binaries binaries, Postmaster postmaster, LocalConnection connection,
                  ProcessStates states, PgPass pgpass, SecureFiles files, PostgresConf conf, ServerFunctions sql,
                  Reconfiguration reconfiguration) {
        this.dataDir = dataDir;
        this.binaries = binaries;
        this.postmaster = postmaster;
        this.connection = connection;
        this.states = states;
        this.pgpass = pgpass;
        this.files = files;
        this.conf = conf;
        this.sql = sql;
        this.reconfiguration = reconfiguration;
    }

    /** See {@link Postgres#start(Upstream, boolean, DynamicConfig, Duration)}. */
    boolean start(Upstream upstream, boolean standby, DynamicConfig dyn, Duration wait) throws PostgresException {
        requireStartable();
        conf.write(dyn, reconfiguration.slotChecked(upstream, dyn), standby);
        return launch(wait);
    }

    /** See {@link Postgres#startStandbyLeader}. */
    boolean startStandbyLeader(StandbyClusterConfig remote, DynamicConfig dyn, Duration wait)
            throws PostgresException {
        requireStartable();
        conf.writeStandbyLeader(dyn, remote);
        return launch(wait);
    }

    private void requireStartable() throws PostgresException {
        requireUsable();
        if (postmaster.isAlive()) {
            throw new PostgresException("start: PostgreSQL is already running in " + dataDir);
        }
        if (DataDirs.classify(dataDir) != DataDirState.INITIALIZED) {
            throw new PostgresException("start: data directory " + dataDir + " is missing or empty");
        }
        pgpass.write(files);
    }

    private boolean launch(Duration wait) throws PostgresException {
        connection.close();
        states.begin(ProcessStates.STARTING);
        try {
            boolean ready = postmaster.start(wait);
            states.end(ready ? ProcessStates.RUNNING : ProcessStates.STARTING);
            return ready;
        } catch (PostgresException e) {
            states.end(postmaster.isAlive() ? ProcessStates.STARTING : ProcessStates.START_FAILED);
            throw e;
        }
    }

    /** See {@link Postgres#stop}. */
    void stop(StopMode mode, Duration timeout) throws PostgresException {
        connection.close();
        if (!postmaster.isAlive()) {
            states.end(ProcessStates.STOPPED);
            return;
        }
        requireUsable();
        states.begin(ProcessStates.STOPPING);
        boolean stopped = postmaster.stop(mode, timeout);
        if (!stopped && mode == StopMode.FAST) {
            log.warn("fast shutdown did not finish within {}s, escalating to immediate", timeout.toSeconds());
            stopped = postmaster.stop(StopMode.IMMEDIATE, ESCALATED_STOP_TIMEOUT);
        }
        states.end(stopped ? ProcessStates.STOPPED : ProcessStates.STOP_FAILED);
        if (!stopped) {
            throw new PostgresException("stop: PostgreSQL in " + dataDir + " is still running after a "
                    + mode.pgCtlName() + " shutdown" + PostgresException.tailSuffix(postmaster.logTail(5)));
        }
    }

    /** See {@link Postgres#promote}. */
    void promote(Duration timeout) throws PostgresException {
        requireUsable();
        try {
            if (!sql.isInRecovery()) {
                log.info("promote: already running as primary");
                return;
            }
            if (!sql.promote(timeout)) {
                throw new PostgresException("pg_promote() did not finish within " + timeout.toSeconds() + "s");
            }
        } catch (SQLException e) {
            log.warn("pg_promote() failed ({}), falling back to pg_ctl promote", e.getMessage());
            postmaster.promote(timeout);
        }
        log.info("promoted PostgreSQL in {}", dataDir);
    }

    private void requireUsable() throws PostgresException {
        binaries.path("pg_ctl");
    }
}
