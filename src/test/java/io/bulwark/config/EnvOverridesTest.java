package io.bulwark.config;

import static io.bulwark.config.ConfigFixtures.VALID;
import static io.bulwark.config.ConfigFixtures.load;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code PATRONI_*} variables override the file (reference §4.10). */
class EnvOverridesTest {

    private static BulwarkConfig withEnv(String yaml, Map<String, String> env) {
        ConfigResult result = load(yaml, env);
        assertThat(result.errors()).isEmpty();
        return result.config();
    }

    @Test
    void globalAndRestApiVariables() {
        BulwarkConfig config = withEnv(VALID, Map.of("PATRONI_NAME", "node9", "PATRONI_SCOPE", "other",
                "PATRONI_NAMESPACE", "/ns", "PATRONI_RESTAPI_LISTEN", "0.0.0.0:8009",
                "PATRONI_RESTAPI_CONNECT_ADDRESS", "10.1.1.1:8009", "PATRONI_RESTAPI_USERNAME", "admin",
                "PATRONI_RESTAPI_PASSWORD", "s3cret"));
        assertThat(config.name()).isEqualTo("node9");
        assertThat(config.scope()).isEqualTo("other");
        assertThat(config.namespace()).isEqualTo("/ns");
        assertThat(config.restapi()).isEqualTo(new RestApiConfig("0.0.0.0", 8009, "10.1.1.1:8009", "admin", "s3cret"));
        assertThat(config.postgresql().pgpass()).as("no default in /tmp: the runtime directory decides").isNull();
    }

    @Test
    void postgresqlAndUserVariables() {
        BulwarkConfig config = withEnv(VALID, Map.ofEntries(
                Map.entry("PATRONI_POSTGRESQL_LISTEN", "127.0.0.1:6432"),
                Map.entry("PATRONI_POSTGRESQL_CONNECT_ADDRESS", "db1:6432"),
                Map.entry("PATRONI_POSTGRESQL_DATA_DIR", "/srv/pg"),
                Map.entry("PATRONI_POSTGRESQL_BIN_DIR", "/opt/pg/bin"),
                Map.entry("PATRONI_POSTGRESQL_PGPASS", "/srv/pgpass"),
                Map.entry("PATRONI_SUPERUSER_USERNAME", "admin"),
                Map.entry("PATRONI_SUPERUSER_PASSWORD", "a"),
                Map.entry("PATRONI_REPLICATION_USERNAME", "repl"),
                Map.entry("PATRONI_REPLICATION_PASSWORD", "r"),
                Map.entry("PATRONI_REWIND_USERNAME", "rewinder"),
                Map.entry("PATRONI_REWIND_PASSWORD", "w")));
        PostgresqlConfig pg = config.postgresql();
        assertThat(pg.port()).isEqualTo(6432);
        assertThat(pg.connectAddress()).isEqualTo("db1:6432");
        assertThat(pg.dataDir()).isEqualTo(Path.of("/srv/pg"));
        assertThat(pg.binDir()).isEqualTo(Path.of("/opt/pg/bin"));
        assertThat(pg.pgpass()).isEqualTo(Path.of("/srv/pgpass"));
        assertThat(pg.superuser()).isEqualTo(new Credentials("admin", "a"));
        assertThat(pg.replication()).isEqualTo(new Credentials("repl", "r"));
        assertThat(pg.rewind()).isEqualTo(new Credentials("rewinder", "w"));
    }

    @Test
    void etcdVariablesReplaceTheFileEndpoints() {
        BulwarkConfig config = withEnv(VALID, Map.of("PATRONI_ETCD_HOSTS", "10.0.0.1:2379,10.0.0.2:2379",
                "PATRONI_ETCD_PROTOCOL", "https", "PATRONI_ETCD_USERNAME", "root", "PATRONI_ETCD_PASSWORD", "pw"));
        assertThat(config.etcd()).isEqualTo(new EtcdConfig(
                java.util.List.of("https://10.0.0.1:2379", "https://10.0.0.2:2379"), "root", "pw"));
        assertThat(withEnv(VALID, Map.of("PATRONI_ETCD_URL", "http://10.0.0.5:2379")).etcd().endpoints())
                .containsExactly("http://10.0.0.5:2379");
        assertThat(withEnv(VALID, Map.of("PATRONI_ETCD_HOSTS", "['a:1', 'b:2']")).etcd().endpoints())
                .containsExactly("http://a:1", "http://b:2");
    }

    @Test
    void etcd3VariablesReplaceAnEtcdFileSection() {
        ConfigResult result = load(VALID, Map.of("PATRONI_ETCD3_HOST", "10.0.0.3:2379"));
        assertThat(result.errors()).isEmpty();
        assertThat(result.config().etcd().endpoints()).containsExactly("http://10.0.0.3:2379");
        assertThat(result.warnings()).contains(new ConfigProblem("etcd",
                "replaced by the PATRONI_ETCD3_* environment variables"));
        assertThat(result.config().raw()).containsKey("etcd3").doesNotContainKey("etcd");
    }

    @Test
    void bracesInAPasswordStayText() {
        assertThat(withEnv(VALID, Map.of("PATRONI_SUPERUSER_PASSWORD", "{not: yaml}")).postgresql().superuser()
                .password()).isEqualTo("{not: yaml}");
    }

    @Test
    void logLevelIncludingLegacyName() {
        assertThat(withEnv(VALID, Map.of("PATRONI_LOG_LEVEL", "DEBUG")).log().level()).isEqualTo("DEBUG");
        assertThat(withEnv(VALID, Map.of("PATRONI_LOGLEVEL", "ERROR")).log().level()).isEqualTo("ERROR");
        assertThat(withEnv(VALID, Map.of("PATRONI_LOGLEVEL", "ERROR", "PATRONI_LOG_LEVEL", "DEBUG")).log().level())
                .isEqualTo("DEBUG");
    }

    @Test
    void environmentValuesAreValidatedLikeFileValues() {
        ConfigResult result = load(VALID, Map.of("PATRONI_RESTAPI_LISTEN", "0.0.0.0:abc",
                "PATRONI_POSTGRESQL_DATA_DIR", ""));
        assertThat(result.errors()).containsExactly(
                new ConfigProblem("restapi.listen", "port must be a number, got 'abc'"));
    }

    @Test
    void unknownVariablesWarnWithoutShowingTheirValue() {
        ConfigResult result = load(VALID, Map.of("PATRONI_CONSUL_TOKEN", "top-secret", "HOME", "/root"));
        assertThat(result.ok()).isTrue();
        assertThat(result.warnings()).contains(new ConfigProblem("PATRONI_CONSUL_TOKEN",
                "environment variable not recognised; ignored"));
        assertThat(result.warnings()).noneMatch(p -> p.toString().contains("top-secret") || p.path().equals("HOME"));
    }

    @Test
    void configurationFromEnvironmentAlone() {
        ConfigResult result = ConfigLoader.fromEnvironment(Map.ofEntries(
                Map.entry("PATRONI_NAME", "n1"), Map.entry("PATRONI_SCOPE", "s"),
                Map.entry("PATRONI_RESTAPI_LISTEN", "127.0.0.1:8008"),
                Map.entry("PATRONI_ETCD3_HOSTS", "127.0.0.1:2379"),
                Map.entry("PATRONI_POSTGRESQL_LISTEN", "127.0.0.1:5432"),
                Map.entry("PATRONI_POSTGRESQL_DATA_DIR", "/srv/pg"),
                Map.entry("PATRONI_SUPERUSER_USERNAME", "postgres"),
                Map.entry("PATRONI_REPLICATION_USERNAME", "replicator")));
        assertThat(result.errors()).isEmpty();
        assertThat(result.config().etcd().endpoints()).containsExactly("http://127.0.0.1:2379");

        ConfigResult whole = ConfigLoader.fromEnvironment(Map.of("PATRONI_CONFIGURATION", VALID,
                "PATRONI_NAME", "ignored-when-configuration-is-set"));
        assertThat(whole.errors()).isEmpty();
        assertThat(whole.config().name()).isEqualTo("node1");
    }
}
