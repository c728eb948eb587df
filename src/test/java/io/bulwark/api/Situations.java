package io.bulwark.api;

import io.bulwark.dcs.Cluster;
import io.bulwark.dcs.ClusterConfig;
import io.bulwark.dcs.ClusterStatus;
import io.bulwark.dcs.Leader;
import io.bulwark.dcs.SyncState;
import io.bulwark.ha.NodeStatus;
import io.bulwark.postgres.PostgresState;
import io.bulwark.postgres.PostgresState.DataDirState;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** NodeStatus values for the situations the REST rules distinguish. Clock: {@link #NOW} nanoseconds. */
final class Situations {
    static final long NOW = 1_000_000_000_000L;
    static final long SECOND = 1_000_000_000L;
    static final String SYSID = "7277694203142172922";

    private Situations() {
    }

    static PostgresState primaryPg() {
        return new PostgresState(DataDirState.INITIALIZED, SYSID, "running", true, false, 3,
                0x4000_4E8L, 0, 0, null, null, 150008, "2024-08-28 19:39:26.352526+00:00", null);
    }

    static PostgresState replicaPg(long receive, long replay) {
        return new PostgresState(DataDirState.INITIALIZED, SYSID, "running", true, true, 3,
                0, receive, replay, "streaming", "10.0.0.1:5432", 150008, "2024-08-28 19:40:00.1+00:00", null);
    }

    static PostgresState stoppedPg() {
        return new PostgresState(DataDirState.INITIALIZED, SYSID, "stopped", false, false, 0,
                0, 0, 0, null, null, 0, null, null);
    }

    static PostgresState missingPg() {
        return new PostgresState(DataDirState.MISSING, null, "stopped", false, false, 0,
                0, 0, 0, null, null, 0, null, null);
    }

    static Cluster cluster(String leader, long optime, Map<String, Object> config, SyncState sync) {
        return new Cluster(SYSID, new ClusterConfig(7, config), leader == null ? null : new Leader(leader, 5, 9),
                List.of(), new ClusterStatus(optime, Map.of(), List.of()), null, List.of(), sync);
    }

    static Cluster cluster(String leader, long optime) {
        return cluster(leader, optime, Map.of("ttl", 30, "loop_wait", 10), null);
    }

    static NodeStatus status(String name, String role, PostgresState pg, Cluster cluster, long leaderUntil,
                             Map<String, Object> tags) {
        List<Map<String, Object>> replication = pg.isPrimary()
                ? List.of(Map.of("usename", "replicator", "application_name", "node2", "client_addr", "10.0.0.2",
                "state", "streaming", "sync_state", "async", "sync_priority", 0))
                : List.of();
        return new NodeStatus(name, "batman", role, pg, cluster, leaderUntil, Instant.now().getEpochSecond(),
                replication, tags, false, "no action. I am (" + name + "), the leader with the lock", Map.of());
    }

    static NodeStatus leaderPrimary() {
        return status("node1", "primary", primaryPg(), cluster("node1", 0x4000_4E8L), NOW + 10 * SECOND, Map.of());
    }

    static NodeStatus expiredPrimary() {
        return status("node1", "primary", primaryPg(), cluster("node1", 0x4000_4E8L), NOW - 1, Map.of());
    }

    static NodeStatus streamingReplica() {
        return status("node2", "replica", replicaPg(0x4000_4E8L, 0x4000_4E8L), cluster("node1", 0x4000_4E8L),
                Long.MIN_VALUE, Map.of());
    }

    /** Replica 2 MiB behind the leader's published optime. */
    static NodeStatus laggingReplica() {
        long optime = 64L << 20;
        return status("node2", "replica", replicaPg(optime - (2L << 20), optime - (2L << 20)),
                cluster("node1", optime), Long.MIN_VALUE, Map.of());
    }
}
