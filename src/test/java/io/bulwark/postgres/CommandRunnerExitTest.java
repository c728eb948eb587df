package io.bulwark.postgres;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Commands the agent runs do not outlive it, except pg_ctl (whose child while it starts is the postmaster). */
class CommandRunnerExitTest {
    /** Not the common pool: with one worker there, a command left running by a failed test would block the next. */
    private static final java.util.concurrent.Executor OWN_THREAD = r -> new Thread(r, "command").start();

    @Test
    void aRunningCommandAndItsChildrenAreStoppedWhenTheAgentExits(@TempDir Path dir) throws Exception {
        Path pidFile = dir.resolve("child.pid");
        Path script = script(dir, "pg_basebackup", "sleep 300 & echo $! > " + pidFile + "; wait");
        CompletableFuture<CommandRunner.Result> run = CompletableFuture.supplyAsync(() -> runQuietly(List.of(script.toString())), OWN_THREAD);
        long child = awaitPid(pidFile);
        long registered = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (CommandRunner.running() == 0 && System.nanoTime() < registered) {
            Thread.sleep(20);
        }

        assertThat(CommandRunner.stopRunning()).isEqualTo(1);
        CommandRunner.Result r = run.get(30, TimeUnit.SECONDS);
        assertThat(r.succeeded()).isFalse();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10); // until it is reaped
        while (alive(child) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(alive(child)).as("the command's child").isFalse();
        assertThat(CommandRunner.stopRunning()).as("nothing left").isZero();
    }

    @Test
    void pgCtlIsLeftToTheHaLoop(@TempDir Path dir) throws Exception {
        Path started = dir.resolve("started");
        Path script = script(dir, "pg_ctl", "touch " + started + "; sleep 2");
        CompletableFuture<CommandRunner.Result> run = CompletableFuture.supplyAsync(() -> runQuietly(List.of(script.toString())), OWN_THREAD);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.exists(started) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }

        assertThat(Files.exists(started)).as("started " + (run.isDone() ? run.join().output() : "running")).isTrue();
        assertThat(CommandRunner.stopRunning()).isZero();
        assertThat(run.get(30, TimeUnit.SECONDS).succeeded()).as("pg_ctl ran to its end").isTrue();
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && !ProcState.isZombie(pid);
    }

    private static Path script(Path dir, String name, String body) throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path script = bin.resolve(name);
        Files.writeString(script, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    private static CommandRunner.Result runQuietly(List<String> argv) {
        try {
            return new CommandRunner().run(argv, Map.of(), Duration.ofSeconds(120));
        } catch (PostgresException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long awaitPid(Path pidFile) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (Files.exists(pidFile) && !Files.readString(pidFile).isBlank()) {
                return Long.parseLong(Files.readString(pidFile).trim());
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the command did not start its child");
    }
}
