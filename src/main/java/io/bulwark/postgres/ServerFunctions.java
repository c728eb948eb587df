package io.bulwark.postgres;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

/**
 * The server-side functions the agent calls on its local server over {@link LocalConnection}:
 * {@code pg_promote}, {@code pg_reload_conf}, {@code CHECKPOINT} and slot maintenance.
 */
final class ServerFunctions {
    private static final Duration CHECKPOINT_TIMEOUT = Duration.ofMinutes(30);

    private final LocalConnection connection;

    ServerFunctions(LocalConnection connection) {
        this.connection = connection;
    }

    boolean isInRecovery() throws SQLException {
        return connection.call(c -> {
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT pg_catalog.pg_is_in_recovery()")) {
                rs.next();
                return rs.getBoolean(1);
            }
        });
    }

    /**
     * {@code pg_promote(wait => false)}, then a 10 ms poll of {@code pg_is_in_recovery()}: whether promotion
     * finished within {@code timeout}. (pg_promote's own wait polls only every 100 ms.)
     */
    boolean promote(Duration timeout) throws SQLException {
        connection.call(c -> {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT pg_catalog.pg_promote(false)")) {
                rs.next();
                return rs.getBoolean(1);
            }
        });
        long deadline = System.nanoTime() + timeout.toNanos();
        while (isInRecovery()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    void reloadConf() throws SQLException {
        connection.call(c -> {
            try (Statement st = c.createStatement()) {
                return st.execute("SELECT pg_catalog.pg_reload_conf()");
            }
        });
    }

    void checkpoint() throws SQLException {
        connection.call(CHECKPOINT_TIMEOUT, c -> {
            try (Statement st = c.createStatement()) {
                return st.execute("CHECKPOINT");
            }
        });
    }

    /**
     * Converges the slots to {@code req} (see {@link SlotPlan}); returns the wanted slots' positions. A server whose
     * role is not the requested one (it was promoted or demoted since the observation) is left alone: empty.
     */
    Map<String, Long> syncSlots(SlotRequest req) throws SQLException {
        return connection.call(c -> {
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT pg_catalog.pg_is_in_recovery()")) {
                rs.next();
                if (rs.getBoolean(1) == req.primary()) {
                    return Map.of();
                }
            }
            return Slots.sync(c, req, connection::openSeparate);
        });
    }

    /** Rows of pg_stat_replication in Patroni's {@code replication} shape (GET /patroni on a primary). */
    java.util.List<java.util.Map<String, Object>> replication() throws SQLException {
        return connection.call(c -> {
            java.util.List<java.util.Map<String, Object>> rows = new java.util.ArrayList<>();
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                    "SELECT usename, application_name, client_addr::text, state, sync_state, sync_priority "
                            + "FROM pg_catalog.pg_stat_replication ORDER BY application_name")) {
                while (rs.next()) {
                    java.util.Map<String, Object> row = new java.util.LinkedHashMap<>();
                    row.put("usename", rs.getString(1));
                    row.put("application_name", rs.getString(2));
                    row.put("client_addr", rs.getString(3));
                    row.put("state", rs.getString(4));
                    row.put("sync_state", rs.getString(5));
                    row.put("sync_priority", rs.getInt(6));
                    rows.add(row);
                }
            }
            return rows;
        });
    }

    /** synchronous_standby_names as this server applies it now (after any reload it has processed). */
    String synchronousStandbyNames() throws SQLException {
        return connection.call(c -> {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                    "SELECT pg_catalog.current_setting('synchronous_standby_names')")) {
                rs.next();
                return rs.getString(1);
            }
        });
    }

    /** The walsenders with their flush positions (synchronous replication). */
    java.util.List<WalSender> walSenders() throws SQLException {
        return connection.call(c -> {
            java.util.List<WalSender> rows = new java.util.ArrayList<>();
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                    "SELECT application_name, state, sync_state, "
                            + "COALESCE((flush_lsn - '0/0'::pg_lsn)::bigint, 0) "
                            + "FROM pg_catalog.pg_stat_replication ORDER BY application_name")) {
                while (rs.next()) {
                    rows.add(new WalSender(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4)));
                }
            }
            return rows;
        });
    }

    /** Settings changed in the files that take effect only after a restart: name to pending value. */
    java.util.Map<String, String> pendingRestart() throws SQLException {
        return connection.call(c -> {
            java.util.Map<String, String> pending = new java.util.TreeMap<>();
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                    "SELECT name, setting FROM pg_catalog.pg_settings WHERE pending_restart")) {
                while (rs.next()) {
                    pending.put(rs.getString(1), rs.getString(2));
                }
            }
            return pending;
        });
    }
}
