package io.bulwark.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code postgresql}: the local PostgreSQL server.
 *
 * @param listenHost     host part of {@code listen} (may be a comma-separated list or {@code 0.0.0.0})
 * @param port           port part of {@code listen}
 * @param connectAddress {@code connect_address} as {@code host:port}; published in {@code conn_url}
 * @param dataDir        {@code data_dir}
 * @param binDir         {@code bin_dir}, or {@code null} to search the usual places
 * @param pgpass         {@code pgpass}: file the agent writes (0600) for replication and rewind, or {@code null}
 *                       for {@code pgpass} in the agent's private runtime directory (postgres.RuntimeDir)
 * @param superuser      {@code authentication.superuser}
 * @param replication    {@code authentication.replication}
 * @param rewind         {@code authentication.rewind}, or {@code null} to use the superuser
 * @param parameters     {@code parameters}: local PostgreSQL settings (dynamic ones override)
 * @param pgHba          {@code pg_hba} lines, or empty to use the dynamic or generated defaults
 * @param createReplicaMethods {@code create_replica_methods}, default {@code [basebackup]}
 * @param basebackup     {@code basebackup} options as argv entries
 * @param pgCtlTimeout   {@code pg_ctl_timeout} (default 60 s): how long a stop or a promotion may take, and a
 *                       new cluster's first start; starts in the HA loop never wait that long (see AgentPostgres)
 * @param keepFailedDataDirs {@code keep_failed_data_dirs} (Bulwark's, default 3): how many data directories moved
 *                       aside ({@code <data_dir>.failed-<time>}) are kept; older ones are removed
 * @param callbacks      {@code callbacks} and {@code pre_promote}
 * @param replicaMethods the sections of the {@code create_replica_methods} entries other than basebackup, by name
 * @param recoveryConf   {@code recovery_conf}: restore_command, archive_cleanup_command, recovery_min_apply_delay
 *                       written with every replica's primary_conninfo (a replica then also replays from the archive)
 * @param pgbackrest     {@code bulwark.pgbackrest}, already applied to {@code parameters}, {@code recoveryConf} and
 *                       {@code replicaMethods} ({@link PgBackRest#applyTo}); null without one
 */
public record PostgresqlConfig(
        String listenHost,
        int port,
        String connectAddress,
        Path dataDir,
        Path binDir,
        Path pgpass,
        Credentials superuser,
        Credentials replication,
        Credentials rewind,
        Map<String, String> parameters,
        List<String> pgHba,
        List<String> createReplicaMethods,
        List<String> basebackup,
        java.time.Duration pgCtlTimeout,
        int keepFailedDataDirs,
        Callbacks callbacks,
        Map<String, ExternalMethod> replicaMethods,
        Map<String, String> recoveryConf,
        PgBackRest pgbackrest) {

    public static final java.time.Duration DEFAULT_PG_CTL_TIMEOUT = java.time.Duration.ofSeconds(60);
    public static final int DEFAULT_KEEP_FAILED_DATA_DIRS = 3;
    /** The built-in replica creation method, pg_basebackup (Patroni's name and its alias). */
    public static final java.util.Set<String> BASEBACKUP_NAMES = java.util.Set.of("basebackup", "pg_basebackup");

    /** Without callbacks or {@code pre_promote}. */
    public PostgresqlConfig(String listenHost, int port, String connectAddress, Path dataDir, Path binDir,
                            Path pgpass, Credentials superuser, Credentials replication, Credentials rewind,
                            Map<String, String> parameters, List<String> pgHba, List<String> createReplicaMethods,
                            List<String> basebackup, java.time.Duration pgCtlTimeout, int keepFailedDataDirs) {
        this(listenHost, port, connectAddress, dataDir, binDir, pgpass, superuser, replication, rewind, parameters,
                pgHba, createReplicaMethods, basebackup, pgCtlTimeout, keepFailedDataDirs, Callbacks.NONE);
    }

    public PostgresqlConfig(String listenHost, int port, String connectAddress, Path dataDir, Path binDir,
                            Path pgpass, Credentials superuser, Credentials replication, Credentials rewind,
                            Map<String, String> parameters, List<String> pgHba, List<String> createReplicaMethods,
                            List<String> basebackup, java.time.Duration pgCtlTimeout, int keepFailedDataDirs,
                            Callbacks callbacks) {
        this(listenHost, port, connectAddress, dataDir, binDir, pgpass, superuser, replication, rewind, parameters,
                pgHba, createReplicaMethods, basebackup, pgCtlTimeout, keepFailedDataDirs, callbacks, Map.of(), Map.of(), null);
    }

    public PostgresqlConfig {
        callbacks = callbacks == null ? Callbacks.NONE : callbacks;
        replicaMethods = Map.copyOf(replicaMethods);
        recoveryConf = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(recoveryConf));
        parameters = Map.copyOf(parameters);
        pgHba = List.copyOf(pgHba);
        createReplicaMethods = List.copyOf(createReplicaMethods);
        basebackup = List.copyOf(basebackup);
    }

    /** {@code postgres://<connect_address>/postgres}, the value published as a member's {@code conn_url}. */
    public String connUrl() {
        return "postgres://" + connectAddress + "/postgres";
    }

    /**
     * This configuration with the settings a reload may change taken from {@code reloaded} ({@code parameters},
     * {@code pg_hba}, {@code callbacks}, {@code pre_promote}); everything else needs an agent restart.
     */
    public PostgresqlConfig withReloadable(PostgresqlConfig reloaded) {
        return new PostgresqlConfig(listenHost, port, connectAddress, dataDir, binDir, pgpass, superuser, replication,
                rewind, reloaded.parameters(), reloaded.pgHba(), createReplicaMethods, basebackup, pgCtlTimeout,
                keepFailedDataDirs, reloaded.callbacks(), replicaMethods, recoveryConf, pgbackrest);
    }

    /** This configuration with the archive settings {@code pgbackrest} derived ({@link PgBackRest#applyTo}). */
    PostgresqlConfig withArchive(Map<String, String> parameters, Map<String, String> recoveryConf,
                                 Map<String, ExternalMethod> replicaMethods, PgBackRest pgbackrest) {
        return new PostgresqlConfig(listenHost, port, connectAddress, dataDir, binDir, pgpass, superuser, replication,
                rewind, parameters, pgHba, createReplicaMethods, basebackup, pgCtlTimeout, keepFailedDataDirs,
                callbacks, replicaMethods, recoveryConf, pgbackrest);
    }

    /** Credentials pg_rewind uses: {@code authentication.rewind}, else the superuser. */
    public Credentials rewindCredentials() {
        return rewind != null ? rewind : superuser;
    }
}
