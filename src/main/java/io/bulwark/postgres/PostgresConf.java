package io.bulwark.postgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.bulwark.config.DynamicConfig;
import io.bulwark.config.SlotSettings;
import io.bulwark.config.PostgresqlConfig;
import io.bulwark.config.StandbyClusterConfig;

/**
 * The configuration files Bulwark owns in the data directory (reference §2.6). {@code postgresql.conf} is
 * generated: its first line includes {@code postgresql.base.conf} (initdb's or pg_basebackup's original, renamed
 * once), then come the replication defaults, the dynamic and local parameters, and, only while following an
 * upstream, the recovery settings. {@code pg_hba.conf} is generated too ({@link PgHba}); {@code standby.signal}
 * exists exactly when an upstream is given.
 *
 * <p>Precedence as in Patroni: defaults, then dynamic {@code parameters}, then local ones, except the settings
 * that must be equal on every member ({@link #CLUSTER_WIDE}), which come only from the dynamic configuration,
 * and the settings Bulwark controls ({@link #CONTROLLED}), which no parameter can override.
 */
final class PostgresConf {
    private static final Logger log = LoggerFactory.getLogger(PostgresConf.class);
    static final String CONF = "postgresql.conf";
    static final String BASE_CONF = "postgresql.base.conf";
    static final String HBA = "pg_hba.conf";
    static final String STANDBY_SIGNAL = "standby.signal";
    static final String RECOVERY_SIGNAL = "recovery.signal";
    static final int CONNECT_TIMEOUT_SECONDS = 5;

    /** Patroni's "cmdline" parameters with its defaults: identical on all members, dynamic config only. */
    static final Map<String, Object> CLUSTER_WIDE = defaults();
    static final Set<String> CONTROLLED = Set.of("listen_addresses", "port", "hba_file", "data_directory",
            "config_file", "primary_conninfo", "primary_slot_name", "recovery_target_timeline");

    /** Replaced by a configuration reload ({@link #useLocal}); the fields a reload may not change stay. */
    private volatile PostgresqlConfig cfg;
    private final String memberName;
    private final Path dataDir;
    private final Path pgpass;
    private final SecureFiles files;
    /** Managed {@code synchronous_standby_names} (synchronous mode), or null to keep the configured one. */
    private volatile String synchronousStandbyNames;

    /** A reloaded {@code postgresql} section: its parameters and pg_hba apply from the next {@link #write}. */
    void useLocal(PostgresqlConfig reloaded) {
        this.cfg = cfg.withReloadable(reloaded);
    }

    PostgresConf(PostgresqlConfig cfg, String memberName, Path pgpass, SecureFiles files) {
        this.cfg = cfg;
        this.memberName = memberName;
        this.dataDir = cfg.dataDir().toAbsolutePath();
        this.pgpass = pgpass;
        this.files = files;
    }

    /**
     * Writes postgresql.conf, pg_hba.conf and the signal files for a start as a replica of {@code upstream},
     * or as a primary when it is {@code null}. Idempotent.
     */
    boolean write(DynamicConfig dyn, Upstream upstream) throws PostgresException {
        return write(dyn, upstream, upstream != null);
    }

    /**
     * As above; {@code standby} with no upstream writes standby.signal without primary_conninfo. Returns whether
     * postgresql.conf or pg_hba.conf changed (a reload is needed only then).
     */
    boolean write(DynamicConfig dyn, Upstream upstream, boolean standby) throws PostgresException {
        return write(dyn, upstream == null ? Map.of() : recovery(upstream, dyn.useSlots() && upstream.withSlot()),
                standby || upstream != null);
    }

    /**
     * Writes the files of a standby leader following the remote site of {@code remote} (reference §2.6): its
     * primary_conninfo points at the remote host:port (none when only restore_command is set), primary_slot_name
     * is the configured remote slot only (never our own name), and the section's restore_command,
     * archive_cleanup_command and recovery_min_apply_delay apply. Returns whether a file changed.
     */
    boolean writeStandbyLeader(DynamicConfig dyn, StandbyClusterConfig remote) throws PostgresException {
        Map<String, String> out = new LinkedHashMap<>();
        if (remote.host() != null) {
            out.put("primary_conninfo", primaryConninfo(new Upstream(remote.host(), remote.port(), false)));
            if (remote.primarySlotName() != null) {
                out.put("primary_slot_name", remote.primarySlotName());
            }
        }
        putIfSet(out, "restore_command", remote.restoreCommand());
        putIfSet(out, "archive_cleanup_command", remote.archiveCleanupCommand());
        putIfSet(out, "recovery_min_apply_delay", remote.recoveryMinApplyDelay());
        out.put("recovery_target_timeline", "latest");
        return write(dyn, out, true);
    }

    /**
     * Writes the files of a first start that recovers (a custom bootstrap's restore): the recovery settings, no
     * signal file (the caller adds recovery.signal). Returns whether a file changed.
     */
    boolean writeRecovery(DynamicConfig dyn, Map<String, String> recovery) throws PostgresException {
        return write(dyn, recovery, false);
    }

    private static void putIfSet(Map<String, String> into, String name, String value) {
        if (value != null) {
            into.put(name, value);
        }
    }

    private boolean write(DynamicConfig dyn, Map<String, String> recovery, boolean standby) throws PostgresException {
        adoptBaseConf();
        String confText = render(parameters(dyn), recovery);
        String hbaText = PgHba.render(cfg.pgHba(), dyn.pgHba(), cfg.replication().username());
        boolean changed = !confText.equals(readQuietly(dataDir.resolve(CONF)))
                || !hbaText.equals(readQuietly(dataDir.resolve(HBA)));
        files.write(dataDir.resolve(CONF), confText);
        files.write(dataDir.resolve(HBA), hbaText);
        if (standby) {
            files.touch(dataDir.resolve(STANDBY_SIGNAL));
        } else {
            removeSignals();
        }
        return changed;
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Renames the original postgresql.conf to postgresql.base.conf, once; later writes leave the base alone. */
    void adoptBaseConf() throws PostgresException {
        Path conf = dataDir.resolve(CONF);
        Path base = dataDir.resolve(BASE_CONF);
        try {
            if (Files.exists(base)) {
                return;
            }
            if (Files.exists(conf)) {
                Files.move(conf, base);
            } else {
                files.write(base, "");
            }
        } catch (IOException e) {
            throw new PostgresException("cannot rename " + conf + " to " + base + ": " + e, e);
        }
    }

    void removeSignals() throws PostgresException {
        try {
            Files.deleteIfExists(dataDir.resolve(STANDBY_SIGNAL));
            Files.deleteIfExists(dataDir.resolve(RECOVERY_SIGNAL));
        } catch (IOException e) {
            throw new PostgresException("cannot remove signal files in " + dataDir + ": " + e, e);
        }
    }

    /** Sets the managed synchronous_standby_names (null: unmanaged); true when it changed. */
    boolean synchronousStandbyNames(String value) {
        if (java.util.Objects.equals(value, synchronousStandbyNames)) {
            return false;
        }
        synchronousStandbyNames = value;
        return true;
    }

    /**
     * After an agent restart the managed value is unknown (null) while the running primary still applies the one the
     * previous agent process set: keep that one, or a reload would silently reset it to the configured value and
     * commits would stop waiting for the standbys the {@code sync} key counts on.
     */
    void adoptSynchronousStandbyNames(String running) {
        if (synchronousStandbyNames == null) {
            synchronousStandbyNames = running;
        }
    }

    /** The effective server parameters, in a stable order. */
    Map<String, Object> parameters(DynamicConfig dyn) throws PostgresException {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("listen_addresses", listenAddresses(cfg.listenHost()));
        out.put("port", cfg.port());
        out.put("hba_file", dataDir.resolve(HBA).toString());
        Map<String, Object> merged = new TreeMap<>(CLUSTER_WIDE);
        merge(merged, dyn.parameters(), "dynamic configuration", false);
        merge(merged, cfg.parameters(), "postgresql.parameters", true);
        String managed = synchronousStandbyNames;
        if (managed != null) {
            merged.put("synchronous_standby_names", managed);
        }
        if (dyn.slots().permanent().values().stream().anyMatch(SlotSettings.PermanentSlot::logical)) {
            // as Patroni: a replica's copies of the permanent logical slots (LogicalSlotCopy) are usable after a
            // failover only if the primary kept the catalog rows they need, which it does for the catalog_xmin a
            // replica reports through hot_standby_feedback
            merged.put("hot_standby_feedback", true);
        }
        out.putAll(merged);
        return out;
    }

    private static void merge(Map<String, Object> into, Map<String, ?> from, String source, boolean local)
            throws PostgresException {
        for (Map.Entry<String, ?> e : from.entrySet()) {
            String name = e.getKey();
            if (!name.matches("[A-Za-z_][A-Za-z0-9_.]*")) {
                throw new PostgresException(source + ": invalid parameter name \"" + name + "\"");
            }
            if (CONTROLLED.contains(name)) {
                log.warn("{}: ignoring {}, which Bulwark sets itself", source, name);
            } else if (local && CLUSTER_WIDE.containsKey(name)) {
                log.warn("{}: ignoring {}, which must be equal on all members; set it in the dynamic "
                        + "configuration (postgresql.parameters in /config)", source, name);
            } else if (e.getValue() != null) {
                into.put(name, e.getValue());
            }
        }
    }

    private Map<String, String> recovery(Upstream upstream, boolean useSlots) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("primary_conninfo", primaryConninfo(upstream));
        if (useSlots) {
            out.put("primary_slot_name", SlotNames.forMember(memberName));
        }
        out.put("recovery_target_timeline", "latest");
        out.putAll(cfg.recoveryConf()); // restore_command: the replica also replays from the archive
        return out;
    }

    String primaryConninfo(Upstream upstream) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("dbname", "postgres");
        p.put("user", cfg.replication().username());
        p.put("passfile", pgpass.toAbsolutePath().toString());
        p.put("host", upstream.host());
        p.put("port", Integer.toString(upstream.port()));
        p.put("sslmode", "prefer");
        p.put("application_name", memberName);
        p.put("connect_timeout", Integer.toString(CONNECT_TIMEOUT_SECONDS));
        return Conninfo.render(p);
    }

    /** Renders postgresql.conf text. Pure. */
    static String render(Map<String, Object> parameters, Map<String, String> recovery) throws PostgresException {
        StringBuilder sb = new StringBuilder()
                .append("# Written by Bulwark; do not edit: changes are overwritten.\n")
                .append("# Set parameters in the dynamic configuration or postgresql.parameters.\n")
                .append("include '").append(BASE_CONF).append("'\n\n");
        for (Map.Entry<String, Object> e : parameters.entrySet()) {
            sb.append(e.getKey()).append(" = ").append(value(e.getKey(), e.getValue())).append('\n');
        }
        if (!recovery.isEmpty()) {
            sb.append("\n# recovery settings: following an upstream\n");
            for (Map.Entry<String, String> e : recovery.entrySet()) {
                sb.append(e.getKey()).append(" = ").append(value(e.getKey(), e.getValue())).append('\n');
            }
        }
        return sb.toString();
    }

    /** A GUC value as written in postgresql.conf: numbers bare, booleans on/off, everything else quoted. */
    static String value(String name, Object v) throws PostgresException {
        if (v instanceof Boolean b) {
            return b ? "on" : "off";
        }
        if (v instanceof Integer || v instanceof Long || v instanceof Short) {
            return v.toString();
        }
        String s = v.toString();
        if (s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0 || s.indexOf('\0') >= 0) {
            throw new PostgresException("parameter " + name + ": value must not contain line breaks or NUL");
        }
        return "'" + s.replace("\\", "\\\\").replace("'", "''") + "'";
    }

    static String listenAddresses(String listenHost) {
        if (listenHost == null || listenHost.isBlank()) {
            return "localhost";
        }
        List<String> hosts = List.of(listenHost.split(","));
        return String.join(",", hosts.stream().map(String::trim)
                .map(h -> h.equals("0.0.0.0") ? "*" : h).distinct().toList());
    }

    private static Map<String, Object> defaults() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("wal_level", "replica");
        d.put("hot_standby", true);
        d.put("max_connections", 100);
        d.put("max_wal_senders", 10);
        d.put("wal_keep_size", "128MB");
        d.put("max_prepared_transactions", 0);
        d.put("max_locks_per_transaction", 64);
        d.put("track_commit_timestamp", false);
        d.put("max_replication_slots", 10);
        d.put("max_worker_processes", 8);
        d.put("wal_log_hints", true);
        return Map.copyOf(d);
    }
}
