package io.bulwark.config;

import static io.bulwark.config.ConfigFixtures.load;
import static io.bulwark.config.ConfigFixtures.valid;
import static io.bulwark.config.ConfigFixtures.validPlus;
import static io.bulwark.config.ConfigFixtures.validWith;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Mapping and defaults of the individual sections. */
class ConfigSectionsTest {
    private static final String ETCD = "etcd:\n  host: 127.0.0.1:2379\n";

    private static ConfigResult withEtcd(String etcdSection) {
        return load(validWith(ETCD, etcdSection));
    }

    @Test
    void etcdEndpointsFromEveryForm() {
        assertThat(valid(validWith(ETCD, "etcd3:\n  hosts:\n    - 10.0.0.1\n    - 10.0.0.2:2380\n"))
                .etcd().endpoints()).containsExactly("http://10.0.0.1:2379", "http://10.0.0.2:2380");
        assertThat(valid(validWith(ETCD, "etcd:\n  hosts: 10.0.0.1:2379, 10.0.0.2\n  protocol: https\n"))
                .etcd().endpoints()).containsExactly("https://10.0.0.1:2379", "https://10.0.0.2:2379");
        assertThat(valid(validWith(ETCD, "etcd:\n  host: etcd1\n  port: 4001\n")).etcd().endpoints())
                .containsExactly("http://etcd1:4001");
        assertThat(valid(validWith(ETCD, "etcd:\n  url: https://etcd.example:2379\n")).etcd().endpoints())
                .containsExactly("https://etcd.example:2379");
        assertThat(valid(validWith(ETCD, "etcd:\n  urls: [http://a:1, 'http://[::1]']\n")).etcd().endpoints())
                .containsExactly("http://a:1", "http://[::1]:2379");
    }

    @Test
    void etcdErrors() {
        assertThat(withEtcd("etcd:\n  host: 10.0.0.3:2379\n  protocol: grpc\n").errors())
                .containsExactly(new ConfigProblem("etcd.protocol", "must be http or https, got 'grpc'"));
        assertThat(withEtcd("etcd:\n  srv: example.org\n").errors()).containsExactly(new ConfigProblem("etcd",
                "needs one of host, hosts, url, urls (srv and proxy are not supported by Bulwark)"));
        assertThat(withEtcd("etcd:\n  url: 10.0.0.3:2379\n").errors()).containsExactly(new ConfigProblem("etcd.url",
                "expected a URL like http://10.0.0.3:2379, got '10.0.0.3:2379'"));
        assertThat(withEtcd("etcd:\n  host: 10.0.0.3:2379\n  username: root\n").errors()).containsExactly(
                new ConfigProblem("etcd.password", "is required when etcd.username is set"));
    }

    @Test
    void etcdCredentials() {
        EtcdConfig etcd = valid(validWith(ETCD, "etcd3:\n  host: 10.0.0.3:2379\n  username: root\n  password: pw\n"))
                .etcd();
        assertThat(etcd.username()).isEqualTo("root");
        assertThat(etcd.password()).isEqualTo("pw");
    }

    @Test
    void connectAddressDefaultsToListen() {
        BulwarkConfig config = valid(ConfigFixtures.VALID);
        assertThat(config.restapi().connectAddress()).isEqualTo("127.0.0.1:8008");
        assertThat(config.postgresql().connectAddress()).isEqualTo("127.0.0.1:5432");

        ConfigResult wildcard = load(validWith("127.0.0.1:8008", "0.0.0.0:8008"));
        assertThat(wildcard.config().restapi().connectAddress()).isEqualTo("127.0.0.1:8008");
        assertThat(wildcard.warnings()).contains(new ConfigProblem("restapi.connect_address",
                "not set and listen is on all interfaces; using 127.0.0.1:8008, which members on other hosts "
                        + "cannot reach"));
    }

    @Test
    void restApiAuthentication() {
        RestApiConfig api = valid(validWith("  listen: 127.0.0.1:8008\n",
                "  listen: 127.0.0.1:8008\n  authentication:\n    username: admin\n    password: pw\n")).restapi();
        assertThat(api.username()).isEqualTo("admin");
        assertThat(api.password()).isEqualTo("pw");
        assertThat(load(validWith("  listen: 127.0.0.1:8008\n",
                "  listen: 127.0.0.1:8008\n  authentication:\n    password: pw\n")).errors()).containsExactly(
                new ConfigProblem("restapi.authentication.username",
                        "is required when restapi.authentication.password is set"));
    }

    @Test
    void postgresqlOptionalKeys() {
        PostgresqlConfig pg = valid(validWith("  data_dir: /data/pgdata\n", """
                  data_dir: /data/pgdata
                  bin_dir: /usr/lib/postgresql/15/bin
                  pgpass: /var/lib/pgpass
                  parameters:
                    max_connections: 100
                    hot_standby: true
                    archive_command: 'cp %p /a/%f'
                  pg_hba:
                    - host replication replicator 0.0.0.0/0 md5
                  create_replica_methods: [basebackup]
                  basebackup:
                    - verbose
                    - max-rate: 100M
                """)).postgresql();
        assertThat(pg.binDir()).isEqualTo(Path.of("/usr/lib/postgresql/15/bin"));
        assertThat(pg.pgpass()).isEqualTo(Path.of("/var/lib/pgpass"));
        assertThat(pg.parameters()).containsExactlyInAnyOrderEntriesOf(Map.of("max_connections", "100",
                "hot_standby", "on", "archive_command", "cp %p /a/%f"));
        assertThat(pg.pgHba()).containsExactly("host replication replicator 0.0.0.0/0 md5");
        assertThat(pg.basebackup()).containsExactly("--verbose", "--max-rate=100M");
        assertThat(pg.rewind()).isNull();
    }

    @Test
    void basebackupOptionsInMapFormAndUnsafeOrUnknownOnesRefused() {
        PostgresqlConfig pg = valid(validWith("  data_dir: /data/pgdata\n", """
                  data_dir: /data/pgdata
                  basebackup:
                    max-rate: '1M'
                    checkpoint: fast
                """)).postgresql();
        assertThat(pg.basebackup()).containsExactly("--max-rate=1M", "--checkpoint=fast");
        for (String bad : List.of("no-sync", "password", "host: elsewhere", "r: 1M", "compress: 9", "frobnicate")) {
            ConfigResult r = load(validWith("  data_dir: /data/pgdata\n",
                    "  data_dir: /data/pgdata\n  basebackup:\n    - " + bad + "\n"));
            assertThat(r.errors()).as(bad).singleElement().satisfies(p -> {
                assertThat(p.path()).isEqualTo("postgresql.basebackup[0]");
                assertThat(p.message()).contains("is not supported").contains("max-rate");
            });
        }
        assertThat(load(validWith("  data_dir: /data/pgdata\n",
                "  data_dir: /data/pgdata\n  basebackup:\n    - pgdata: /x\n")).errors()).singleElement()
                .satisfies(p -> assertThat(p.message()).contains("the agent sets it"));
    }

    @Test
    void rewindUserAndLocalDynamicKeys() {
        ConfigResult result = load(validWith("      password: secret-replication-pw\n", """
                      password: secret-replication-pw
                    rewind:
                      username: rewinder
                      password: rw
                  use_pg_rewind: true
                """));
        assertThat(result.errors()).isEmpty();
        assertThat(result.config().postgresql().rewindCredentials()).isEqualTo(new Credentials("rewinder", "rw"));
        assertThat(result.warnings()).contains(new ConfigProblem("postgresql.use_pg_rewind",
                "Bulwark reads this from the dynamic configuration only (bootstrap.dcs.postgresql.use_pg_rewind); "
                        + "local value ignored"));
    }

    @Test
    void tagsDefaultsAndPriorities() {
        assertThat(valid(ConfigFixtures.VALID).tags()).isEqualTo(Tags.none());
        Tags nofailover = valid(validPlus("tags:\n  nofailover: true\n  noloadbalance: false\n  dc: east\n")).tags();
        assertThat(nofailover.failoverPriority()).isZero();
        assertThat(nofailover.canFailover()).isFalse();
        assertThat(nofailover.published()).containsExactlyInAnyOrderEntriesOf(Map.of("nofailover", true, "dc", "east"));

        Tags zero = valid(validPlus("tags:\n  failover_priority: 0\n  replicatefrom: node2\n")).tags();
        assertThat(zero.nofailover()).isTrue();
        assertThat(zero.replicatefrom()).isEqualTo("node2");
        assertThat(zero.published()).containsEntry("failover_priority", 0).containsEntry("replicatefrom", "node2");

        ConfigResult conflict = load(validPlus("tags:\n  nofailover: true\n  failover_priority: 1\n"));
        assertThat(conflict.config().tags().canFailover()).isFalse();
        assertThat(conflict.warnings()).contains(new ConfigProblem("tags.failover_priority",
                "Conflicting configuration between nofailover: True and failover_priority: 1. "
                        + "Defaulting to nofailover: True"));
        assertThat(load(validPlus("tags:\n  failover_priority: -1\n")).errors()).containsExactly(
                new ConfigProblem("tags.failover_priority", "must be a non-negative integer, got -1"));
    }

    @Test
    void logSection() {
        assertThat(valid(validPlus("log:\n  level: warning\n  type: json\n  dir: /var/log/bulwark\n")).log())
                .isEqualTo(new LogConfig("WARN", true, Path.of("/var/log/bulwark")));
        assertThat(load(validPlus("log:\n  level: LOUD\n")).errors()).containsExactly(new ConfigProblem("log.level",
                "must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL, got 'LOUD'"));
    }

    @Test
    void namespaceAndBootstrapMethod() {
        assertThat(valid(validPlus("namespace: /db\n")).namespace()).isEqualTo("/db");
        BootstrapConfig custom = valid(validPlus("bootstrap:\n  method: pitr\n  pitr:\n    command: restore.sh --x\n"
                + "    keep_existing_recovery_conf: true\n    target: t1\n    recovery_conf:\n"
                + "      recovery_target_time: '2026-12-06 10:00:00+00'\n      recovery_target_action: promote\n")).bootstrap();
        assertThat(custom.method().argv(java.util.Map.of("scope", "s"))).containsExactly("restore.sh", "--x", "--scope=s",
                "--target=t1");
        assertThat(custom.method().flag(BootstrapConfig.KEEP_EXISTING_RECOVERY_CONF)).isTrue();
        assertThat(custom.recoveryConf()).containsExactly(
                java.util.Map.entry("recovery_target_time", "2026-12-06 10:00:00+00"),
                java.util.Map.entry("recovery_target_action", "promote"));
        assertThat(load(validPlus("bootstrap:\n  method: pgbackrest\n")).errors())
                .containsExactly(new ConfigProblem("bootstrap.pgbackrest.command", "is required: bootstrap.method is"
                        + " 'pgbackrest', so bootstrap.pgbackrest must name the command that creates the data directory"));
        assertThat(load(validPlus("bootstrap:\n  method: pitr\n  pitr:\n    command: x\n    recovery_conf:\n"
                + "      primary_conninfo: host=x\n")).errors()).extracting(ConfigProblem::path)
                .containsExactly("bootstrap.pitr.recovery_conf.primary_conninfo");
        BootstrapConfig bootstrap = valid(validPlus("bootstrap:\n  pg_hba:\n    - host all all 0.0.0.0/0 md5\n"))
                .bootstrap();
        assertThat(bootstrap.pgHba()).containsExactly("host all all 0.0.0.0/0 md5");
    }
}
