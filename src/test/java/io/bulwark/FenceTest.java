package io.bulwark;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fence process (fence.sh) with stand-in postmasters: a {@code sleep} whose pid is in postmaster.pid. */
class FenceTest {
    @TempDir
    Path dir;

    private Process postmaster1;
    private Process postmaster2;

    @AfterEach
    void tearDown() {
        for (Process p : new Process[] {postmaster1, postmaster2}) {
            if (p != null) {
                p.destroyForcibly();
            }
        }
    }

    @Test
    void twoAgentsWithTheSameMemberNameAreFencedSeparately() throws Exception {
        Path data1 = Files.createDirectories(dir.resolve("cluster-a"));
        Path data2 = Files.createDirectories(dir.resolve("cluster-b"));
        postmaster1 = standIn(data1);
        postmaster2 = standIn(data2);
        Fence fence1 = Fence.start(data1, "node1", System::nanoTime);
        Fence fence2 = Fence.start(data2, "node1", System::nanoTime);
        try {
            assertThat(fence1.stateFile()).isNotEqualTo(fence2.stateFile());
            assertThat(Files.getPosixFilePermissions(fence1.stateFile().getParent()))
                    .isEqualTo(PosixFilePermissions.fromString("rwx------"));

            fence2.publishDeadline(System.nanoTime() + TimeUnit.SECONDS.toNanos(60));
            fence1.publishDeadline(System.nanoTime() - TimeUnit.SECONDS.toNanos(1));

            assertThat(postmaster1.waitFor(10, TimeUnit.SECONDS)).as("the agent whose deadline passed is fenced")
                    .isTrue();
            assertThat(postmaster2.isAlive()).as("the other agent's PostgreSQL is left alone").isTrue();
        } finally {
            fence1.close();
            fence2.close();
        }
        assertThat(fence1.stateFile().getParent()).doesNotExist();
        assertThat(fence2.stateFile().getParent()).doesNotExist();
    }

    @Test
    void aDeadAgentsPendingDeadlineIsStillEnforcedThenTheFenceExits() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        postmaster1 = standIn(data);
        Process agent = new ProcessBuilder("sleep", "120").start();
        Path script = dir.resolve("fence.sh");
        try (var in = Fence.class.getResourceAsStream("fence.sh")) {
            Files.copy(in, script);
        }
        Path state = dir.resolve("state");
        String up = Files.readString(Path.of("/proc/uptime")).split("\\s+")[0];
        long deadline = Long.parseLong(up.replace(".", "")) + 150; // 1.5 s from now, in centiseconds
        Files.writeString(state, "deadline " + deadline + "\n");
        Process fence = new ProcessBuilder("bash", script.toString(), state.toString(), data.toString(),
                String.valueOf(agent.pid())).start();
        try {
            agent.destroyForcibly().waitFor();
            Thread.sleep(500);
            assertThat(postmaster1.isAlive()).as("before the deadline").isTrue();
            assertThat(fence.isAlive()).as("the fence outlives the agent while a deadline is pending").isTrue();
            assertThat(postmaster1.waitFor(10, TimeUnit.SECONDS)).as("killed at the deadline").isTrue();
            assertThat(fence.waitFor(10, TimeUnit.SECONDS)).as("then the fence exits").isTrue();
        } finally {
            fence.destroyForcibly();
        }
    }

    private static Process standIn(Path dataDir) throws Exception {
        Process p = new ProcessBuilder("sleep", "120").start();
        Files.writeString(dataDir.resolve("postmaster.pid"), p.pid() + "\n" + dataDir + "\n");
        return p;
    }
}
