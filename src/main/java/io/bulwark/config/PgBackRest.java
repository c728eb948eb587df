package io.bulwark.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code bulwark.pgbackrest}: one place that says where a member's pgBackRest repository is, from which the agent
 * derives everything Patroni users otherwise write by hand (docs/dr.md):
 * <ul>
 *   <li>{@code postgresql.parameters.archive_mode: on} and {@code archive_command} ({@code archive-push %p});</li>
 *   <li>{@code postgresql.recovery_conf.restore_command} ({@code archive-get %f "%p"}): replicas also replay from
 *       the repository when streaming breaks;</li>
 *   <li>the replica creation method {@code pgbackrest} ({@code --delta restore}, {@code keep_data}, {@code
 *       no_params}, as Patroni's documentation writes it), used when {@code create_replica_methods} names it;</li>
 *   <li>the commands behind {@code bulwarkctl backup} ({@code stanza-create}, {@code backup --type=...}).</li>
 * </ul>
 * Setting one of those raw keys as well is an error naming it: two sources for one setting drift.
 *
 * @param command    the pgBackRest executable and fixed options ({@code command}, default {@code pgbackrest})
 * @param stanza     {@code stanza} (required)
 * @param configFile {@code config}: pgBackRest's configuration file, or null for its default
 *                   ({@code /etc/pgbackrest/pgbackrest.conf})
 */
public record PgBackRest(List<String> command, String stanza, Path configFile) {
    /** The name of the replica creation method this section defines. */
    public static final String METHOD = "pgbackrest";
    /** The kinds of backup {@code bulwarkctl backup --type} accepts, pgBackRest's own. */
    public static final Set<String> BACKUP_TYPES = Set.of("full", "diff", "incr");
    private static final Pattern STANZA = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");
    private static final Pattern PLAIN_WORD = Pattern.compile("[A-Za-z0-9_./=:%@+,-]+");

    public PgBackRest {
        command = List.copyOf(command);
    }

    /** pgBackRest against the server whose data directory is {@code dataDir}: command, config, stanza, pg1-path. */
    public List<String> base(Path dataDir) {
        List<String> argv = new ArrayList<>(command);
        if (configFile != null) {
            argv.add("--config=" + configFile);
        }
        argv.add("--stanza=" + stanza);
        argv.add("--pg1-path=" + dataDir.toAbsolutePath());
        return argv;
    }

    /** {@code archive_command}: a shell command line, as PostgreSQL runs it. */
    public String archiveCommand(Path dataDir) {
        return shellLine(base(dataDir)) + " archive-push %p";
    }

    /** {@code restore_command}: a shell command line, as PostgreSQL runs it. */
    public String restoreCommand(Path dataDir) {
        return shellLine(base(dataDir)) + " archive-get %f \"%p\"";
    }

    /** The replica creation method {@code pgbackrest}: a delta restore of the latest backup into the data directory. */
    public ExternalMethod replicaMethod(Path dataDir) {
        List<String> argv = new ArrayList<>(base(dataDir));
        argv.add("--delta");
        argv.add("restore");
        return new ExternalMethod(METHOD, argv, true, Set.of("keep_data"), Map.of());
    }

    /**
     * A pgBackRest operation that connects to the local server ({@code stanza-create}, {@code backup}): as
     * {@link #base} plus the server's port, its socket directory (null: pgBackRest's default) and user.
     */
    public List<String> localServer(Path dataDir, int port, String socketDir, String user, List<String> operation) {
        List<String> argv = new ArrayList<>(base(dataDir));
        argv.add("--pg1-port=" + port);
        if (socketDir != null) {
            argv.add("--pg1-socket-path=" + socketDir);
        }
        argv.add("--pg1-user=" + user);
        argv.addAll(operation);
        return argv;
    }

    /** Words quoted for {@code sh -c} where needed (single quotes; a quote inside as {@code '\''}). */
    static String shellLine(List<String> argv) {
        List<String> words = new ArrayList<>();
        for (String w : argv) {
            words.add(PLAIN_WORD.matcher(w).matches() ? w : "'" + w.replace("'", "'\\''") + "'");
        }
        return String.join(" ", words);
    }

    /** Parses {@code bulwark.pgbackrest}; null when absent or after an error (recorded). */
    static PgBackRest parse(Section bulwark) {
        if (!bulwark.has("pgbackrest")) {
            return null;
        }
        Section section = bulwark.section("pgbackrest");
        Problems problems = section.problems();
        int errorsBefore = problems.errors().size();
        section.requireKnownKeys(Set.of("stanza", "config", "command"), Set.of());
        String stanza = section.requiredString("stanza");
        if (stanza != null && !STANZA.matcher(stanza).matches()) {
            problems.error(section.path("stanza"), "must be a pgBackRest stanza name (letters, digits, '_', '.', '-'),"
                    + " got '" + stanza + "'");
        }
        String configText = section.string("config");
        Path config = null;
        if (configText != null && !configText.isBlank()) {
            try {
                config = Path.of(configText);
            } catch (java.nio.file.InvalidPathException e) {
                problems.error(section.path("config"), "is not a valid path: " + e.getReason());
            }
        }
        List<String> command = List.of();
        try {
            command = ShellWords.split(section.string("command", "pgbackrest"));
            if (command.isEmpty()) {
                problems.error(section.path("command"), "must not be empty (the pgBackRest executable)");
            }
        } catch (IllegalArgumentException e) {
            problems.error(section.path("command"), "is not a valid command line: " + e.getMessage());
        }
        return problems.errors().size() > errorsBefore ? null : new PgBackRest(command, stanza, config);
    }

    /**
     * {@code pg} with the settings this section derives (see the class comment). {@code postgresql} is the
     * section {@code pg} was parsed from: a raw setting there that this section would also write is an error
     * naming it. Returns {@code pg} unchanged after such an error.
     */
    PostgresqlConfig applyTo(PostgresqlConfig pg, Section postgresql) {
        Problems problems = postgresql.problems();
        int errorsBefore = problems.errors().size();
        Section parameters = postgresql.section("parameters");
        if (parameters.has("archive_command")) {
            conflict(problems, parameters.path("archive_command"));
        }
        String archiveMode = pg.parameters().get("archive_mode");
        if (archiveMode != null && !Set.of("on", "always").contains(archiveMode.trim().toLowerCase(Locale.ROOT))) {
            problems.error(parameters.path("archive_mode"), "must be on or always with bulwark.pgbackrest (it archives"
                    + " WAL into the repository), got '" + archiveMode + "'");
        }
        Section recovery = postgresql.section("recovery_conf");
        if (recovery.has("restore_command")) {
            conflict(problems, recovery.path("restore_command"));
        }
        boolean usedAsMethod = pg.createReplicaMethods().contains(METHOD);
        if (usedAsMethod && postgresql.has(METHOD)) {
            conflict(problems, postgresql.path(METHOD));
        }
        if (problems.errors().size() > errorsBefore) {
            return pg;
        }
        Path dataDir = pg.dataDir();
        Map<String, String> params = new LinkedHashMap<>(pg.parameters());
        params.putIfAbsent("archive_mode", "on");
        params.put("archive_command", archiveCommand(dataDir));
        Map<String, String> recoveryConf = new LinkedHashMap<>(pg.recoveryConf());
        recoveryConf.put("restore_command", restoreCommand(dataDir));
        Map<String, ExternalMethod> methods = new LinkedHashMap<>(pg.replicaMethods());
        methods.put(METHOD, replicaMethod(dataDir)); // also for standby_cluster.create_replica_methods
        return pg.withArchive(params, recoveryConf, methods, this);
    }

    private static void conflict(Problems problems, String path) {
        problems.error(path, "is also derived from bulwark.pgbackrest; set one or the other");
    }
}
