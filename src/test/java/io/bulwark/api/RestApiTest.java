package io.bulwark.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bulwark.dcs.Cluster;
import io.bulwark.dcs.ClusterConfig;
import io.bulwark.dcs.ClusterStatus;
import io.bulwark.dcs.HistoryEntry;
import io.bulwark.dcs.Leader;
import io.bulwark.dcs.Member;
import io.bulwark.dcs.MemberData;
import io.bulwark.ha.NodeStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static io.bulwark.api.Situations.*;
import static org.assertj.core.api.Assertions.assertThat;

class RestApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private ApiServer server;

    @BeforeEach
    void start() throws Exception {
        server = new ApiServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void headAndOptionsSendTheStatusLineWithoutBody() throws Exception {
        server.status.set(leaderPrimary());
        for (String method : List.of("OPTIONS", "HEAD")) {
            String ok = server.raw(method, "/primary");
            assertThat(ok).startsWith("HTTP/1.1 200 OK\r\n").endsWith("\r\n\r\n");
            assertThat(ok).doesNotContain("{");
            String unavailable = server.raw(method, "/replica");
            assertThat(unavailable).startsWith("HTTP/1.1 503 ").endsWith("\r\n\r\n").doesNotContain("{");
        }
        assertThat(server.raw("GET", "/primary")).contains("\r\n\r\n{\"state\": \"running\"");
    }

    @Test
    void healthGetBodyIsTheStatusJson() throws Exception {
        server.status.set(streamingReplica());
        HttpResponse<String> primary = server.get("/primary");
        assertThat(primary.statusCode()).isEqualTo(503);
        assertThat(primary.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(primary.body()).isEqualTo(server.get("/patroni").body());
    }

    @Test
    void patroniJsonOfPrimaryHasPatroniKeysAndTypes() throws Exception {
        server.status.set(leaderPrimary());
        HttpResponse<String> r = server.get("/patroni");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"role\": \"primary\"");
        JsonNode j = JSON.readTree(r.body());
        assertThat(j.get("state").asText()).isEqualTo("running");
        assertThat(j.get("postmaster_start_time").isTextual()).isTrue();
        assertThat(j.get("role").asText()).isEqualTo("primary");
        assertThat(j.get("server_version").isInt()).isTrue();
        assertThat(j.get("server_version").asInt()).isEqualTo(150008);
        assertThat(j.get("xlog").get("location").asLong()).isEqualTo(0x4000_4E8L);
        assertThat(j.get("xlog").has("received_location")).isFalse();
        assertThat(j.get("timeline").asInt()).isEqualTo(3);
        assertThat(j.get("replication").isArray()).isTrue();
        assertThat(j.get("replication").get(0).get("application_name").asText()).isEqualTo("node2");
        assertThat(j.has("cluster_unlocked")).isFalse();
        assertThat(j.get("dcs_last_seen").isIntegralNumber()).isTrue();
        assertThat(j.get("database_system_identifier").asText()).isEqualTo(SYSID);
        assertThat(j.get("patroni").get("version").asText()).isEqualTo(Versions.PATRONI_PROTOCOL);
        assertThat(j.get("patroni").get("scope").asText()).isEqualTo("batman");
        assertThat(j.get("patroni").get("name").asText()).isEqualTo("node1");
        assertThat(j.get("bulwark_version").asText()).isEqualTo("9.9.9-test");
    }

    @Test
    void patroniJsonOfReplicaAndOfStoppedNode() throws Exception {
        server.status.set(laggingReplica());
        JsonNode j = JSON.readTree(server.get("/patroni").body());
        assertThat(j.get("role").asText()).isEqualTo("replica");
        assertThat(j.get("xlog").get("received_location").asLong()).isEqualTo((64L << 20) - (2L << 20));
        assertThat(j.get("xlog").get("replayed_location").isIntegralNumber()).isTrue();
        assertThat(j.get("replication_state").asText()).isEqualTo("streaming");
        assertThat(j.has("replication")).isFalse();

        server.status.set(status("node3", "uninitialized", missingPg(), Cluster.EMPTY, Long.MIN_VALUE,
                Map.of("nofailover", true)));
        j = JSON.readTree(server.get("/patroni").body());
        assertThat(j.get("state").asText()).isEqualTo("stopped");
        assertThat(j.get("role").asText()).isEqualTo("uninitialized");
        assertThat(j.has("xlog")).isFalse();
        assertThat(j.get("cluster_unlocked").asBoolean()).isTrue();
        assertThat(j.get("tags").get("nofailover").asBoolean()).isTrue();
        assertThat(j.get("patroni").get("name").asText()).isEqualTo("node3");
    }

    @Test
    void clusterHistoryAndConfigComeFromTheClusterSnapshot() throws Exception {
        MemberData leaderData = new MemberData("postgres://10.0.0.1:5432/postgres", "http://10.0.0.1:8008/patroni",
                "running", "primary", "4.1.4", 1000L, null, null, null, 3, Map.of(), null, Map.of());
        MemberData replicaData = new MemberData("postgres://10.0.0.2:5433/postgres", "http://10.0.0.2:8008/patroni",
                "running", "replica", "4.1.4", 900L, 900L, 950L, "streaming", 3, Map.of("zone", "b"), null,
                Map.of());
        Cluster cluster = new Cluster(SYSID, new ClusterConfig(4, Map.of("ttl", 30, "pause", true)),
                new Leader("node1", 5, 9),
                List.of(new Member("node1", 1, 9, leaderData), new Member("node2", 2, 9, replicaData)),
                new ClusterStatus(1000, Map.of(), List.of()), null,
                List.of(new HistoryEntry(1, 24392648, "no recovery target specified",
                        "2023-09-11T22:11:27.125527+00:00", "node1"), new HistoryEntry(2, 50331864, "x", null, null)),
                null);
        server.status.set(status("node1", "primary", primaryPg(), cluster, NOW + SECOND, Map.of()));

        JsonNode c = JSON.readTree(server.get("/cluster").body());
        assertThat(c.get("scope").asText()).isEqualTo("batman");
        assertThat(c.get("pause").asBoolean()).isTrue();
        JsonNode m0 = c.get("members").get(0);
        JsonNode m1 = c.get("members").get(1);
        assertThat(m0.get("name").asText()).isEqualTo("node1");
        assertThat(m0.get("role").asText()).isEqualTo("leader");
        assertThat(m0.get("host").asText()).isEqualTo("10.0.0.1");
        assertThat(m0.get("port").asInt()).isEqualTo(5432);
        assertThat(m0.has("lag")).isFalse();
        assertThat(m1.get("role").asText()).isEqualTo("replica");
        assertThat(m1.get("state").asText()).isEqualTo("streaming");
        assertThat(m1.get("receive_lsn").asText()).isEqualTo("0/3B6");
        assertThat(m1.get("receive_lag").asLong()).isEqualTo(50);
        assertThat(m1.get("replay_lag").asLong()).isEqualTo(100);
        assertThat(m1.get("lag").asLong()).isEqualTo(100);
        assertThat(m1.get("tags").get("zone").asText()).isEqualTo("b");

        assertThat(server.get("/history").body()).isEqualTo(
                "[[1, 24392648, \"no recovery target specified\", \"2023-09-11T22:11:27.125527+00:00\", \"node1\"],"
                        + " [2, 50331864, \"x\"]]");
        HttpResponse<String> config = server.get("/config");
        assertThat(config.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(config.body()).get("ttl").asInt()).isEqualTo(30);

        server.status.set(status("node1", "primary", primaryPg(), Cluster.EMPTY, NOW + SECOND, Map.of()));
        assertThat(server.get("/config").statusCode()).isEqualTo(502);
        assertThat(server.get("/history").body()).isEqualTo("[]");
    }

    @Test
    void unknownPathMethodAndBadLagAreRejectedByName() throws Exception {
        server.status.set(streamingReplica());
        assertThat(server.get("/nonexistent").statusCode()).isEqualTo(404);
        assertThat(server.send("OPTIONS", "/nonexistent").statusCode()).isEqualTo(404);
        HttpResponse<String> post = server.send("POST", "/primary");
        assertThat(post.statusCode()).isEqualTo(501);
        assertThat(post.body()).contains("POST");
        HttpResponse<String> badLag = server.get("/replica?lag=lots");
        assertThat(badLag.statusCode()).isEqualTo(400);
        assertThat(badLag.body()).contains("lag").contains("lots");
        server.status.set(leaderPrimary());
        assertThat(server.get("/replica?lag=lots").statusCode()).as("whatever the role").isEqualTo(400);
        server.status.set(streamingReplica());
        assertThat(server.get("/replica?lag=").statusCode()).as("blank value ignored like parse_qs").isEqualTo(200);
    }

    @Test
    void livenessFollowsTheHaLoopAge() throws Exception {
        server.status.set(streamingReplica());
        server.lastCycle.set(NOW - 5 * SECOND);
        assertThat(server.get("/liveness").statusCode()).isEqualTo(200);
        assertThat(server.get("/liveness").body()).isEmpty();
        // replica: loop_wait 10 + 2 x ttl 30 = 70 s
        server.lastCycle.set(NOW - 69 * SECOND);
        assertThat(server.get("/liveness").statusCode()).isEqualTo(200);
        server.lastCycle.set(NOW - 71 * SECOND);
        assertThat(server.get("/liveness").statusCode()).isEqualTo(503);
        // primary: loop_wait 10 + ttl 30 = 40 s
        server.status.set(leaderPrimary());
        server.lastCycle.set(NOW - 41 * SECOND);
        assertThat(server.get("/liveness").statusCode()).isEqualTo(503);
        NodeStatus s = leaderPrimary();
        server.status.set(new NodeStatus(s.name(), s.scope(), s.role(), s.postgres(), s.cluster(),
                s.leaderUntilNanos(), s.dcsLastSeenEpoch(), s.replication(), s.tags(), true, s.lastReason(), java.util.Map.of()));
        assertThat(server.get("/liveness").statusCode()).as("paused").isEqualTo(200);
    }

    @Test
    void beforeTheFirstStatusEverythingButLivenessIs503() throws Exception {
        server.lastCycle.set(Long.MIN_VALUE);
        assertThat(server.get("/primary").statusCode()).isEqualTo(503);
        assertThat(server.get("/patroni").statusCode()).isEqualTo(503);
        assertThat(server.get("/liveness").statusCode()).isEqualTo(200);
        assertThat(server.get("/readiness").statusCode()).isEqualTo(503);
        assertThat(server.get("/readiness").body()).isEmpty();
        server.clock.addAndGet(100 * SECOND);
        assertThat(server.get("/liveness").statusCode()).as("no cycle 100 s after start").isEqualTo(503);
    }

    @Test
    void aFailingHandlerAnswers503AndTheServerKeepsServing() throws Exception {
        server.override.set(() -> {
            throw new IllegalStateException("boom");
        });
        HttpResponse<String> r = server.get("/primary");
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.body()).contains("IllegalStateException").doesNotContain("at io.bulwark");
        server.override.set(null);
        server.status.set(leaderPrimary());
        assertThat(server.get("/primary").statusCode()).isEqualTo(200);
    }
}
