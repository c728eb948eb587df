package io.bulwark.ctl;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.bulwark.config.RestClientConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Where REST credentials and TLS settings come from (reference §3.5 "Outgoing calls"). */
class RestClientConfigTest {
    @TempDir
    Path dir;

    @Test
    void ctlAuthenticationWinsOverRestapiAndEnvironmentOverridesTheFile() throws Exception {
        Path file = dir.resolve("node.yml");
        Files.writeString(file, """
                scope: batman
                etcd3: {host: 127.0.0.1:2379}
                restapi:
                  authentication: {username: api, password: apipw}
                  cafile: /etc/ssl/api-ca.pem
                ctl:
                  authentication: {username: ctl, password: ctlpw}
                  certfile: /etc/ssl/ctl.pem
                  keyfile: /etc/ssl/ctl.key
                  insecure: true
                """);
        RestClientConfig s = CtlConfig.load(file, true, null, false, Map.of()).restClient();
        assertThat(s.username()).isEqualTo("ctl");
        assertThat(s.password()).isEqualTo("ctlpw");
        assertThat(s.cacert()).isEqualTo(Path.of("/etc/ssl/api-ca.pem"));
        assertThat(s.certfile()).isEqualTo(Path.of("/etc/ssl/ctl.pem"));
        assertThat(s.insecure()).isTrue();
        assertThat(s.toString()).doesNotContain("ctlpw");

        RestClientConfig env = CtlConfig.load(file, true, null, false,
                Map.of("PATRONI_CTL_USERNAME", "envuser", "PATRONI_CTL_CACERT", "/ca.pem")).restClient();
        assertThat(env.username()).isEqualTo("envuser");
        assertThat(env.cacert()).isEqualTo(Path.of("/ca.pem"));

        Path apiOnly = dir.resolve("api.yml");
        Files.writeString(apiOnly, "restapi:\n  authentication:\n    username: api\n    password: apipw\n");
        RestClientConfig fallback = CtlConfig.load(apiOnly, true, null, false, Map.of()).restClient();
        assertThat(fallback.username()).isEqualTo("api");
        assertThat(fallback.insecure()).isFalse();
        assertThat(CtlConfig.load(null, false, null, false, Map.of()).restClient().hasAuth()).isFalse();
    }

    @Test
    void missingCaFileIsAClearError() {
        RestClientConfig s = new RestClientConfig(null, null, false, dir.resolve("nope.pem"), null, null, null);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new MemberApi(s))
                .isInstanceOf(CtlException.class).hasMessageContaining("ctl.cacert").hasMessageContaining("nope.pem");
    }
}
