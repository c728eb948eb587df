package io.bulwark.it;

import io.bulwark.dcs.SyncState;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import static io.bulwark.it.ClusterHarness.await;
import static io.bulwark.it.CtlRun.ctl;
import static io.bulwark.it.ItChecks.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * synchronous_mode quorum end to end on three nodes: turned on with edit-config, the leader writes
 * {@code ANY 1 (node2,node3)} and the sync key {@code quorum 1 of (node2, node3)}; /quorum answers 200 on both
 * replicas and list calls them Quorum Standby; when the primary is killed, a replica that sees the other takes over
 * with every acknowledged row, and names the survivors in its own key.
 */
@Tag("integration")
class QuorumModeIT {

    @Test
    void quorumIsManagedAndAQuorumMemberTakesOverWithEveryRow() throws Exception {
        try (ClusterHarness h = new ClusterHarness("it-quorum")) {
            AgentNode node1 = h.addNode("node1").start();
            awaitPrimary(h, node1);
            AgentNode node2 = h.addNode("node2").start();
            AgentNode node3 = h.addNode("node3").start();
            awaitStreaming(h, node2);
            awaitStreaming(h, node3);
            int haproxy = h.startHaproxy();
            await("writes through HAProxy", Duration.ofSeconds(30), () -> tryExec(haproxy,
                    "create table if not exists t(id int primary key)"));

            CtlRun on = ctl(node1, "edit-config", h.scope(), "--set", "synchronous_mode=quorum", "--force");
            assertThat(on.code()).as(on.text()).isZero();
            await("synchronous_standby_names on node1 to be ANY 1 (node2,node3)", Duration.ofSeconds(60),
                    () -> show(node1, "synchronous_standby_names").equals("ANY 1 (node2,node3)"));
            await("the sync key to say quorum 1 of node2, node3", Duration.ofSeconds(60), () -> {
                SyncState s = Dcs4Test.read(h).sync();
                return s != null && "node1".equals(s.leader()) && Integer.valueOf(1).equals(s.quorum())
                        && s.lists("node2") && s.lists("node3");
            });
            for (AgentNode replica : List.of(node2, node3)) {
                await("/quorum to answer 200 on " + replica.name, Duration.ofSeconds(30),
                        () -> replica.httpStatus("/quorum") == 200);
                assertThat(replica.httpStatus("/sync")).isEqualTo(503);
                assertThat(replica.httpStatus("/async")).isEqualTo(503);
            }
            assertThat(node1.httpStatus("/quorum")).isEqualTo(503);
            CtlRun list = ctl(node1, "list", h.scope());
            assertThat(list.out()).as(list.text()).contains("Quorum Standby");

            for (int i = 1; i <= 200; i++) {
                exec(haproxy, "insert into t values (" + i + ")");
            }
            assertThat(Math.max(count(node2, "t"), count(node3, "t"))).as("each row is on one of the standbys at once")
                    .isEqualTo(200);

            node1.killHard();
            await("node2 or node3 to become primary", ItChecks.START,
                    () -> node2.httpStatus("/primary") == 200 || node3.httpStatus("/primary") == 200);
            AgentNode winner = node2.httpStatus("/primary") == 200 ? node2 : node3;
            AgentNode other = winner == node2 ? node3 : node2;
            assertThat(count(winner, "t")).as("every acknowledged row survives the crash").isEqualTo(200);
            assertThat(winner.logText()).contains("acquiring session lock");
            await("the new leader to take over the sync key", Duration.ofSeconds(60), () -> {
                SyncState s = Dcs4Test.read(h).sync();
                return s != null && winner.name.equals(s.leader()) && s.lists(other.name);
            });
            await("writes through HAProxy on the new primary", Duration.ofSeconds(60),
                    () -> tryExec(haproxy, "insert into t values (201)"));
        }
    }

    private static String show(AgentNode node, String setting) {
        try (Connection c = node.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("show " + setting)) {
            rs.next();
            return rs.getString(1);
        } catch (Exception e) {
            return "(" + e.getMessage() + ")";
        }
    }
}
