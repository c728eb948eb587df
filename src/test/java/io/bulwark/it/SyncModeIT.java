package io.bulwark.it;

import io.bulwark.dcs.SyncState;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.bulwark.it.ClusterHarness.await;
import static io.bulwark.it.CtlRun.ctl;
import static io.bulwark.it.ItChecks.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * synchronous_mode end to end: turned on with edit-config, the leader names the replica in
 * synchronous_standby_names and in the sync key, /sync answers 200 on it and list calls it a Sync Standby; a lost
 * synchronous standby stops blocking writes within ttl; when the primary crashes the synchronous standby takes
 * over with every acknowledged row.
 */
@Tag("integration")
class SyncModeIT {

    @Test
    void synchronousStandbyIsNamedDroppedWhenLostAndPromotedWithEveryRow() throws Exception {
        try (ClusterHarness h = new ClusterHarness("it-sync")) {
            AgentNode node1 = h.addNode("node1").start();
            awaitPrimary(h, node1);
            AgentNode node2 = h.addNode("node2").start();
            awaitStreaming(h, node2);
            int haproxy = h.startHaproxy();
            await("writes through HAProxy", Duration.ofSeconds(30), () -> tryExec(haproxy,
                    "create table if not exists t(id int primary key)"));

            CtlRun on = ctl(node1, "edit-config", h.scope(), "--set", "synchronous_mode=true", "--force");
            assertThat(on.code()).as(on.text()).isZero();
            awaitSyncStandby(h, "node2");
            await("synchronous_standby_names on node1 to name node2", Duration.ofSeconds(30),
                    () -> show(node1, "synchronous_standby_names").equals("FIRST 1 (\"node2\")"));
            await("/sync to answer 200 on node2", Duration.ofSeconds(30), () -> node2.httpStatus("/sync") == 200);
            assertThat(node2.httpStatus("/async")).isEqualTo(503);
            assertThat(node1.httpStatus("/sync")).isEqualTo(503);
            CtlRun list = ctl(node1, "list", h.scope());
            assertThat(list.out()).as(list.text()).contains("Sync Standby");

            for (int i = 1; i <= 100; i++) {
                exec(haproxy, "insert into t values (" + i + ")");
            }
            assertThat(count(node2, "t")).as("synchronous: every acknowledged row is on node2 at once").isEqualTo(100);

            // A lost synchronous standby: the write that waits for it completes once the leader drops it.
            node2.killHard();
            CompletableFuture<Boolean> blocked = CompletableFuture.supplyAsync(
                    () -> tryExec(haproxy, "insert into t values (101)"));
            assertThat(blocked.get(h.ttl() * 3L + 30, TimeUnit.SECONDS)).as("the write completes").isTrue();
            await("the sync key to name no standby", Duration.ofSeconds(30),
                    () -> Dcs4Test.read(h).sync() != null && Dcs4Test.read(h).sync().syncStandby() == null);
            assertThat(show(node1, "synchronous_standby_names")).isEmpty();

            node2.start();
            awaitStreaming(h, node2);
            awaitSyncStandby(h, "node2");
            for (int i = 102; i <= 200; i++) {
                exec(haproxy, "insert into t values (" + i + ")");
            }

            node1.killHard();
            awaitPrimary(h, node2);
            assertThat(count(node2, "t")).as("every acknowledged row survives the crash").isEqualTo(200);
            assertThat(node2.logText()).contains("acquiring session lock");
        }
    }

    private static void awaitSyncStandby(ClusterHarness h, String name) {
        await("the sync key to name " + name, Duration.ofSeconds(60), () -> {
            SyncState s = Dcs4Test.read(h).sync();
            return s != null && s.lists(name);
        });
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
