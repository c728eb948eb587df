package io.bulwark.it;

import static io.bulwark.it.ItChecks.awaitPrimary;
import static io.bulwark.it.ItChecks.awaitStreaming;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The primary's agent is killed (kill -9; PostgreSQL and the fence live on) and started again at once. The new
 * agent takes the running fence over instead of starting a second one, so the previous agent's fence cannot go on
 * enforcing a deadline the new agent has since renewed: the primary keeps running. (Before, each agent started
 * its own fence in a new temporary directory; the old one killed the healthy primary at the stale deadline.)
 */
@Tag("integration")
class AgentRestartFenceIT {

    @Test
    void aRestartedAgentTakesOverTheFenceAndItsPrimaryIsNotKilled() throws Exception {
        // ttl 10: the restarted agent renews well before the deadline its predecessor left (about 8.75 s)
        try (ClusterHarness h = new ClusterHarness("it-fence-restart").timings(10, 1, 2)) {
            AgentNode node1 = h.addNode("node1").start();
            awaitPrimary(h, node1);
            AgentNode node2 = h.addNode("node2").start();
            awaitStreaming(h, node2);
            List<Long> fencesBefore = fenceProcesses(node1);
            assertThat(fencesBefore).hasSize(1);
            long postmaster = node1.postmasterPid();

            node1.process().destroyForcibly();
            node1.process().waitFor(30, TimeUnit.SECONDS);
            node1.start();
            awaitPrimary(h, node1);
            // past the deadline the killed agent left (ttl after its last renewal) and then some
            Thread.sleep(ClusterHarness.scaled(Duration.ofSeconds(2L * h.ttl())).toMillis());

            assertThat(node1.logText()).as("no fence fired").doesNotContain("fence: leadership deadline passed");
            assertThat(node1.postmasterPid()).as("the primary was not killed" + h.logs()).isEqualTo(postmaster);
            assertThat(node1.httpStatus("/primary")).isEqualTo(200);
            assertThat(fenceProcesses(node1)).as("one fence, the same one" + h.logs()).isEqualTo(fencesBefore);
            assertThat(node1.logText()).contains("took over the fence (pid " + fencesBefore.get(0) + ")");
            assertThat(Files.readString(fenceState(node1))).startsWith(node1.pid() + " ");
        }
    }

    private static Path fenceState(AgentNode node) throws IOException {
        try (Stream<Path> s = Files.list(node.dir)) {
            Path runtime = s.filter(p -> p.getFileName().toString().startsWith(".bulwark-run-" + node.name + "-"))
                    .findFirst().orElseThrow(() -> new AssertionError("no runtime directory in " + node.dir));
            return runtime.resolve("fence.state");
        }
    }

    /** Fence processes guarding {@code node}'s data directory (running fence.sh with it as an argument). */
    private static List<Long> fenceProcesses(AgentNode node) throws IOException {
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            return procs.filter(p -> p.getFileName().toString().matches("\\d+")).filter(p -> {
                try {
                    List<String> argv = List.of(Files.readString(p.resolve("cmdline")).split("\0"));
                    return argv.stream().anyMatch(a -> a.endsWith("fence.sh"))
                            && argv.contains(node.dataDir().toString());
                } catch (IOException e) {
                    return false;
                }
            }).map(p -> Long.parseLong(p.getFileName().toString())).sorted().toList();
        }
    }
}
