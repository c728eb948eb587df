package io.bulwark.postgres;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SQL round trip that reads what the HA decision needs from a running server.
 *
 * <p>Timeline: on a primary the timeline of the current WAL insert position (from the WAL file name; the
 * checkpoint's timeline lags behind right after a promotion until the end-of-recovery checkpoint completes); on
 * a replica the timeline of the WAL receiver, else that of the last checkpoint (Patroni reports the same).
 */
final class Probe {
    private static final Logger log = LoggerFactory.getLogger(Probe.class);
    static final String QUERY = """
            SELECT r.rec,
                   CASE WHEN r.rec
                        THEN COALESCE(w.received_tli, (pg_catalog.pg_control_checkpoint()).timeline_id)
                        ELSE ('x' || pg_catalog.substr(pg_catalog.pg_walfile_name(
                                  pg_catalog.pg_current_wal_lsn()), 1, 8))::bit(32)::int
                   END AS timeline,
                   CASE WHEN r.rec THEN 0
                        ELSE (pg_catalog.pg_current_wal_flush_lsn() - '0/0'::pg_lsn)::bigint END AS write_lsn,
                   COALESCE((pg_catalog.pg_last_wal_receive_lsn() - '0/0'::pg_lsn)::bigint, 0) AS receive_lsn,
                   COALESCE((pg_catalog.pg_last_wal_replay_lsn() - '0/0'::pg_lsn)::bigint, 0) AS replay_lsn,
                   w.status AS receiver_status,
                   pg_catalog.current_setting('server_version_num')::int AS version,
                   pg_catalog.pg_postmaster_start_time() AS started,
                   CASE WHEN r.rec THEN pg_catalog.current_setting('primary_conninfo') END AS conninfo,
                   CASE WHEN r.rec THEN pg_catalog.current_setting('primary_slot_name') END AS slot
              FROM (SELECT pg_catalog.pg_is_in_recovery() AS rec) r
              LEFT JOIN pg_catalog.pg_stat_wal_receiver w ON true
            """;
    /** Python's {@code str(datetime)}, the form Patroni publishes {@code postmaster_start_time} in. */
    private static final DateTimeFormatter PATRONI_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSxxx");

    /** What the query returned. */
    record Sample(boolean inRecovery, int timeline, long writeLsn, long receiveLsn, long replayLsn,
                  String replicationState, int serverVersion, String postmasterStart, String upstream,
                  String slotName) {
    }

    private final LocalConnection connection;

    Probe(LocalConnection connection) {
        this.connection = connection;
    }

    /** The state of the server in {@code postmaster}'s data directory; queries only a live postmaster. */
    PostgresState observe(PostgresState.DataDirState dir, String systemId, Postmaster postmaster,
                          ProcessStates states, String controlState) {
        boolean alive = postmaster.isAlive();
        Sample s = null;
        boolean startingUp = false;
        if (alive) {
            try {
                s = sample();
            } catch (SQLException e) {
                startingUp = "57P03".equals(e.getSQLState()); // cannot_connect_now: starting up / recovering
                log.debug("probe query failed: {}", e.getMessage());
            }
        }
        String process = states.describe(alive, postmaster.hasPidFile(), s != null, startingUp);
        if (s == null) {
            return new PostgresState(dir, systemId, process, false, alive && postmaster.startsAsStandby(), 0, 0, 0,
                    0, null, null, 0, null, controlState);
        }
        return new PostgresState(dir, systemId, process, true, s.inRecovery(), s.timeline(), s.writeLsn(),
                s.receiveLsn(), s.replayLsn(), s.replicationState(), s.upstream(), s.serverVersion(),
                s.postmasterStart(), controlState, s.slotName());
    }

    static PostgresState notAnswering(PostgresState.DataDirState dir, String systemId, String processState,
                                      String controlState) {
        return new PostgresState(dir, systemId, processState, false, false, 0, 0, 0, 0, null, null, 0, null,
                controlState);
    }

    Sample sample() throws SQLException {
        return connection.call(c -> {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(QUERY)) {
                if (!rs.next()) {
                    throw new SQLException("probe query returned no row");
                }
                boolean rec = rs.getBoolean("rec");
                OffsetDateTime started = rs.getObject("started", OffsetDateTime.class);
                String state = !rec ? null
                        : "streaming".equals(rs.getString("receiver_status")) ? "streaming" : "in archive recovery";
                return new Sample(rec, rs.getInt("timeline"), rs.getLong("write_lsn"), rs.getLong("receive_lsn"),
                        rs.getLong("replay_lsn"), state, rs.getInt("version"),
                        started == null ? null : PATRONI_TIME.format(started),
                        rec ? Conninfo.hostPort(rs.getString("conninfo")) : null, rs.getString("slot"));
            }
        });
    }
}
