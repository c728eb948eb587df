package io.bulwark.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Converges the replication slots of the local server to a {@link SlotRequest} by running the {@link SlotPlan}:
 * member and permanent physical slots (created reserving WAL at once), permanent logical slots on the primary
 * (created over a connection to their database), advances on replicas. One failing slot does not stop the others.
 */
final class Slots {
    private static final Logger log = LoggerFactory.getLogger(Slots.class);
    private static final String SLOTS_QUERY = "SELECT slot_name, slot_type, database, plugin, active, "
            + "COALESCE((restart_lsn - '0/0'::pg_lsn)::bigint, 0), "
            + "COALESCE((confirmed_flush_lsn - '0/0'::pg_lsn)::bigint, 0) FROM pg_catalog.pg_replication_slots";

    private Slots() {
    }

    /** Opens a connection to another database of the same server (logical slots belong to one database). */
    interface DatabaseConnections {
        Connection open(String database) throws SQLException;
    }

    /**
     * Runs the plan on {@code c}; returns the positions of the wanted slots afterwards (physical: restart_lsn,
     * logical: confirmed_flush_lsn), which a leader publishes in {@code /status.slots}.
     */
    static Map<String, Long> sync(Connection c, SlotRequest req, DatabaseConnections databases) throws SQLException {
        for (SlotPlan.Op op : SlotPlan.plan(existing(c), req)) {
            switch (op) {
                case SlotPlan.CreatePhysical p -> {
                    log.info("creating replication slot {}", p.name());
                    call(c, p.name(), "SELECT pg_catalog.pg_create_physical_replication_slot(?, true)", p.name());
                }
                case SlotPlan.CreateLogical l -> createLogical(databases, l);
                case SlotPlan.Advance a -> {
                    log.debug("advancing replication slot {} to {}", a.name(), lsnText(a.lsn()));
                    call(c, a.name(), "SELECT pg_catalog.pg_replication_slot_advance(?, ?::pg_lsn)", a.name(),
                            lsnText(a.lsn()));
                }
                case SlotPlan.AdvanceLogical a -> advanceLogical(databases, a);
                case SlotPlan.Drop d -> {
                    log.info("Trying to drop unknown replication slot {}: {}", d.name(), d.why());
                    call(c, d.name(), "SELECT pg_catalog.pg_drop_replication_slot(?)", d.name());
                }
            }
        }
        Map<String, Long> positions = new TreeMap<>();
        for (SlotPlan.ExistingSlot s : existing(c)) {
            if (req.wants(s.name())) {
                long lsn = s.logical() ? s.confirmedFlushLsn() : s.restartLsn();
                if (lsn > 0) {
                    positions.put(s.name(), lsn);
                }
            }
        }
        return positions;
    }

    static List<SlotPlan.ExistingSlot> existing(Connection c) throws SQLException {
        List<SlotPlan.ExistingSlot> out = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(SLOTS_QUERY)) {
            while (rs.next()) {
                out.add(new SlotPlan.ExistingSlot(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getBoolean(5), rs.getLong(6), rs.getLong(7)));
            }
        }
        return out;
    }

    private static void createLogical(DatabaseConnections databases, SlotPlan.CreateLogical l) throws SQLException {
        log.info("creating logical replication slot {} (database {}, plugin {})", l.name(), l.database(), l.plugin());
        try (Connection db = databases.open(l.database())) {
            call(db, l.name(), "SELECT pg_catalog.pg_create_logical_replication_slot(?, ?)", l.name(), l.plugin());
        } catch (SQLException e) {
            if (LocalConnection.isConnectionError(e) && !"3D000".equals(e.getSQLState())) {
                throw e;
            }
            log.warn("cannot create logical replication slot {} in database {}: {}", l.name(), l.database(),
                    e.getMessage());
        }
    }

    /** On a replica: a logical slot is advanced over a connection to its database (PostgreSQL requires it). */
    private static void advanceLogical(DatabaseConnections databases, SlotPlan.AdvanceLogical a) throws SQLException {
        log.debug("advancing logical replication slot {} to {}", a.name(), lsnText(a.lsn()));
        try (Connection db = databases.open(a.database())) {
            call(db, a.name(), "SELECT pg_catalog.pg_replication_slot_advance(?, ?::pg_lsn)", a.name(), lsnText(a.lsn()));
        } catch (SQLException e) {
            if (LocalConnection.isConnectionError(e) && !"3D000".equals(e.getSQLState())) {
                throw e;
            }
            log.warn("cannot advance logical replication slot {} in database {}: {}", a.name(), a.database(),
                    e.getMessage());
        }
    }

    static String lsnText(long lsn) {
        return String.format(Locale.ROOT, "%X/%X", lsn >>> 32, lsn & 0xFFFFFFFFL);
    }

    /**
     * One slot operation; a failure that concerns only this slot (it became active, or appeared concurrently)
     * is logged so the others still converge. Connection failures propagate.
     */
    private static void call(Connection c, String slot, String sql, String... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setString(i + 1, args[i]);
            }
            ps.execute();
        } catch (SQLException e) {
            if (LocalConnection.isConnectionError(e)) {
                throw e;
            }
            log.warn("replication slot {}: {}", slot, e.getMessage());
        }
    }
}
