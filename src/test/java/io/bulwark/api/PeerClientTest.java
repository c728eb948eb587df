package io.bulwark.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.bulwark.api.Situations.*;
import static org.assertj.core.api.Assertions.assertThat;

class PeerClientTest {
    private final PeerClient client = new PeerClient();

    @Test
    void readsPrimaryAndReplicaStatusFromARealRestApi() throws Exception {
        try (ApiServer primary = new ApiServer(); ApiServer replica = new ApiServer()) {
            primary.status.set(leaderPrimary());
            replica.status.set(laggingReplica());

            PeerStatus p = client.fetch(primary.base() + "/patroni", Duration.ofSeconds(5)).orElseThrow();
            assertThat(p.role()).isEqualTo("primary");
            assertThat(p.isPrimary()).isTrue();
            assertThat(p.walPosition()).isEqualTo(0x4000_4E8L);
            assertThat(p.timeline()).isEqualTo(3);
            assertThat(p.isRunning()).isTrue();
            assertThat(p.nofailover()).isFalse();
            assertThat(p.patroniVersion()).isEqualTo(Versions.PATRONI_PROTOCOL);

            PeerStatus r = client.fetch(replica.base() + "/patroni", Duration.ofSeconds(5)).orElseThrow();
            assertThat(r.role()).isEqualTo("replica");
            assertThat(r.walPosition()).isEqualTo((64L << 20) - (2L << 20));
            assertThat(r.state()).isEqualTo("running");
        }
    }

    @Test
    void aPeerWithoutXlogCountsAsUnreachable() throws Exception {
        try (ApiServer stopped = new ApiServer()) {
            stopped.status.set(status("node3", "replica", stoppedPg(), cluster("node1", 1), Long.MIN_VALUE,
                    Map.of()));
            assertThat(client.fetch(stopped.base() + "/patroni", Duration.ofSeconds(5))).isEmpty();
        }
    }

    @Test
    @Timeout(30)
    void fetchAllAsksEveryoneAtOnceAndBoundsTheWait() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        List<Socket> held = new CopyOnWriteArrayList<>();
        ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        try (ApiServer primary = new ApiServer(); ApiServer replica = new ApiServer()) {
            primary.status.set(leaderPrimary());
            replica.status.set(streamingReplica());
            Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        held.add(silent.accept()); // accepts, never answers
                    }
                } catch (Exception ignored) {
                    // closed at the end of the test
                }
            });
            Map<String, String> urls = new LinkedHashMap<>();
            urls.put("node1", primary.base() + "/patroni");
            urls.put("node2", replica.base() + "/patroni");
            urls.put("dead", "http://127.0.0.1:" + closedPort + "/patroni");
            urls.put("hung", "http://127.0.0.1:" + silent.getLocalPort() + "/patroni");
            urls.put("garbage", "not a url at all");

            Map<String, Optional<PeerStatus>> all = client.fetchAll(urls, Duration.ofMillis(1500));

            assertThat(all.keySet()).containsExactly("node1", "node2", "dead", "hung", "garbage");
            assertThat(all.get("node1")).hasValueSatisfying(s -> assertThat(s.isPrimary()).isTrue());
            assertThat(all.get("node2")).hasValueSatisfying(s -> assertThat(s.role()).isEqualTo("replica"));
            assertThat(all.get("dead")).isEmpty();
            assertThat(all.get("hung")).isEmpty();
            assertThat(all.get("garbage")).isEmpty();
        } finally {
            silent.close();
            for (Socket s : held) {
                s.close();
            }
        }
    }

    @Test
    void parseFollowsPatronisMemberStatusRules() {
        PeerStatus legacy = PeerClient.parse("{\"state\": \"running\", \"role\": \"master\", \"timeline\": 4,"
                + " \"tags\": {\"failover_priority\": 0}, \"patroni\": {\"version\": \"2.1.0\"}}").orElseThrow();
        assertThat(legacy.isPrimary()).as("master reads as primary, xlog optional").isTrue();
        assertThat(legacy.walPosition()).isZero();
        assertThat(legacy.nofailover()).as("failover_priority 0").isTrue();
        assertThat(legacy.patroniVersion()).isEqualTo("2.1.0");

        PeerStatus replica = PeerClient.parse("{\"state\": \"starting\", \"role\": \"replica\", \"xlog\":"
                + " {\"received_location\": 10, \"replayed_location\": 30}, \"tags\": {\"nofailover\": true}}")
                .orElseThrow();
        assertThat(replica.walPosition()).isEqualTo(30);
        assertThat(replica.isRunning()).isFalse();
        assertThat(replica.nofailover()).isTrue();

        assertThat(PeerClient.parse("<html>")).isEmpty();
        assertThat(PeerClient.parse("[1]")).isEmpty();
    }
}
