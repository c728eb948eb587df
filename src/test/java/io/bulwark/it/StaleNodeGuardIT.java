package io.bulwark.it;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;

import static io.bulwark.it.ClusterHarness.await;
import static io.bulwark.it.CtlRun.ctl;
import static io.bulwark.it.ItChecks.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The stale-node guard (issue 8, Patroni issue #2175): both nodes down, the one that stopped first (and so misses
 * the last commits) is started first. It must not take over, however long it is alone, although its lag is far
 * below {@code maximum_lag_on_failover}; when the former primary returns, that one leads and no committed row is
 * lost. An operator who knows the newer data is gone forces the stale node with {@code failover --candidate}.
 */
@Tag("integration")
class StaleNodeGuardIT {
    private static final String REFUSAL = "behind the last position the leader published";
    private static final int ROWS = 200;

    @Test
    void staleNodeStartedFirstWaitsAndTheFresherOneLeadsWithoutLoss() throws Exception {
        try (ClusterHarness h = new ClusterHarness("it-stale")) {
            AgentNode[] nodes = bothDownStaleFirst(h);
            AgentNode node1 = nodes[0];
            AgentNode node2 = nodes[1];

            assertThat(node2.httpStatus("/primary")).as("the stale node stays read-only").isNotEqualTo(200);
            assertThat(Dcs4Test.leaderName(h)).isNull();

            node1.start();
            awaitPrimary(h, node1);
            awaitStreaming(h, node2);
            await("every committed row on node2", Duration.ofSeconds(60), () -> count(node2, "t") == ROWS);
            assertThat(count(node1, "t")).isEqualTo(ROWS);
            assertThat(node1.logText()).doesNotContain("running pg_rewind");
        }
    }

    @Test
    void operatorForcesTheStaleNodeWithAFailoverToIt() throws Exception {
        try (ClusterHarness h = new ClusterHarness("it-stale-force")) {
            AgentNode node2 = bothDownStaleFirst(h)[1];

            CtlRun fo = ctl(node2, "failover", h.scope(), "--candidate", "node2", "--force");
            assertThat(fo.code()).as(fo.text()).isZero();
            awaitPrimary(h, node2);
            assertThat(Dcs4Test.leaderName(h)).isEqualTo("node2");
            assertThat(count(node2, "t")).as("the rows node2 had when it stopped").isBetween(1, ROWS - 1);
        }
    }

    /**
     * node1 leads and node2 streams; node2 stops, node1 commits more rows (a lag of a few KB) and publishes its
     * position, then stops too. node2 is started alone and has refused the race for two ttl when this returns.
     */
    private static AgentNode[] bothDownStaleFirst(ClusterHarness h) throws Exception {
        AgentNode node1 = h.addNode("node1").start();
        awaitPrimary(h, node1);
        AgentNode node2 = h.addNode("node2").start();
        awaitStreaming(h, node2);
        try (Connection c = node1.connect(); Statement s = c.createStatement()) {
            s.execute("create table t(id int primary key)");
            s.execute("insert into t select generate_series(1, 10)");
        }
        await("the first rows on node2", Duration.ofSeconds(30), () -> count(node2, "t") == 10);

        node2.stopGracefully(Duration.ofSeconds(90));
        long position;
        try (Connection c = node1.connect(); Statement s = c.createStatement()) {
            s.execute("insert into t select generate_series(11, " + ROWS + ")");
            try (ResultSet rs = s.executeQuery("select pg_current_wal_flush_lsn() - '0/0'::pg_lsn")) {
                rs.next();
                position = rs.getLong(1);
            }
        }
        await("node1 to publish its new position in /status", Duration.ofSeconds(30),
                () -> Dcs4Test.read(h).status().optime() >= position);
        node1.stopGracefully(Duration.ofSeconds(90));

        node2.start();
        await("node2 to refuse the race as a stale node", Duration.ofSeconds(120),
                () -> node2.logText().contains(REFUSAL));
        Thread.sleep(ClusterHarness.scaled(Duration.ofSeconds(h.ttl() * 2L)).toMillis());
        return new AgentNode[] {node1, node2};
    }
}
