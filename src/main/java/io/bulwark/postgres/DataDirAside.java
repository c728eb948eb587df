package io.bulwark.postgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moving the stopped server's data directory aside for {@link Postgres#moveDataDirAside}, keeping only the newest
 * {@code postgresql.keep_failed_data_dirs} moved-aside directories.
 */
final class DataDirAside {
    private static final Logger log = LoggerFactory.getLogger(DataDirAside.class);
    private static final DateTimeFormatter ASIDE_STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final Path dataDir;
    private final Postmaster postmaster;
    private final LocalConnection connection;
    private final int keepFailedDataDirs;

    DataDirAside(Path dataDir, Postmaster postmaster, LocalConnection connection, int keepFailedDataDirs) {
        this.dataDir = dataDir;
        this.postmaster = postmaster;
        this.connection = connection;
        this.keepFailedDataDirs = keepFailedDataDirs;
    }

    /** Refuses a running server or a missing directory; {@code moved} runs right after the rename. */
    Path move(Runnable moved) throws PostgresException {
        if (postmaster.isAlive()) {
            throw new PostgresException("cannot move " + dataDir + " aside: PostgreSQL is running in it");
        }
        if (!Files.exists(dataDir)) {
            throw new PostgresException("cannot move " + dataDir + " aside: it does not exist");
        }
        connection.close();
        Path target = DataDirs.moveAside(dataDir, LocalDateTime.now().format(ASIDE_STAMP));
        moved.run();
        log.warn("moved data directory {} aside to {}", dataDir, target);
        try {
            for (Path removed : DataDirs.pruneAside(dataDir, keepFailedDataDirs)) {
                log.warn("removed {}: only the newest {} moved-aside data directories are kept"
                        + " (postgresql.keep_failed_data_dirs)", removed, keepFailedDataDirs);
            }
        } catch (IOException e) {
            log.warn("could not remove old moved-aside data directories beside {}: {}", dataDir, e.toString());
        }
        return target;
    }
}
