package io.bulwark.api;

import io.bulwark.ha.NodeStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static io.bulwark.api.Situations.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Every health status rule, over real HTTP, one NodeStatus situation per row. */
class RestApiStatusRulesTest {
    private static ApiServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new ApiServer();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Stream<Arguments> rules() {
        Supplier<NodeStatus> leader = Situations::leaderPrimary;
        Supplier<NodeStatus> expired = Situations::expiredPrimary;
        Supplier<NodeStatus> promoting = () -> status("node1", "primary", replicaPg(100, 100), cluster("node1", 100),
                NOW + SECOND, Map.of());
        Supplier<NodeStatus> replica = Situations::streamingReplica;
        Supplier<NodeStatus> lagging = Situations::laggingReplica;
        Supplier<NodeStatus> noLb = () -> status("node2", "replica", replicaPg(100, 100), cluster("node1", 100),
                Long.MIN_VALUE, Map.of("noloadbalance", true));
        Supplier<NodeStatus> stoppedLeader = () -> status("node1", "primary", stoppedPg(), cluster("node1", 100),
                NOW + SECOND, Map.of());
        Supplier<NodeStatus> stoppedReplica = () -> status("node2", "replica", stoppedPg(), cluster("node1", 100),
                Long.MIN_VALUE, Map.of());
        Supplier<NodeStatus> uninitialized = () -> status("node3", "uninitialized", missingPg(),
                cluster(null, 0), Long.MIN_VALUE, Map.of());
        Map<String, Object> standbyConfig = Map.of("standby_cluster", Map.of("host", "10.9.0.1", "port", 5432));
        Supplier<NodeStatus> standbyLeader = () -> status("node1", "standby_leader", replicaPg(100, 100),
                cluster("node1", 100, standbyConfig, null), NOW + SECOND, Map.of());
        Supplier<NodeStatus> tagged = () -> status("node2", "replica", replicaPg(100, 100), cluster("node1", 100),
                Long.MIN_VALUE, Map.of("zone", "a", "nosync", true));
        Map<String, Object> syncConfig = Map.of("synchronous_mode", true);
        var sync = new io.bulwark.dcs.SyncState(3, "node1", 0, "node2");
        Supplier<NodeStatus> syncReplica = () -> status("node2", "replica", replicaPg(100, 100),
                cluster("node1", 100, syncConfig, sync), Long.MIN_VALUE, Map.of());
        Supplier<NodeStatus> asyncReplica = () -> status("node3", "replica", replicaPg(100, 100),
                cluster("node1", 100, syncConfig, sync), Long.MIN_VALUE, Map.of());
        return Stream.of(
                arguments("lock holder primary", leader, "/", 200),
                arguments("lock holder primary", leader, "/primary", 200),
                arguments("lock holder primary", leader, "/master", 200),
                arguments("lock holder primary", leader, "/read-write", 200),
                arguments("lock holder primary", leader, "/leader", 200),
                arguments("lock holder primary", leader, "/standby-leader", 503),
                arguments("lock holder primary", leader, "/replica", 503),
                arguments("lock holder primary", leader, "/read-only", 200),
                arguments("lock holder primary", leader, "/health", 200),
                arguments("lock holder primary", leader, "/readiness", 200),
                arguments("lock holder primary ignores tags", leader, "/primary?tag_zone=b", 200),
                arguments("expired deadline primary", expired, "/primary", 503),
                arguments("expired deadline primary", expired, "/", 503),
                arguments("expired deadline primary", expired, "/leader", 503),
                arguments("expired deadline primary", expired, "/read-only", 503),
                arguments("expired deadline primary", expired, "/health", 200),
                arguments("lock held, still promoting", promoting, "/primary", 503),
                arguments("lock held, still promoting", promoting, "/leader", 200),
                arguments("replica streaming", replica, "/replica", 200),
                arguments("replica streaming", replica, "/read-only", 200),
                arguments("replica streaming", replica, "/primary", 503),
                arguments("replica streaming", replica, "/leader", 503),
                arguments("replica streaming", replica, "/health", 200),
                arguments("replica streaming", replica, "/readiness", 200),
                arguments("replica streaming", replica, "/replica?replication_state=streaming", 200),
                arguments("replica streaming", replica, "/replica?replication_state=in%20archive%20recovery", 503),
                arguments("replica 2MB behind", lagging, "/replica", 200),
                arguments("replica 2MB behind", lagging, "/replica?lag=1MB", 503),
                arguments("replica 2MB behind", lagging, "/replica?lag=1048576", 503),
                arguments("replica 2MB behind", lagging, "/replica?lag=3MB", 200),
                arguments("replica 2MB behind", lagging, "/read-only?lag=1024kB", 503),
                arguments("replica 2MB behind", lagging, "/readiness", 503),
                arguments("replica 2MB behind", lagging, "/readiness?lag=10MB", 200),
                arguments("noloadbalance replica", noLb, "/replica", 503),
                arguments("noloadbalance replica", noLb, "/health", 200),
                arguments("stopped postgres, lock held", stoppedLeader, "/primary", 503),
                arguments("stopped postgres, lock held", stoppedLeader, "/leader", 200),
                arguments("stopped postgres, lock held", stoppedLeader, "/health", 503),
                arguments("stopped postgres replica", stoppedReplica, "/replica", 503),
                arguments("stopped postgres replica", stoppedReplica, "/health", 503),
                arguments("stopped postgres replica", stoppedReplica, "/readiness", 503),
                arguments("uninitialized", uninitialized, "/primary", 503),
                arguments("uninitialized", uninitialized, "/replica", 503),
                arguments("uninitialized", uninitialized, "/health", 503),
                arguments("uninitialized", uninitialized, "/patroni", 200),
                arguments("standby leader", standbyLeader, "/standby-leader", 200),
                arguments("standby leader", standbyLeader, "/standby_leader", 200),
                arguments("standby leader", standbyLeader, "/leader", 200),
                arguments("standby leader", standbyLeader, "/primary", 503),
                arguments("standby leader", standbyLeader, "/replica", 503),
                arguments("standby leader", standbyLeader, "/read-only", 200),
                arguments("tagged replica", tagged, "/replica?tag_zone=a", 200),
                arguments("tagged replica", tagged, "/replica?tag_zone=b", 503),
                arguments("tagged replica", tagged, "/replica?tag_nosync=true", 200),
                arguments("tagged replica", tagged, "/replica?tag_rack=r1", 503),
                arguments("sync standby", syncReplica, "/sync", 200),
                arguments("sync standby", syncReplica, "/synchronous", 200),
                arguments("sync standby", syncReplica, "/async", 503),
                arguments("sync standby", syncReplica, "/read-only-sync", 200),
                arguments("async replica in sync mode", asyncReplica, "/sync", 503),
                arguments("async replica in sync mode", asyncReplica, "/async", 200),
                arguments("async replica in sync mode", asyncReplica, "/read-only-sync", 503),
                arguments("lock holder primary", leader, "/sync", 503));
    }

    @ParameterizedTest(name = "{0}: GET {2} -> {3}")
    @MethodSource("rules")
    void statusRule(String situation, Supplier<NodeStatus> status, String path, int expected) throws Exception {
        server.status.set(status.get());
        assertThat(server.get(path).statusCode()).as("GET " + path).isEqualTo(expected);
        assertThat(server.send("OPTIONS", path).statusCode()).as("OPTIONS " + path).isEqualTo(expected);
        assertThat(server.send("HEAD", path).statusCode()).as("HEAD " + path).isEqualTo(expected);
    }
}
