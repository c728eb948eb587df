package io.bulwark.postgres;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The read-mostly queries {@link Postgres} answers about the running server (pending restart, walsenders,
 * synchronous_standby_names, replication slots). A stopped server answers empty; the best-effort ones log a
 * failed query and answer empty too, so the HA loop never stops on them.
 */
final class ServerQueries {
    private static final Logger log = LoggerFactory.getLogger(ServerQueries.class);

    private final Postmaster postmaster;
    private final ServerFunctions sql;

    ServerQueries(Postmaster postmaster, ServerFunctions sql) {
        this.postmaster = postmaster;
        this.sql = sql;
    }

    Map<String, String> pendingRestart() {
        try {
            return postmaster.isAlive() ? sql.pendingRestart() : Map.of();
        } catch (SQLException e) {
            log.debug("pending_restart query failed: {}", e.getMessage());
            return Map.of();
        }
    }

    List<WalSender> walSenders() {
        try {
            return postmaster.isAlive() ? sql.walSenders() : List.of();
        } catch (SQLException e) {
            log.debug("pg_stat_replication query failed: {}", e.getMessage());
            return List.of();
        }
    }

    String synchronousStandbyNamesInEffect() throws PostgresException {
        try {
            return sql.synchronousStandbyNames();
        } catch (SQLException e) {
            throw new PostgresException("cannot read synchronous_standby_names: " + e.getMessage(), e);
        }
    }

    List<Map<String, Object>> replication() {
        try {
            return postmaster.isAlive() ? sql.replication() : List.of();
        } catch (SQLException e) {
            log.debug("pg_stat_replication query failed: {}", e.getMessage());
            return List.of();
        }
    }

    Map<String, Long> syncSlots(SlotRequest request) {
        if (!postmaster.isAlive()) {
            return Map.of();
        }
        try {
            return sql.syncSlots(request);
        } catch (SQLException e) {
            log.warn("replication slot sync failed: {}", e.getMessage());
            return Map.of();
        }
    }
}
