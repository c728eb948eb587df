package io.bulwark.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.bulwark.config.Credentials;
import io.bulwark.config.DynamicConfig;
import io.bulwark.config.PostgresqlConfig;

/** postgresql.conf, pg_hba.conf and pgpass rendering and writing, without any process. */
class ConfigRenderingTest {
    @TempDir
    Path tmp;

    private PostgresqlConfig cfg(Map<String, String> params, List<String> hba) {
        return new PostgresqlConfig("0.0.0.0", 5433, "10.0.0.1:5433", tmp.resolve("data"), null,
                tmp.resolve("pgpass"), new Credentials("postgres", "x"), new Credentials("repl user", "y"), null,
                params, hba, List.of("basebackup"), List.of(), PostgresqlConfig.DEFAULT_PG_CTL_TIMEOUT, PostgresqlConfig.DEFAULT_KEEP_FAILED_DATA_DIRS);
    }

    private static DynamicConfig dyn(Map<String, Object> params, List<String> hba, boolean useSlots) {
        return new DynamicConfig(4, 1, 1, 1 << 20, 300, true, useSlots, false, params, hba, Map.of());
    }

    @Test
    void confIncludesBaseFirstAndQuotesValues() throws Exception {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("work_mem", "4MB");
        params.put("max_connections", 50);
        params.put("hot_standby", false);
        params.put("application_name", "it's a\\b");
        String text = PostgresConf.render(params, Map.of());
        assertThat(text.lines().filter(l -> !l.startsWith("#")).findFirst()).hasValue("include 'postgresql.base.conf'");
        assertThat(text).contains("work_mem = '4MB'\n", "max_connections = 50\n", "hot_standby = off\n",
                "application_name = 'it''s a\\\\b'\n");
        assertThatThrownBy(() -> PostgresConf.value("x", "a\nb")).isInstanceOf(PostgresException.class)
                .hasMessageContaining("x");
    }

    @Test
    void precedenceDefaultsThenDynamicThenLocalExceptClusterWideSettings() throws Exception {
        PostgresConf conf = new PostgresConf(cfg(Map.of("work_mem", "8MB", "max_connections", "500",
                "port", "1"), List.of()), "m", tmp.resolve("pgpass"), new SecureFiles(null));
        Map<String, Object> p = conf.parameters(dyn(Map.of("work_mem", "4MB", "max_connections", 200,
                "shared_buffers", "256MB"), List.of(), true));
        assertThat(p).containsEntry("listen_addresses", "*").containsEntry("port", 5433)
                .containsEntry("work_mem", "8MB")           // local wins over dynamic
                .containsEntry("max_connections", 200)      // cluster-wide: dynamic only
                .containsEntry("shared_buffers", "256MB")
                .containsEntry("wal_level", "replica").containsEntry("wal_log_hints", true)
                .containsEntry("max_wal_senders", 10).containsEntry("max_replication_slots", 10)
                .containsEntry("wal_keep_size", "128MB").containsEntry("hot_standby", true)
                .containsEntry("hba_file", tmp.resolve("data/pg_hba.conf").toAbsolutePath().toString());
        assertThatThrownBy(() -> conf.parameters(dyn(Map.of("bad name", 1), List.of(), true)))
                .isInstanceOf(PostgresException.class).hasMessageContaining("bad name");
    }

    @Test
    void writesFilesAtomicallyWithRecoverySettingsOnlyWhenFollowing() throws Exception {
        Path data = Files.createDirectory(tmp.resolve("data"));
        Files.writeString(data.resolve("postgresql.conf"), "# initdb's original\n");
        PostgresConf conf = new PostgresConf(cfg(Map.of(), List.of()), "node-2", tmp.resolve("pgpass"),
                new SecureFiles(null));
        conf.write(dyn(Map.of(), List.of(), true), new Upstream("10.0.0.1", 5432));

        assertThat(data.resolve("postgresql.base.conf")).hasContent("# initdb's original");
        String text = Files.readString(data.resolve("postgresql.conf"));
        assertThat(text).contains("primary_slot_name = 'node_2'", "recovery_target_timeline = 'latest'",
                "host=10.0.0.1", "port=5432", "user=''repl user''", "application_name=node-2",
                "passfile=" + tmp.resolve("pgpass"), "sslmode=prefer");
        assertThat(text).doesNotContain("password");
        assertThat(data.resolve("standby.signal")).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("postgresql.conf"))))
                .isEqualTo("rw-------");
        assertThat(Conninfo.hostPort(text.lines().filter(l -> l.startsWith("primary_conninfo")).findFirst()
                .orElseThrow().replaceAll("^primary_conninfo = '(.*)'$", "$1").replace("''", "'")))
                .isEqualTo("10.0.0.1:5432");

        conf.write(dyn(Map.of(), List.of(), false), null);
        assertThat(data.resolve("postgresql.base.conf")).hasContent("# initdb's original");
        assertThat(Files.readString(data.resolve("postgresql.conf"))).doesNotContain("primary_conninfo",
                "primary_slot_name");
        assertThat(data.resolve("standby.signal")).doesNotExist();
        try (var leftovers = Files.list(data)) {
            assertThat(leftovers.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
    }

    @Test
    void hbaDefaultsAreSafeAndAReplicationLineIsAlwaysPresent() {
        String defaults = PgHba.render(List.of(), List.of(), "replicator");
        assertThat(defaults).contains("local all all peer\n", "host all all 127.0.0.1/32 scram-sha-256\n",
                "host replication replicator 0.0.0.0/0 scram-sha-256\n").doesNotContain("trust");

        String appended = PgHba.render(List.of("host all all 10.0.0.0/8 md5"), List.of(), "repl user");
        assertThat(appended).contains("host all all 10.0.0.0/8 md5\n",
                "host replication \"repl user\" 0.0.0.0/0 scram-sha-256\n");

        List<String> withRepl = List.of("hostssl replication all 10.0.0.0/8 scram-sha-256");
        assertThat(PgHba.render(withRepl, List.of("host all all 0.0.0.0/0 trust"), "replicator"))
                .contains(withRepl.get(0)).doesNotContain("0.0.0.0/0");
        assertThat(PgHba.render(List.of(), List.of("host replication replicator 10.1.0.0/16 md5"), "replicator"))
                .contains("10.1.0.0/16").doesNotContain("0.0.0.0/0");
    }

    @Test
    void pgpassEscapesSeparatorsAndSkipsDuplicates() {
        String text = PgPass.render(List.of(new Credentials("rep:l", "p\\w:d"), new Credentials("postgres", "s"),
                new Credentials("postgres", "other"), new Credentials("nopass", null)));
        assertThat(text).isEqualTo("*:*:*:rep\\:l:p\\\\w\\:d\n*:*:*:postgres:s\n");
    }

    @Test
    void conninfoQuotesAndParses() {
        String s = Conninfo.render(new LinkedHashMap<>(Map.of("host", "h")));
        assertThat(s).isEqualTo("host=h");
        assertThat(Conninfo.quote("a b'c\\")).isEqualTo("'a b\\'c\\\\'");
        assertThat(Conninfo.parse("host='a b\\'c' port=5 user=x")).containsEntry("host", "a b'c")
                .containsEntry("port", "5").containsEntry("user", "x");
        assertThat(Conninfo.hostPort("user=x host=db1")).isEqualTo("db1:5432");
        assertThat(Conninfo.hostPort("")).isNull();
    }

    @Test
    void controlDataParsing() {
        ControlData cd = ControlData.parse("""
                pg_control version number:            1300
                Database system identifier:           7268616322854375442
                Database cluster state:               in production
                wal_log_hints setting:                off
                Data page checksum version:           1
                """);
        assertThat(cd.systemId()).isEqualTo("7268616322854375442");
        assertThat(cd.isCleanlyShutDown()).isFalse();
        assertThat(cd.allowsRewind()).isTrue();
        ControlData none = ControlData.parse("wal_log_hints setting: off\nData page checksum version: 0\n"
                + "Database cluster state: shut down in recovery\n");
        assertThat(none.allowsRewind()).isFalse();
        assertThat(none.isCleanlyShutDown()).isTrue();
    }

    @Test
    void listenHostsAndLocalConnectHost() {
        assertThat(PostgresConf.listenAddresses("0.0.0.0")).isEqualTo("*");
        assertThat(PostgresConf.listenAddresses("10.0.0.1, 127.0.0.1")).isEqualTo("10.0.0.1,127.0.0.1");
        assertThat(LocalConnection.localHost("0.0.0.0")).isEqualTo("127.0.0.1");
        assertThat(LocalConnection.localHost("*")).isEqualTo("127.0.0.1");
        assertThat(LocalConnection.localHost("10.0.0.1,127.0.0.1")).isEqualTo("10.0.0.1");
    }
}
