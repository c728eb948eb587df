package io.bulwark.it;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.bulwark.it.ClusterHarness.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Planned switchover through the {@code failover} key under continuous writes through HAProxy: no acknowledged
 * row is lost, and the old primary follows the new one. Maintenance mode: a crashed primary is not failed over.
 */
@Tag("integration")
class SwitchoverIT {
    private static final Duration START = Duration.ofSeconds(120);

    @Test
    void switchoverBackAndForthUnderWritesLosesNothing() throws Exception {
        try (ClusterHarness h = new ClusterHarness("it-switch").timings(4, 1, 1)) {
            AgentNode node1 = h.addNode("node1").start();
            await("node1 primary", START, () -> node1.httpStatus("/primary") == 200);
            AgentNode node2 = h.addNode("node2").start();
            await("node2 streaming", START, () -> streaming(node2));
            int haproxy = h.startHaproxy();
            List<Long> acked = new ArrayList<>();
            AtomicBoolean stop = new AtomicBoolean();
            Thread writer = Thread.ofPlatform().start(() -> write(haproxy, acked, stop));

            await("the writer to get going", Duration.ofSeconds(30), () -> size(acked) > 20);
            Dcs4Test.writeFailover(h, "{\"leader\":\"node1\",\"member\":\"node2\"}");
            await("node2 to become primary", Duration.ofSeconds(60), () -> node2.httpStatus("/primary") == 200);
            await("node1 to stream from node2", Duration.ofSeconds(60), () -> streaming(node1));
            int before = size(acked);
            await("writes to resume", Duration.ofSeconds(30), () -> size(acked) > before + 20);

            Dcs4Test.writeFailover(h, "{\"leader\":\"node2\",\"member\":\"node1\"}");
            await("node1 to become primary again", Duration.ofSeconds(60), () -> node1.httpStatus("/primary") == 200);
            int back = size(acked);
            await("writes to resume again", Duration.ofSeconds(30), () -> size(acked) > back + 20);
            stop.set(true);
            writer.join();

            List<Long> present = new ArrayList<>();
            try (Connection c = AgentNode.connectTo(haproxy); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("select id from writes")) {
                while (rs.next()) {
                    present.add(rs.getLong(1));
                }
            }
            synchronized (acked) {
                assertThat(present).as("every acknowledged row survives both switchovers").containsAll(acked);
            }
            assertThat(node1.logText()).contains("switchover: demoting myself");
            assertThat(Dcs4Test.read(h).failover() == null || Dcs4Test.read(h).failover().isEmpty())
                    .as("the failover key is cleared").isTrue();
        }
    }

    @Test
    void pausedClusterDoesNotFailOverACrashedPrimary() throws Exception {
        try (ClusterHarness h = new ClusterHarness("it-pause").timings(4, 1, 1)) {
            AgentNode node1 = h.addNode("node1").start();
            await("node1 primary", START, () -> node1.httpStatus("/primary") == 200);
            AgentNode node2 = h.addNode("node2").start();
            await("node2 streaming", START, () -> streaming(node2));

            Dcs4Test.patchConfig(h, "pause", true);
            await("both members to report the pause", Duration.ofSeconds(30),
                    () -> node1.logText().contains("PAUSE: ") && node2.logText().contains("PAUSE: "));
            Long postmaster = node1.postmasterPid();
            new ProcessBuilder("kill", "-KILL", String.valueOf(postmaster)).start().waitFor();
            Thread.sleep(ClusterHarness.scaled(Duration.ofSeconds(12)).toMillis());
            assertThat(node2.httpStatus("/primary")).as("nothing promoted in pause").isNotEqualTo(200);
            assertThat(Dcs4Test.leaderName(h)).isEqualTo("node1");
            assertThat(node1.postmasterPid() == null || ProcessHandle.of(node1.postmasterPid()).isEmpty())
                    .as("the crashed postmaster was not restarted in pause").isTrue();

            Dcs4Test.patchConfig(h, "pause", null);
            await("automatic recovery after resume", Duration.ofSeconds(60),
                    () -> node1.httpStatus("/primary") == 200 || node2.httpStatus("/primary") == 200);
        }
    }

    private static boolean streaming(AgentNode node) {
        try {
            return node.httpBody("/patroni").contains("\"replication_state\": \"streaming\"");
        } catch (Exception e) {
            return false;
        }
    }

    private static int size(List<Long> acked) {
        synchronized (acked) {
            return acked.size();
        }
    }

    private static void write(int port, List<Long> acked, AtomicBoolean stop) {
        long id = 0;
        Connection c = null;
        while (!stop.get()) {
            try {
                if (c == null) {
                    c = AgentNode.connectTo(port);
                    try (Statement s = c.createStatement()) {
                        s.execute("create table if not exists writes(id bigint primary key)");
                    }
                }
                try (PreparedStatement ps = c.prepareStatement("insert into writes values (?) on conflict do nothing")) {
                    ps.setLong(1, id + 1);
                    ps.executeUpdate();
                }
                id++;
                synchronized (acked) {
                    acked.add(id);
                }
                Thread.sleep(10);
            } catch (SQLException e) {
                try {
                    if (c != null) {
                        c.close();
                    }
                } catch (SQLException ignored) {
                    // already broken
                }
                c = null;
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
