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
 * A new cluster created by a custom bootstrap method with real etcd and PostgreSQL (reference §4.7, docs/dr.md):
 * the command gets Patroni's parameters, recovery_conf drives the first start, the restored server is promoted and
 * leads, and the next member clones from it; a failing command elects no leader and initializes nothing.
 * (bin/dr-drill runs the same path with pgBackRest and a point-in-time target.)
 */
@Tag("integration")
class CustomBootstrapIT {

    @Test
    void aClusterRestoredByTheUsersCommandLeadsWithTheSourcesRows() throws Exception {
        try (ClusterHarness source = new ClusterHarness("it-cb-source")) {
            AgentNode s1 = source.addNode("s1").start();
            awaitPrimary(source, s1);
            exec(s1.pgPort, "create table restored(id int primary key)");
            exec(s1.pgPort, "insert into restored select generate_series(1, 300)");
            Path script = script(source, "copy-base-backup", """
                    #!/bin/sh
                    # a stand-in for a backup tool's restore: takes --scope/--datadir as Patroni passes them
                    for a in "$@"; do case $a in --datadir=*) dir=${a#--datadir=} ;; --scope=*) scope=${a#--scope=} ;; esac; done
                    [ "$scope" = it-cb-restored ] || { echo "unexpected scope '$scope'" >&2; exit 3; }
                    PGPASSWORD=%s exec /usr/lib/postgresql/15/bin/pg_basebackup -h 127.0.0.1 -p %d -U replicator \\
                        -D "$dir" -X stream --checkpoint=fast
                    """.formatted(AgentNode.REPLICATION_PASSWORD, s1.pgPort));
            try (ClusterHarness h = new ClusterHarness("it-cb-restored").bootstrapExtra("""
                      method: copy
                      copy:
                        command: %s
                        recovery_conf:
                          restore_command: /bin/false
                          recovery_target: immediate
                          recovery_target_action: pause
                    """.formatted(script))) {
                AgentNode node1 = h.addNode("node1").start();
                try {
                    awaitPrimary(h, node1);
                } catch (AssertionError e) {
                    throw new AssertionError(e.getMessage() + "; node1's failures:\n" + node1.logText().lines()
                            .filter(l -> l.contains("WARN") || l.contains("ERROR") || l.contains("FATAL")).limit(15)
                            .collect(java.util.stream.Collectors.joining("\n")), e);
                }
                assertThat(count(node1, "restored")).isEqualTo(300);
                exec(node1.pgPort, "insert into restored values (301)");
                assertThat(node1.logText()).contains("Running custom bootstrap script: " + script)
                        .contains("paused at its target: promoting");
                AgentNode node2 = h.addNode("node2").start();
                awaitStreaming(h, node2);
                await("the restored cluster's rows on its new replica", Duration.ofSeconds(60),
                        () -> count(node2, "restored") == 301);
            }
        }
    }

    @Test
    void aFailingCommandElectsNoLeaderAndInitializesNothing() throws Exception {
        try (ClusterHarness h = new ClusterHarness("it-cb-fail")) {
            Path script = script(h, "broken-restore", "#!/bin/sh\necho 'no backup here' >&2\nexit 1\n");
            h.bootstrapExtra("  method: restore\n  restore:\n    command: " + script + "\n");
            AgentNode node1 = h.addNode("node1").start();
            await("the failed custom bootstrap in the log", Duration.ofSeconds(60),
                    () -> node1.logText().contains("custom bootstrap failed (bootstrap.restore)"));
            Thread.sleep(3000);
            var cluster = Dcs4Test.read(h);
            assertThat(cluster.leader()).as("no leader" + h.logs()).isNull();
            // absent, or "" while a retry holds the race: never a system identifier
            assertThat(cluster.initialize()).as("the cluster is not marked initialized").isNullOrEmpty();
            assertThat(node1.logText()).contains("no backup here").doesNotContain("initialized a new cluster");
        }
    }

    private static Path script(ClusterHarness h, String name, String text) throws Exception {
        Path script = h.stateDir().resolve(name);
        Files.writeString(script, text);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        h.chownToPostgres(script);
        return script;
    }
}
