package io.bulwark.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real child processes: small shell scripts in a temporary directory. */
class CallbackExecutorTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private Path script(String name, String body) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    private static void awaitExit(Process p) throws InterruptedException {
        assertThat(p).isNotNull();
        assertThat(p.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as("callback finished").isTrue();
    }

    @Test
    void runsTheCommandWithItsArgumentsAsGiven() throws Exception {
        Path out = dir.resolve("args");
        Path cb = script("cb.sh", "for a in \"$@\"; do echo \"[$a]\" >> " + out + "; done");
        CallbackExecutor executor = new CallbackExecutor(Map.of("PATH", "/usr/bin:/bin"));
        awaitExit(executor.call(List.of(cb.toString(), "--vip", "10.0.0.1 eth0", "on_start", "replica", "demo")));
        assertThat(Files.readAllLines(out)).containsExactly("[--vip]", "[10.0.0.1 eth0]", "[on_start]", "[replica]",
                "[demo]");
    }

    @Test
    void aNewCallbackKillsTheOneStillRunningWithItsChildren() throws Exception {
        Path marks = dir.resolve("marks");
        // the sleep runs as a child of the shell: it must die too, or it would finish the old callback's work
        Path cb = script("slow.sh", "echo \"start $1\" >> " + marks + "\nsleep 30\necho \"done $1\" >> " + marks);
        CallbackExecutor executor = new CallbackExecutor(Map.of("PATH", "/usr/bin:/bin"));
        Process first = executor.call(List.of(cb.toString(), "first", "on_role_change", "primary", "demo"));
        waitForLine(marks, "start first");
        List<ProcessHandle> firstChildren = first.descendants().toList();
        assertThat(firstChildren).as("the sleep child").isNotEmpty();
        Process second = executor.call(List.of(cb.toString(), "second", "on_stop", "primary", "demo"));
        assertThat(first.isAlive()).as("the first callback was killed").isFalse();
        for (ProcessHandle child : firstChildren) {
            awaitGone(child);
        }
        assertThat(second.isAlive()).isTrue();
        waitForLine(marks, "start second"); // before the next call kills it (a race that failed once in bin/test)
        executor.call(List.of("/bin/true", "on_start", "replica", "demo"));
        assertThat(Files.readAllLines(marks)).containsExactly("start first", "start second");
    }

    @Test
    void onReloadHasItsOwnSlotAndDoesNotKillARoleChange() throws Exception {
        Path marks = dir.resolve("marks");
        Path cb = script("slow.sh", "echo \"start $1\" >> " + marks + "\nsleep 2\necho \"done $1\" >> " + marks);
        CallbackExecutor executor = new CallbackExecutor(Map.of("PATH", "/usr/bin:/bin"));
        Process roleChange = executor.call(List.of(cb.toString(), "on_role_change", "primary", "demo"));
        waitForLine(marks, "start on_role_change");
        Process reload = executor.call(List.of(cb.toString(), "on_reload", "primary", "demo"));
        awaitExit(roleChange);
        awaitExit(reload);
        assertThat(Files.readAllLines(marks)).contains("done on_role_change", "done on_reload");
    }

    @Test
    void childrenDoNotSeeTheAgentsSecrets() throws Exception {
        Path out = dir.resolve("env");
        Path cb = script("env.sh", "env > " + out);
        CallbackExecutor executor = new CallbackExecutor(Map.of("PATH", "/usr/bin:/bin", "VIP_IFACE", "eth0",
                "PATRONI_SUPERUSER_PASSWORD", "s3cret", "BULWARK_RESTAPI_PASSWORD", "s3cret2",
                "PGPASSWORD", "s3cret3"));
        awaitExit(executor.call(List.of(cb.toString(), "on_start", "replica", "demo")));
        String env = Files.readString(out);
        assertThat(env).contains("VIP_IFACE=eth0").doesNotContain("s3cret").doesNotContain("PATRONI_")
                .doesNotContain("PGPASSWORD");
    }

    @Test
    void runAndWaitReturnsTheExitCodeAndKillsAtTheTimeout() throws Exception {
        CallbackExecutor executor = new CallbackExecutor(Map.of("PATH", "/usr/bin:/bin"));
        assertThat(executor.runAndWait(List.of(script("ok.sh", "exit 0").toString()), WAIT, () -> true)).isZero();
        assertThat(executor.runAndWait(List.of(script("no.sh", "exit 3").toString()), WAIT, () -> true)).isEqualTo(3);
        Path marks = dir.resolve("marks");
        Path hang = script("hang.sh", "sleep 30\necho late >> " + marks);
        assertThat(executor.runAndWait(List.of(hang.toString()), Duration.ofMillis(300), () -> true)).isEqualTo(-1);
        assertThat(executor.runAndWait(List.of(dir.resolve("missing.sh").toString()), WAIT, () -> true)).isEqualTo(-1);
        assertThat(executor.runAndWait(List.of(hang.toString()), WAIT, () -> false)).as("no longer wanted")
                .isEqualTo(-1);
        assertThat(marks).doesNotExist();
    }

    /** Killed: gone, or a zombie waiting for init to reap it (it was reparented when its shell died). */
    private static void awaitGone(ProcessHandle p) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            Path stat = Path.of("/proc/" + p.pid() + "/stat");
            if (!p.isAlive() || !Files.exists(stat)
                    || Files.readString(stat).replaceFirst("^.*\\) ", "").startsWith("Z")) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("child " + p.pid() + " still runs");
    }

    private static void waitForLine(Path file, String line) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(file) && Files.readAllLines(file).contains(line)) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no line '" + line + "' in " + file);
    }
}
