package io.bulwark.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static io.bulwark.config.ConfigFixtures.load;
import static io.bulwark.config.ConfigFixtures.valid;
import static io.bulwark.config.ConfigFixtures.validPlus;
import static io.bulwark.config.ConfigFixtures.validWith;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code bulwark.pgbackrest}: what it derives, and the errors for a second source of the same setting. */
class PgBackRestTest {
    private static final String SECTION = """
            bulwark:
              pgbackrest:
                stanza: main
                config: /etc/pgbackrest/site a.conf
            """;

    @Test
    void oneSectionDerivesArchiveRestoreAndTheReplicaMethod() {
        BulwarkConfig cfg = valid(validWith("  data_dir: /data/pgdata\n",
                "  data_dir: /data/pgdata\n  create_replica_methods: [pgbackrest, basebackup]\n") + SECTION);
        PostgresqlConfig pg = cfg.postgresql();
        String base = "pgbackrest '--config=/etc/pgbackrest/site a.conf' --stanza=main --pg1-path=/data/pgdata";
        assertThat(pg.parameters()).containsEntry("archive_mode", "on")
                .containsEntry("archive_command", base + " archive-push %p");
        assertThat(pg.recoveryConf()).containsEntry("restore_command", base + " archive-get %f \"%p\"");
        ExternalMethod method = pg.replicaMethods().get("pgbackrest");
        assertThat(method.flag("keep_data")).isTrue();
        assertThat(method.argv(java.util.Map.of("scope", "demo"))).containsExactly("pgbackrest",
                "--config=/etc/pgbackrest/site a.conf", "--stanza=main", "--pg1-path=/data/pgdata", "--delta", "restore");
        assertThat(pg.pgbackrest().stanza()).isEqualTo("main");
    }

    @Test
    void theMethodIsDefinedButNotAddedToTheListAndArchiveModeAlwaysIsKept() {
        BulwarkConfig cfg = valid(validWith("  data_dir: /data/pgdata\n",
                "  data_dir: /data/pgdata\n  parameters:\n    archive_mode: always\n") + SECTION);
        assertThat(cfg.postgresql().createReplicaMethods()).containsExactly("basebackup");
        assertThat(cfg.postgresql().replicaMethods()).containsOnlyKeys("pgbackrest"); // standby_cluster may name it
        assertThat(cfg.postgresql().parameters()).containsEntry("archive_mode", "always");
    }

    @Test
    void aRawSettingTheSectionAlsoWritesIsAnErrorNamingIt() {
        String both = validWith("  data_dir: /data/pgdata\n", """
                  data_dir: /data/pgdata
                  create_replica_methods: [pgbackrest]
                  pgbackrest:
                    command: pgbackrest --stanza=main --delta restore
                  parameters:
                    archive_command: 'cp %p /archive/%f'
                    archive_mode: 'off'
                  recovery_conf:
                    restore_command: 'cp /archive/%f %p'
                """) + SECTION;
        assertThat(load(both).errors()).extracting(ConfigProblem::path).containsExactlyInAnyOrder(
                "postgresql.parameters.archive_command", "postgresql.parameters.archive_mode",
                "postgresql.recovery_conf.restore_command", "postgresql.pgbackrest");
    }

    @Test
    void badValuesAreErrorsNamingTheKey() {
        assertThat(load(validPlus("""
                bulwark:
                  pgbackrest:
                    stanza: 'no spaces'
                    command: "pgbackrest 'unclosed"
                    repo: 1
                """)).errors()).extracting(ConfigProblem::path).containsExactlyInAnyOrder(
                "bulwark.pgbackrest.stanza", "bulwark.pgbackrest.command", "bulwark.pgbackrest.repo");
        assertThat(load(validPlus("bulwark:\n  pgbackrest: {config: /x}\n")).errors())
                .containsExactly(new ConfigProblem("bulwark.pgbackrest.stanza", "is required"));
    }

    @Test
    void withoutTheSectionNothingIsDerived() {
        PostgresqlConfig pg = valid(ConfigFixtures.VALID).postgresql();
        assertThat(pg.pgbackrest()).isNull();
        assertThat(pg.parameters()).doesNotContainKey("archive_command");
        assertThat(pg.recoveryConf()).isEmpty();
    }

    @Test
    void backupsConnectThroughTheLocalSocketAsTheSuperuser() {
        PgBackRest pb = new PgBackRest(List.of("/opt/pgbackrest"), "main", null);
        assertThat(pb.localServer(Path.of("/d"), 5433, "/run/pg", "postgres", List.of("--type=incr", "backup")))
                .containsExactly("/opt/pgbackrest", "--stanza=main", "--pg1-path=/d", "--pg1-port=5433",
                        "--pg1-socket-path=/run/pg", "--pg1-user=postgres", "--type=incr", "backup");
        assertThat(PgBackRest.shellLine(List.of("a", "it's"))).isEqualTo("a 'it'\\''s'");
    }
}
