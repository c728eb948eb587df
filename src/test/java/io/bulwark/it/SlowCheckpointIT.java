package io.bulwark.it;

import static io.bulwark.it.ClusterHarness.await;
import static io.bulwark.it.ItChecks.awaitPrimary;
import static io.bulwark.it.ItChecks.awaitStreaming;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A new primary whose post-promotion CHECKPOINT takes 3×ttl (its checkpointer is SIGSTOPped across the failover,
 * so the CHECKPOINT the agent runs after promoting waits for it) is not killed by its own fence and keeps the
 * leader lock: the checkpoint runs beside the HA loop, which goes on renewing the lock and the fence's deadline.
 * (Before, the loop sat in the CHECKPOINT while the fence kept the deadline from before the promotion, and killed
 * the healthy primary about 3.5 s later.)
 */
@Tag("integration")
class SlowCheckpointIT {

    @Test
    void aPrimaryWhoseCheckpointIsSlowIsNotFencedAndKeepsItsLock() throws Exception {
        try (ClusterHarness h = new ClusterHarness("it-slow-ckpt").timings(4, 1, 1)) {
            AgentNode node1 = h.addNode("node1").start();
            awaitPrimary(h, node1);
            AgentNode node2 = h.addNode("node2").start();
            awaitStreaming(h, node2);
            long postmaster = node2.postmasterPid();
            long checkpointer = childNamed(postmaster, "checkpointer");
            new ProcessBuilder("kill", "-STOP", Long.toString(checkpointer)).start().waitFor();
            long stalledMillis = ClusterHarness.scaled(Duration.ofSeconds(3L * h.ttl())).toMillis();
            try {
                node1.stopGracefully(Duration.ofSeconds(90)); // hands the lock to node2, which promotes
                awaitPrimary(h, node2);
                long until = System.currentTimeMillis() + stalledMillis;
                while (System.currentTimeMillis() < until) {
                    assertThat(ProcessHandle.of(postmaster).map(ProcessHandle::isAlive)).as("node2's postmaster"
                            + " while its checkpoint is stalled" + h.logs()).contains(true);
                    assertThat(node2.httpStatus("/primary")).as("node2 keeps the lock" + h.logs()).isEqualTo(200);
                    Thread.sleep(200);
                }
                assertThat(node2.logText()).contains("starting post-promotion checkpoint in the background")
                        .contains("updated leader lock during post-promotion checkpoint")
                        .doesNotContain("post-promotion checkpoint finished");
            } finally {
                new ProcessBuilder("kill", "-CONT", Long.toString(checkpointer)).start().waitFor();
            }
            await("the checkpoint to finish once the checkpointer runs again", Duration.ofSeconds(60),
                    () -> node2.logText().contains("post-promotion checkpoint finished"));
            assertThat(node2.logText()).doesNotContain("fence: leadership deadline passed");
            assertThat(node2.postmasterPid()).as("the same postmaster throughout").isEqualTo(postmaster);
            assertThat(node2.httpStatus("/primary")).isEqualTo(200);
        }
    }

    /** The child of {@code postmaster} whose process title contains {@code title} (e.g. "checkpointer"). */
    static long childNamed(long postmaster, String title) throws IOException {
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String stat = Files.readString(p.resolve("stat"));
                    String ppid = stat.substring(stat.lastIndexOf(')') + 2).split(" ")[1];
                    if (Long.parseLong(ppid) == postmaster
                            && Files.readString(p.resolve("cmdline")).contains(title)) {
                        return Long.parseLong(p.getFileName().toString());
                    }
                } catch (IOException e) {
                    // the process is gone
                }
            }
        }
        throw new AssertionError("no child of postmaster " + postmaster + " named " + title);
    }
}
