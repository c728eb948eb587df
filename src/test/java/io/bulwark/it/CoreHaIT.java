package io.bulwark.it;

import io.bulwark.dcs.Cluster;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static io.bulwark.it.ClusterHarness.await;
import static io.bulwark.it.ItChecks.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The core HA scenarios with real etcd, PostgreSQL and HAProxy processes and the built agent jar: bootstrap and
 * replication, hard-crash failover with rejoin through pg_rewind, graceful handover, the lag guard, member keys
 * expiring with their lease, and the duplicate-name guard. Timings are short (ttl 6, loop_wait 1,
 * retry_timeout 2); waits are generous.
 */
@Tag("integration")
class CoreHaIT {

    @Test
    void bootstrapsReplicatesAndPublishesPatroniKeys() throws Exception {
        try (ClusterHarness h = new ClusterHarness("it-basic")) {
            AgentNode node1 = h.addNode("node1").start();
            awaitPrimary(h, node1);
            AgentNode node2 = h.addNode("node2").start();
            awaitStreaming(h, node2);

            try (Connection c = node1.connect(); Statement s = c.createStatement()) {
                s.execute("create table replicated(id int primary key, note text)");
                s.execute("insert into replicated values (1, 'from node1')");
            }
            await("the row to reach node2", Duration.ofSeconds(30), () -> count(node2, "replicated") == 1);

            Cluster cluster = Dcs4Test.read(h);
            assertThat(cluster.leader().name()).isEqualTo("node1");
            assertThat(cluster.isInitialized()).as("initialize holds the system id").isTrue();
            assertThat(cluster.member("node2").orElseThrow().data().connUrl())
                    .isEqualTo("postgres://127.0.0.1:" + node2.pgPort + "/postgres");
            assertThat(cluster.member("node1").orElseThrow().data().role()).isEqualTo("primary");
            assertThat(cluster.member("node2").orElseThrow().data().role()).isEqualTo("replica");
            assertThat(node1.logText()).contains("no action. I am (node1), the leader with the lock");
            assertThat(node2.logText()).contains("no action. I am (node2), a secondary, and following a leader (node1)");

            // A second agent with node1's name (own ports and data directory) must refuse to start.
            AgentNode impostor = h.addNode("impostor");
            impostor.writeConfig("node1");
            impostor.start();
            assertThat(impostor.process().waitFor(60, TimeUnit.SECONDS)).as("impostor exits").isTrue();
            assertThat(impostor.process().exitValue()).isNotZero();
            assertThat(impostor.logText()).contains("Can't start; there is already a node named 'node1' running");
            assertThat(node1.httpStatus("/primary")).isEqualTo(200);
        }
    }

    @Test
    void hardCrashFailsOverThroughHaproxyAndOldLeaderRejoinsWithRewind() throws Exception {
        try (ClusterHarness h = new ClusterHarness("it-crash")) {
            AgentNode node1 = h.addNode("node1").start();
            awaitPrimary(h, node1);
            AgentNode node2 = h.addNode("node2").start();
            awaitStreaming(h, node2);
            int haproxy = h.startHaproxy();
            await("writes through HAProxy", Duration.ofSeconds(30), () -> tryExec(haproxy,
                    "create table if not exists t(id int primary key)") );
            exec(haproxy, "insert into t values (1)");
            await("row 1 on node2", Duration.ofSeconds(30), () -> count(node2, "t") == 1);

            node1.killHard();

            awaitPrimary(h, node2);
            await("a write through HAProxy to reach the new primary", Duration.ofSeconds(60),
                    () -> tryExec(haproxy, "insert into t values (2)"));
            assertThat(Dcs4Test.leaderName(h)).isEqualTo("node2");
            await("node1's member key to expire with its lease", Duration.ofSeconds(60),
                    () -> Dcs4Test.read(h).member("node1").isEmpty());

            node1.start();
            awaitStreaming(h, node1);
            await("rows written after the failover to reach node1", Duration.ofSeconds(60), () -> count(node1, "t") == 2);
            assertThat(node1.logText()).contains("running pg_rewind from node2");
            assertThat(node2.httpStatus("/primary")).isEqualTo(200);
            assertThat(node1.httpStatus("/primary")).isEqualTo(503);
        }
    }

    @Test
    void sigtermHandsLeadershipOverWithoutWaitingForTheLease() throws Exception {
        try (ClusterHarness h = new ClusterHarness("it-sigterm").timings(30, 1, 10)) {
            AgentNode node1 = h.addNode("node1").start();
            awaitPrimary(h, node1);
            AgentNode node2 = h.addNode("node2").start();
            awaitStreaming(h, node2);

            long stopped = System.nanoTime();
            assertThat(node1.stopGracefully(Duration.ofSeconds(90))).isZero();
            awaitPrimary(h, node2);
            Duration took = Duration.ofNanos(System.nanoTime() - stopped);

            // With ttl 30 a lease expiry would take at least 29 s; an explicit release is much faster.
            assertThat(took).as("handover without lease expiry").isLessThan(Duration.ofSeconds(25));
            assertThat(node1.logText()).contains("shut down PostgreSQL and released the leader lock");
            assertThat(node1.postmasterPid()).as("PostgreSQL of node1 stopped").isNull();
            assertThat(Dcs4Test.leaderName(h)).isEqualTo("node2");
        }
    }

    @Test
    void replicaLaggingBeyondMaximumLagIsNotPromoted() throws Exception {
        try (ClusterHarness h = new ClusterHarness("it-lag").maximumLagOnFailover(1024)) {
            AgentNode node1 = h.addNode("node1").start();
            awaitPrimary(h, node1);
            AgentNode node2 = h.addNode("node2").start();
            awaitStreaming(h, node2);

            node2.stopGracefully(Duration.ofSeconds(90));
            long position;
            try (Connection c = node1.connect(); Statement s = c.createStatement()) {
                s.execute("create table filler as select g, repeat('x', 200) pad from generate_series(1, 20000) g");
                try (ResultSet rs = s.executeQuery("select pg_current_wal_flush_lsn() - '0/0'::pg_lsn")) {
                    rs.next();
                    position = rs.getLong(1);
                }
            }
            await("node1 to publish its new position in /status", Duration.ofSeconds(30),
                    () -> Dcs4Test.read(h).status().optime() >= position);
            node1.killHard();

            node2.start();
            await("node2 to refuse the race because of its lag", Duration.ofSeconds(90),
                    () -> node2.logText().contains("my wal position exceeds maximum replication lag"));
            Thread.sleep(ClusterHarness.scaled(Duration.ofSeconds(h.ttl() * 2L)).toMillis());
            assertThat(node2.httpStatus("/primary")).isNotEqualTo(200);
            assertThat(Dcs4Test.leaderName(h)).isNull();
        }
    }
}
