package io.bulwark.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The node YAMLs of {@code deploy/compose/config/} load with the environment the compose files give the agents,
 * and without it fail on the missing REST password, naming the key (the container entrypoint checks the same).
 * etcd and the REST API are HTTPS, with the TLS files the entrypoint copies from the compose secrets.
 */
class ComposeNodeConfigTest {
    private static final Map<String, String> SEED_ENV = Map.of("PATRONI_SUPERUSER_PASSWORD", "su",
            "PATRONI_REPLICATION_PASSWORD", "repl", "PATRONI_RESTAPI_PASSWORD", "rest");

    private static ConfigResult load(String node, Map<String, String> env) {
        return ConfigLoader.load(Path.of("deploy/compose/config", node + ".yml"), env);
    }

    @Test
    void seedNodesLoadWithThePasswordsFromTheEnvironment() {
        for (String node : new String[] {"node1", "node2"}) {
            ConfigResult result = load(node, SEED_ENV);
            assertThat(result.errors()).as(node).isEmpty();
            assertThat(result.warnings()).as(node).noneMatch(w -> w.message().equals("unknown key"));
            BulwarkConfig config = result.config();
            assertThat(config.name()).isEqualTo(node);
            assertThat(config.scope()).isEqualTo("seed");
            assertThat(config.etcd().endpoints()).containsExactly("https://node3:2379");
            assertThat(config.etcd().cacert()).isEqualTo(Path.of("/run/bulwark/tls/ca.crt"));
            assertThat(config.etcd().cert()).isEqualTo(Path.of("/run/bulwark/tls/etcd-client.crt"));
            assertThat(config.etcd().key()).isEqualTo(Path.of("/run/bulwark/tls/etcd-client.key"));
            assertThat(config.restapi().apiUrl()).isEqualTo("https://" + node + ":8008/patroni");
            assertThat(config.postgresql().connUrl()).isEqualTo("postgres://" + node + ":5432/postgres");
            assertThat(config.postgresql().superuser()).isEqualTo(new Credentials("postgres", "su"));
            assertThat(config.postgresql().replication()).isEqualTo(new Credentials("replicator", "repl"));
            assertThat(config.bootstrap().dcs().ttl()).isEqualTo(10);
        }
    }

    @Test
    void haEtcdLayoutListsAllThreeMembers() {
        Map<String, String> env = new java.util.HashMap<>(SEED_ENV);
        env.put("PATRONI_ETCD3_HOSTS", "etcd1:2379,etcd2:2379,node3:2379");
        ConfigResult result = load("node1", env);
        assertThat(result.errors()).isEmpty();
        assertThat(result.config().etcd().endpoints())
                .containsExactly("https://etcd1:2379", "https://etcd2:2379", "https://node3:2379");
    }

    @Test
    void withoutTheEnvironmentTheRestPasswordIsNamed() {
        ConfigResult result = load("node1", Map.of());
        assertThat(result.errors()).anySatisfy(e -> assertThat(e.toString())
                .contains("restapi.authentication.password"));
    }
}
