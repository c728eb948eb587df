package io.bulwark.it;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;

import static io.bulwark.it.ClusterHarness.await;
import static io.bulwark.it.ItChecks.awaitPrimary;
import static io.bulwark.it.ItChecks.awaitStreaming;
import static io.bulwark.it.ItChecks.count;
import static io.bulwark.it.ItChecks.exec;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A permanent logical slot survives a hard failover with real etcd and PostgreSQL 15 (reference §2.7): the replica
 * copies the leader's slot (state file, restart), advances its copy to what the leader publishes, and after the
 * primary is killed the new primary decodes, from that slot, exactly the changes its consumer had not confirmed.
 */
@Tag("integration")
class LogicalSlotFailoverIT {
    private static final Pattern INSERTED_ID = Pattern.compile("table public\\.t: INSERT: id\\[integer\\]:(\\d+)");

    @Test
    void theConsumerMissesNoChangeAcrossAFailover() throws Exception {
        try (ClusterHarness h = new ClusterHarness("it-logical").dcsParameter("wal_level", "logical")) {
            AgentNode node1 = h.addNode("node1").start();
            awaitPrimary(h, node1);
            Dcs4Test.patchConfig(h, "slots", Map.of("cdc",
                    Map.of("type", "logical", "database", "postgres", "plugin", "test_decoding")));
            await("node1 to create cdc", Duration.ofSeconds(60), () -> confirmed(node1) > 0);
            AgentNode node2 = h.addNode("node2").start();
            awaitStreaming(h, node2);

            exec(node1.pgPort, "create table t(id int primary key)");
            exec(node1.pgPort, "insert into t select generate_series(1, 500)");
            assertThat(decodedIds(node1)).as("the consumer reads the first 500 rows on node1")
                    .isEqualTo(ids(1, 500));
            // cdc was created before node2 was cloned: its copy is usable on node2 only once the consumer has moved
            // it past the WAL node2 has (a checkpoint logs the running transactions that let its restart_lsn move)
            exec(node1.pgPort, "checkpoint");
            decodedIds(node1);
            long consumed = confirmed(node1);
            try {
                await("node2 to copy cdc from node1 and advance it to what node1 published", Duration.ofSeconds(120),
                        () -> confirmed(node2) >= consumed);
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + ": node2 is at " + confirmed(node2) + ", node1 published "
                        + Dcs4Test.read(h).status().slots() + h.logs(), e);
            }
            awaitStreaming(h, node2);
            exec(node1.pgPort, "insert into t select generate_series(501, 600)");
            assertThat(decodedIds(node1)).isEqualTo(ids(501, 600));
            long consumedAgain = confirmed(node1);
            await("node2 to advance its copy of cdc past the rows consumed on node1", Duration.ofSeconds(60),
                    () -> confirmed(node2) >= consumedAgain);
            exec(node1.pgPort, "insert into t select generate_series(601, 1000)");
            await("the rows to reach node2", Duration.ofSeconds(30), () -> count(node2, "t") == 1000);

            node1.killHard();
            awaitPrimary(h, node2);
            assertThat(decodedIds(node2)).as("on the new primary the slot gives exactly the rows not yet consumed")
                    .isEqualTo(ids(601, 1000));
            assertThat(node2.logText()).contains("Copying logical slots [cdc] from the primary");
        }
    }

    private static TreeSet<Long> ids(long from, long to) {
        TreeSet<Long> out = new TreeSet<>();
        LongStream.rangeClosed(from, to).forEach(out::add);
        return out;
    }

    /** The ids of the rows inserted into t that the slot decodes (consumed: the slot moves past them). */
    private static TreeSet<Long> decodedIds(AgentNode node) throws SQLException {
        TreeSet<Long> out = new TreeSet<>();
        try (Connection c = node.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select data from pg_logical_slot_get_changes('cdc', null, null)")) {
            while (rs.next()) {
                Matcher m = INSERTED_ID.matcher(rs.getString(1));
                if (m.find()) {
                    out.add(Long.parseLong(m.group(1)));
                }
            }
        }
        return out;
    }

    /** The confirmed position of cdc on {@code node}; 0 when it has none or cannot be asked. */
    private static long confirmed(AgentNode node) {
        try (Connection c = node.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select (confirmed_flush_lsn - '0/0')::bigint from pg_replication_slots"
                     + " where slot_name = 'cdc'")) {
            return rs.next() ? rs.getLong(1) : 0;
        } catch (SQLException e) {
            return 0;
        }
    }
}
