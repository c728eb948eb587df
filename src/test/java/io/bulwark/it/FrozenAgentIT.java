package io.bulwark.it;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.bulwark.it.ClusterHarness.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The primary's agent is frozen (SIGSTOP) for 3×ttl while a client writes straight to its PostgreSQL, bypassing
 * HAProxy. The fence must stop that PostgreSQL before the replica is promoted: never two writable primaries.
 */
@Tag("integration")
class FrozenAgentIT {
    private static final Duration START = Duration.ofSeconds(120);
    private static final DateTimeFormatter LOG_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss,SSS");

    @Test
    void frozenPrimaryAgentIsFencedBeforeTheReplicaIsPromoted() throws Exception {
        try (ClusterHarness h = new ClusterHarness("it-frozen").timings(4, 1, 1)) {
            AgentNode node1 = h.addNode("node1").start();
            await("node1 primary", START, () -> node1.httpStatus("/primary") == 200);
            AgentNode node2 = h.addNode("node2").start();
            await("node2 replica", START, () -> node2.httpStatus("/replica") == 200);
            try (Connection c = node1.connect(); Statement s = c.createStatement()) {
                s.execute("create table direct(id bigint primary key)");
            }
            AtomicLong lastAckMillis = new AtomicLong();
            AtomicBoolean stop = new AtomicBoolean();
            Thread writer = Thread.ofPlatform().start(() -> writeDirect(node1, lastAckMillis, stop));
            await("direct writes", Duration.ofSeconds(20), () -> lastAckMillis.get() > 0);

            new ProcessBuilder("kill", "-STOP", String.valueOf(node1.pid())).start().waitFor();
            try {
                await("node2 to be promoted", Duration.ofSeconds(60), () -> node2.httpStatus("/primary") == 200);
                Thread.sleep(ClusterHarness.scaled(Duration.ofSeconds(h.ttl() * 3L)).toMillis() / 2);
            } finally {
                new ProcessBuilder("kill", "-CONT", String.valueOf(node1.pid())).start().waitFor();
            }
            stop.set(true);
            writer.join();

            long promoted = firstTime(node2.logText(), "promoted self to leader");
            assertThat(lastAckMillis.get()).as("the last write acknowledged by node1 (at %s) came before node2's"
                    + " promotion (at %s)%s", Instant.ofEpochMilli(lastAckMillis.get()), Instant.ofEpochMilli(promoted),
                    h.logs()).isLessThan(promoted);
            assertThat(node1.logText()).contains("fence: leadership deadline passed without renewal");
            await("node1 to rejoin as a replica", Duration.ofSeconds(90), () -> node1.httpStatus("/replica") == 200);
        }
    }

    private static void writeDirect(AgentNode node, AtomicLong lastAck, AtomicBoolean stop) {
        long id = 0;
        Connection c = null;
        while (!stop.get()) {
            try {
                if (c == null) {
                    c = node.connect();
                }
                try (PreparedStatement ps = c.prepareStatement("insert into direct values (?)")) {
                    ps.setLong(1, ++id);
                    ps.executeUpdate();
                }
                lastAck.set(System.currentTimeMillis());
                Thread.sleep(10);
            } catch (SQLException e) {
                c = null;
                try {
                    Thread.sleep(50);
                } catch (InterruptedException ie) {
                    return;
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static long firstTime(String log, String sentence) {
        Matcher m = Pattern.compile("^(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,\\d{3}) \\w+: .*" + Pattern.quote(sentence),
                Pattern.MULTILINE).matcher(log);
        assertThat(m.find()).as("log contains '" + sentence + "'").isTrue();
        return LocalDateTime.parse(m.group(1), LOG_TIME).atZone(ZoneId.systemDefault()).toInstant().toEpochMilli();
    }
}
