package io.bulwark.ha;

import io.bulwark.dcs.Cluster;
import io.bulwark.postgres.PostgresState;

import java.util.List;
import java.util.Map;

/**
 * The agent's latest published view of itself, replaced as a whole by the HA loop after every cycle and read
 * without locks by the REST API. Health answers are computed from this plus the clock, never by a query.
 *
 * @param name              member name
 * @param scope             cluster name
 * @param role              {@code primary}, {@code replica}, {@code standby_leader}, {@code demoted},
 *                          {@code uninitialized}
 * @param postgres          last local PostgreSQL probe
 * @param cluster           last cluster read from the DCS (may be {@link Cluster#EMPTY})
 * @param leaderUntilNanos  monotonic deadline ({@link System#nanoTime()} scale) until which we may act as
 *                          primary; {@link Long#MIN_VALUE} when we do not hold the lock
 * @param dcsLastSeenEpoch  wall-clock seconds of the last successful DCS read (Patroni's {@code dcs_last_seen})
 * @param replication       primary only: rows of pg_stat_replication ({@code usename}, {@code application_name},
 *                          {@code client_addr}, {@code state}, {@code sync_state}, {@code sync_priority})
 * @param tags              effective tags
 * @param paused            maintenance mode
 * @param lastReason        the sentence the last HA cycle ended in
 * @param pendingRestart    settings waiting for a restart (name to new value); empty when none
 * @param failsafeActiveUntilNanos until when failsafe mode is active here (Patroni's
 *                          {@code failsafe_mode_is_active}), same clock as {@code leaderUntilNanos};
 *                          {@link Long#MIN_VALUE} when not
 */
public record NodeStatus(
        String name,
        String scope,
        String role,
        PostgresState postgres,
        Cluster cluster,
        long leaderUntilNanos,
        long dcsLastSeenEpoch,
        List<Map<String, Object>> replication,
        Map<String, Object> tags,
        boolean paused,
        String lastReason,
        Map<String, String> pendingRestart,
        long failsafeActiveUntilNanos) {

    public NodeStatus {
        pendingRestart = pendingRestart == null ? Map.of() : Map.copyOf(pendingRestart);
    }

    /** Failsafe mode not active. */
    public NodeStatus(String name, String scope, String role, PostgresState postgres, Cluster cluster,
                      long leaderUntilNanos, long dcsLastSeenEpoch, List<Map<String, Object>> replication,
                      Map<String, Object> tags, boolean paused, String lastReason, Map<String, String> pendingRestart) {
        this(name, scope, role, postgres, cluster, leaderUntilNanos, dcsLastSeenEpoch, replication, tags, paused,
                lastReason, pendingRestart, Long.MIN_VALUE);
    }

    /** Is failsafe mode active here at {@code nowNanos}? */
    public boolean failsafeActive(long nowNanos) {
        return failsafeActiveUntilNanos != Long.MIN_VALUE && nowNanos - failsafeActiveUntilNanos < 0;
    }

    /** The same status with the lock given up: published before stopping a primary, so health checks fail first. */
    public NodeStatus withoutLock(String reason) {
        return new NodeStatus(name, scope, role, postgres, cluster, Long.MIN_VALUE, dcsLastSeenEpoch, replication, tags,
                paused, reason, pendingRestart, Long.MIN_VALUE);
    }

    /** Do we hold an unexpired leader lock at {@code nowNanos}? */
    public boolean holdsLock(long nowNanos) {
        return leaderUntilNanos != Long.MIN_VALUE && nowNanos - leaderUntilNanos < 0;
    }
}
