package io.bulwark.config;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Maps the local {@code postgresql} section (reference §4.8) to {@link PostgresqlConfig}. Checks that touch the
 * file system (data or bin directory missing) only warn, so that a config written for another host validates.
 */
final class PostgresqlParser {
    private static final Set<String> SUPPORTED = Set.of("listen", "connect_address", "data_dir", "bin_dir",
            "pgpass", "authentication", "parameters", "pg_hba", "create_replica_methods", "basebackup",
            "pg_ctl_timeout", "keep_failed_data_dirs", "callbacks", "pre_promote", "recovery_conf");
    private static final Set<String> IGNORED = Set.of("proxy_address", "bin_name", "use_unix_socket",
            "use_unix_socket_repl", "rewind", "pg_ident", "before_stop");
    /**
     * Patroni settings whose absence changes what the server keeps or recovers: errors unless
     * {@code bulwark.allow_unsupported} (then warnings), with what ignoring them means.
     */
    static final Map<String, String> UNSAFE_TO_IGNORE = Map.of(
            "custom_conf", "not implemented by Bulwark: the settings in that file (archive_command, synchronous"
                    + " settings, ...) would not be applied",
            "config_dir", "not implemented by Bulwark: PostgreSQL would run with the postgresql.conf Bulwark writes"
                    + " in data_dir, not with the files in that directory");
    static final Set<String> BASEBACKUP_NAMES = PostgresqlConfig.BASEBACKUP_NAMES;
    /** The flags of a replica creation method's section (Patroni's; no_master is no_leader's old name). */
    private static final Set<String> METHOD_FLAGS = Set.of("keep_data", "no_leader", "no_master");
    /** What {@code recovery_conf} may set on a replica: where else to fetch WAL from, and how to replay it. */
    private static final Set<String> REPLICA_RECOVERY = Set.of("restore_command", "archive_cleanup_command",
            "recovery_min_apply_delay");
    /** Patroni lets local values of these override the dynamic ones; Bulwark reads them from DynamicConfig. */
    private static final Set<String> DYNAMIC_ONLY = Set.of("use_pg_rewind", "use_slots",
            "remove_data_directory_on_rewind_failure", "remove_data_directory_on_diverged_timelines");
    private static final Set<String> BASEBACKUP_FORBIDDEN = Set.of("pgdata", "D", "format", "F", "wal-method", "X",
            "write-recovery-conf", "R");
    /**
     * pg_basebackup options that change only how the copy is taken, by their long names (the agent passes
     * {@code --name=value}). Not among them: connection options and {@code --password} (the agent connects; a
     * password prompt would hang the clone), {@code --no-sync} (a crash after the clone could leave a corrupt
     * replica), {@code --compress}/{@code --target} (tar format only), {@code --create-slot} (slots are the
     * leader's), {@code --incremental}.
     */
    private static final Set<String> BASEBACKUP_ALLOWED = Set.of("checkpoint", "max-rate", "label", "progress",
            "verbose", "no-verify-checksums", "waldir", "manifest-checksums", "manifest-force-encode", "no-manifest",
            "no-slot", "tablespace-mapping", "no-estimate-size", "status-interval");

    private PostgresqlParser() {
    }

    /** Null when the section has errors (they are recorded). */
    static PostgresqlConfig parse(Section pg) {
        Problems problems = pg.problems();
        int errorsBefore = problems.errors().size();
        List<String> methods = pg.has("create_replica_methods") ? pg.stringList("create_replica_methods")
                : List.of("basebackup");
        checkKeys(pg, methods);
        Callbacks callbacks = callbacks(pg);
        HostPort listen = HostPort.listen(pg, "listen", true);
        String connectAddress = HostPort.connectAddress(pg, "connect_address", listen);
        Path dataDir = dataDir(pg);
        Path binDir = path(pg, "bin_dir");
        if (binDir != null && !Files.isDirectory(binDir)) {
            problems.warning(pg.path("bin_dir"), "directory " + binDir + " does not exist on this host");
        }
        Path pgpass = path(pg, "pgpass"); // null: the agent's private runtime directory (postgres.RuntimeDir)
        Section auth = pg.section("authentication");
        auth.requireKnownKeys(Set.of("superuser", "replication", "rewind"), Set.of());
        Credentials superuser = user(auth.section("superuser"));
        Credentials replication = user(auth.section("replication"));
        Credentials rewind = auth.has("rewind") ? user(auth.section("rewind")) : null;
        Map<String, String> parameters = settings(pg.section("parameters"));
        if (pg.value("pg_hba") instanceof String) {
            problems.error(pg.path("pg_hba"), "must be a list of strings, got a string");
        }
        List<String> pgHba = pg.stringList("pg_hba");
        List<String> basebackup = Options.parse(pg, "basebackup", BASEBACKUP_FORBIDDEN, BASEBACKUP_ALLOWED).stream()
                .map(o -> "--" + o).toList();
        Integer pgCtlTimeout = pg.integer("pg_ctl_timeout",
                (int) PostgresqlConfig.DEFAULT_PG_CTL_TIMEOUT.toSeconds(), 1);
        Integer keepFailed = pg.integer("keep_failed_data_dirs", PostgresqlConfig.DEFAULT_KEEP_FAILED_DATA_DIRS, 1);
        Map<String, ExternalMethod> replicaMethods = new LinkedHashMap<>();
        for (String method : methods) {
            if (!BASEBACKUP_NAMES.contains(method)) {
                ExternalMethod m = ExternalMethod.parse(pg, method, METHOD_FLAGS, Set.of());
                if (m != null) {
                    replicaMethods.put(method, m);
                }
            }
        }
        Map<String, String> recoveryConf = recoveryConf(pg.section("recovery_conf"));
        if (problems.errors().size() > errorsBefore) {
            return null;
        }
        return new PostgresqlConfig(listen.host(), listen.port(), connectAddress, dataDir, binDir, pgpass,
                superuser, replication, rewind, parameters, pgHba, methods, basebackup,
                java.time.Duration.ofSeconds(pgCtlTimeout), keepFailed, callbacks, replicaMethods, recoveryConf, null);
    }

    /** {@code recovery_conf} of a replica; other recovery settings (targets) belong to a bootstrap method. */
    private static Map<String, String> recoveryConf(Section section) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : section.map().entrySet()) {
            String value = Scalars.asSetting(e.getValue());
            if (!REPLICA_RECOVERY.contains(e.getKey())) {
                section.problems().error(section.path(e.getKey()), "is not a setting Bulwark writes for a replica;"
                        + " expected one of " + String.join(", ", new java.util.TreeSet<>(REPLICA_RECOVERY))
                        + " (recovery targets belong to a custom bootstrap method's recovery_conf)");
            } else if (value == null) {
                section.problems().error(section.path(e.getKey()), "must be a scalar, got "
                        + Scalars.describe(e.getValue()));
            } else {
                out.put(e.getKey(), value);
            }
        }
        return out;
    }

    /** {@code callbacks} and {@code pre_promote}, split into argv now so that bad quoting fails the load. */
    private static Callbacks callbacks(Section pg) {
        Section section = pg.section("callbacks");
        Map<String, List<String>> commands = new LinkedHashMap<>();
        for (String action : section.map().keySet()) {
            if (!Callbacks.ACTIONS.contains(action)) {
                pg.problems().warning(section.path(action), "unknown callback; expected one of "
                        + String.join(", ", Callbacks.ACTIONS));
                continue;
            }
            List<String> argv = command(section, action);
            if (argv != null && !argv.isEmpty()) {
                commands.put(action, argv);
            }
        }
        List<String> prePromote = command(pg, "pre_promote");
        return new Callbacks(commands, prePromote == null ? List.of() : prePromote);
    }

    /** The command at {@code key} as argv; empty when unset or blank, null after an error. */
    private static List<String> command(Section section, String key) {
        String text = section.string(key);
        if (text == null) {
            return List.of();
        }
        try {
            return ShellWords.split(text);
        } catch (IllegalArgumentException e) {
            section.problems().error(section.path(key), "is not a valid command line: " + e.getMessage());
            return null;
        }
    }

    private static void checkKeys(Section pg, List<String> methods) {
        if (pg.has("create_replica_methods") && methods.isEmpty()) {
            pg.problems().error(pg.path("create_replica_methods"), "must name at least one method (e.g. basebackup)");
        }
        for (Map.Entry<String, String> unsafe : UNSAFE_TO_IGNORE.entrySet()) {
            if (pg.has(unsafe.getKey()) && !configDirIsDataDir(pg, unsafe.getKey())) {
                pg.problems().unsupported(pg.path(unsafe.getKey()), unsafe.getValue());
            }
        }
        Set<String> supported = new HashSet<>(SUPPORTED);
        supported.addAll(UNSAFE_TO_IGNORE.keySet()); // reported above

        supported.addAll(methods); // per-method option sections, e.g. basebackup: or wal_g:
        supported.addAll(DYNAMIC_ONLY); // warned about below, with a better message
        Set<String> ignored = new HashSet<>(IGNORED);
        for (String key : pg.map().keySet()) {
            if (DYNAMIC_ONLY.contains(key)) {
                pg.problems().warning(pg.path(key), "Bulwark reads this from the dynamic configuration only "
                        + "(bootstrap.dcs.postgresql." + key + "); local value ignored");
            } else if (key.startsWith("parameters_") || key.startsWith("pg_hba_") || key.startsWith("pg_ident_")) {
                ignored.add(key);
            }
        }
        pg.checkKeys(supported, ignored);
    }

    /** Patroni's default {@code config_dir} is the data directory: saying so explicitly is what Bulwark does. */
    private static boolean configDirIsDataDir(Section pg, String key) {
        if (!key.equals("config_dir")) {
            return false;
        }
        String configDir = Scalars.asText(pg.value("config_dir"));
        String dataDir = Scalars.asText(pg.value("data_dir"));
        try {
            return configDir != null && dataDir != null
                    && Path.of(configDir).normalize().equals(Path.of(dataDir).normalize());
        } catch (InvalidPathException e) {
            return false;
        }
    }

    private static Path dataDir(Section pg) {
        String text = pg.requiredString("data_dir");
        Path dir = text == null ? null : toPath(pg, "data_dir", text);
        if (dir == null) {
            return null;
        }
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            pg.problems().error(pg.path("data_dir"), dir + " exists and is not a directory");
        } else if (!Files.exists(dir)) {
            pg.problems().warning(pg.path("data_dir"), "data directory " + dir + " does not exist yet");
        }
        return dir;
    }

    private static Path path(Section section, String key) {
        String text = section.string(key);
        return text == null || text.isBlank() ? null : toPath(section, key, text);
    }

    private static Path toPath(Section section, String key, String text) {
        try {
            return Path.of(text);
        } catch (InvalidPathException e) {
            section.problems().error(section.path(key), "is not a valid path: " + e.getReason());
            return null;
        }
    }

    private static Credentials user(Section user) {
        user.requireKnownKeys(Set.of("username", "password"), Set.of("sslmode", "sslkey", "sslpassword", "sslcert",
                "sslrootcert", "sslcrl", "sslcrldir", "sslnegotiation", "gssencmode", "channel_binding"));
        String username = user.requiredString("username");
        return new Credentials(username, user.string("password"));
    }

    private static Map<String, String> settings(Section parameters) {
        Map<String, String> out = new LinkedHashMap<>();
        parameters.map().forEach((name, value) -> {
            String text = Scalars.asSetting(value);
            if (value != null && text == null) {
                parameters.problems().error(parameters.path(name), "must be a single value, got "
                        + Scalars.describe(value));
            } else if (text != null) {
                out.put(name, text);
            }
        });
        return out;
    }
}
