package io.bulwark.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.bulwark.config.PostgresqlConfig;
import io.bulwark.postgres.PostgresState.DataDirState;

/**
 * Creates a replica's data directory with {@code pg_basebackup -X stream -c fast}. The connection string carries
 * no password (libpq reads the pgpass file named by {@code PGPASSFILE}). Up to {@link #ATTEMPTS} attempts; a
 * partial copy is removed between attempts and after the last one. Only an empty or missing directory is ever
 * cloned into, so no existing data can be lost here.
 *
 * <p>A clone never hangs forever: TCP keepalives and {@code tcp_user_timeout} end a connection to an upstream
 * that vanished from the network (about 25 s of silence, 30 s of unacknowledged data), and an attempt whose data
 * directory has not grown for {@link #STALL_LIMIT} (an upstream that is connected but sends nothing) is stopped.
 */
final class Clone {
    private static final Logger log = LoggerFactory.getLogger(Clone.class);
    static final int ATTEMPTS = 3;
    /** Longer than an immediate checkpoint on a large, busy primary, during which nothing is written here. */
    static final Duration STALL_LIMIT = Duration.ofMinutes(10);

    private final PostgresqlConfig cfg;
    private final String memberName;
    private final CommandRunner runner;
    private final Binaries binaries;
    private final Path pgpass;
    private final Duration retryDelay;

    Clone(PostgresqlConfig cfg, String memberName, CommandRunner runner, Binaries binaries, Path pgpass,
          Duration retryDelay) {
        this.cfg = cfg;
        this.memberName = memberName;
        this.runner = runner;
        this.binaries = binaries;
        this.pgpass = pgpass;
        this.retryDelay = retryDelay;
    }

    void from(String host, int port) throws PostgresException {
        Path dir = cfg.dataDir().toAbsolutePath();
        DataDirState state = DataDirs.classify(dir);
        if (state == DataDirState.INITIALIZED) {
            throw new PostgresException("cannot clone into " + dir + ": the data directory is not empty");
        }
        boolean existed = state == DataDirState.EMPTY;
        Map<String, String> conn = new LinkedHashMap<>();
        conn.put("host", host);
        conn.put("port", Integer.toString(port));
        conn.put("user", cfg.replication().username());
        conn.put("application_name", memberName);
        conn.put("connect_timeout", Integer.toString(PostgresConf.CONNECT_TIMEOUT_SECONDS));
        conn.put("keepalives", "1");
        conn.put("keepalives_idle", "10");
        conn.put("keepalives_interval", "5");
        conn.put("keepalives_count", "3");
        conn.put("tcp_user_timeout", "30000");
        List<String> argv = new ArrayList<>(binaries.argv("pg_basebackup", "-D", dir.toString(), "-X", "stream",
                "-c", "fast", "-w", "--dbname=" + Conninfo.render(conn)));
        argv.addAll(cfg.basebackup());
        Map<String, String> env = Map.of("PGPASSFILE", pgpass.toAbsolutePath().toString());
        CommandRunner.Result last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            log.info("cloning {}:{} into {} (attempt {} of {})", host, port, dir, attempt, ATTEMPTS);
            last = runner.run(argv, env, null, new CommandRunner.Watch(() -> bytesUnder(dir), STALL_LIMIT));
            if (last.succeeded()) {
                tightenPermissions(dir);
                return;
            }
            log.warn("pg_basebackup attempt {} failed{}", attempt, PostgresException.tailSuffix(last.tail(3)));
            removePartial(dir, existed);
            if (attempt < ATTEMPTS) {
                pause();
            }
        }
        throw PostgresException.commandFailed("clone from " + host + ":" + port + " failed after " + ATTEMPTS
                + " attempts", last, 5);
    }

    /** Total size of the regular files under {@code dir} (0 when unreadable): the clone's progress. */
    static long bytesUnder(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.mapToLong(p -> {
                try {
                    return Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) ? Files.size(p) : 0;
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        } catch (IOException | UncheckedIOException e) {
            return 0;
        }
    }

    private static void removePartial(Path dir, boolean keepDir) throws PostgresException {
        try {
            DataDirs.clear(dir, keepDir);
        } catch (IOException e) {
            throw new PostgresException("cannot remove the partial clone in " + dir + ": " + e, e);
        }
    }

    /** PostgreSQL refuses a data directory readable by others; a pre-created empty one may be. */
    private static void tightenPermissions(Path dir) throws PostgresException {
        try {
            String perms = PosixFilePermissions.toString(Files.getPosixFilePermissions(dir));
            if (perms.charAt(6) != '-' || perms.charAt(7) != '-' || perms.charAt(8) != '-' || perms.charAt(4) != '-') {
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            }
        } catch (IOException e) {
            throw new PostgresException("cannot set permissions 0700 on " + dir + ": " + e, e);
        }
    }

    private void pause() throws PostgresException {
        try {
            Thread.sleep(retryDelay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PostgresException("interrupted while waiting to retry the clone", e);
        }
    }
}
