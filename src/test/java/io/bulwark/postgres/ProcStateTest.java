package io.bulwark.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcStateTest {
    @TempDir
    Path dir;

    @Test
    void readsTheStateAfterACommandWithSpacesAndParentheses() throws Exception {
        Path stat = dir.resolve("stat");
        Files.writeString(stat, "4242 (postgres: a (b) c) Z 1 4242 4242 0 -1 4194560");
        assertThat(ProcState.state(stat)).isEqualTo('Z');
        Files.writeString(stat, "17 (java) S 1 17 17 0 -1");
        assertThat(ProcState.state(stat)).isEqualTo('S');
        assertThat(ProcState.state(dir.resolve("missing"))).isEqualTo('?');
    }

    @Test
    void anUnreapedChildIsAZombieAndALiveOneIsNot() throws Exception {
        Process sleeper = new ProcessBuilder("sleep", "30").start();
        try {
            assertThat(ProcState.isZombie(sleeper.pid())).isFalse();
        } finally {
            sleeper.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        // bash forks "true" into the background, then becomes sleep, which never waits: "true" stays a zombie.
        Process parent = new ProcessBuilder("bash", "-c", "true & exec sleep 30").start();
        try {
            long zombie = -1;
            for (int i = 0; i < 100 && zombie < 0; i++) {
                zombie = parent.children().filter(c -> ProcState.isZombie(c.pid())).mapToLong(ProcessHandle::pid)
                        .findFirst().orElse(-1);
                Thread.sleep(50);
            }
            assertThat(zombie).as("an unreaped child of the exec'd sleep").isPositive();
        } finally {
            parent.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
