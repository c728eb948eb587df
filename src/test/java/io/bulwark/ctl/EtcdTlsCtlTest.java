package io.bulwark.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.dcs.DcsKeys;
import io.bulwark.dcs.MemberData;
import io.bulwark.dcs.etcd.EtcdDcs;
import io.bulwark.dcs.etcd.EtcdTls;
import io.bulwark.testing.EtcdServer;
import io.bulwark.testing.TlsFiles;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code bulwarkctl list} against an etcd that requires TLS client certificates, configured as a node is. */
@Tag("integration")
@Timeout(120)
class EtcdTlsCtlTest {
    private static final DcsKeys KEYS = new DcsKeys("/service", "batman");

    @TempDir
    static Path dir;
    private static EtcdServer etcd;
    private static TlsFiles files;

    @BeforeAll
    static void startEtcdWithALeader() throws Exception {
        etcd = EtcdServer.startTls(dir.resolve("certs"));
        files = etcd.tls();
        EtcdTls tls = new EtcdTls(files.caCert(), files.clientCert(), files.clientKey());
        try (EtcdDcs node = EtcdDcs.connect(List.of(etcd.endpoint()), null, null, tls, KEYS, "postgresql0", 60,
                Duration.ofSeconds(5), false)) {
            node.touchMember(new MemberData("postgres://127.0.0.1:5432/postgres", "http://127.0.0.1:8008/patroni",
                    "running", "primary", "4.1.4", 0x40004E8L, null, null, null, 5, Map.of(), null, Map.of()));
            assertThat(node.attemptToAcquireLeader()).isTrue();
        }
    }

    @AfterAll
    static void stopEtcd() {
        if (etcd != null) {
            etcd.close();
        }
    }

    private static Path nodeConfig(String name, String tlsKeys) throws Exception {
        return Files.writeString(dir.resolve(name), "scope: batman\nname: postgresql0\netcd3:\n  hosts: "
                + etcd.hostPort() + "\n  protocol: https\n" + tlsKeys);
    }

    private static String[] run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = BulwarkCtl.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env);
        return new String[] {Integer.toString(code), out.toString(StandardCharsets.UTF_8),
                err.toString(StandardCharsets.UTF_8)};
    }

    @Test
    void listReadsTheClusterWithTheNodesCertificates() throws Exception {
        Path config = nodeConfig("node.yml", "  cacert: " + files.caCert() + "\n  cert: " + files.clientCert()
                + "\n  key: " + files.clientKey() + "\n");
        String[] r = run(Map.of(), "-c", config.toString(), "list");
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        assertThat(r[1]).contains("+ Cluster: batman").contains("| postgresql0 | 127.0.0.1").contains("Leader");
    }

    @Test
    void certificatesFromTheEnvironment() throws Exception {
        Path config = nodeConfig("bare.yml", "");
        String[] r = run(Map.of("PATRONI_ETCD3_CACERT", files.caCert().toString(),
                "PATRONI_ETCD3_CERT", files.clientCert().toString(), "PATRONI_ETCD3_KEY", files.clientKey().toString()),
                "-c", config.toString(), "list", "-f", "json");
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        assertThat(r[1]).contains("\"Member\": \"postgresql0\"");
    }

    @Test
    void withoutAClientCertificateTheErrorSaysSo() throws Exception {
        Path config = nodeConfig("nocert.yml", "  cacert: " + files.caCert() + "\n");
        // the diagnosis comes from a background TLS probe that may finish after the first call times out
        String[] r = run(Map.of(), "-c", config.toString(), "list");
        for (int attempt = 0; attempt < 3 && !r[2].contains("requires a client certificate"); attempt++) {
            assertThat(r[0]).isEqualTo("1");
            r = run(Map.of(), "-c", config.toString(), "list");
        }
        assertThat(r[0]).isEqualTo("1");
        assertThat(r[2]).contains("requires a client certificate: set cert and key");
    }

    @Test
    void aMissingKeyFileIsNamed() throws Exception {
        Path missing = dir.resolve("gone.key");
        Path config = nodeConfig("gone.yml", "  cacert: " + files.caCert() + "\n  cert: " + files.clientCert()
                + "\n  key: " + missing + "\n");
        String[] r = run(Map.of(), "-c", config.toString(), "list");
        assertThat(r[0]).isEqualTo("1");
        assertThat(r[2]).contains("etcd key " + missing + ": cannot read the file");
    }
}
