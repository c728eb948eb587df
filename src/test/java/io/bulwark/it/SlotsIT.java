package io.bulwark.it;

import io.bulwark.dcs.ClusterStatus;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.bulwark.it.ClusterHarness.await;
import static io.bulwark.it.ItChecks.awaitPrimary;
import static io.bulwark.it.ItChecks.awaitStreaming;
import static io.bulwark.it.ItChecks.count;
import static io.bulwark.it.ItChecks.exec;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Permanent slots and {@code ignore_slots} with real etcd and two PostgreSQL servers (reference §2.7): the primary
 * keeps the permanent physical and logical slots and the member slot, drops a stray slot but not an ignored one;
 * the replica keeps the physical ones, advanced to the positions the leader publishes in {@code /status}; after a
 * hard failover the new primary has the permanent physical slot where it was, and the logical one (copied from
 * the old primary, see LogicalSlotFailoverIT) not behind what was consumed.
 */
@Tag("integration")
class SlotsIT {

    @Test
    void permanentSlotsLiveOnThePrimaryAndTheReplicaAndSurviveAFailover() throws Exception {
        try (ClusterHarness h = new ClusterHarness("it-slots").dcsParameter("wal_level", "logical")) {
            AgentNode node1 = h.addNode("node1").start();
            awaitPrimary(h, node1);
            Dcs4Test.patchConfig(h, "ignore_slots", List.of(Map.of("name", "keepme", "type", "physical")));
            Dcs4Test.patchConfig(h, "slots", Map.of("dr", Map.of("type", "physical"),
                    "cdc", Map.of("type", "logical", "database", "postgres", "plugin", "test_decoding")));
            awaitSlots(h, node1, "the permanent slots on node1", Map.of("cdc", "logical", "dr", "physical"));
            // created after the agent applied ignore_slots (it was seen creating the permanent slots)
            exec(node1.pgPort, "select pg_create_physical_replication_slot('keepme', true)");
            exec(node1.pgPort, "select pg_create_physical_replication_slot('stray', true)");
            AgentNode node2 = h.addNode("node2").start();
            awaitStreaming(h, node2);

            awaitSlots(h, node1, "permanent, member and ignored slots on node1, the stray one dropped", 
                    Map.of("cdc", "logical", "dr", "physical", "keepme", "physical",
                    "node2", "physical"));
            awaitSlots(h, node2, "the leader's and the permanent physical slot on node2 (cdc needs older WAL than"
                    + " node2 has until it is consumed)", Map.of("dr", "physical", "node1", "physical"));

            exec(node1.pgPort, "create table t(id int primary key)");
            exec(node1.pgPort, "insert into t select generate_series(1, 1000)");
            long consumed = consume(node1);
            assertThat(consumed).isPositive();
            long drAt = lsn(node1, "select (restart_lsn - '0/0')::bigint from pg_replication_slots"
                    + " where slot_name = 'dr'");
            exec(node1.pgPort, "insert into t select generate_series(1001, 2000)");
            long target = lsn(node1, "select (pg_current_wal_lsn() - '0/0')::bigint");
            exec(node1.pgPort, "select pg_replication_slot_advance('dr', pg_current_wal_lsn())");
            assertThat(target).isGreaterThan(drAt);
            await("node1 to publish dr and cdc in /status", Duration.ofSeconds(60), () -> {
                ClusterStatus s = Dcs4Test.read(h).status();
                return s.slots().getOrDefault("dr", 0L) >= target && s.slots().getOrDefault("cdc", 0L) >= consumed
                        && s.slots().containsKey("node1") && s.retainSlots().equals(List.of("node1", "node2"));
            });
            await("node2 to advance dr to what node1 published", Duration.ofSeconds(60), () -> lsnOrZero(node2,
                    "select (restart_lsn - '0/0')::bigint from pg_replication_slots where slot_name = 'dr'") >= target);
            await("the rows to reach node2", Duration.ofSeconds(30), () -> count(node2, "t") == 2000);

            node1.killHard();
            awaitPrimary(h, node2);
            awaitSlots(h, node2, "node2, now primary, to keep dr, node1's slot and its copy of cdc",
                    Map.of("cdc", "logical", "dr", "physical", "node1", "physical"));
            assertThat(lsn(node2, "select (restart_lsn - '0/0')::bigint from pg_replication_slots"
                    + " where slot_name = 'dr'")).as("dr kept its advanced position across the failover")
                    .isGreaterThanOrEqualTo(target);
            assertThat(lsn(node2, "select (confirmed_flush_lsn - '0/0')::bigint from pg_replication_slots"
                    + " where slot_name = 'cdc'")).as("cdc is not behind what was consumed on node1")
                    .isGreaterThanOrEqualTo(consumed);
            assertThat(node1.logText() + node2.logText()).doesNotContain("keepme:");
        }
    }

    private static void awaitSlots(ClusterHarness h, AgentNode node, String what, Map<String, String> expected) {
        try {
            await(what, Duration.ofSeconds(60), () -> slots(node).equals(expected));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + ": " + node.name + " has " + slots(node) + h.logs(), e);
        }
    }

    /** Slot name to type on {@code node}; empty when it cannot be read. */
    private static Map<String, String> slots(AgentNode node) {
        Map<String, String> out = new TreeMap<>();
        try (Connection c = node.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select slot_name, slot_type from pg_replication_slots")) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getString(2));
            }
        } catch (SQLException e) {
            return Map.of();
        }
        return out;
    }

    /** Consumes every change from {@code cdc} on {@code node}; returns its confirmed_flush_lsn afterwards. */
    private static long consume(AgentNode node) throws SQLException {
        try (Connection c = node.connect(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("select count(*) from pg_logical_slot_get_changes('cdc', null, null)")) {
                rs.next();
                assertThat(rs.getLong(1)).as("changes decoded from cdc").isGreaterThan(1000);
            }
        }
        return lsn(node, "select (confirmed_flush_lsn - '0/0')::bigint from pg_replication_slots"
                + " where slot_name = 'cdc'");
    }

    private static long lsn(AgentNode node, String sql) throws SQLException {
        try (Connection c = node.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).as(sql).isTrue();
            return rs.getLong(1);
        }
    }

    private static long lsnOrZero(AgentNode node, String sql) {
        try {
            return lsn(node, sql);
        } catch (SQLException | AssertionError e) {
            return 0;
        }
    }
}
