package io.bulwark.api;

import io.bulwark.dcs.Cluster;
import io.bulwark.ha.NodeStatus;
import io.bulwark.postgres.PostgresState;

import java.util.Locale;
import java.util.Map;

/**
 * The status code of each health endpoint, worked out from one {@link NodeStatus} snapshot plus the clock: no SQL,
 * no DCS call, no locks (reference §3.1). One instance per request.
 *
 * <p>Where Bulwark is stricter than Patroni (leadership is a deadline, DESIGN.md rule 2):
 * <ul>
 *   <li>"is leader" means {@link NodeStatus#holdsLock} at this instant: we hold the key AND our renewal deadline
 *       has not passed. Patroni checks "last lock update younger than ttl"; ours expires earlier, by the margin.</li>
 *   <li>{@code /primary} additionally requires PostgreSQL running read-write (not in recovery), so HAProxy never
 *       sends writes to a node that is still promoting or restarting (Patroni's is purely lock-based, issue
 *       #2756). {@code /leader} stays lock-only, as for vip-manager.</li>
 *   <li>Patroni answers leader paths from the PostgreSQL role when paused without a DCS view; we do not: without
 *       a renewable lock nobody gets 200 on a leader path.</li>
 * </ul>
 * A bad {@code ?lag=} is answered 400 naming the parameter (Patroni silently treats it as infinite).
 */
final class HealthRules {
    private final NodeStatus s;
    private final Map<String, String> query;
    private final PostgresState pg;
    private final Cluster cluster;
    private final ClusterSettings settings;
    private final String role;
    private final String state;
    private final boolean isLeader;
    private final boolean hasDcsView;
    private final Long lagParam;

    HealthRules(NodeStatus s, long nowNanos, Map<String, String> query, boolean hasDcsView) {
        this.s = s;
        this.query = query;
        this.pg = s.postgres();
        this.cluster = s.cluster() == null ? Cluster.EMPTY : s.cluster();
        this.settings = ClusterSettings.of(cluster);
        this.role = StatusJson.role(s);
        this.state = StatusJson.state(s);
        this.isLeader = s.holdsLock(nowNanos);
        this.hasDcsView = hasDcsView;
        // parsed up front so a bad value is a 400 whatever the node's role, not only where it is consulted
        this.lagParam = query.containsKey("lag") ? ByteSize.parse("lag", query.get("lag")) : null;
    }

    /** Status for a health path ({@code /primary}, {@code /replica}, ...); {@code null} if not a health path. */
    Integer statusFor(String path) {
        Integer code = switch (path) {
            case "/", "/primary", "/master", "/read-write" -> primary();
            case "/leader" -> isLeader ? 200 : 503;
            case "/standby-leader", "/standby_leader" -> standbyLeader();
            case "/replica" -> withTags(replica());
            case "/read-only" -> withTags(primary() == 200 || standbyLeader() == 200 ? 200 : replica());
            case "/health" -> withTags("running".equals(state) ? 200 : 503);
            case "/sync", "/synchronous" -> withTags(hasDcsView && isSync() ? replica() : 503);
            case "/quorum" -> withTags(hasDcsView && isQuorum() ? replica() : 503);
            case "/async", "/asynchronous" -> withTags(hasDcsView && !isSync() && !isQuorum() ? replica() : 503);
            case "/read-only-sync", "/read-only-synchronous" -> withTags(!hasDcsView ? 503
                    : primary() == 200 || standbyLeader() == 200 ? 200 : isSync() ? replica() : 503);
            case "/read-only-quorum" -> withTags(!hasDcsView ? 503
                    : primary() == 200 || standbyLeader() == 200 ? 200 : isQuorum() ? replica() : 503);
            default -> null;
        };
        return code;
    }

    private boolean standbyCluster() {
        return settings.standbyCluster() || "standby_leader".equals(s.role());
    }

    int primary() {
        return isLeader && !standbyCluster() && pg != null && pg.isPrimary() ? 200 : 503;
    }

    int standbyLeader() {
        return isLeader && standbyCluster() && (pg == null || !pg.isPrimary()) ? 200 : 503;
    }

    int replica() {
        if (isLeader && standbyCluster()) {
            return 503;
        }
        boolean ok = !ClusterSettings.isTrue(tag("noloadbalance"))
                && "replica".equals(role)
                && "running".equals(state)
                && !isLagging(maxLag(Long.MAX_VALUE))
                && matchesReplicationState();
        return ok ? 200 : 503;
    }

    /**
     * {@code /readiness}: the lock holder is ready; a replica must be running, streaming, have (or have had
     * through its WAL receiver) a view of the primary's position and lag at most {@code ?lag} (default
     * {@code maximum_lag_on_failover}) by replayed ({@code mode=apply}, default) or received ({@code mode=write})
     * WAL.
     */
    int readiness(long maximumLagOnFailover) {
        if (isLeader) {
            return 200;
        }
        if (!"running".equals(state) || pg == null || !"streaming".equals(pg.replicationState())) {
            return 503;
        }
        if (!hasDcsView && pg.receiveLsn() == 0) {
            return 503;
        }
        long location = "write".equals(query.get("mode")) ? pg.receiveLsn() : pg.replayLsn();
        long lag = leaderOptime() - location;
        return lag > maxLag(maximumLagOnFailover) ? 503 : 200;
    }

    /** Patroni's leader_optime: max(the leader's published {@code /status} optime, our WAL receiver position). */
    private long leaderOptime() {
        long received = pg == null ? 0 : pg.receiveLsn();
        return Math.max(cluster.status().optime(), received);
    }

    private boolean isLagging(long maxLag) {
        long leaderOptime = leaderOptime();
        long replayed = pg == null ? 0 : pg.replayLsn();
        return leaderOptime > 0 && leaderOptime - replayed > maxLag;
    }

    private long maxLag(long defaultValue) {
        return lagParam == null ? defaultValue : lagParam;
    }

    private boolean matchesReplicationState() {
        String wanted = query.get("replication_state");
        return wanted == null || wanted.isEmpty() || (pg != null && wanted.equals(pg.replicationState()));
    }

    private boolean isSync() {
        return "replica".equals(role) && settings.synchronousMode() && !settings.quorumMode()
                && ClusterSettings.isSyncStandby(cluster.sync(), s.name());
    }

    private boolean isQuorum() {
        return "replica".equals(role) && settings.synchronousMode() && settings.quorumMode()
                && ClusterSettings.isSyncStandby(cluster.sync(), s.name());
    }

    private Object tag(String name) {
        return s.tags() == null ? null : s.tags().get(name);
    }

    /** {@code ?tag_<key>=<value>} filters, applied only to a 200 of a non-leader check. */
    private int withTags(int code) {
        if (code != 200) {
            return code;
        }
        for (Map.Entry<String, String> q : query.entrySet()) {
            if (!q.getKey().startsWith("tag_")) {
                continue;
            }
            Object mine = tag(q.getKey().substring(4));
            if (mine == null) {
                return 503;
            }
            String text = mine instanceof String str ? str : pythonStr(mine).toLowerCase(Locale.ROOT);
            if (!text.equals(q.getValue())) {
                return 503;
            }
        }
        return 200;
    }

    private static String pythonStr(Object v) {
        return v instanceof Boolean b ? (b ? "True" : "False") : v.toString();
    }
}
