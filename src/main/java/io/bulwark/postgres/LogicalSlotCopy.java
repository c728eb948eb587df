package io.bulwark.postgres;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Properties;

import io.bulwark.config.Credentials;

/**
 * Copies the leader's permanent logical slots into a replica's data directory, as Patroni does for PostgreSQL
 * before 17 (reference §2.7): PostgreSQL 15 cannot create a logical slot on a standby, nor synchronise one, but it
 * loads every slot found under {@code pg_replslot} when it starts. So the replica reads each slot's on-disk state
 * from the leader ({@code pg_read_binary_file('pg_replslot/<name>/state')}, as the superuser), writes it into its
 * own {@code pg_replslot/<name>/state} while stopped, and starts again; from then on the HA loop advances the copy
 * to the position the leader publishes ({@link SlotPlan.AdvanceLogical}). After a failover the new primary holds
 * the slot where its consumer had confirmed, so the consumer goes on without losing a change (it may receive again
 * what it received after the last advance).
 */
public final class LogicalSlotCopy {
    private static final String READ = "SELECT slot_name, database, plugin,"
            + " COALESCE((confirmed_flush_lsn - '0/0'::pg_lsn)::bigint, 0),"
            + " COALESCE((restart_lsn - '0/0'::pg_lsn)::bigint, 0),"
            + " pg_catalog.pg_read_binary_file('pg_replslot/' || slot_name || '/state')"
            + " FROM pg_catalog.pg_replication_slots WHERE slot_type = 'logical' AND slot_name = ANY(?)";
    private static final int TIMEOUT_SECONDS = 10;

    /** A logical slot as the leader has it: its attributes and the bytes of its state file. */
    public record LeaderSlot(String name, String database, String plugin, long confirmedFlushLsn, long restartLsn,
                             byte[] state) {
    }

    private LogicalSlotCopy() {
    }

    /** The leader's logical slots among {@code names} (those it does not have are absent). */
    static List<LeaderSlot> read(Credentials superuser, Upstream leader, Collection<String> names) throws SQLException {
        String host = leader.host().contains(":") && !leader.host().startsWith("[") ? "[" + leader.host() + "]"
                : leader.host();
        Properties props = new Properties();
        props.setProperty("user", superuser.username());
        if (superuser.password() != null) {
            props.setProperty("password", superuser.password());
        }
        props.setProperty("connectTimeout", Integer.toString(TIMEOUT_SECONDS));
        props.setProperty("loginTimeout", Integer.toString(TIMEOUT_SECONDS));
        props.setProperty("socketTimeout", Integer.toString(TIMEOUT_SECONDS));
        props.setProperty("ApplicationName", "bulwark");
        String url = "jdbc:postgresql://" + host + ":" + leader.port() + "/postgres";
        List<LeaderSlot> out = new ArrayList<>();
        try (Connection c = new org.postgresql.Driver().connect(url, props); PreparedStatement ps = c.prepareStatement(READ)) {
            Array array = c.createArrayOf("text", names.toArray());
            ps.setArray(1, array);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new LeaderSlot(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4),
                            rs.getLong(5), rs.getBytes(6)));
                }
            }
        }
        return out;
    }

    /**
     * Writes the slots' state files into {@code dataDir} (stopped server): {@code pg_replslot/<name>/state}, the
     * directory 0700 and the file 0600, owned by the PostgreSQL user, both synced, as PostgreSQL itself writes a
     * slot. A slot directory already there is replaced.
     */
    /**
     * The WAL position where the oldest segment in {@code pg_wal} of the server on {@code c} begins: a copied slot
     * whose restart_lsn lies before it could never decode nor be advanced there (its WAL is not on this replica,
     * which was cloned after it), so it is copied only once its consumer has moved it past this point.
     */
    static long oldestWal(Connection c) throws SQLException {
        try (java.sql.Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT (SELECT min(name) FROM pg_catalog.pg_ls_waldir() WHERE name ~ '^[0-9A-F]{24}$'),"
                        + " (SELECT setting::bigint FROM pg_catalog.pg_settings WHERE name = 'wal_segment_size')")) {
            rs.next();
            String name = rs.getString(1);
            return name == null ? Long.MAX_VALUE : segmentStart(name, rs.getLong(2));
        }
    }

    /** The first position of WAL segment file {@code name} (TTTTTTTTLLLLLLLLSSSSSSSS) for segments of {@code size}. */
    static long segmentStart(String name, long size) {
        long log = Long.parseLong(name.substring(8, 16), 16);
        long seg = Long.parseLong(name.substring(16, 24), 16);
        return (log * (0x100000000L / size) + seg) * size;
    }

    static void install(Path dataDir, List<LeaderSlot> slots, SecureFiles files) throws PostgresException {
        Path slotsDir = dataDir.resolve("pg_replslot");
        try {
            for (LeaderSlot slot : slots) {
                if (!SlotNames.isValid(slot.name())) {
                    throw new PostgresException("refusing to copy logical slot with invalid name '" + slot.name() + "'");
                }
                Path dir = slotsDir.resolve(slot.name());
                DataDirs.clear(dir, false);
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                files.chown(dir);
                Path state = dir.resolve("state");
                Files.write(state, slot.state(), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                        StandardOpenOption.SYNC);
                Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rw-------"));
                files.chown(state);
                fsync(dir);
            }
            fsync(slotsDir);
        } catch (IOException e) {
            throw new PostgresException("cannot write the copied logical slots into " + slotsDir + ": " + e, e);
        }
    }

    private static void fsync(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }
}
