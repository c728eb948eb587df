package io.bulwark.ctl;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static io.bulwark.ctl.Clusters.*;
import static org.assertj.core.api.Assertions.assertThat;

/** Global options, configuration resolution, exit codes and error messages. */
class BulwarkCtlTest {
    @TempDir
    Path dir;

    @Test
    void badArgumentsExitWith2AndNameTheOption() {
        FixedDcs dcs = new FixedDcs(batman());
        Run format = run(dcs, "--dcs-url=etcd3://h:2379", "list", "batman", "-f", "xml");
        assertThat(format.exitCode()).isEqualTo(2);
        assertThat(format.err()).contains("--format").contains("xml");

        Run unknown = run(dcs, "list", "--bogus");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("--bogus");

        Run port = run(dcs, "--dcs-url=etcd3://h:2379", "haproxy-config", "batman", "--primary-port", "70000");
        assertThat(port.exitCode()).isEqualTo(2);
        assertThat(port.err()).contains("--primary-port").contains("70000");

        Run notANumber = run(dcs, "haproxy-config", "--stats-port", "seven");
        assertThat(notANumber.exitCode()).isEqualTo(2);
        assertThat(notANumber.err()).contains("--stats-port").contains("seven");

        Run command = run(dcs, "frobnicate");
        assertThat(command.exitCode()).isEqualTo(2);
        assertThat(command.err()).contains("frobnicate");
        assertThat(dcs.opened).isEmpty();
    }

    @Test
    void configFileGivesScopeNamespaceAndEtcdEndpoints() throws Exception {
        Path file = dir.resolve("node1.yml");
        Files.writeString(file, """
                scope: batman
                namespace: /db/
                name: node1
                etcd3:
                  hosts: 10.0.0.3:2379,10.0.0.4
                  protocol: https
                  username: root
                  password: s3cret
                """);
        FixedDcs dcs = new FixedDcs(batman());
        Run r = run(dcs, "-c", file.toString(), "list");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).startsWith("+ Cluster: batman (7277694203142172922)");
        CtlTarget t = dcs.opened.getFirst();
        assertThat(t.scope()).isEqualTo("batman");
        assertThat(t.namespace()).isEqualTo("/db/");
        assertThat(t.keys().leader()).isEqualTo("/db/batman/leader");
        assertThat(t.endpoints()).containsExactly("https://10.0.0.3:2379", "https://10.0.0.4:2379");
        assertThat(t.username()).isEqualTo("root");
        assertThat(t.password()).isEqualTo("s3cret");
        assertThat(t.toString()).doesNotContain("s3cret");
        assertThat(t.insecure()).isFalse();

        Run overridden = run(dcs, "-c", file.toString(), "-k", "--dcs-url", "etcd://:2399", "list", "other");
        assertThat(overridden.exitCode()).isZero();
        CtlTarget o = dcs.opened.getLast();
        assertThat(o.scope()).isEqualTo("other");
        assertThat(o.endpoints()).containsExactly("http://localhost:2399");
        assertThat(o.namespace()).as("no namespace in the URL keeps the file's").isEqualTo("/db/");
        assertThat(o.insecure()).isTrue();
    }

    @Test
    void configProblemsExitWith1AndSayWhatIsWrong() throws Exception {
        FixedDcs dcs = new FixedDcs(batman());
        Run missing = run(dcs, "-c", dir.resolve("nope.yml").toString(), "list");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).contains("nope.yml").contains("-c/--config-file");

        Path badHost = dir.resolve("bad.yml");
        Files.writeString(badHost, "scope: batman\netcd3:\n  host: 10.0.0.3:http\n");
        Run bad = run(dcs, "-c", badHost.toString(), "list");
        assertThat(bad.exitCode()).isEqualTo(1);
        assertThat(bad.err()).contains("bad.yml: etcd3.host: port must be a number, got 'http'");

        Run noDcs = run(dcs, Map.of("HOME", dir.toString()), "list", "batman");
        assertThat(noDcs.exitCode()).isEqualTo(1);
        assertThat(noDcs.err()).contains("--dcs-url");

        Run scheme = run(dcs, "--dcs-url", "consul://h:8500", "list", "batman");
        assertThat(scheme.exitCode()).isEqualTo(1);
        assertThat(scheme.err()).contains("consul");

        Run noName = run(dcs, Map.of("HOME", dir.toString()), "--dcs-url", "etcd3://h:2379", "list");
        assertThat(noName.exitCode()).isZero();
        assertThat(noName.err()).contains("No cluster names were provided");
        assertThat(dcs.opened).isEmpty();
    }

    @Test
    void anUnreachableEtcdIsAClearErrorNamingTheEndpoint() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = BulwarkCtl.run(new String[]{"--dcs-url", "etcd3://127.0.0.1:1", "list", "batman"},
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of());
        assertThat(code).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("Error: could not read cluster batman")
                .contains("http://127.0.0.1:1");
    }

    @Test
    void versionWithoutClusterNeedsNoConfiguration() {
        Run r = run(new FixedDcs(batman()), Map.of(), "version");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).startsWith("bulwarkctl version ").contains("Patroni 4.1.4");
        assertThat(VersionCommand.formatPgVersion(90624)).isEqualTo("9.6.24");
        assertThat(VersionCommand.formatPgVersion(140008)).isEqualTo("14.8");
    }
}
