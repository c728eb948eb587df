package io.bulwark.config;

import static io.bulwark.config.ConfigFixtures.VALID;
import static io.bulwark.config.ConfigFixtures.load;
import static io.bulwark.config.ConfigFixtures.validPlus;
import static io.bulwark.config.ConfigFixtures.validWith;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each validation rule: the exact path and message, and that all errors are reported together. */
class ConfigValidationTest {

    private static void assertOnlyError(String yaml, String path, String message) {
        ConfigResult result = load(yaml);
        assertThat(result.errors()).containsExactly(new ConfigProblem(path, message));
        assertThat(result.ok()).isFalse();
        assertThat(result.config()).isNull();
    }

    @Test
    void validFixtureHasNoErrors() {
        assertThat(ConfigFixtures.valid(VALID).name()).isEqualTo("node1");
    }

    @Test
    void requiredTopLevelKeys() {
        assertOnlyError(validWith("name: node1\n", ""), "name", "is required");
        assertOnlyError(validWith("scope: demo\n", ""), "scope", "is required");
        assertOnlyError(validWith("scope: demo\n", "scope: ' '\n"), "scope", "is required");
    }

    @Test
    void memberAndClusterNamesThatWouldBreakKeysOrFilesAreRefused() {
        assertOnlyError(validWith("name: node1\n", "name: site/node1\n"), "name",
                "must not contain '/' (it becomes one segment of an etcd key)");
        assertOnlyError(validWith("name: node1\n", "name: \"node\\n1\"\n"), "name",
                "must not contain whitespace or control characters (found U+000A at position 5)");
        assertOnlyError(validWith("name: node1\n", "name: 'node 1'\n"), "name",
                "must not contain whitespace or control characters (found U+0020 at position 5)");
        assertOnlyError(validWith("name: node1\n", "name: '..'\n"), "name", "must not be '..'");
        assertOnlyError(validWith("name: node1\n", "name: " + "n".repeat(254) + "\n"), "name",
                "must be at most 253 characters, got 254");
        assertOnlyError(validWith("scope: demo\n", "scope: a/b\n"), "scope",
                "must not contain '/' (it becomes one segment of an etcd key)");
        for (String fine : new String[] {"postgresql0", "pg-node-1.example.com", "patroni-0", "node_1", "n@x:1"}) {
            assertThat(load(validWith("name: node1\n", "name: '" + fine + "'\n")).errors()).as(fine).isEmpty();
        }
    }

    @Test
    void requiredListenAndDataDir() {
        assertOnlyError(validWith("  data_dir: /data/pgdata\n", ""), "postgresql.data_dir", "is required");
        assertOnlyError(validWith("  listen: 127.0.0.1:5432\n", ""), "postgresql.listen", "is required");
        assertOnlyError(validWith("restapi:\n  listen: 127.0.0.1:8008\n", ""), "restapi.listen", "is required");
    }

    @Test
    void dcsSectionIsRequired() {
        String noEtcd = validWith("etcd:\n  host: 127.0.0.1:2379\n", "");
        assertOnlyError(noEtcd, "etcd", "is required: no DCS section (etcd or etcd3)");
        ConfigResult consul = load(noEtcd + "consul:\n  host: 127.0.0.1:8500\n");
        assertThat(consul.errors()).containsExactly(new ConfigProblem("etcd",
                "is required: no DCS section (etcd or etcd3); consul is not supported by Bulwark"));
        assertOnlyError(validPlus("etcd3:\n  host: 127.0.0.1:2379\n"), "etcd3", "only one of etcd and etcd3 may be set");
    }

    @Test
    void portMustBeANumberInRange() {
        assertOnlyError(validWith("127.0.0.1:8008", "127.0.0.1:abc"), "restapi.listen",
                "port must be a number, got 'abc'");
        assertOnlyError(validWith("127.0.0.1:8008", "127.0.0.1:70000"), "restapi.listen",
                "port must be in 1..65535, got 70000");
        assertOnlyError(validWith("127.0.0.1:5432", "127.0.0.1:0"), "postgresql.listen",
                "port must be in 1..65535, got 0");
        assertOnlyError(validWith("127.0.0.1:2379", "127.0.0.1:x1"), "etcd.host", "port must be a number, got 'x1'");
        assertOnlyError(validWith("  host: 127.0.0.1:2379\n", "  hosts: [127.0.0.1:2379, '10.0.0.2:99999']\n"),
                "etcd.hosts[1]", "port must be in 1..65535, got 99999");
        assertOnlyError(validWith("  host: 127.0.0.1:2379\n", "  hosts: 127.0.0.1:2379,10.0.0.2:-1\n"),
                "etcd.hosts", "port must be a number, got '-1'");
        assertOnlyError(validWith("  data_dir:", "  connect_address: db1:65536\n  data_dir:"),
                "postgresql.connect_address", "port must be in 1..65535, got 65536");
        assertOnlyError(validWith("127.0.0.1:8008", "8008"), "restapi.listen", "expected host:port, got '8008'");
    }

    @Test
    void listenAcceptsPortOnlyAndHostLists() {
        BulwarkConfig config = ConfigFixtures.valid(validWith("127.0.0.1:8008", ":8008")
                .replace("listen: 127.0.0.1:5432", "listen: 127.0.0.1,localhost:5433"));
        assertThat(config.restapi().listenHost()).isEqualTo("0.0.0.0");
        assertThat(config.restapi().connectAddress()).isEqualTo("127.0.0.1:8008");
        assertThat(config.postgresql().listenHost()).isEqualTo("127.0.0.1,localhost");
        assertThat(config.postgresql().port()).isEqualTo(5433);
        assertThat(config.postgresql().connectAddress()).isEqualTo("127.0.0.1:5433");
    }

    @Test
    void wrongTypesNameTheField() {
        assertOnlyError(validWith("restapi:\n  listen: 127.0.0.1:8008\n", "restapi: on port 8008\n"),
                "restapi", "must be a mapping, got 'on port 8008'");
        assertOnlyError(validPlus("bootstrap:\n  dcs:\n    ttl: abc\n"), "bootstrap.dcs.ttl",
                "must be an integer, got 'abc'");
        assertOnlyError(validPlus("bootstrap:\n  dcs:\n    loop_wait: [1]\n"), "bootstrap.dcs.loop_wait",
                "must be an integer, got a list");
        assertOnlyError(validPlus("tags:\n  failover_priority: high\n"), "tags.failover_priority",
                "must be an integer, got 'high'");
        assertOnlyError(validPlus("tags:\n  nofailover: maybe\n"), "tags.nofailover",
                "must be a boolean (true or false), got 'maybe'");
        assertOnlyError(validWith("  data_dir: /data/pgdata\n", "  data_dir: [a, b]\n"), "postgresql.data_dir",
                "must be a string, got a list");
        assertOnlyError(validWith("  data_dir:", "  parameters:\n    shared_buffers: [1]\n  data_dir:"),
                "postgresql.parameters.shared_buffers", "must be a single value, got a list");
    }

    @Test
    void timingFloorsAndRule() {
        assertOnlyError(validPlus("bootstrap:\n  dcs:\n    ttl: 5\n    loop_wait: 10\n    retry_timeout: 10\n"),
                "bootstrap.dcs.ttl", "loop_wait + 2*retry_timeout (10+2*10=30) must be <= ttl (5)");
        assertOnlyError(validPlus("bootstrap:\n  dcs:\n    ttl: 1\n"), "bootstrap.dcs.ttl", "must be >= 2, got 1");
        assertOnlyError(validPlus("bootstrap:\n  dcs:\n    loop_wait: 0\n"), "bootstrap.dcs.loop_wait",
                "must be >= 1, got 0");
        assertOnlyError(validPlus("bootstrap:\n  dcs:\n    retry_timeout: 0\n"), "bootstrap.dcs.retry_timeout",
                "must be >= 1, got 0");
        ConfigResult tight = load(validPlus("bootstrap:\n  dcs:\n    ttl: 3\n    loop_wait: 1\n    retry_timeout: 1\n"));
        assertThat(tight.errors()).isEmpty();
        assertThat(tight.config().bootstrap().dcs().ttl()).isEqualTo(3);
    }

    @Test
    void maximumLagMustBeNonNegativeInteger() {
        assertOnlyError(validPlus("bootstrap:\n  dcs:\n    maximum_lag_on_failover: -1\n"),
                "bootstrap.dcs.maximum_lag_on_failover", "must be a non-negative integer, got -1");
        assertOnlyError(validPlus("bootstrap:\n  dcs:\n    maximum_lag_on_failover: 1.5\n"),
                "bootstrap.dcs.maximum_lag_on_failover", "must be an integer, got 1.5");
    }

    @Test
    void keepFailedDataDirsIsAtLeastOneAndDefaultsToThree() {
        assertThat(ConfigFixtures.valid(VALID).postgresql().keepFailedDataDirs()).isEqualTo(3);
        String five = VALID.replace("  data_dir: /data/pgdata\n", "  data_dir: /data/pgdata\n  keep_failed_data_dirs: 5\n");
        assertThat(ConfigFixtures.valid(five).postgresql().keepFailedDataDirs()).isEqualTo(5);
        assertOnlyError(VALID.replace("  data_dir: /data/pgdata\n", "  data_dir: /data/pgdata\n  keep_failed_data_dirs: 0\n"),
                "postgresql.keep_failed_data_dirs", "must be >= 1, got 0");
    }

    @Test
    void pgCtlTimeoutIsWholeSecondsOfAtLeastOneAndDefaultsToSixty() {
        assertThat(ConfigFixtures.valid(VALID).postgresql().pgCtlTimeout()).isEqualTo(java.time.Duration.ofSeconds(60));
        String custom = VALID.replace("  data_dir: /data/pgdata\n", "  data_dir: /data/pgdata\n  pg_ctl_timeout: 90\n");
        assertThat(ConfigFixtures.valid(custom).postgresql().pgCtlTimeout()).isEqualTo(java.time.Duration.ofSeconds(90));
        ConfigResult zero = load(VALID.replace("  data_dir: /data/pgdata\n", "  data_dir: /data/pgdata\n  pg_ctl_timeout: 0\n"));
        assertThat(zero.errors()).extracting(ConfigProblem::path).containsExactly("postgresql.pg_ctl_timeout");
        assertThat(zero.warnings()).extracting(ConfigProblem::path).doesNotContain("postgresql.pg_ctl_timeout");
    }

    @Test
    void superuserAndReplicationUsernamesAreRequired() {
        String noAuth = VALID.substring(0, VALID.indexOf("  authentication:"));
        ConfigResult result = load(noAuth);
        assertThat(result.errors()).containsExactly(
                new ConfigProblem("postgresql.authentication.superuser.username", "is required"),
                new ConfigProblem("postgresql.authentication.replication.username", "is required"));
        assertOnlyError(validWith("      username: replicator\n", ""),
                "postgresql.authentication.replication.username", "is required");
    }

    @Test
    void initdbMustBeAListOfFlagsAndSingleKeyMappings() {
        assertOnlyError(validPlus("bootstrap:\n  initdb: data-checksums\n"), "bootstrap.initdb",
                "must be a list of options, got 'data-checksums'");
        assertOnlyError(validPlus("bootstrap:\n  initdb:\n    - data-checksums\n    - {encoding: UTF8, locale: C}\n"),
                "bootstrap.initdb[1]", "must be an option name or a single-key mapping "
                        + "(e.g. '- data-checksums' or '- encoding: UTF8'), got a mapping");
        assertOnlyError(validPlus("bootstrap:\n  initdb:\n    - pgdata: /tmp/x\n"), "bootstrap.initdb[0]",
                "option 'pgdata' is not allowed (the agent sets it)");
    }

    @Test
    void everyErrorIsCollected() {
        String yaml = validWith("  data_dir: /data/pgdata\n", "")
                .replace("127.0.0.1:8008", "127.0.0.1:abc")
                + "bootstrap:\n  dcs:\n    ttl: 5\n    loop_wait: 10\n";
        ConfigResult result = load(yaml);
        assertThat(result.errors()).containsExactlyInAnyOrder(
                new ConfigProblem("restapi.listen", "port must be a number, got 'abc'"),
                new ConfigProblem("bootstrap.dcs.ttl", "loop_wait + 2*retry_timeout (10+2*1=12) must be <= ttl (5)"),
                new ConfigProblem("postgresql.data_dir", "is required"));
        assertThat(result.errors()).extracting(ConfigProblem::toString)
                .contains("postgresql.data_dir: is required");
    }

    @Test
    void unknownKeysAreWarnings() {
        ConfigResult result = load(validPlus("nmae: x\n").replace("  data_dir:", "  datadir: /x\n  data_dir:"));
        assertThat(result.errors()).isEmpty();
        assertThat(result.warnings()).contains(new ConfigProblem("nmae", "unknown key"),
                new ConfigProblem("postgresql.datadir", "unknown key"));
        ConfigResult patroniOnly = load(validPlus("watchdog:\n  mode: automatic\nttl: 30\n"));
        assertThat(patroniOnly.warnings()).contains(
                new ConfigProblem("watchdog", "is a Patroni setting Bulwark does not support; ignored (mode "
                        + "automatic: no watchdog device is used)"),
                new ConfigProblem("ttl", "is a dynamic setting: set it in bootstrap.dcs (or in the DCS with "
                        + "bulwarkctl edit-config); local value ignored"));
    }

    @Test
    void missingOrUnreadableFileIsOneErrorNamingIt(@TempDir Path dir) {
        Path missing = dir.resolve("nope.yml");
        ConfigResult result = ConfigLoader.load(missing, Map.of());
        assertThat(result.errors()).containsExactly(new ConfigProblem(missing.toString(),
                "cannot read " + missing + ": no such file"));
        ConfigResult directory = ConfigLoader.load(dir, Map.of());
        assertThat(directory.errors()).singleElement()
                .satisfies(p -> assertThat(p.path()).isEqualTo(dir.toString()))
                .satisfies(p -> assertThat(p.message()).startsWith("cannot read " + dir + ": "));
    }

    @Test
    void invalidYamlReportsLineAndColumn() {
        ConfigResult result = ConfigLoader.fromYaml("scope: demo\nname: node1\n  restapi: x\n", Map.of(), "p.yml");
        assertThat(result.errors()).containsExactly(new ConfigProblem("p.yml",
                "invalid YAML at line 3, column 10: mapping values are not allowed here"));
        ConfigResult duplicate = ConfigLoader.fromYaml("scope: a\nscope: b\n", Map.of(), "p.yml");
        assertThat(duplicate.errors()).singleElement().extracting(ConfigProblem::message).asString()
                .startsWith("invalid YAML at line 2").contains("Duplicate field 'scope'");
        assertThat(ConfigLoader.fromYaml("- a\n- b\n", Map.of(), "p.yml").errors()).containsExactly(
                new ConfigProblem("p.yml", "must be a YAML mapping at the top level, got a list"));
    }

    @Test
    void configForAnotherHostValidatesWithWarnings(@TempDir Path dir) throws IOException {
        Path notADir = Files.writeString(dir.resolve("file"), "x");
        String yaml = validWith("127.0.0.1:8008", "192.0.2.123:8008")
                .replace("/data/pgdata", dir.resolve("pgdata").toString());
        ConfigResult result = load(yaml);
        assertThat(result.ok()).isTrue();
        assertThat(result.warnings()).contains(
                new ConfigProblem("restapi.listen", "192.0.2.123 is not an address of this host"),
                new ConfigProblem("postgresql.data_dir", "data directory " + dir.resolve("pgdata")
                        + " does not exist yet"));
        assertOnlyError(VALID.replace("/data/pgdata", notADir.toString()), "postgresql.data_dir",
                notADir + " exists and is not a directory");
    }
}
