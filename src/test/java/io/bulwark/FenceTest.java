package io.bulwark;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.dcs.Cluster;
import io.bulwark.ha.NodeStatus;
import io.bulwark.postgres.PostgresState;
import io.bulwark.postgres.RuntimeDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fence process (fence.sh) with stand-in postmasters: a script named {@code postgres}, run in its data
 * directory, whose pid is in postmaster.pid; some have children that call setsid, as PostgreSQL's do.
 */
class FenceTest {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    @TempDir
    Path dir;

    private final List<Long> started = new ArrayList<>();
    private final List<Fence> fences = new ArrayList<>();

    @AfterEach
    void tearDown() {
        fences.forEach(Fence::close);
        for (long pid : List.copyOf(started)) {
            groupMembers(pid);
        }
        for (long pid : started) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void twoAgentsWithTheSameMemberNameAreFencedSeparately() throws Exception {
        Path data1 = Files.createDirectories(dir.resolve("cluster-a"));
        Path data2 = Files.createDirectories(dir.resolve("cluster-b"));
        long postmaster1 = standIn(data1, 0);
        long postmaster2 = standIn(data2, 0);
        Fence fence1 = start(data1, "node1");
        Fence fence2 = start(data2, "node1");
        assertThat(fence1.stateFile()).isNotEqualTo(fence2.stateFile());
        assertThat(Files.getPosixFilePermissions(fence1.stateFile().getParent()))
                .isEqualTo(PosixFilePermissions.fromString("rwx------"));

        fence2.publishDeadline(System.nanoTime() + 60 * SECOND);
        fence1.publishDeadline(System.nanoTime() - SECOND);

        awaitGone("the agent whose deadline passed is fenced", postmaster1);
        assertThat(alive(postmaster2)).as("the other agent's PostgreSQL is left alone").isTrue();
    }

    @Test
    void aDeadAgentsPendingDeadlineIsStillEnforcedThenTheFenceExits() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        long postmaster = standIn(data, 0);
        Process agent = new ProcessBuilder("sleep", "120").start();
        started.add(agent.pid());
        Process fence = startScript(data, agent.pid() + " deadline " + (uptimeCentis() + 150)); // 1.5 s from now
        agent.destroyForcibly().waitFor();
        Thread.sleep(500);
        assertThat(alive(postmaster)).as("before the deadline").isTrue();
        assertThat(fence.isAlive()).as("the fence outlives the agent while a deadline is pending").isTrue();
        awaitGone("killed at the deadline", postmaster);
        assertThat(fence.waitFor(10, TimeUnit.SECONDS)).as("then the fence exits").isTrue();
    }

    @Test
    void killsEveryChildOfThePostmasterAndTheirProcessGroupsNotOnlyThePostmaster() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        long postmaster = standIn(data, 3);
        List<Long> children = childrenOf(postmaster);
        List<Long> family = new ArrayList<>(children);
        for (long child : children) {
            family.addAll(groupMembers(child));
        }
        assertThat(children).hasSize(4);
        assertThat(family).as("three children lead their own group (setsid), each with two processes in it")
                .hasSize(10);
        Fence fence = start(data, "node1");
        fence.publishDeadline(System.nanoTime() - SECOND);
        awaitGone("the postmaster", postmaster);
        for (long pid : family) {
            awaitGone("a child of the postmaster, or a member of its process group: pid " + pid, pid);
        }
    }

    @Test
    void aPidThatIsNotThisDataDirectorysPostmasterIsNotKilled() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        Path other = Files.createDirectories(dir.resolve("other"));
        // after a crash postmaster.pid may name a reused pid: here a process not named postgres ...
        Process sleeper = new ProcessBuilder("sleep", "120").directory(data.toFile()).start();
        started.add(sleeper.pid());
        Files.writeString(data.resolve("postmaster.pid"), sleeper.pid() + "\n" + data + "\n");
        Process fence = startScript(data, ProcessHandle.current().pid() + " deadline " + (uptimeCentis() - 100));
        // ... and a postgres serving another data directory
        long foreign = standIn(other, 0);
        Files.writeString(data.resolve("postmaster.pid"), foreign + "\n" + data + "\n");
        Process fence2 = startScript(data, ProcessHandle.current().pid() + " deadline " + (uptimeCentis() - 100));
        Thread.sleep(1500);
        assertThat(sleeper.isAlive()).as("a process that is not postgres").isTrue();
        assertThat(alive(foreign)).as("a postgres whose working directory is another data directory").isTrue();
        fence.destroyForcibly();
        fence2.destroyForcibly();
    }

    @Test
    void aRestartedAgentTakesTheFenceOverAndKeepsThePendingDeadline() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        long postmaster = standIn(data, 0);
        Fence first = Fence.start(RuntimeDir.forMember(data, "node1", null, null), data, System::nanoTime);
        first.publishDeadline(System.nanoTime() + 3 * SECOND);
        // the agent restarts (same data directory); it has published nothing yet
        Fence second = start(data, "node1");
        assertThat(second.pid()).as("the running fence is taken over, not doubled").isEqualTo(first.pid());
        assertThat(fenceProcesses(second.stateFile())).hasSize(1);
        assertThat(Files.readString(second.stateFile())).contains("deadline");
        awaitGone("the previous agent's deadline is enforced: no fresh grace period", postmaster);
    }

    @Test
    void aFenceThatIsGoneIsReplacedWithThePendingDeadline() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        long postmaster = standIn(data, 0);
        Fence first = Fence.start(RuntimeDir.forMember(data, "node1", null, null), data, System::nanoTime);
        first.publishDeadline(System.nanoTime() + 3 * SECOND);
        ProcessHandle gone = ProcessHandle.of(first.pid()).orElseThrow();
        gone.destroyForcibly();
        gone.onExit().get(5, TimeUnit.SECONDS);
        Fence second = start(data, "node1");
        assertThat(second.pid()).isNotEqualTo(first.pid());
        assertThat(fenceProcesses(second.stateFile())).containsExactly(second.pid());
        awaitGone("the pending deadline is carried into the new fence", postmaster);
    }

    @Test
    void aStatusWithoutLeaseDoesNotClearThePendingDeadlineWhilePostgresStillRunsAsPrimary() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        Fence fence = start(data, "node1");
        fence.publishDeadline(System.nanoTime() + 60 * SECOND);
        String pending = Files.readString(fence.stateFile());
        fence.update(status(true, false));
        assertThat(Files.readString(fence.stateFile())).as("a primary without lease keeps the deadline")
                .isEqualTo(pending);
        fence.update(status(true, true));
        assertThat(Files.readString(fence.stateFile())).as("maintenance mode leaves PostgreSQL alone").endsWith(
                " none\n");
        fence.publishDeadline(System.nanoTime() + 60 * SECOND);
        fence.update(status(false, false));
        assertThat(Files.readString(fence.stateFile())).as("a replica has nothing to fence").endsWith(" none\n");
    }

    private static NodeStatus status(boolean primary, boolean paused) {
        PostgresState pg = new PostgresState(PostgresState.DataDirState.INITIALIZED, "1", "running", true, !primary,
                1, 0, 0, 0, null, null, 150000, null, primary ? "in production" : "in archive recovery");
        return new NodeStatus("node1", "c", primary ? "primary" : "replica", pg, Cluster.EMPTY, Long.MIN_VALUE, 0,
                List.of(), Map.of(), paused, "", Map.of());
    }

    private Fence start(Path data, String member) throws IOException {
        Fence f = Fence.start(RuntimeDir.forMember(data, member, null, null), data, System::nanoTime);
        fences.add(f);
        return f;
    }

    private Process startScript(Path data, String stateLine) throws IOException {
        Path script = dir.resolve("fence.sh");
        if (!Files.exists(script)) {
            try (var in = Fence.class.getResourceAsStream("fence.sh")) {
                Files.copy(in, script);
            }
        }
        Path state = Files.createTempFile(dir, "state", "");
        Files.writeString(state, stateLine + "\n");
        Process p = new ProcessBuilder("bash", script.toString(), state.toString(), data.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        started.add(p.pid());
        return p;
    }

    /** A stand-in postmaster in {@code dataDir} with {@code children} setsid children, each with a grandchild. */
    private long standIn(Path dataDir, int children) throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path script = bin.resolve("postgres");
        if (!Files.exists(script)) {
            Files.writeString(script, """
                    #!/bin/bash
                    for ((i = 0; i < $1; i++)); do
                        setsid bash -c 'sleep 300 & sleep 300; :' &
                    done
                    sleep 300 &
                    wait
                    """);
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        }
        Process p = new ProcessBuilder(script.toString(), Integer.toString(children)).directory(dataDir.toFile())
                .start();
        started.add(p.pid());
        Files.writeString(dataDir.resolve("postmaster.pid"), p.pid() + "\n" + dataDir + "\n");
        await("stand-in children started", () -> childrenOf(p.pid()).size() == children + 1
                && childrenOf(p.pid()).stream().filter(c -> c.equals(pgrp(c))).count() == children
                && childrenOf(p.pid()).stream().filter(c -> c.equals(pgrp(c)))
                        .allMatch(c -> groupMembers(c).size() == 2));
        return p.pid();
    }

    /** Every child: the setsid ones and the plain {@code sleep}, which stays in the postmaster's group. */
    private List<Long> childrenOf(long parent) {
        List<Long> out = new ArrayList<>();
        for (long pid : allPids()) {
            String[] f = stat(pid);
            if (f != null && Long.parseLong(f[1]) == parent) {
                out.add(pid);
                started.add(pid);
            }
        }
        return out;
    }

    private List<Long> groupMembers(long group) {
        List<Long> out = new ArrayList<>();
        for (long pid : allPids()) {
            if (pid != group && Long.valueOf(group).equals(pgrp(pid))) {
                out.add(pid);
                started.add(pid);
            }
        }
        return out;
    }

    private static List<Long> fenceProcesses(Path state) throws IOException {
        List<Long> out = new ArrayList<>();
        for (long pid : allPids()) {
            try {
                if (Files.readString(Path.of("/proc/" + pid + "/cmdline")).contains(state.toString())) {
                    out.add(pid);
                }
            } catch (IOException e) {
                // gone
            }
        }
        return out;
    }

    private static List<Long> allPids() {
        try (Stream<Path> s = Files.list(Path.of("/proc"))) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.matches("\\d+")).map(Long::parseLong)
                    .toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Fields after the command name: state, ppid, pgrp, ...; null when the process is gone. */
    private static String[] stat(long pid) {
        try {
            String line = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return line.substring(line.lastIndexOf(')') + 2).split(" ");
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static Long pgrp(long pid) {
        String[] f = stat(pid);
        return f == null ? null : Long.parseLong(f[2]);
    }

    /** Running: present and not a zombie. */
    private static boolean alive(long pid) {
        String[] f = stat(pid);
        return f != null && !f[0].equals("Z");
    }

    private static void awaitGone(String what, long pid) {
        await(what, () -> !alive(pid));
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + 20 * SECOND;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out waiting: " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private static long uptimeCentis() throws IOException {
        return Long.parseLong(Files.readString(Path.of("/proc/uptime")).split("\\s+")[0].replace(".", ""));
    }
}
