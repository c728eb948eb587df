package io.bulwark.api;

import io.bulwark.dcs.Cluster;
import io.bulwark.ha.NodeStatus;
import io.bulwark.postgres.PostgresState;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds the body of {@code GET /patroni} (reference §3.2), which is also the body of every health GET. Peers parse
 * it during the leader race: a missing {@code xlog} makes a non-primary count as unreachable, so {@code xlog} is
 * present exactly when PostgreSQL answers queries.
 *
 * <p>Not emitted because {@link PostgresState} does not carry them: {@code xlog.replayed_timestamp},
 * {@code xlog.paused}, {@code pending_restart*}, {@code scheduled_restart}, {@code watchdog_failed}.
 * {@code failsafe_mode_is_active} is as of the last HA cycle (the body is cached per published status). Added: {@code bulwark_version}.
 */
final class StatusJson {
    private StatusJson() {
    }

    /** The role reported by {@code /patroni}: from {@code pg_is_in_recovery()} when running, else the agent's. */
    static String role(NodeStatus s) {
        PostgresState pg = s.postgres();
        if (pg == null || !pg.running()) {
            return s.role();
        }
        if (!pg.inRecovery()) {
            return "primary";
        }
        return "standby_leader".equals(s.role()) ? "standby_leader" : "replica";
    }

    /** Patroni's state string; {@code unknown} when the process state says running but queries fail. */
    static String state(NodeStatus s) {
        PostgresState pg = s.postgres();
        if (pg == null) {
            return "unknown";
        }
        if (!pg.running()) {
            return "running".equals(pg.processState()) ? "unknown" : pg.processState();
        }
        return pg.processState();
    }

    static Map<String, Object> of(NodeStatus s, String bulwarkVersion) {
        PostgresState pg = s.postgres();
        Cluster cluster = s.cluster() == null ? Cluster.EMPTY : s.cluster();
        ClusterSettings settings = ClusterSettings.of(cluster);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("state", state(s));
        if (pg != null && pg.running()) {
            if (pg.postmasterStart() != null) {
                r.put("postmaster_start_time", pg.postmasterStart());
            }
            String role = role(s);
            r.put("role", role);
            if (pg.serverVersion() > 0) {
                r.put("server_version", pg.serverVersion());
            }
            Map<String, Object> xlog = new LinkedHashMap<>();
            if (pg.inRecovery()) {
                xlog.put("received_location", pg.receiveLsn());
                xlog.put("replayed_location", pg.replayLsn());
            } else {
                xlog.put("location", pg.writeLsn());
            }
            r.put("xlog", xlog);
            if ("replica".equals(role) && settings.synchronousMode()
                    && ClusterSettings.isSyncStandby(cluster.sync(), s.name())) {
                r.put(settings.quorumMode() ? "quorum_standby" : "sync_standby", true);
            }
            if (pg.timeline() > 0) {
                r.put("timeline", pg.timeline());
            }
            if (pg.inRecovery() && pg.replicationState() != null) {
                r.put("replication_state", pg.replicationState());
            }
            if (!pg.inRecovery() && s.replication() != null && !s.replication().isEmpty()) {
                r.put("replication", s.replication());
            }
        } else {
            r.put("role", s.role());
        }
        if (!s.pendingRestart().isEmpty()) {
            r.put("pending_restart", true);
            Map<String, Object> reasons = new java.util.TreeMap<>();
            s.pendingRestart().forEach((k, v) -> reasons.put(k, Map.of("new_value", v)));
            r.put("pending_restart_reason", reasons);
        }
        if (s.paused() || settings.paused()) {
            r.put("pause", true);
        }
        if (cluster.isUnlocked()) {
            r.put("cluster_unlocked", true);
        }
        if (s.failsafeActiveUntilNanos() != Long.MIN_VALUE) {
            r.put("failsafe_mode_is_active", true);
        }
        r.put("dcs_last_seen", s.dcsLastSeenEpoch());
        if (s.tags() != null && !s.tags().isEmpty()) {
            r.put("tags", s.tags());
        }
        if (pg != null && pg.systemId() != null && !pg.systemId().isEmpty()) {
            r.put("database_system_identifier", pg.systemId());
        }
        Map<String, Object> patroni = new LinkedHashMap<>();
        patroni.put("version", Versions.PATRONI_PROTOCOL);
        patroni.put("scope", s.scope());
        patroni.put("name", s.name());
        r.put("patroni", patroni);
        r.put("bulwark_version", bulwarkVersion);
        return r;
    }
}
