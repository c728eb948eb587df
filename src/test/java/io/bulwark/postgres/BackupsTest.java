package io.bulwark.postgres;

import io.bulwark.config.Credentials;
import io.bulwark.config.PgBackRest;
import io.bulwark.config.PostgresqlConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link Backups} against a stand-in pgBackRest (a shell script that records its arguments, and whose backup waits
 * for a gate file): one backup at a time, the stanza created first, failures reported with pgBackRest's output.
 */
class BackupsTest {
    @TempDir
    Path tmp;

    private Path script() throws IOException {
        Path script = tmp.resolve("fake-pgbackrest");
        Files.writeString(script, """
                #!/bin/sh
                echo "$*" >> %1$s/calls
                case "$*" in
                  *" backup") while [ ! -e %1$s/gate ]; do sleep 0.05; done
                              if [ -e %1$s/fail ]; then echo "ERROR: [056]: the repository is full"; exit 56; fi ;;
                esac
                exit 0
                """.formatted(tmp));
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    private Backups backups(PgBackRest pb) {
        PostgresqlConfig cfg = new PostgresqlConfig("127.0.0.1", 5433, "127.0.0.1:5433", tmp.resolve("data"), null,
                null, new Credentials("postgres", "x"), new Credentials("replicator", "y"), null,
                Map.of("unix_socket_directories", tmp + ", /tmp"), List.of(), List.of("basebackup"), List.of(),
                PostgresqlConfig.DEFAULT_PG_CTL_TIMEOUT, 3, null, Map.of(), Map.of(), pb);
        return new Backups(cfg, new CommandRunner(), tmp.resolve("pgpass"), System::nanoTime);
    }

    /** Waits up to 30 s for {@code condition}. */
    private static void until(java.util.concurrent.Callable<Boolean> condition) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.call()) {
            assertThat(System.nanoTime()).as("waited 30 s").isLessThan(end);
            Thread.sleep(20);
        }
    }

    private List<String> calls() throws IOException {
        Path calls = tmp.resolve("calls");
        return Files.exists(calls) ? Files.readAllLines(calls) : List.of();
    }

    @Test
    void oneBackupAtATimeAfterTheStanzaThenItsOutcome() throws Exception {
        try (Backups b = backups(new PgBackRest(List.of(script().toString()), "main", null))) {
            assertThat(b.status().state()).isEqualTo("none");
            assertThat(b.start("full")).isEqualTo(Backups.Start.STARTED);
            assertThat(b.start("incr")).isEqualTo(Backups.Start.ALREADY_RUNNING);
            assertThat(b.status().state()).isEqualTo("running");
            Files.createFile(tmp.resolve("gate"));
            until(() -> !b.status().state().equals("running"));
            assertThat(b.status().state()).isEqualTo("succeeded");
            assertThat(b.status().exitCode()).isZero();
            String base = "--stanza=main --pg1-path=" + tmp.resolve("data") + " --pg1-port=5433 --pg1-socket-path="
                    + tmp + " --pg1-user=postgres";
            assertThat(calls()).containsExactly(base + " stanza-create", base + " --type=full backup");

            Files.createFile(tmp.resolve("fail"));
            assertThat(b.start("diff")).isEqualTo(Backups.Start.STARTED);
            until(() -> !b.status().state().equals("running"));
            assertThat(b.status().state()).isEqualTo("failed");
            assertThat(b.status().type()).isEqualTo("diff");
            assertThat(b.status().exitCode()).isEqualTo(56);
            assertThat(b.status().output()).contains("ERROR: [056]: the repository is full");
        }
    }

    @Test
    void theStanzaIsCreatedOnceWhenTheMemberRunsAsPrimary() throws Exception {
        try (Backups b = backups(new PgBackRest(List.of(script().toString()), "main", null))) {
            b.onPrimary();
            until(() -> calls().size() == 1);
            b.onPrimary();
            b.onPrimary();
            Thread.sleep(300); // a second stanza-create would have been started by now
            assertThat(calls()).hasSize(1);
            assertThat(calls().get(0)).endsWith("stanza-create");
        }
    }

    @Test
    void withoutTheSectionNothingRunsAndABadTypeIsRefused() throws Exception {
        try (Backups b = backups(null)) {
            assertThat(b.configured()).isFalse();
            assertThat(b.start("full")).isEqualTo(Backups.Start.NOT_CONFIGURED);
            b.onPrimary();
            assertThatThrownBy(() -> b.start("weekly")).hasMessageContaining("full, diff, incr")
                    .hasMessageContaining("weekly");
        }
        assertThat(calls()).isEmpty();
    }
}
