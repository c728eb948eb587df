package io.bulwark.it;

import static io.bulwark.it.ItChecks.awaitPrimary;
import static io.bulwark.it.ItChecks.awaitStreaming;
import static io.bulwark.it.ItChecks.exec;
import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.Client;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A clone that lasts several ttl (pg_basebackup throttled with {@code postgresql.basebackup: max-rate}) runs beside
 * the HA loop: the cloning member's key stays in etcd the whole time and its REST API answers. (Before, the clone
 * ran on the loop thread, which published nothing until it ended: the member key expired after ttl, so the leader
 * dropped the member's replication slot and tools saw the member vanish.)
 */
@Tag("integration")
class CloneBesideLoopIT {

    @Test
    void aCloneLongerThanTtlKeepsTheMemberKeyAndTheRestApiAlive() throws Exception {
        try (ClusterHarness h = new ClusterHarness("it-long-clone").timings(4, 1, 1);
             Client etcd = Dcs4Test.raw(h)) {
            AgentNode node1 = h.addNode("node1").start();
            awaitPrimary(h, node1);
            // about 16 MB more to copy: at 1 MB/s the clone takes well over ttl even on a fast machine
            exec(node1.pgPort, "create table filler as select g, repeat(md5(g::text), 30) as pad"
                    + " from generate_series(1, 16000) g");
            exec(node1.pgPort, "checkpoint");
            AgentNode node2 = h.addNode("node2");
            Files.writeString(node2.config(), """
                      basebackup:
                        - max-rate: '1M'
                        - checkpoint: fast
                    """, StandardOpenOption.APPEND);
            node2.start();

            long deadline = System.nanoTime() + ClusterHarness.scaled(Duration.ofMinutes(4)).toNanos();
            long firstSeen = 0;
            int samples = 0;
            while (node2.httpStatus("/replica") != 200) {
                assertThat(System.nanoTime() - deadline).as("node2 to stream within 4 minutes" + h.logs())
                        .isNegative();
                boolean present = Dcs4Test.memberPresent(etcd, h, "node2");
                if (firstSeen == 0 && present) {
                    firstSeen = System.nanoTime();
                }
                if (firstSeen != 0) {
                    assertThat(present).as("node2's member key, %d ms after it first appeared, while it clones%s",
                            (System.nanoTime() - firstSeen) / 1_000_000, h.logs()).isTrue();
                    assertThat(node2.httpStatus("/patroni")).as("node2's REST API while it clones")
                            .isEqualTo(200);
                    samples++;
                }
                Thread.sleep(250);
            }
            long cloneMillis = (System.nanoTime() - firstSeen) / 1_000_000;
            System.out.printf("node2 cloned for %d ms (ttl %d s); member key and REST API checked %d times%n",
                    cloneMillis, h.ttl(), samples);
            assertThat(cloneMillis).as("the clone must outlast the ttl for this test to mean anything (%d samples)",
                    samples).isGreaterThan(3_000L * h.ttl());
            String log = node2.logText();
            assertThat(log).contains("starting clone from 'node1' in the background")
                    .contains("clone from 'node1' in progress")
                    .contains("clone from 'node1' finished");
            awaitStreaming(h, node2);
            assertThat(ItChecks.count(node2, "filler")).isEqualTo(16000);
        }
    }
}
