package io.bulwark.it;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;

import static io.bulwark.it.ClusterHarness.await;
import static io.bulwark.it.ClusterHarness.run;
import static io.bulwark.it.CtlRun.ctl;
import static io.bulwark.it.ItChecks.awaitPrimary;
import static io.bulwark.it.ItChecks.awaitStreaming;
import static io.bulwark.it.ItChecks.count;
import static io.bulwark.it.ItChecks.exec;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A running replica on a diverged timeline (reference §2.6, safety invariant 4), with real etcd and three
 * PostgreSQL servers: node3 replays rows node2 never received, node1 dies, an operator forces node2 to take over
 * (timeline 2 branches off before those rows), and node3, still running, must find out that it cannot follow node2
 * and be rewound, instead of sitting on its branch while looking like a replica.
 */
@Tag("integration")
class DivergedReplicaIT {

    @Test
    void aRunningReplicaAheadOfTheNewLeadersSwitchpointIsRewound() throws Exception {
        try (ClusterHarness h = new ClusterHarness("it-diverged")) {
            AgentNode node1 = h.addNode("node1").start();
            awaitPrimary(h, node1);
            AgentNode node2 = h.addNode("node2").start();
            AgentNode node3 = h.addNode("node3").start();
            awaitStreaming(h, node2);
            awaitStreaming(h, node3);
            exec(node1.pgPort, "create table t(id int primary key)");
            exec(node1.pgPort, "insert into t select generate_series(1, 10)");
            await("the first rows on node2 and node3", Duration.ofSeconds(30),
                    () -> count(node2, "t") == 10 && count(node3, "t") == 10);

            // node2's WAL receiver freezes; node3 replays 90 more rows
            long receiver = walReceiverPid(node2);
            run("kill", "-STOP", Long.toString(receiver));
            exec(node1.pgPort, "insert into t select generate_series(11, 100)");
            await("the later rows on node3 only", Duration.ofSeconds(30), () -> count(node3, "t") == 100);
            assertThat(count(node2, "t")).isEqualTo(10);

            // node3's agent freezes (its PostgreSQL keeps running), node1 dies, node2 is forced to take over
            run("kill", "-STOP", Long.toString(node3.pid()));
            node1.killHard();
            // killed, not continued: a continued receiver would still read the rows from its socket buffer
            run("kill", "-KILL", Long.toString(receiver));
            await("node2 to take over, forced past the stale-node guard", Duration.ofSeconds(120), () -> {
                if (node2.httpStatus("/primary") == 200) {
                    return true;
                }
                try {
                    if (Dcs4Test.leaderName(h) == null) {
                        ctl(node2, "failover", h.scope(), "--candidate", "node2", "--force");
                    }
                } catch (AssertionError slowEtcd) { // a read over its budget on a loaded machine: try again
                }
                return false;
            });
            assertThat(count(node2, "t")).as("node2 lacks the rows only node1 and node3 had").isEqualTo(10);
            exec(node2.pgPort, "insert into t values (1000)");

            run("kill", "-CONT", Long.toString(node3.pid()));
            await("node3 to find it diverged and rewind from node2", Duration.ofSeconds(120),
                    () -> node3.logText().contains("running pg_rewind from node2 (replayed"));
            awaitStreaming(h, node3);
            await("node3 to hold exactly node2's rows", Duration.ofSeconds(60), () -> count(node3, "t") == 11);
            assertThat(node3.logText()).contains("diverged from the timeline of leader node2");
        }
    }

    private static long walReceiverPid(AgentNode node) throws Exception {
        try (Connection c = node.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select pid from pg_stat_wal_receiver")) {
            assertThat(rs.next()).as("a WAL receiver on " + node.name).isTrue();
            return rs.getLong(1);
        }
    }
}
