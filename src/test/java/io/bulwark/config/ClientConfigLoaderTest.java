package io.bulwark.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The lenient mode for bulwarkctl, and the ctl section as the agent sees it. */
class ClientConfigLoaderTest {
    private static ClientConfigResult client(String yaml, Map<String, String> env) {
        return ClientConfigLoader.fromYaml(yaml, env, null, "--dcs-url", "ctl.yml");
    }

    @Test
    void aPatronictlFileWithoutNameOrPostgresqlGivesTypedRecords() {
        ClientConfigResult r = client("""
                scope: batman
                namespace: /db
                etcd3:
                  hosts: [10.0.0.1, 10.0.0.2:2380]
                  protocol: https
                  username: root
                  password: etcdpw
                restapi:
                  authentication: {username: api, password: apipw}
                  cafile: /etc/ssl/api-ca.pem
                ctl:
                  insecure: 'on'
                  certfile: /etc/ssl/ctl.pem
                  keyfile: /etc/ssl/ctl.key
                """, Map.of());
        assertThat(r.errors()).isEmpty();
        ClientConfig c = r.config();
        assertThat(c.scope()).isEqualTo("batman");
        assertThat(c.namespace()).isEqualTo("/db");
        assertThat(c.etcd().endpoints()).containsExactly("https://10.0.0.1:2379", "https://10.0.0.2:2380");
        assertThat(c.etcd().username()).isEqualTo("root");
        assertThat(c.restClient()).isEqualTo(new RestClientConfig("api", "apipw", true,
                Path.of("/etc/ssl/api-ca.pem"), Path.of("/etc/ssl/ctl.pem"), Path.of("/etc/ssl/ctl.key"), null));
    }

    @Test
    void anEmptyConfigurationIsNotAnErrorInLenientMode() {
        ClientConfigResult r = client("", Map.of());
        assertThat(r.errors()).isEmpty();
        assertThat(r.config()).isEqualTo(new ClientConfig(null, "/service", null, RestClientConfig.NONE));
    }

    @Test
    void theAgentsEnvironmentOverridesApply() {
        ClientConfigResult r = client("scope: a\netcd: {host: 10.0.0.1}\n", Map.of("PATRONI_SCOPE", "b",
                "PATRONI_ETCD3_URL", "http://10.0.0.5:2379", "PATRONI_CTL_INSECURE", "true",
                "PATRONI_RESTAPI_USERNAME", "u", "PATRONI_RESTAPI_PASSWORD", "p"));
        assertThat(r.errors()).isEmpty();
        assertThat(r.config().scope()).isEqualTo("b");
        assertThat(r.config().etcd().endpoints()).containsExactly("http://10.0.0.5:2379");
        assertThat(r.config().restClient().insecure()).isTrue();
        assertThat(r.config().restClient().username()).isEqualTo("u");
        assertThat(r.warnings()).extracting(ConfigProblem::path).contains("etcd");
    }

    @Test
    void problemsAreReportedWithPathsAsForTheAgent() {
        ClientConfigResult r = client("""
                etcd3: {host: 'h:x'}
                consul: {host: c}
                ctl: {insecure: maybe, certfile: /c.pem, bogus: 1}
                """, Map.of());
        assertThat(r.ok()).isFalse();
        assertThat(r.config()).isNull();
        assertThat(r.errors()).extracting(ConfigProblem::toString).contains(
                "etcd3.host: port must be a number, got 'x'",
                "ctl.insecure: must be a boolean (true or false), got 'maybe'",
                "ctl.keyfile: is required when ctl.certfile is set");
        assertThat(r.errors()).anySatisfy(p -> assertThat(p.toString()).startsWith("ctl.bogus: unknown key"));
        assertThat(r.warnings()).extracting(ConfigProblem::path).contains("consul");

        ClientConfigResult onlyOther = client("consul: {host: c}\n", Map.of());
        assertThat(onlyOther.errors()).extracting(ConfigProblem::toString).containsExactly(
                "etcd: is required: no DCS section (etcd or etcd3); consul is not supported by Bulwark");
    }

    @Test
    void theAgentRefusesUnknownKeysUnderCtl() {
        ConfigResult r = ConfigFixtures.load(ConfigFixtures.validPlus("""
                ctl:
                  insecure: true
                  cafile: /etc/ssl/ca.pem
                """));
        assertThat(r.errors()).extracting(ConfigProblem::path).isEqualTo(List.of("ctl.cafile"));
        assertThat(r.errors().getFirst().message()).contains("unknown key").contains("cacert");
        assertThat(ConfigFixtures.load(ConfigFixtures.validPlus("""
                ctl:
                  insecure: true
                  cacert: /etc/ssl/ca.pem
                  authentication: {username: a, password: b}
                """)).errors()).isEmpty();
    }
}
