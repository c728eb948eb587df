package io.bulwark.config;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code standby_cluster} of the dynamic configuration (reference §6), parsed here only: this cluster is a standby
 * cluster of a remote one. Its lock holder is a standby leader that stays in recovery following the remote primary
 * ({@code host:port}) or the archive ({@code restore_command}) and never promotes; the other members cascade from
 * it. Patroni's rule decides whether it is on: the section is a mapping whose {@code host}, {@code port} or
 * {@code restore_command} is truthy ({@link DynamicConfig#isStandbyCluster}).
 *
 * @param host                  the remote primary (or any server of the remote site to stream from); {@code null}
 *                              with a {@code restore_command}: the standby leader replays from the archive only
 * @param port                  its port (default 5432)
 * @param primarySlotName       slot the standby leader streams through on the remote (which must create it, e.g.
 *                              as a permanent slot there); {@code null}: none (as Patroni, no name-derived default)
 * @param restoreCommand        {@code restore_command} of the standby leader, or {@code null}
 * @param archiveCleanupCommand {@code archive_cleanup_command} of the standby leader, or {@code null}
 * @param recoveryMinApplyDelay {@code recovery_min_apply_delay} of the standby leader as written (e.g. {@code 5min}
 *                              or a number of milliseconds), or {@code null}
 * @param createReplicaMethods  how the first member creates its data directory, tried in order: {@code basebackup}
 *                              from host:port, or a method of the local {@code postgresql.<name>} section (Patroni's)
 *                              (others are skipped with a warning: the seam for pgBackRest)
 */
public record StandbyClusterConfig(String host, int port, String primarySlotName, String restoreCommand,
                                   String archiveCleanupCommand, String recoveryMinApplyDelay,
                                   List<String> createReplicaMethods) {
    public static final int DEFAULT_PORT = 5432;
    public static final String BASEBACKUP = "basebackup";
    private static final Set<String> KEYS = Set.of("host", "port", "primary_slot_name", "restore_command",
            "archive_cleanup_command", "recovery_min_apply_delay", "create_replica_methods");
    private static final Pattern SLOT_NAME = Pattern.compile("[a-z0-9_]{1,63}");
    private static final Pattern DELAY = Pattern.compile("\\d+\\s*(us|ms|s|min|h|d)?");

    public StandbyClusterConfig {
        createReplicaMethods = List.copyOf(createReplicaMethods);
    }

    /** The remote's {@code host:port} as the probe reports a replica's upstream; {@code null} without a host. */
    public String hostPort() {
        return host == null ? null : host + ":" + port;
    }

    /** The configured standby cluster, or {@code null} when {@code standby_cluster} does not make this one. */
    static StandbyClusterConfig parse(Section dcs) {
        if (!DynamicConfig.isStandbyCluster(dcs.map())) {
            Object value = dcs.value("standby_cluster");
            if (value != null && !(value instanceof Map<?, ?>)) {
                dcs.problems().error(dcs.path("standby_cluster"), "must be a mapping with host and port (or"
                        + " restore_command), got " + Scalars.describe(value));
            }
            return null;
        }
        Section sc = dcs.section("standby_cluster");
        sc.checkKeys(KEYS, Set.of());
        String host = sc.string("host");
        if (host != null && (host.isBlank() || host.contains(",") || host.chars().anyMatch(Character::isWhitespace))) {
            sc.problems().error(sc.path("host"), "must be one host name or address, got \"" + host + "\"");
        }
        Integer port = sc.integer("port", DEFAULT_PORT, 1);
        if (port != null && port > 65535) {
            sc.problems().error(sc.path("port"), "must be a port number 1..65535, got " + port);
        }
        String slot = sc.string("primary_slot_name");
        if (slot != null && !SLOT_NAME.matcher(slot).matches()) {
            sc.problems().error(sc.path("primary_slot_name"), "must be a replication slot name (1 to 63 lower-case"
                    + " letters, digits or underscores), got \"" + slot + "\"");
        }
        String restore = text(sc, "restore_command");
        String cleanup = text(sc, "archive_cleanup_command");
        String delay = Scalars.asText(sc.value("recovery_min_apply_delay"));
        if (sc.has("recovery_min_apply_delay") && (delay == null || !DELAY.matcher(delay.trim()).matches())) {
            sc.problems().error(sc.path("recovery_min_apply_delay"), "must be a non-negative time (e.g. 300000,"
                    + " \"5min\" or \"1h\"), got " + Scalars.describe(sc.value("recovery_min_apply_delay")));
            delay = null;
        }
        if (host == null && restore == null) {
            sc.problems().error(sc.path("host"), "is required unless restore_command is set (the standby leader"
                    + " needs a remote primary or an archive to follow)");
        }
        List<String> methods = sc.has("create_replica_methods") ? sc.stringList("create_replica_methods")
                : List.of(BASEBACKUP);
        if (sc.has("create_replica_methods") && methods.isEmpty()) {
            sc.problems().error(sc.path("create_replica_methods"), "must name at least one method (e.g. basebackup)");
        } else if (host == null && restore != null && methods.stream().allMatch(m -> m.equals(BASEBACKUP)
                || m.equals("pg_basebackup"))) {
            sc.problems().error(sc.path("create_replica_methods"), "a standby cluster without host cannot be created"
                    + " with basebackup (it copies from the remote primary); name a method that restores from the"
                    + " archive, e.g. [pgbackrest] (its section is postgresql.pgbackrest, or bulwark.pgbackrest)");
        }
        return new StandbyClusterConfig(host, port == null ? DEFAULT_PORT : port, slot, restore, cleanup,
                delay == null ? null : delay.trim(), methods);
    }

    /** From a stored, already validated tree (the {@code raw} of a {@link DynamicConfig}). */
    static StandbyClusterConfig of(Map<String, Object> raw) {
        return parse(new Section(raw, "", new Problems()));
    }

    private static String text(Section sc, String key) {
        String value = sc.string(key);
        if (value != null && (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0 || value.indexOf('\0') >= 0)) {
            sc.problems().error(sc.path(key), "must be one line (no line breaks or NUL)");
            return null;
        }
        return value == null || value.isBlank() ? null : value;
    }
}
