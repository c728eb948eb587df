package io.bulwark.it;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;

import static io.bulwark.it.ClusterHarness.await;
import static io.bulwark.it.CtlRun.ctl;
import static io.bulwark.it.ItChecks.awaitPrimary;
import static io.bulwark.it.ItChecks.awaitStreaming;
import static io.bulwark.it.ItChecks.count;
import static io.bulwark.it.ItChecks.exec;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code bulwark.pgbackrest} with real etcd, PostgreSQL and pgBackRest (docs/dr.md): from that one section the
 * primary creates the stanza and archives its WAL, {@code bulwarkctl backup} backs it up through the leader's
 * authenticated {@code POST /backup}, a replica refuses to, and a new replica is created by the {@code pgbackrest}
 * method (a delta restore of that backup) before it streams. Then a second cluster with no way to reach the first
 * but the repository (standby_cluster without host: restore_command and create_replica_methods [pgbackrest]) is
 * created from that backup, runs as a standby leader that refuses writes, and replays what the primary archives.
 */
@Tag("integration")
class PgBackRestIT {

    @Test
    void oneSectionArchivesBacksUpAndCreatesReplicas() throws Exception {
        try (ClusterHarness h = new ClusterHarness("it-pgbackrest")) {
            Path repo = h.stateDir().resolve("pgbackrest");
            Files.createDirectories(repo);
            Path conf = repo.resolve("pgbackrest.conf");
            Files.writeString(conf, """
                    [global]
                    repo1-path=%s/repo
                    log-path=%s
                    lock-path=%s
                    repo1-retention-full=2
                    start-fast=y
                    """.formatted(repo, repo, repo));
            h.chownToPostgres(repo);
            h.chownToPostgres(conf);
            String section = """
                    bulwark:
                      pgbackrest:
                        stanza: it
                        config: %s
                    """.formatted(conf);
            AgentNode node1 = h.addNode("node1").topLevelExtra(section).start();
            awaitPrimary(h, node1);
            assertThat(text(node1, "show archive_command")).contains("archive-push %p", "--stanza=it");

            exec(node1.pgPort, "create table kept(id int)");
            exec(node1.pgPort, "insert into kept select generate_series(1, 500)");
            await("a WAL segment archived into the stanza the primary created", Duration.ofSeconds(90), () -> {
                ItChecks.tryExec(node1.pgPort, "select pg_switch_wal()");
                return archived(node1) > 0;
            });

            HttpResponse<String> anonymous = node1.post("/backup", "{}", false);
            assertThat(anonymous.statusCode()).as(anonymous.body()).isEqualTo(401);
            HttpResponse<String> badType = node1.post("/backup", "{\"type\": \"weekly\"}", true);
            assertThat(badType.statusCode()).isEqualTo(400);
            assertThat(badType.body()).contains("type", "diff, full, incr", "weekly");

            CtlRun backup = ctl(node1, "backup", "--type", "full");
            assertThat(backup.code()).as(backup.text()).isZero();
            assertThat(backup.out()).contains("Backup succeeded on member node1 (full");
            assertThat(node1.httpBody("/backup")).contains("\"state\": \"succeeded\"", "\"type\": \"full\"");

            AgentNode node2 = h.addNode("node2").topLevelExtra(section).postgresqlExtra("""
                      create_replica_methods: [pgbackrest, basebackup]
                    """).start();
            awaitStreaming(h, node2);
            assertThat(node2.logText()).contains("replica has been created using pgbackrest")
                    .doesNotContain("Error creating replica using method pgbackrest");
            await("the rows on node2", Duration.ofSeconds(60), () -> count(node2, "kept") == 500);

            HttpResponse<String> onReplica = node2.post("/backup", "{\"type\": \"incr\"}", true);
            assertThat(onReplica.statusCode()).as(onReplica.body()).isEqualTo(409);
            assertThat(onReplica.body()).contains("not the primary");

            // $PWD: PostgreSQL runs restore_command in the data directory, which pgBackRest must be told (pg1-path)
            String archiveOnly = """
                        standby_cluster:
                          restore_command: 'pgbackrest --config=%s --stanza=it --pg1-path="$PWD" archive-get %%f "%%p"'
                          create_replica_methods: [pgbackrest]
                    """.formatted(conf);
            try (ClusterHarness b = new ClusterHarness("it-pgbackrest-b").standbyClusterYaml(archiveOnly)) {
                AgentNode b1 = b.addNode("b1").topLevelExtra(section).start();
                await("b1 to be a standby leader made from the archive", Duration.ofSeconds(180),
                        () -> b1.httpStatus("/standby-leader") == 200);
                assertThat(b1.logText()).contains("initialized a new standby cluster from the archive",
                        "replica has been created using pgbackrest");
                exec(node1.pgPort, "insert into kept select generate_series(501, 1000)");
                await("the new rows replayed on b1 from the archive", Duration.ofSeconds(120), () -> {
                    ItChecks.tryExec(node1.pgPort, "select pg_switch_wal()");
                    return count(b1, "kept") == 1000;
                });
                assertThat(ItChecks.tryExec(b1.pgPort, "insert into kept values (0)"))
                        .as("the standby leader refuses writes").isFalse();
                assertThat(b1.httpStatus("/primary")).isEqualTo(503);
            }
        }
    }

    private static long archived(AgentNode node) {
        try {
            return Long.parseLong(text(node, "select archived_count from pg_stat_archiver"));
        } catch (Exception e) {
            return 0;
        }
    }

    private static String text(AgentNode node, String sql) throws Exception {
        try (Connection c = node.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
