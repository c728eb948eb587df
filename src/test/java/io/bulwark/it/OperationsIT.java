package io.bulwark.it;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import static io.bulwark.it.ClusterHarness.await;
import static io.bulwark.it.CtlRun.ctl;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Day-to-day operations end to end: bulwarkctl talks to the agents' authenticated REST APIs and to etcd, the
 * agents act. Switchover and failover to a named replica, live configuration (reload vs pending restart),
 * restart --pending, reinit.
 */
@Tag("integration")
class OperationsIT {
    private static final Duration START = Duration.ofSeconds(120);

    @Test
    void switchoverFailoverConfigRestartAndReinitThroughBulwarkctl() throws Exception {
        try (ClusterHarness h = new ClusterHarness("it-ops").timings(4, 1, 1)) {
            AgentNode node1 = h.addNode("node1").start();
            await("node1 primary", START, () -> node1.httpStatus("/primary") == 200);
            AgentNode node2 = h.addNode("node2").start();
            await("node2 streaming", START, () -> streaming(node2));
            String scope = h.scope();

            CtlRun sw = ctl(node1, "switchover", scope, "--leader", "node1", "--candidate", "node2", "--force");
            assertThat(sw.code()).as(sw.out() + sw.err()).isZero();
            await("node2 primary after switchover", Duration.ofSeconds(60), () -> node2.httpStatus("/primary") == 200);
            await("node1 streaming from node2", Duration.ofSeconds(60), () -> streaming(node1));

            CtlRun fo = ctl(node1, "failover", scope, "--candidate", "node1", "--force");
            assertThat(fo.code()).as(fo.out() + fo.err()).isZero();
            await("node1 primary after failover", Duration.ofSeconds(60), () -> node1.httpStatus("/primary") == 200);
            await("node2 streaming from node1", Duration.ofSeconds(60), () -> streaming(node2));

            CtlRun reloadable = ctl(node1, "edit-config", scope, "--pg", "work_mem=7MB", "--force");
            assertThat(reloadable.code()).as(reloadable.out() + reloadable.err()).isZero();
            await("work_mem to reach PostgreSQL on both nodes", Duration.ofSeconds(30),
                    () -> "7MB".equals(show(node1, "work_mem")) && "7MB".equals(show(node2, "work_mem")));

            CtlRun restartOnly = ctl(node1, "edit-config", scope, "--pg", "max_connections=120", "--force");
            assertThat(restartOnly.code()).as(restartOnly.out() + restartOnly.err()).isZero();
            await("a pending restart on node1", Duration.ofSeconds(30),
                    () -> body(node1).contains("\"pending_restart\": true"));
            assertThat(show(node1, "max_connections")).isEqualTo("100");
            CtlRun restart = ctl(node1, "restart", scope, "node1", "--pending", "--force");
            assertThat(restart.code()).as(restart.out() + restart.err()).isZero();
            await("max_connections applied after the restart", Duration.ofSeconds(60),
                    () -> "120".equals(show(node1, "max_connections")));
            assertThat(node1.httpStatus("/primary")).isEqualTo(200);

            CtlRun reinit = ctl(node1, "reinit", scope, "node2", "--force", "--wait");
            assertThat(reinit.code()).as(reinit.out() + reinit.err()).isZero();
            await("node2 streaming again after reinit", Duration.ofSeconds(120), () -> streaming(node2));
            assertThat(node2.logText()).contains("reinitialized from leader 'node1' on request");

            String at = java.time.OffsetDateTime.now().plusSeconds(6).withNano(0).toString();
            CtlRun scheduled = ctl(node1, "switchover", scope, "--leader", "node1", "--candidate", "node2",
                    "--scheduled", at, "--force");
            assertThat(scheduled.code()).as(scheduled.out() + scheduled.err()).isZero();
            await("the leader to wait for the scheduled time", Duration.ofSeconds(10),
                    () -> node1.logText().contains("Awaiting switchover at"));
            assertThat(node1.httpStatus("/primary")).as("not before its time").isEqualTo(200);
            await("the scheduled switchover to fire", Duration.ofSeconds(60), () -> node2.httpStatus("/primary") == 200);
        }
    }

    private static String body(AgentNode node) {
        try {
            return node.httpBody("/patroni");
        } catch (Exception e) {
            return "";
        }
    }

    private static boolean streaming(AgentNode node) {
        return body(node).contains("\"replication_state\": \"streaming\"");
    }

    private static String show(AgentNode node, String setting) {
        try (Connection c = node.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("show " + setting)) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            return null;
        }
    }
}
