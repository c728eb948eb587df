package io.bulwark.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Physical replication slots on the primary, one per member that should stream from it (reference §2.7). Missing
 * slots are created reserving WAL at once; physical slots nobody wants are dropped unless a walsender is
 * using them right now (the replica would be cut off mid-stream). Logical slots are never touched.
 */
final class Slots {
    private static final Logger log = LoggerFactory.getLogger(Slots.class);

    private Slots() {
    }

    /** Converges the physical slots to {@code wanted}; returns the names created and dropped, for logs/tests. */
    static Changes sync(Connection c, Set<String> wanted) throws SQLException {
        Map<String, Boolean> existing = new LinkedHashMap<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT slot_name, active FROM pg_catalog.pg_replication_slots WHERE slot_type = 'physical'")) {
            while (rs.next()) {
                existing.put(rs.getString(1), rs.getBoolean(2));
            }
        }
        Set<String> created = new TreeSet<>();
        Set<String> dropped = new TreeSet<>();
        for (String name : new TreeSet<>(wanted)) {
            if (!SlotNames.isValid(name)) {
                log.warn("not creating replication slot \"{}\": expected [a-z0-9_]{{1,63}}", name);
            } else if (!existing.containsKey(name)) {
                log.info("creating replication slot {}", name);
                if (call(c, "SELECT pg_catalog.pg_create_physical_replication_slot(?, true)", name)) {
                    created.add(name);
                }
            }
        }
        for (Map.Entry<String, Boolean> e : existing.entrySet()) {
            if (!wanted.contains(e.getKey()) && !e.getValue()) {
                log.info("Trying to drop unknown replication slot {}", e.getKey());
                if (call(c, "SELECT pg_catalog.pg_drop_replication_slot(?)", e.getKey())) {
                    dropped.add(e.getKey());
                }
            }
        }
        return new Changes(created, dropped);
    }

    record Changes(Set<String> created, Set<String> dropped) {
    }

    /**
     * One slot operation; a failure that concerns only this slot (it became active, or appeared concurrently)
     * is logged so the others still converge. Connection failures propagate.
     */
    private static boolean call(Connection c, String sql, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, name);
            ps.execute();
            return true;
        } catch (SQLException e) {
            if (LocalConnection.isConnectionError(e)) {
                throw e;
            }
            log.warn("replication slot {}: {}", name, e.getMessage());
            return false;
        }
    }
}
