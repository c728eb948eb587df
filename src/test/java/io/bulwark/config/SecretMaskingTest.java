package io.bulwark.config;

import org.junit.jupiter.api.Test;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No {@code toString} of a loaded configuration shows a secret (issue 9): a config with a distinct value in
 * every password field is loaded, and every record reachable from the result, down to the leaves, is printed.
 */
class SecretMaskingTest {
    private static final List<String> SECRETS = List.of("pw-restapi-1", "pw-superuser-2", "pw-replication-3",
            "pw-rewind-4", "pw-etcd-5", "pw-ctl-6", "pw-ctl-keyfile-7", "pw-restapi-keyfile-8", "pw-dcs-param-9");

    private static final String FULL = """
            scope: demo
            name: node1
            restapi:
              listen: 127.0.0.1:8008
              connect_address: 127.0.0.1:8008
              authentication: {username: admin, password: pw-restapi-1}
              keyfile_password: pw-restapi-keyfile-8
            ctl:
              authentication: {username: ctl, password: pw-ctl-6}
              certfile: /etc/ssl/ctl.pem
              keyfile: /etc/ssl/ctl.key
              keyfile_password: pw-ctl-keyfile-7
            etcd3:
              host: 127.0.0.1:2379
              username: root
              password: pw-etcd-5
            bootstrap:
              dcs:
                postgresql:
                  parameters:
                    x_password: pw-dcs-param-9
            postgresql:
              listen: 127.0.0.1:5432
              data_dir: /data/pgdata
              authentication:
                superuser: {username: postgres, password: pw-superuser-2}
                replication: {username: replicator, password: pw-replication-3}
                rewind: {username: rewinder, password: pw-rewind-4}
            """;

    @Test
    void noRecordOfTheAgentsConfigurationPrintsAPassword() {
        ConfigResult result = ConfigLoader.fromYaml(FULL, Map.of(), "full.yml");
        assertThat(result.errors()).isEmpty();
        List<Object> printed = everyRecord(result.config());
        assertThat(printed).as("records reached").hasSizeGreaterThan(8);
        assertNoSecretIn(printed);
        assertThat(result.config().toString()).as("masked, not dropped").contains(Secrets.MASK);
    }

    @Test
    void noRecordOfTheCliConfigurationPrintsAPassword() {
        ClientConfigResult result = ClientConfigLoader.fromYaml(FULL, Map.of(), null, "--dcs-url", "full.yml");
        assertThat(result.errors()).isEmpty();
        List<Object> printed = everyRecord(result.config());
        assertThat(printed).hasSizeGreaterThan(2);
        assertNoSecretIn(printed);
        RestClientConfig insecure = result.config().restClient().orInsecure(true);
        assertThat(insecure.toString()).doesNotContain("pw-ctl-6").doesNotContain("pw-ctl-keyfile-7");
    }

    @Test
    void secretsFromTheEnvironmentAreMaskedToo() {
        ConfigResult result = ConfigLoader.fromYaml(FULL, Map.of("PATRONI_ETCD3_PASSWORD", "pw-env-etcd",
                "PATRONI_SUPERUSER_PASSWORD", "pw-env-super"), "full.yml");
        assertThat(result.errors()).isEmpty();
        assertThat(result.config().etcd().password()).isEqualTo("pw-env-etcd");
        for (Object o : everyRecord(result.config())) {
            assertThat(o.toString()).doesNotContain("pw-env-etcd").doesNotContain("pw-env-super");
        }
    }

    private static void assertNoSecretIn(List<Object> printed) {
        for (Object o : printed) {
            for (String secret : SECRETS) {
                assertThat(o.toString()).as(o.getClass().getSimpleName()).doesNotContain(secret);
            }
        }
    }

    /** {@code root} and every record reachable through record components, lists and map values. */
    private static List<Object> everyRecord(Object root) {
        List<Object> out = new ArrayList<>();
        collect(root, out);
        return out;
    }

    private static void collect(Object value, List<Object> out) {
        if (value == null) {
            return;
        }
        if (value instanceof Collection<?> c) {
            c.forEach(v -> collect(v, out));
        } else if (value instanceof Map<?, ?> m) {
            m.values().forEach(v -> collect(v, out));
        } else if (value.getClass().isRecord()) {
            out.add(value);
            for (RecordComponent rc : value.getClass().getRecordComponents()) {
                try {
                    rc.getAccessor().setAccessible(true);
                    collect(rc.getAccessor().invoke(value), out);
                } catch (ReflectiveOperationException e) {
                    throw new AssertionError(rc.getName(), e);
                }
            }
        }
    }
}
