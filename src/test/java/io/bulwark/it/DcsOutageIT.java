package io.bulwark.it;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.bulwark.it.ClusterHarness.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * etcd stalls (SIGSTOP of the etcd process) with Bulwark's default timings (ttl 4, loop_wait 1, retry_timeout 1):
 * a short stall must not cause a failover; a long one must make the old primary stop taking writes before the
 * replica can take the lock (DESIGN.md §5 invariant 2).
 */
@Tag("integration")
class DcsOutageIT {
    private static final Duration START = Duration.ofSeconds(120);
    private static final DateTimeFormatter LOG_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss,SSS");

    @Test
    void twoSecondEtcdStallCausesNoFailover() throws Exception {
        try (ClusterHarness h = new ClusterHarness("it-stall").timings(4, 1, 1)) {
            AgentNode node1 = h.addNode("node1").start();
            await("node1 primary", START, () -> node1.httpStatus("/primary") == 200);
            AgentNode node2 = h.addNode("node2").start();
            await("node2 replica", START, () -> node2.httpStatus("/replica") == 200);
            Thread.sleep(3_000);

            h.etcd().pause();
            Thread.sleep(2_000);
            h.etcd().resume();
            Thread.sleep(ClusterHarness.scaled(Duration.ofSeconds(8)).toMillis());

            assertThat(Dcs4Test.leaderName(h)).isEqualTo("node1");
            assertThat(node1.httpStatus("/primary")).isEqualTo(200);
            assertThat(node2.httpStatus("/replica")).isEqualTo(200);
            assertThat(node1.logText()).doesNotContain("demoted self").doesNotContain("demoting self");
            assertThat(node2.logText()).doesNotContain("promoted self");
        }
    }

    @Test
    void primaryThatCannotRenewStopsBeforeTheReplicaCanTakeOver() throws Exception {
        try (ClusterHarness h = new ClusterHarness("it-outage").timings(4, 1, 1)) {
            AgentNode node1 = h.addNode("node1").start();
            await("node1 primary", START, () -> node1.httpStatus("/primary") == 200);
            AgentNode node2 = h.addNode("node2").start();
            await("node2 replica", START, () -> node2.httpStatus("/replica") == 200);

            h.etcd().pause();
            await("node1 to stop claiming /primary while etcd is stalled", Duration.ofSeconds(10),
                    () -> node1.httpStatus("/primary") == 503);
            // the loop demotes at the deadline; the fence kills the postmaster at the same deadline: either may
            // be first, and both stop the writes
            await("node1 to stop its PostgreSQL", Duration.ofSeconds(20),
                    () -> node1.logText().contains("demoted self because") || node1.logText().contains("fence: leadership"));
            h.etcd().resume();
            await("exactly one new primary", Duration.ofSeconds(60),
                    () -> node1.httpStatus("/primary") == 200 ^ node2.httpStatus("/primary") == 200);

            LocalDateTime demoted = firstTime(node1.logText(), "demoted self because", "fence: leadership");
            if (node2.httpStatus("/primary") == 200) {
                LocalDateTime promoted = firstTime(node2.logText(), "promoted self to leader");
                assertThat(demoted).as("old primary stopped before the promotion").isBefore(promoted);
            } else {
                // etcd accepted node1's renewal on resume before expiring its lease: node1 kept the lock and
                // restarted in place; node2 must never have been promoted
                assertThat(node2.logText()).doesNotContain("promoted self to leader");
                assertThat(Dcs4Test.leaderName(h)).isEqualTo("node1");
            }
        }
    }

    /** Time of the first log line containing any of {@code sentences}. */
    private static LocalDateTime firstTime(String log, String... sentences) {
        LocalDateTime first = null;
        for (String sentence : sentences) {
            Matcher m = Pattern.compile("^(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,\\d{3}) \\w+: .*"
                    + Pattern.quote(sentence), Pattern.MULTILINE).matcher(log);
            if (m.find()) {
                LocalDateTime t = LocalDateTime.parse(m.group(1), LOG_TIME);
                first = first == null || t.isBefore(first) ? t : first;
            }
        }
        assertThat(first).as("log contains one of " + java.util.List.of(sentences)).isNotNull();
        return first;
    }
}
