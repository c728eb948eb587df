package io.bulwark.config;

import static io.bulwark.config.ConfigFixtures.load;
import static io.bulwark.config.ConfigFixtures.valid;
import static io.bulwark.config.ConfigFixtures.validPlus;
import static io.bulwark.config.ConfigFixtures.validWith;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CallbacksConfigTest {
    private static final String PG = "postgresql:\n";

    private static String withPg(String lines) {
        return validWith(PG, PG + lines);
    }

    @Test
    void callbacksAndPrePromoteAreParsedIntoArgv() {
        BulwarkConfig cfg = valid(withPg("""
                  callbacks:
                    on_start: /opt/cb.sh --vip '10.0.0.1 eth0'
                    on_role_change: /opt/cb.sh
                  pre_promote: "/opt/fence.sh --really"
                """));
        Callbacks callbacks = cfg.postgresql().callbacks();
        assertThat(callbacks.commands()).containsOnlyKeys("on_start", "on_role_change");
        assertThat(callbacks.argv("on_start", "replica", "demo"))
                .containsExactly("/opt/cb.sh", "--vip", "10.0.0.1 eth0", "on_start", "replica", "demo");
        assertThat(callbacks.argv("on_stop", "primary", "demo")).isEmpty();
        assertThat(callbacks.prePromote()).containsExactly("/opt/fence.sh", "--really");
    }

    @Test
    void callbacksAreNoLongerReportedAsIgnored() {
        ConfigResult result = load(withPg("  callbacks:\n    on_stop: /bin/true\n  pre_promote: /bin/true\n"));
        assertThat(result.warnings()).extracting(ConfigProblem::path)
                .doesNotContain("postgresql.callbacks", "postgresql.pre_promote");
    }

    @Test
    void badCommandLineAndUnknownActionNameTheKey() {
        ConfigResult result = load(withPg("  callbacks:\n    on_start: \"/opt/cb.sh 'x\"\n    on_promote: /x\n"));
        assertThat(result.errors()).containsExactly(new ConfigProblem("postgresql.callbacks.on_start",
                "is not a valid command line: no closing single quote (opened at character 12)"));
        assertThat(result.warnings()).contains(new ConfigProblem("postgresql.callbacks.on_promote",
                "unknown callback; expected one of on_start, on_stop, on_restart, on_reload, on_role_change"));
        assertThat(load(withPg("  callbacks: /x\n")).errors()).containsExactly(
                new ConfigProblem("postgresql.callbacks", "must be a mapping, got '/x'"));
    }

    @Test
    void unsafeUnimplementedKeysAreErrorsUnlessAllowed() {
        String yaml = withPg("  custom_conf: /etc/pg/custom.conf\n")
                + "citus:\n  group: 0\nwatchdog:\n  mode: required\n";
        ConfigResult strict = load(yaml);
        assertThat(strict.errors()).extracting(ConfigProblem::path).containsExactlyInAnyOrder(
                "postgresql.custom_conf", "citus", "watchdog.mode");
        assertThat(strict.errors()).allSatisfy(p -> assertThat(p.message())
                .endsWith("; remove it, or set bulwark.allow_unsupported: true to run without it"));

        ConfigResult allowed = load(yaml + "bulwark:\n  allow_unsupported: true\n");
        assertThat(allowed.errors()).isEmpty();
        assertThat(allowed.warnings()).extracting(ConfigProblem::path).contains("postgresql.custom_conf",
                "citus", "watchdog.mode");
    }

    @Test
    void configDirEqualToDataDirIsWhatBulwarkDoes() {
        assertThat(load(withPg("  config_dir: /data/pgdata/\n")).errors()).isEmpty();
        assertThat(load(withPg("  config_dir: /etc/postgresql\n")).errors()).extracting(ConfigProblem::path)
                .containsExactly("postgresql.config_dir");
    }

    @Test
    void dynamicPostgresqlKeysBulwarkIgnoresWarn() {
        ConfigResult result = load(validPlus("""
                bootstrap:
                  dcs:
                    postgresql:
                      pg_ctl_timeout: 5
                      use_slots: true
                """));
        assertThat(result.errors()).isEmpty();
        assertThat(result.warnings()).contains(new ConfigProblem("bootstrap.dcs.postgresql.pg_ctl_timeout",
                "is a Patroni setting Bulwark does not support in the dynamic configuration; ignored"));
        assertThat(result.warnings()).extracting(ConfigProblem::path)
                .doesNotContain("bootstrap.dcs.postgresql.use_slots");
    }

    @Test
    void bulwarkctlStillReadsANodeFileWithUnsupportedSections() {
        ClientConfigResult ctl = ClientConfigLoader.fromYaml(validPlus("watchdog:\n  mode: required\ncitus:\n"
                + "  group: 0\nbulwark:\n  allow_unsupported: false\n"), java.util.Map.of(), null, null, "test.yml");
        assertThat(ctl.errors()).isEmpty();
    }

    @Test
    void replicaMethodsAreParsedWithTheirSectionsAndRecoveryConfForReplicas() {
        ConfigResult result = load(withPg("  create_replica_methods: [pgbackrest, basebackup]\n  pgbackrest:\n"
                + "    command: /usr/bin/pgbackrest --stanza=main --delta restore\n    keep_data: true\n"
                + "    no_params: true\n  recovery_conf:\n    restore_command: pgbackrest --stanza=main archive-get %f \"%p\"\n"));
        assertThat(result.errors()).isEmpty();
        assertThat(result.warnings()).extracting(ConfigProblem::path).noneMatch(p -> p.contains("replica_methods")
                || p.contains("pgbackrest") || p.contains("recovery_conf"));
        PostgresqlConfig pg = result.config().postgresql();
        assertThat(pg.createReplicaMethods()).containsExactly("pgbackrest", "basebackup");
        assertThat(pg.replicaMethods()).containsOnlyKeys("pgbackrest");
        assertThat(pg.replicaMethods().get("pgbackrest").flag("keep_data")).isTrue();
        assertThat(pg.replicaMethods().get("pgbackrest").argv(java.util.Map.of("scope", "s")))
                .containsExactly("/usr/bin/pgbackrest", "--stanza=main", "--delta", "restore");
        assertThat(pg.recoveryConf()).containsExactly(
                java.util.Map.entry("restore_command", "pgbackrest --stanza=main archive-get %f \"%p\""));
        assertThat(load(withPg("  create_replica_methods: [wal_g]\n")).errors()).as("wal_g alone is legal").isEmpty();
    }

    @Test
    void recoveryTargetsInAReplicasRecoveryConfAreErrors() {
        assertThat(load(withPg("  recovery_conf:\n    recovery_target_time: now\n")).errors())
                .extracting(ConfigProblem::path).containsExactly("postgresql.recovery_conf.recovery_target_time");
        assertThat(load(withPg("  create_replica_methods: []\n")).errors()).extracting(ConfigProblem::path)
                .containsExactly("postgresql.create_replica_methods");
    }

    @Test
    void bulwarkSectionRejectsUnknownKeys() {
        assertThat(load(validPlus("bulwark:\n  allow_unsuported: true\n")).errors()).containsExactly(
                new ConfigProblem("bulwark.allow_unsuported", "unknown key in bulwark; expected one of "
                        + "allow_unsupported, pgbackrest"));
        assertThat(load(validPlus("bulwark:\n  allow_unsupported: maybe\n")).errors()).extracting(
                ConfigProblem::path).containsExactly("bulwark.allow_unsupported");
    }

    @Test
    void etcdV2SectionWarnsThatBulwarkReadsItAsV3() {
        ConfigResult v2 = load(ConfigFixtures.VALID);
        assertThat(v2.warnings()).anySatisfy(p -> {
            assertThat(p.path()).isEqualTo("etcd");
            assertThat(p.message()).contains("v3 API").contains("must use etcd3:");
        });
        ConfigResult v3 = load(validWith("etcd:", "etcd3:"));
        assertThat(v3.warnings()).extracting(ConfigProblem::path).doesNotContain("etcd", "etcd3");
        assertThat(List.of(v3.ok())).containsExactly(true);
    }
}
