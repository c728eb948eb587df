package io.bulwark.ctl;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static io.bulwark.ctl.Clusters.*;
import static org.assertj.core.api.Assertions.assertThat;

/** bulwarkctl reads its file through the agent's configuration reader: same rules, same overrides, same messages. */
class CtlConfigFileTest {
    @TempDir
    Path dir;

    private Path file(String yaml) throws Exception {
        return Files.writeString(dir.resolve("patronictl.yaml"), yaml);
    }

    @Test
    void aMisspeltKeyUnderCtlIsAnErrorNamingIt() throws Exception {
        Path f = file("""
                scope: batman
                etcd3: {host: 127.0.0.1:2379}
                ctl:
                  authentification: {username: admin, password: pw}
                """);
        FixedDcs dcs = new FixedDcs(batman());
        Run r = run(dcs, "-c", f.toString(), "list");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).startsWith("Error: " + f + ": ctl.authentification: unknown key in ctl; expected one of")
                .contains("authentication");
        assertThat(dcs.opened).isEmpty();

        Path nested = file("scope: batman\netcd3: {host: h}\nctl:\n  authentication: {user: a, password: b}\n");
        Run n = run(dcs, "-c", nested.toString(), "list");
        assertThat(n.exitCode()).isEqualTo(1);
        assertThat(n.err()).contains("ctl.authentication.user: unknown key");
    }

    @Test
    void incompleteCredentialsAndCertificatesAreRefusedBeforeAnyCall() throws Exception {
        Path f = file("""
                scope: batman
                etcd3: {host: 127.0.0.1:2379, username: root}
                ctl:
                  authentication: {username: admin}
                  certfile: /etc/ssl/ctl.pem
                """);
        FixedDcs dcs = new FixedDcs(batman());
        Run r = run(dcs, "-c", f.toString(), "list");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("etcd3.password: is required when etcd3.username is set")
                .contains("ctl.authentication.password: is required when ctl.authentication.username is set")
                .contains("ctl.keyfile: is required when ctl.certfile is set");
        assertThat(r.err().lines().filter(l -> l.startsWith("Error: ")).count()).isEqualTo(3);
        assertThat(dcs.opened).isEmpty();
    }

    @Test
    void environmentEndpointsReplaceTheFilesAsForTheAgent() throws Exception {
        Path f = file("scope: batman\netcd3:\n  hosts: [10.0.0.1:2379]\n  port: 2379\n");
        FixedDcs dcs = new FixedDcs(batman());
        Run r = run(dcs, Map.of("PATRONI_ETCD3_HOST", "10.9.9.9:2391", "PATRONI_NAMESPACE", "/env"),
                "-c", f.toString(), "list");
        assertThat(r.exitCode()).as(r.err()).isZero();
        CtlTarget t = dcs.opened.getFirst();
        assertThat(t.endpoints()).containsExactly("http://10.9.9.9:2391");
        assertThat(t.namespace()).isEqualTo("/env");
    }

    @Test
    void aWholeNodeConfigurationServesTheCliWithoutItsPostgresqlSection() throws Exception {
        Path f = file("""
                scope: batman
                name: node1
                etcd: {url: 'http://10.0.0.7:2379/'}
                postgresql: {listen: 'not a host:port'}
                bogus_top_level: 1
                """);
        FixedDcs dcs = new FixedDcs(batman());
        Run r = run(dcs, "-c", f.toString(), "list");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(dcs.opened.getFirst().endpoints()).containsExactly("http://10.0.0.7:2379");
        assertThat(r.err()).contains("Warning: " + f + ": bogus_top_level: unknown key");
    }

    @Test
    void dcsUrlReplacesTheFilesSectionEvenABrokenOne() throws Exception {
        Path f = file("scope: batman\netcd3:\n  host: 10.0.0.3:http\n  password: pw\n");
        FixedDcs dcs = new FixedDcs(batman());
        Run r = run(dcs, "-c", f.toString(), "--dcs-url", "etcd3://10.0.0.8/ns", "list");
        assertThat(r.exitCode()).as(r.err()).isZero();
        CtlTarget t = dcs.opened.getFirst();
        assertThat(t.endpoints()).containsExactly("http://10.0.0.8:2379");
        assertThat(t.namespace()).isEqualTo("/ns");
        assertThat(t.password()).isNull();

        Run fromEnv = run(dcs, Map.of("DCS_URL", "etcd3://h:99999"), "list", "batman");
        assertThat(fromEnv.exitCode()).isEqualTo(1);
        assertThat(fromEnv.err()).startsWith("Error: DCS_URL: expected etcd3://host:port[/namespace]");
    }

    @Test
    void aScopeThatCannotBeAKeySegmentIsRefused() throws Exception {
        Path f = file("scope: bat/man\netcd3: {host: h}\n");
        Run r = run(new FixedDcs(batman()), "-c", f.toString(), "list");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("scope: must not contain '/'");
    }
}
