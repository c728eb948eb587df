package io.bulwark.postgres;

import io.bulwark.config.Credentials;
import io.bulwark.config.ExternalMethod;
import io.bulwark.config.PostgresqlConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A standby cluster's own {@code create_replica_methods} (archive only: no host): basebackup cannot run without a
 * host, a name without a method is an error naming the fix, and the next method runs without {@code --connstring}.
 */
class ReplicaMethodListTest {
    @TempDir
    Path tmp;

    private ReplicaMethods methods(Map<String, ExternalMethod> defined) {
        PostgresqlConfig cfg = new PostgresqlConfig("127.0.0.1", 5433, "127.0.0.1:5433", tmp.resolve("data"), null,
                null, new Credentials("postgres", "x"), new Credentials("replicator", "y"), null, Map.of(), List.of(),
                List.of("basebackup"), List.of(), PostgresqlConfig.DEFAULT_PG_CTL_TIMEOUT, 3, null, defined, Map.of(),
                null);
        CommandRunner runner = new CommandRunner();
        Clone clone = new Clone(cfg, "m", runner, new Binaries(null, runner), tmp.resolve("pgpass"), Duration.ZERO);
        return new ReplicaMethods(cfg, clone, runner, tmp.resolve("pgpass"));
    }

    @Test
    void anArchiveOnlyListSkipsBasebackupAndUnknownNamesThenRunsTheMethod() throws Exception {
        Path script = tmp.resolve("restore");
        Files.writeString(script, """
                #!/bin/sh
                echo "$*" > %s/args
                for a in "$@"; do case $a in --datadir=*) mkdir -p "${a#--datadir=}"; touch "${a#--datadir=}/PG_VERSION" ;; esac; done
                """.formatted(tmp));
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        ExternalMethod restore = new ExternalMethod("restore", List.of(script.toString()), false, Set.of(), Map.of());

        methods(Map.of("restore", restore)).create(List.of("basebackup", "wal_g", "restore"), null, 0, "site-b");

        assertThat(Files.exists(tmp.resolve("data/PG_VERSION"))).isTrue();
        String args = Files.readString(tmp.resolve("args"));
        assertThat(args).contains("--scope=site-b", "--role=replica", "--datadir=").doesNotContain("--connstring");
    }

    @Test
    void whenEveryMethodFailsTheLastReasonIsReported() {
        assertThatThrownBy(() -> methods(Map.of()).create(List.of("basebackup", "pgbackrest"), null, 0, "s"))
                .hasMessageContaining("no method pgbackrest")
                .hasMessageContaining("or configure bulwark.pgbackrest");
        assertThatThrownBy(() -> methods(Map.of()).create(List.of("basebackup"), null, 0, "s"))
                .hasMessageContaining("basebackup needs a host to copy from (standby_cluster.host)");
    }
}
