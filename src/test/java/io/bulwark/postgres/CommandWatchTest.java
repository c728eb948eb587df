package io.bulwark.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A long command (pg_basebackup) is stopped when it stops making progress, and only then. */
class CommandWatchTest {
    @TempDir
    Path tmp;

    @Test
    void aCommandWithoutProgressIsStoppedAndSaysWhy() throws Exception {
        long started = System.nanoTime();
        CommandRunner.Result r = new CommandRunner().run(List.of("sleep", "60"), Map.of(), null,
                new CommandRunner.Watch(() -> 42L, Duration.ofSeconds(1)));
        assertThat(r.succeeded()).isFalse();
        assertThat(r.timedOut()).isTrue();
        assertThat(r.output()).contains("no progress for 1 s");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
    }

    @Test
    void aCommandThatKeepsProgressingRunsPastTheLimit() throws Exception {
        Path grows = tmp.resolve("grows");
        Files.writeString(grows, "");
        CommandRunner.Result r = new CommandRunner().run(List.of("sh", "-c",
                        "for i in 1 2 3 4 5 6 7 8 9 10; do echo x >> '" + grows + "'; sleep 0.3; done"), Map.of(), null,
                new CommandRunner.Watch(() -> grows.toFile().length(), Duration.ofSeconds(1)));
        assertThat(r.succeeded()).as(r.output()).isTrue();
        assertThat(Files.readAllLines(grows)).hasSize(10);
    }

    @Test
    void theTimeoutStillAppliesUnderAWatch() throws Exception {
        long[] ticks = {0};
        CommandRunner.Result r = new CommandRunner().run(List.of("sleep", "60"), Map.of(), Duration.ofSeconds(1),
                new CommandRunner.Watch(() -> ticks[0]++, Duration.ofSeconds(20)));
        assertThat(r.timedOut()).isTrue();
        assertThat(r.output()).doesNotContain("no progress");
    }

    @Test
    void cloneProgressIsTheSizeOfTheFilesUnderTheDataDirectory() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("data/base/1"));
        Files.write(data.resolve("1259"), new byte[8192]);
        Files.write(tmp.resolve("data/PG_VERSION"), new byte[3]);
        assertThat(Clone.bytesUnder(tmp.resolve("data"))).isEqualTo(8195);
        assertThat(Clone.bytesUnder(tmp.resolve("missing"))).isZero();
    }
}
