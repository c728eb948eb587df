package io.bulwark.it;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.bulwark.it.ClusterHarness.await;
import static io.bulwark.it.ItChecks.count;
import static io.bulwark.it.ItChecks.exec;
import static io.bulwark.it.ItChecks.tryExec;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two sites on loopback, each with its own etcd: site A (a1 primary, a2 replica) and site B, a standby cluster of A
 * (b1 standby leader cloned from a1, b2 cascading from it). Rows written on A reach B's replica; B never accepts a
 * write; a failover inside B keeps it a standby; a planned site switchover (demote-cluster on A, promote-cluster on
 * B) loses no acknowledged row and leaves A's old primary replicating from B.
 */
@Tag("integration")
class StandbyClusterIT {
    private static final Duration START = Duration.ofSeconds(120);
    private static final Duration CHANGE = Duration.ofSeconds(90);
    private static final Pattern WAIT_FOR = Pattern.compile("--wait-for-lsn ([0-9A-F]+/[0-9A-F]+)");

    @Test
    void standbySiteFollowsFailsOverInsideAndTakesOverInAPlannedSiteSwitchover() throws Exception {
        try (ClusterHarness a = new ClusterHarness("site-a").timings(4, 1, 1)) {
            AgentNode a1 = a.addNode("a1").start();
            ItChecks.awaitPrimary(a, a1);
            AgentNode a2 = a.addNode("a2").start();
            ItChecks.awaitStreaming(a, a2);
            exec(a1.pgPort, "create table t (id int primary key)");
            exec(a1.pgPort, "insert into t select generate_series(1, 100)");

            try (ClusterHarness b = new ClusterHarness("site-b").timings(4, 1, 1)
                    .standbyClusterOf("127.0.0.1", a1.pgPort)) {
                AgentNode b1 = b.addNode("b1").start();
                awaitWithLogs(b, "b1 to be the standby leader", START, () -> b1.httpStatus("/standby-leader") == 200);
                AgentNode b2 = b.addNode("b2").start();
                ItChecks.awaitStreaming(b, b2);
                assertThat(b1.logText()).contains("initialized a new standby cluster from 127.0.0.1:" + a1.pgPort);

                exec(a1.pgPort, "insert into t select generate_series(101, 200)");
                awaitWithLogs(b, "rows written on A to reach B's replica", CHANGE, () -> count(b2, "t") == 200);
                assertThat(b1.httpStatus("/primary")).as("a standby leader is no primary").isEqualTo(503);
                assertThat(b2.httpStatus("/primary")).isEqualTo(503);
                assertThat(tryExec(b1.pgPort, "insert into t values (100000)"))
                        .as("the standby leader refuses writes").isFalse();

                b1.killHard();
                awaitWithLogs(b, "b2 to take over as standby leader", CHANGE,
                        () -> b2.httpStatus("/standby-leader") == 200);
                assertThat(b2.httpStatus("/primary")).isEqualTo(503);
                assertThat(tryExec(b2.pgPort, "insert into t values (100001)"))
                        .as("the new standby leader is still read-only").isFalse();
                exec(a1.pgPort, "insert into t select generate_series(201, 300)");
                awaitWithLogs(b, "b2 to follow A after the failover", CHANGE, () -> count(b2, "t") == 300);
                assertThat(b2.logText()).contains("promoted self to a standby leader by acquiring session lock");
                b1.start();
                ItChecks.awaitStreaming(b, b1);

                // planned site switchover: A becomes a standby cluster of B, then B is promoted
                exec(a1.pgPort, "insert into t select generate_series(301, 400)");
                CtlRun demote = CtlRun.ctl(a1, "demote-cluster", "--host", "127.0.0.1", "--port",
                        Integer.toString(b2.pgPort), "--force");
                assertThat(demote.code()).as(demote.text() + a.logs()).isZero();
                assertThat(a1.httpStatus("/standby-leader")).isEqualTo(200);
                assertThat(a1.httpStatus("/primary")).isEqualTo(503);
                Matcher lsn = WAIT_FOR.matcher(demote.out());
                assertThat(lsn.find()).as(demote.text()).isTrue();

                CtlRun promote = CtlRun.ctl(b2, "promote-cluster", "--wait-for-lsn", lsn.group(1), "--force");
                assertThat(promote.code()).as(promote.text() + b.logs()).isZero();
                awaitWithLogs(b, "b2 to be B's primary", CHANGE, () -> b2.httpStatus("/primary") == 200);
                assertThat(count(b2, "t")).as("every row acknowledged on A is on B").isEqualTo(400);
                exec(b2.pgPort, "insert into t select generate_series(401, 500)");
                awaitWithLogs(a, "A's old primary to replicate from B", CHANGE, () -> count(a1, "t") == 500);
                awaitWithLogs(a, "A's replica to cascade from A's standby leader", CHANGE, () -> count(a2, "t") == 500);
                assertThat(tryExec(a1.pgPort, "insert into t values (100002)"))
                        .as("A's former primary is a read-only standby leader now").isFalse();
                awaitWithLogs(b, "b1 to follow the promoted b2", CHANGE, () -> count(b1, "t") == 500);
            }
        }
    }

    private static void awaitWithLogs(ClusterHarness h, String what, Duration timeout,
                                      java.util.function.BooleanSupplier condition) {
        try {
            await(what, timeout, condition);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + h.logs(), e);
        }
    }
}
