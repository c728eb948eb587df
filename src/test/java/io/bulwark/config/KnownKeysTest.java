package io.bulwark.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static io.bulwark.config.ConfigFixtures.load;
import static io.bulwark.config.ConfigFixtures.valid;
import static io.bulwark.config.ConfigFixtures.validWith;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sections that guard access refuse keys they do not know: a misspelled {@code authentication:} must not leave
 * the REST API open, nor a misspelled {@code password} connect without one. Patroni keys Bulwark does not
 * implement stay warnings.
 */
class KnownKeysTest {
    private static final String RESTAPI = "  listen: 127.0.0.1:8008\n";

    private static String restapi(String extra) {
        return validWith(RESTAPI, RESTAPI + extra);
    }

    @Test
    void misspelledRestapiAuthenticationIsAnErrorNamingKeyAndSection() {
        ConfigResult r = load(restapi("  authentification:\n    username: admin\n    password: pw\n"));
        assertThat(r.ok()).isFalse();
        assertThat(r.errors()).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("restapi.authentification");
            assertThat(p.message()).startsWith("unknown key in restapi; expected one of ")
                    .contains("authentication").contains("allow_unauthenticated_admin");
        });
    }

    @Test
    void unknownKeyUnderRestapiAuthenticationIsAnError() {
        ConfigResult r = load(restapi("  authentication:\n    username: admin\n    password: pw\n    passwd: x\n"));
        assertThat(r.errors()).extracting(ConfigProblem::path).containsExactly("restapi.authentication.passwd");
        assertThat(r.errors().getFirst().message()).contains("restapi.authentication");
    }

    @Test
    void patroniRestapiKeysBulwarkIgnoresAreWarnings() {
        ConfigResult r = load(restapi("  ciphers: HIGH\n  request_queue_size: 5\n"));
        assertThat(r.ok()).isTrue();
        assertThat(r.warnings()).extracting(ConfigProblem::path)
                .contains("restapi.ciphers", "restapi.request_queue_size");
    }

    @Test
    void unknownEtcdAndEtcd3KeysAreErrors() {
        ConfigResult v2 = load(validWith("  host: 127.0.0.1:2379\n", "  host: 127.0.0.1:2379\n  pasword: x\n"));
        assertThat(v2.errors()).extracting(ConfigProblem::path).containsExactly("etcd.pasword");
        assertThat(v2.errors().getFirst().message()).startsWith("unknown key in etcd;");
        ConfigResult v3 = load(validWith("etcd:\n  host: 127.0.0.1:2379\n",
                "etcd3:\n  host: 127.0.0.1:2379\n  usernme: root\n"));
        assertThat(v3.errors()).extracting(ConfigProblem::path).containsExactly("etcd3.usernme");
        ConfigResult srv = load(validWith("  host: 127.0.0.1:2379\n", "  host: 127.0.0.1:2379\n  srv_suffix: x\n"));
        assertThat(srv.ok()).isTrue();
        assertThat(srv.warnings()).extracting(ConfigProblem::path).contains("etcd.srv_suffix");
    }

    @Test
    void unknownKeysUnderPostgresqlAuthenticationAreErrors() {
        ConfigResult section = load(validWith("    replication:\n",
                "    replicaton:\n      username: r\n    replication:\n"));
        assertThat(section.errors()).extracting(ConfigProblem::path)
                .containsExactly("postgresql.authentication.replicaton");
        ConfigResult user = load(validWith("      password: secret-superuser-pw\n",
                "      password: secret-superuser-pw\n      pasword: x\n"));
        assertThat(user.errors()).extracting(ConfigProblem::path)
                .containsExactly("postgresql.authentication.superuser.pasword");
        assertThat(user.errors().getFirst().message()).contains("postgresql.authentication.superuser")
                .doesNotContain("secret-superuser-pw");
        ConfigResult ssl = load(validWith("      password: secret-superuser-pw\n",
                "      password: secret-superuser-pw\n      sslmode: verify-full\n"));
        assertThat(ssl.ok()).isTrue();
        assertThat(ssl.warnings()).extracting(ConfigProblem::path)
                .contains("postgresql.authentication.superuser.sslmode");
    }

    @Test
    void restapiSecuritySettingsAreParsedIntoTheRecord() {
        RestApiConfig api = valid(restapi("""
                  authentication:
                    username: admin
                    password: s3cret
                  allowlist: [10.0.0.0/8, node1]
                  allowlist_include_members: on
                  certfile: /etc/ssl/cert.pem
                  keyfile_password: kp
                  cafile: /etc/ssl/ca.pem
                  verify_client: Optional
                  allow_unauthenticated_admin: true
                """)).restapi();
        assertThat(api.username()).isEqualTo("admin");
        assertThat(api.allowlist()).containsExactly("10.0.0.0/8", "node1");
        assertThat(api.allowlistIncludeMembers()).isTrue();
        assertThat(api.certfile()).isEqualTo(Path.of("/etc/ssl/cert.pem"));
        assertThat(api.tls()).isTrue();
        assertThat(api.cafile()).isEqualTo(Path.of("/etc/ssl/ca.pem"));
        assertThat(api.verifyClient()).isEqualTo("optional");
        assertThat(api.allowUnauthenticatedAdmin()).isTrue();
        assertThat(api.toString()).doesNotContain("s3cret").doesNotContain("kp");
        assertThat(valid(ConfigFixtures.VALID).restapi().allowUnauthenticatedAdmin()).isFalse();
    }

    @Test
    void badRestapiSecurityValuesNameTheKey() {
        assertThat(load(restapi("  allowlist: 10.0.0.0/8\n")).errors()).extracting(ConfigProblem::path)
                .containsExactly("restapi.allowlist");
        assertThat(load(restapi("  certfile: c.pem\n  cafile: a.pem\n  verify_client: sometimes\n")).errors())
                .extracting(ConfigProblem::path).containsExactly("restapi.verify_client");
        assertThat(load(restapi("  verify_client: required\n")).errors()).singleElement()
                .satisfies(p -> assertThat(p.message()).contains("restapi.certfile"));
        assertThat(load(restapi("  allowlist_include_members: maybe\n")).errors()).extracting(ConfigProblem::path)
                .containsExactly("restapi.allowlist_include_members");
        assertThat(load(restapi("  allow_unauthenticated_admin: perhaps\n")).errors()).extracting(ConfigProblem::path)
                .containsExactly("restapi.allow_unauthenticated_admin");
    }

    @Test
    void peerCallsUseCtlCertificatesElseTheRestApisOwn() {
        String tls = "  certfile: /etc/ssl/node.pem\n  keyfile: /etc/ssl/node.key\n  cafile: /etc/ssl/ca.pem\n";
        RestClientConfig fallback = valid(restapi(tls)).peers();
        assertThat(fallback.certfile()).isEqualTo(Path.of("/etc/ssl/node.pem"));
        assertThat(fallback.keyfile()).isEqualTo(Path.of("/etc/ssl/node.key"));
        assertThat(fallback.cacert()).isEqualTo(Path.of("/etc/ssl/ca.pem"));
        RestClientConfig own = valid(restapi(tls) + "ctl:\n  certfile: /etc/ssl/ctl.pem\n  keyfile: /etc/ssl/ctl.key\n"
                + "  cacert: /etc/ssl/ctl-ca.pem\n").peers();
        assertThat(own.certfile()).isEqualTo(Path.of("/etc/ssl/ctl.pem"));
        assertThat(own.keyfile()).isEqualTo(Path.of("/etc/ssl/ctl.key"));
        assertThat(own.cacert()).isEqualTo(Path.of("/etc/ssl/ctl-ca.pem"));
        assertThat(valid(ConfigFixtures.VALID).peers().certfile()).isNull();
    }

    @Test
    void maxConnectionsPerClientDefaultsTo256AndIsBoundedByTheConnectionCap() {
        assertThat(valid(ConfigFixtures.VALID).restapi().maxConnectionsPerClient()).isEqualTo(256);
        assertThat(valid(restapi("  max_connections_per_client: 8\n")).restapi().maxConnectionsPerClient())
                .isEqualTo(8);
        assertThat(load(restapi("  max_connections_per_client: 0\n")).errors()).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("restapi.max_connections_per_client");
            assertThat(p.message()).contains(">= 1");
        });
        assertThat(load(restapi("  max_connections_per_client: 1000\n")).errors()).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("restapi.max_connections_per_client");
            assertThat(p.message()).contains("at most 768");
        });
        assertThat(load(restapi("  max_connections_per_client: many\n")).errors()).extracting(ConfigProblem::path)
                .containsExactly("restapi.max_connections_per_client");
    }

    @Test
    void validationWarnsWhenUnsafeMethodsWillBeRefused() {
        String open = validWith("  listen: 127.0.0.1:8008\n", "  listen: 0.0.0.0:8008\n");
        assertThat(load(open).warnings()).anySatisfy(p -> {
            assertThat(p.path()).isEqualTo("restapi.listen");
            assertThat(p.message()).contains("refused with 403").contains("restapi.allow_unauthenticated_admin");
        });
        String flagged = validWith("  listen: 127.0.0.1:8008\n",
                "  listen: 0.0.0.0:8008\n  allow_unauthenticated_admin: true\n");
        assertThat(load(flagged).warnings()).noneSatisfy(p -> assertThat(p.message()).contains("refused with 403"));
        assertThat(load(ConfigFixtures.VALID).warnings()).as("loopback")
                .noneSatisfy(p -> assertThat(p.message()).contains("refused with 403"));
    }

    @Test
    void allowUnauthenticatedAdminComesFromTheEnvironmentToo() {
        ConfigResult r = load(ConfigFixtures.VALID,
                java.util.Map.of("PATRONI_RESTAPI_ALLOW_UNAUTHENTICATED_ADMIN", "true"));
        assertThat(r.errors()).isEmpty();
        assertThat(r.config().restapi().allowUnauthenticatedAdmin()).isTrue();
    }
}
