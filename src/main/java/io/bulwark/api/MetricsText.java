package io.bulwark.api;

import io.bulwark.dcs.Cluster;
import io.bulwark.ha.NodeStatus;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /metrics}: Patroni's metrics (reference §3.3) in the Prometheus text format, names, HELP texts, types
 * and order as Patroni's {@code do_GET_metrics}, computed from the {@link NodeStatus} snapshot and its status JSON
 * (no query). Values Bulwark does not track read 0: {@code patroni_xlog_replayed_timestamp},
 * {@code patroni_xlog_paused}, {@code patroni_failsafe_mode_is_active}, {@code patroni_failsafe_member},
 * {@code patroni_pending_restart}.
 *
 * <p>Bulwark's own: {@code bulwark_ha_cycle_seconds} (duration of the last HA cycle; 0 if not wired) and
 * {@code bulwark_leader_deadline_seconds} (seconds left before our leader lease must be renewed; 0 unless we hold
 * the lock).
 */
final class MetricsText {
    /** Patroni's {@code PostgresqlState} in index order (indexes must never change: dashboards use them). */
    static final List<String> STATES = List.of("initializing new cluster", "initdb failed",
            "running custom bootstrap script", "custom bootstrap failed", "creating replica", "running", "starting",
            "starting after custom bootstrap", "start failed", "restarting", "restart failed", "stopping", "stopped",
            "stop failed", "crashed");
    private static final List<String> STATE_NAMES = List.of("initdb", "initdb_failed", "custom_bootstrap",
            "custom_bootstrap_failed", "creating_replica", "running", "starting", "bootstrap_starting", "start_failed",
            "restarting", "restart_failed", "stopping", "stopped", "stop_failed", "crashed");

    private final StringBuilder out = new StringBuilder(4096);
    private final String labels;

    private MetricsText(String scope, String name) {
        this.labels = "{scope=\"" + escape(scope) + "\",name=\"" + escape(name) + "\"}";
    }

    static String render(NodeStatus s, long nowNanos, long lastCycleNanos, String bulwarkVersion) {
        return render(s, nowNanos, lastCycleNanos, io.bulwark.ha.HaMetrics.NONE, bulwarkVersion);
    }

    static String render(NodeStatus s, long nowNanos, long lastCycleNanos, io.bulwark.ha.HaMetrics ha,
                         String bulwarkVersion) {
        Map<String, Object> st = StatusJson.of(s, bulwarkVersion);
        Map<?, ?> xlog = st.get("xlog") instanceof Map<?, ?> x ? x : Map.of();
        Cluster cluster = s.cluster() == null ? Cluster.EMPTY : s.cluster();
        String role = String.valueOf(st.get("role"));
        int serverVersion = st.get("server_version") instanceof Integer v ? v : 0;
        MetricsText m = new MetricsText(s.scope(), s.name());
        m.gauge("patroni_version", "Patroni semver without periods.", paddedSemver(Versions.PATRONI_PROTOCOL));
        m.gauge("patroni_postgres_running", "Value is 1 if Postgres is running, 0 otherwise.",
                flag("running".equals(st.get("state"))));
        m.gauge("patroni_postmaster_start_time", "Epoch seconds since Postgres started.",
                epochSeconds((String) st.get("postmaster_start_time")));
        m.gauge("patroni_primary", "Value is 1 if this node is the leader, 0 otherwise.", flag(role.equals("primary")));
        m.metric("patroni_xlog_location", "Current location of the Postgres transaction log, 0 if this node is not "
                + "the leader.", "counter", num(xlog.get("location")));
        m.gauge("patroni_standby_leader", "Value is 1 if this node is the standby_leader, 0 otherwise.",
                flag(role.equals("standby_leader")));
        m.gauge("patroni_replica", "Value is 1 if this node is a replica, 0 otherwise.", flag(role.equals("replica")));
        m.gauge("patroni_sync_standby", "Value is 1 if this node is a sync standby, 0 otherwise.",
                flag(Boolean.TRUE.equals(st.get("sync_standby"))));
        m.gauge("patroni_quorum_standby", "Value is 1 if this node is a quorum standby, 0 otherwise.",
                flag(Boolean.TRUE.equals(st.get("quorum_standby"))));
        m.metric("patroni_xlog_received_location", "Current location of the received Postgres transaction log, 0 if "
                + "this node is not a replica.", "counter", num(xlog.get("received_location")));
        m.metric("patroni_xlog_replayed_location", "Current location of the replayed Postgres transaction log, 0 if "
                + "this node is not a replica.", "counter", num(xlog.get("replayed_location")));
        m.gauge("patroni_xlog_replayed_timestamp", "Current timestamp of the replayed Postgres transaction log, 0 if "
                + "null.", "0");
        m.gauge("patroni_xlog_paused", "Value is 1 if the Postgres xlog is paused, 0 otherwise.", "0");
        if (serverVersion >= 90600) {
            m.gauge("patroni_postgres_streaming", "Value is 1 if Postgres is streaming, 0 otherwise.",
                    flag("streaming".equals(st.get("replication_state"))));
            m.gauge("patroni_postgres_in_archive_recovery", "Value is 1 if Postgres is replicating from archive, "
                    + "0 otherwise.", flag("in archive recovery".equals(st.get("replication_state"))));
        }
        m.gauge("patroni_postgres_server_version", "Version of Postgres (if running), 0 otherwise.",
                Integer.toString(serverVersion));
        m.gauge("patroni_cluster_unlocked", "Value is 1 if the cluster is unlocked, 0 if locked.",
                flag(Boolean.TRUE.equals(st.get("cluster_unlocked"))));
        m.gauge("patroni_failsafe_mode_is_active", "Value is 1 if failsafe mode is active, 0 if inactive.",
                flag(s.failsafeActive(nowNanos)));
        Object failsafe = cluster.config() == null ? null : cluster.config().data().get("failsafe_mode");
        m.gauge("patroni_failsafe_mode_enabled", "Value is 1 if failsafe_mode is enabled, 0 otherwise.",
                flag(ClusterSettings.isTrue(failsafe)));
        m.gauge("patroni_failsafe_member", "Value is 1 if this node is a member of failsafe, 0 otherwise.",
                flag(cluster.failsafe() != null && cluster.failsafe().containsKey(s.name())));
        m.gauge("patroni_postgres_timeline", "Postgres timeline of this node (if running), 0 otherwise.",
                num(st.get("timeline")));
        m.gauge("patroni_dcs_last_seen", "Epoch timestamp when DCS was last contacted successfully by Patroni.",
                num(st.get("dcs_last_seen")));
        m.gauge("patroni_pending_restart", "Value is 1 if the node needs a restart, 0 otherwise.", "0");
        m.gauge("patroni_is_paused", "Value is 1 if auto failover is disabled, 0 otherwise.",
                flag(Boolean.TRUE.equals(st.get("pause"))));
        m.out.append("# HELP patroni_postgres_state Numeric representation of Postgres state.\n# Values: ");
        for (int i = 0; i < STATES.size(); i++) {
            m.out.append(i == 0 ? "" : ", ").append(i).append('=').append(STATE_NAMES.get(i));
        }
        m.out.append('\n');
        m.sample("patroni_postgres_state", "gauge", Integer.toString(STATES.indexOf(String.valueOf(st.get("state")))));
        m.gauge("patroni_failover_priority", "Failover priority of this node.", failoverPriority(s.tags()));
        m.gauge("bulwark_ha_cycle_seconds", "Duration of the last HA cycle in seconds (0 until known).",
                seconds(Math.max(0, lastCycleNanos)));
        m.gauge("bulwark_leader_deadline_seconds", "Seconds left before the leader lock must be renewed, 0 when this "
                + "node does not hold it.", seconds(s.holdsLock(nowNanos) ? s.leaderUntilNanos() - nowNanos : 0));
        m.gauge("bulwark_dcs_read_seconds", "Latency of the last cluster read from the DCS in seconds (-1 until known).",
                ha.dcsReadNanos() < 0 ? "-1" : seconds(ha.dcsReadNanos()));
        m.gauge("bulwark_last_role_change_timestamp_seconds", "Epoch seconds of the last role change of this node "
                + "(0 if none since the agent started).", Double.toString(ha.lastRoleChangeEpochMillis() / 1000.0));
        m.gauge("bulwark_last_role_change_duration_seconds", "How long the last role change took, from the start of "
                + "the HA cycle that began it to the new role being published (-1 if none).",
                ha.lastRoleChangeNanos() < 0 ? "-1" : seconds(ha.lastRoleChangeNanos()));
        return m.out.toString();
    }

    private void gauge(String name, String help, String value) {
        metric(name, help, "gauge", value);
    }

    private void metric(String name, String help, String type, String value) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        sample(name, type, value);
    }

    private void sample(String name, String type, String value) {
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        out.append(name).append(labels).append(' ').append(value).append('\n');
    }

    /** {@code 4.1.4} → {@code 040104}, as Patroni. */
    static String paddedSemver(String version) {
        StringBuilder b = new StringBuilder();
        for (String part : version.split("\\.")) {
            b.append(part.length() < 2 ? "0" + part : part);
        }
        return b.toString();
    }

    /** Patroni: 0 when nofailover, else the failover_priority tag, default 1. */
    static String failoverPriority(Map<String, Object> tags) {
        return Integer.toString(io.bulwark.dcs.MemberData.failoverPriority(tags));
    }

    /** {@code 2024-08-28 19:39:26.352526+00:00} → {@code 1724873966.352526} (0 when absent or unparsable). */
    static String epochSeconds(String timestamp) {
        if (timestamp == null) {
            return "0";
        }
        try {
            OffsetDateTime t = OffsetDateTime.parse(timestamp.strip().replace(' ', 'T'),
                    DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            BigDecimal s = BigDecimal.valueOf(t.toEpochSecond()).add(BigDecimal.valueOf(t.getNano(), 9));
            String plain = s.stripTrailingZeros().toPlainString();
            return plain.contains(".") ? plain : plain + ".0";
        } catch (DateTimeParseException e) {
            return "0";
        }
    }

    private static String seconds(long nanos) {
        return BigDecimal.valueOf(nanos, 9).stripTrailingZeros().toPlainString();
    }

    private static String flag(boolean b) {
        return b ? "1" : "0";
    }

    private static String num(Object v) {
        return v instanceof Number n ? n.toString() : "0";
    }

    private static String escape(String s) {
        return s == null ? "" : s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
