package io.bulwark.postgres;

import java.nio.file.Files;
import java.nio.file.Path;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.bulwark.postgres.PostgresState.DataDirState;

/**
 * Builds {@link Postgres#probe}'s picture of the local server, caching the system identifier (read once with
 * pg_controldata) until the data directory is replaced ({@link #forgetSystemId}).
 */
final class ServerObserver {
    private static final Logger log = LoggerFactory.getLogger(ServerObserver.class);

    private final Path dataDir;
    private final CommandRunner runner;
    private final Binaries binaries;
    private final Postmaster postmaster;
    private final Probe probe;
    private final ProcessStates states;
    private volatile String systemId;

    ServerObserver(Path dataDir, CommandRunner runner, Binaries binaries, Postmaster postmaster, Probe probe,
                   ProcessStates states) {
        this.dataDir = dataDir;
        this.runner = runner;
        this.binaries = binaries;
        this.postmaster = postmaster;
        this.probe = probe;
        this.states = states;
    }

    /** See {@link Postgres#probe}. */
    PostgresState observe() {
        DataDirState dir = DataDirs.classify(dataDir);
        ServerLog.rotateIfOver(postmaster.logFile(), ServerLog.LIMIT_BYTES);
        try {
            String controlState = dir == DataDirState.INITIALIZED ? ControlFile.clusterState(dataDir) : null;
            PostgresState observed = probe.observe(dir, systemId(dir), postmaster, states, controlState);
            if (states.takeUnreportedStartFailure()) {
                log.error("PostgreSQL in {} exited while starting up; server log {}{}", dataDir, postmaster.logFile(),
                        PostgresException.tailSuffix(postmaster.logTail(15)));
            }
            return observed;
        } catch (RuntimeException e) {
            log.warn("probe failed unexpectedly", e);
            return Probe.notAnswering(dir, systemId, ProcessStates.STOPPED, null);
        }
    }

    /** The data directory is being replaced (initdb, clone, moved aside): read the identifier again. */
    void forgetSystemId() {
        systemId = null;
    }

    private String systemId(DataDirState dir) {
        if (dir != DataDirState.INITIALIZED) {
            systemId = null;
        } else if (systemId == null && Files.exists(dataDir.resolve("global/pg_control"))) {
            try {
                systemId = ControlData.read(runner, binaries, dataDir).systemId();
            } catch (PostgresException e) {
                log.debug("cannot read the system identifier: {}", e.getMessage());
            }
        }
        return systemId;
    }
}
