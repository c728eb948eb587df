package io.bulwark.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

/** A minimal valid configuration and shortcuts for loading variants of it. */
final class ConfigFixtures {
    static final String VALID = """
            scope: demo
            name: node1
            restapi:
              listen: 127.0.0.1:8008
            etcd:
              host: 127.0.0.1:2379
            postgresql:
              listen: 127.0.0.1:5432
              data_dir: /data/pgdata
              authentication:
                superuser:
                  username: postgres
                  password: secret-superuser-pw
                replication:
                  username: replicator
                  password: secret-replication-pw
            """;

    private ConfigFixtures() {
    }

    static ConfigResult load(String yaml) {
        return ConfigLoader.fromYaml(yaml, Map.of(), "test.yml");
    }

    static ConfigResult load(String yaml, Map<String, String> env) {
        return ConfigLoader.fromYaml(yaml, env, "test.yml");
    }

    /** Loads and asserts success; returns the config. */
    static BulwarkConfig valid(String yaml) {
        ConfigResult result = load(yaml);
        assertThat(result.errors()).isEmpty();
        assertThat(result.ok()).isTrue();
        return result.config();
    }

    /** {@link #VALID} with one line replaced (the old text must occur). */
    static String validWith(String oldText, String newText) {
        assertThat(VALID).contains(oldText);
        return VALID.replace(oldText, newText);
    }

    /** {@link #VALID} with a YAML fragment appended at the top level. */
    static String validPlus(String fragment) {
        return VALID + fragment.stripIndent();
    }
}
