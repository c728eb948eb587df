package io.bulwark.postgres;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.bulwark.config.ExternalMethod;
import io.bulwark.config.PostgresqlConfig;

/**
 * Creates a replica's data directory with the {@code create_replica_methods} in order, as Patroni does (reference
 * §4.8): {@code basebackup} is the built-in pg_basebackup ({@link Clone}); any other entry runs the command of its
 * section {@code postgresql.<name>} (default: the name) with {@code --scope}, {@code --datadir}, {@code --role=replica}
 * and {@code --connstring} (the source's replication conninfo; the password stays in the pgpass file, named by
 * PGPASSFILE) and the section's other keys, unless {@code no_params}. A method that fails is logged with Patroni's
 * sentence, what it left is removed (unless {@code keep_data}), and the next one is tried; the clone fails only when
 * all did. A backup-tool method (pgBackRest, WAL-G) copies from the repository instead of loading the source.
 */
final class ReplicaMethods {
    private static final Logger log = LoggerFactory.getLogger(ReplicaMethods.class);

    private final PostgresqlConfig cfg;
    private final Clone clone;
    private final CommandRunner runner;
    private final Path pgpass;

    ReplicaMethods(PostgresqlConfig cfg, Clone clone, CommandRunner runner, Path pgpass) {
        this.cfg = cfg;
        this.clone = clone;
        this.runner = runner;
        this.pgpass = pgpass;
    }

    void create(String host, int port, String scope) throws PostgresException {
        create(null, host, port, scope);
    }

    /**
     * Tries {@code methods} (null: {@code create_replica_methods}) in order. basebackup copies from {@code host}
     * (null: fails, for an archive-only standby cluster); another name needs its method in
     * {@link PostgresqlConfig#replicaMethods} ({@code postgresql.<name>} of a name listed in
     * {@code create_replica_methods}, or {@code pgbackrest} from {@code bulwark.pgbackrest}).
     */
    void create(List<String> methods, String host, int port, String scope) throws PostgresException {
        Path dir = cfg.dataDir().toAbsolutePath();
        PostgresException last = null;
        for (String name : methods != null ? methods : cfg.createReplicaMethods()) {
            ExternalMethod method = cfg.replicaMethods().get(name);
            try {
                if (method == null && !PostgresqlConfig.BASEBACKUP_NAMES.contains(name)) {
                    throw new PostgresException("no method " + name + ": add " + name + " to"
                            + " postgresql.create_replica_methods with its section postgresql." + name
                            + (name.equals(io.bulwark.config.PgBackRest.METHOD)
                            ? " (or configure bulwark.pgbackrest)" : ""));
                } else if (method == null) {
                    if (host == null) {
                        throw new PostgresException(name + " needs a host to copy from (standby_cluster.host)");
                    }
                    clone.from(host, port);
                } else {
                    runExternal(method, dir, host, port, scope);
                }
                log.info("replica has been created using {}", name);
                return;
            } catch (PostgresException e) {
                last = e;
                log.error("Error creating replica using method {}: {}", name, e.getMessage());
            }
        }
        throw last != null ? last : new PostgresException("create_replica_methods is empty");
    }

    private void runExternal(ExternalMethod method, Path dir, String host, int port, String scope)
            throws PostgresException {
        if (!method.flag("keep_data")) {
            clear(dir);
        }
        Map<String, String> conn = new LinkedHashMap<>();
        conn.put("dbname", "postgres");
        conn.put("user", cfg.replication().username());
        conn.put("host", host);
        conn.put("port", Integer.toString(port));
        Map<String, String> params = new LinkedHashMap<>();
        params.put("scope", scope);
        params.put("role", "replica");
        params.put("datadir", dir.toString());
        if (host != null) {
            params.put("connstring", Conninfo.render(conn));
        }
        CommandRunner.Result r = runner.run(method.argv(params), Map.of("PGPASSFILE", pgpass.toAbsolutePath().toString()),
                CustomBootstrap.TIMEOUT);
        if (!r.succeeded()) {
            clear(dir);
            throw PostgresException.commandFailed(String.join(" ", method.command()) + " exited with code="
                    + r.exitCode(), r, 5);
        }
        if (DataDirs.classify(dir) != PostgresState.DataDirState.INITIALIZED) {
            throw new PostgresException(String.join(" ", method.command()) + " exited 0 but left no data directory in "
                    + dir);
        }
    }

    private static void clear(Path dir) throws PostgresException {
        try {
            DataDirs.clear(dir, true);
        } catch (IOException e) {
            throw new PostgresException("cannot empty " + dir + " for the next replica creation method: " + e, e);
        }
    }
}
