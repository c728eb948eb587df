package io.bulwark.it;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

import static io.bulwark.it.ClusterHarness.await;
import static io.bulwark.it.ItChecks.awaitPrimary;
import static io.bulwark.it.ItChecks.awaitStreaming;
import static io.bulwark.it.ItChecks.count;
import static io.bulwark.it.ItChecks.exec;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code create_replica_methods} and {@code recovery_conf} with real etcd and PostgreSQL (reference §4.8): a method
 * that fails is followed by the next (Patroni's log sentences), the method gets Patroni's parameters, and a replica
 * with a {@code restore_command} replays from the WAL archive what it missed while it was down.
 */
@Tag("integration")
class ReplicaMethodsIT {

    @Test
    void aFailingMethodFallsBackToBasebackupAndTheReplicaReplaysFromTheArchive() throws Exception {
        try (ClusterHarness h = new ClusterHarness("it-replica-methods")) {
            Path archive = h.stateDir().resolve("archive");
            Files.createDirectories(archive);
            h.chownToPostgres(archive);
            h.dcsParameter("archive_mode", "on").dcsParameter("archive_command", "'cp %p " + archive + "/%f'");
            Path broken = h.stateDir().resolve("broken-restore");
            Files.writeString(broken, """
                    #!/bin/sh
                    echo "called with: $*" >&2
                    for a in "$@"; do case $a in --role=replica) role=ok ;; esac; done
                    [ "$role" = ok ] || exit 9
                    exit 1
                    """);
            Files.setPosixFilePermissions(broken, PosixFilePermissions.fromString("rwxr-xr-x"));
            h.chownToPostgres(broken);
            AgentNode node1 = h.addNode("node1").start();
            awaitPrimary(h, node1);
            AgentNode node2 = h.addNode("node2").postgresqlExtra("""
                      create_replica_methods: [broken, basebackup]
                      broken:
                        command: %s
                        extra: 1
                      recovery_conf:
                        restore_command: cp %s/%%f %%p
                    """.formatted(broken, archive)).start();
            awaitStreaming(h, node2);
            assertThat(node2.logText())
                    .contains("Error creating replica using method broken: " + broken + " exited with code=1")
                    .contains("--scope=it-replica-methods", "--role=replica", "--extra=1", "--connstring=")
                    .contains("replica has been created using basebackup");

            node2.stopGracefully(Duration.ofSeconds(60));
            exec(node1.pgPort, "create table archived(id int)");
            for (int i = 0; i < 3; i++) {
                exec(node1.pgPort, "insert into archived select generate_series(1, 1000)");
                exec(node1.pgPort, "select pg_switch_wal()");
            }
            await("three segments in the archive", Duration.ofSeconds(60), () -> archived(archive) >= 3);
            AgentNode again = node2.start();
            awaitStreaming(h, again);
            await("the rows on node2", Duration.ofSeconds(60), () -> count(again, "archived") == 3000);
            assertThat(Files.readString(again.dataDir().resolve("postmaster.log")))
                    .as("node2 replayed from the archive").contains("restored log file");
        }
    }

    private static long archived(Path archive) {
        try (var files = Files.list(archive)) {
            return files.count();
        } catch (java.io.IOException e) {
            return 0;
        }
    }
}
