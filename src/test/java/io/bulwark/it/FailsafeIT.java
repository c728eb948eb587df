package io.bulwark.it;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.bulwark.it.ClusterHarness.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Failsafe mode with real etcd and PostgreSQL (Bulwark's default timings: ttl 4, loop_wait 1, retry_timeout 1).
 * etcd is frozen (SIGSTOP) and then killed, for more than 3 × ttl: with every member reachable the primary keeps
 * taking writes and nothing is promoted; with the replica's agent frozen too (it cannot acknowledge), the primary
 * stops taking writes within ttl of losing etcd, before any other member could be promoted.
 */
@Tag("integration")
class FailsafeIT {
    private static final Duration START = Duration.ofSeconds(120);
    private static final long TTL_MILLIS = 4_000;

    @Test
    void primaryKeepsTakingWritesThroughAnEtcdOutageWhileEveryMemberAcknowledges() throws Exception {
        try (ClusterHarness h = new ClusterHarness("it-failsafe").timings(4, 1, 1).failsafeMode()) {
            AgentNode node1 = h.addNode("node1").start();
            await("node1 primary", START, () -> node1.httpStatus("/primary") == 200);
            AgentNode node2 = h.addNode("node2").start();
            await("node2 replica", START, () -> node2.httpStatus("/replica") == 200);
            await("the failsafe key to list both members", Duration.ofSeconds(30), () -> failsafeLists(node1));

            h.etcd().pause();
            Thread.sleep(3_000);
            h.etcd().kill();
            List<String> failures = writeFor(node1, Duration.ofMillis(3 * TTL_MILLIS + 4_000));
            String status = node1.httpBody("/patroni");
            int primary = node1.httpStatus("/primary");
            int replica = node2.httpStatus("/primary");
            h.etcd().restart();
            await("node1 to hold the leader key again", Duration.ofSeconds(60),
                    () -> "node1".equals(Dcs4Test.leaderName(h)));

            assertThat(failures).as("writes to the primary during the etcd outage").isEmpty();
            assertThat(primary).as("node1 /primary during the outage").isEqualTo(200);
            assertThat(replica).as("node2 /primary during the outage").isEqualTo(503);
            assertThat(status).containsPattern("\"failsafe_mode_is_active\": ?true");
            assertThat(node1.logText()).contains("continue to run as a leader because failsafe mode is enabled")
                    .doesNotContain("demoted self").doesNotContain("demoting self");
            assertThat(node2.logText()).doesNotContain("promoted self");
            assertThat(node2.httpStatus("/replica")).isEqualTo(200);
        }
    }

    @Test
    void primaryStopsWithinTtlWhenAMemberCannotAcknowledge() throws Exception {
        try (ClusterHarness h = new ClusterHarness("it-failsafe-cut").timings(4, 1, 1).failsafeMode()) {
            AgentNode node1 = h.addNode("node1").start();
            await("node1 primary", START, () -> node1.httpStatus("/primary") == 200);
            AgentNode node2 = h.addNode("node2").start();
            await("node2 replica", START, () -> node2.httpStatus("/replica") == 200);
            await("the failsafe key to list both members", Duration.ofSeconds(30), () -> failsafeLists(node1));

            signal("-STOP", node2.pid());
            try {
                long signalling = System.nanoTime();
                h.etcd().pause();
                // etcd stopped somewhere between these two instants (the kill(1) process takes a while to spawn)
                long lost = System.nanoTime();
                long stoppedAfter = firstFailedWriteAfter(node1, lost, Duration.ofSeconds(20));
                long spawnMillis = (lost - signalling) / 1_000_000;
                h.etcd().kill();
                System.out.println("first refused write " + stoppedAfter + " ms after the SIGSTOP of etcd completed ("
                        + spawnMillis + " ms to send it)");
                assertThat(stoppedAfter).as("ms from losing etcd to the first refused write (SIGSTOP took "
                        + spawnMillis + " ms)" + h.logs()).isBetween(0L, TTL_MILLIS);
                assertThat(node1.httpStatus("/primary")).isEqualTo(503);
            } finally {
                signal("-CONT", node2.pid());
            }
            await("node1 to log why failsafe mode did not keep it", Duration.ofSeconds(20),
                    () -> node1.logText().contains("failsafe mode: no acknowledgment from node2"));
            assertThat(node2.logText()).doesNotContain("promoted self");
        }
    }

    private static boolean failsafeLists(AgentNode node) {
        try {
            String body = node.httpBody("/failsafe");
            return body.contains("\"node1\"") && body.contains("\"node2\"");
        } catch (Exception e) {
            return false;
        }
    }

    /** One INSERT every 100 ms for {@code span}; the failures, with the time since the start. */
    private static List<String> writeFor(AgentNode node, Duration span) throws Exception {
        List<String> failures = new ArrayList<>();
        long start = System.nanoTime();
        Connection c = null;
        try {
            while (System.nanoTime() - start < span.toNanos()) {
                try {
                    if (c == null) {
                        c = node.connect();
                        try (Statement s = c.createStatement()) {
                            s.execute("CREATE TABLE IF NOT EXISTS failsafe_it (at timestamptz DEFAULT now())");
                        }
                    }
                    try (Statement s = c.createStatement()) {
                        s.execute("INSERT INTO failsafe_it DEFAULT VALUES");
                    }
                } catch (SQLException e) {
                    failures.add((System.nanoTime() - start) / 1_000_000 + " ms: " + e.getMessage());
                    closeQuietly(c);
                    c = null;
                }
                Thread.sleep(100);
            }
        } finally {
            closeQuietly(c);
        }
        return failures;
    }

    /** Writes every 50 ms until one fails; milliseconds from {@code since} to that failure. */
    private static long firstFailedWriteAfter(AgentNode node, long since, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Connection c = node.connect();
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS failsafe_it (at timestamptz DEFAULT now())");
        }
        try {
            while (System.nanoTime() < deadline) {
                try (Statement s = c.createStatement()) {
                    s.execute("INSERT INTO failsafe_it DEFAULT VALUES");
                } catch (SQLException e) {
                    return (System.nanoTime() - since) / 1_000_000;
                }
                Thread.sleep(50);
            }
        } finally {
            closeQuietly(c);
        }
        throw new AssertionError("the primary still took writes " + timeout + " after losing etcd");
    }

    private static void closeQuietly(Connection c) {
        try {
            if (c != null) {
                c.close();
            }
        } catch (SQLException e) {
            // already broken
        }
    }

    private static void signal(String sig, long pid) throws Exception {
        new ProcessBuilder("kill", sig, Long.toString(pid)).start().waitFor();
    }
}
