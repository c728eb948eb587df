package io.bulwark.config;

import static io.bulwark.config.ConfigFixtures.load;
import static io.bulwark.config.ConfigFixtures.valid;
import static io.bulwark.config.ConfigFixtures.validWith;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code etcd3.protocol: https}, {@code cacert}, {@code cert}, {@code key} from the file and the environment. */
class EtcdTlsConfigTest {
    private static final String ETCD = "etcd:\n  host: 127.0.0.1:2379\n";
    private static final String CERT_PEM = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
    private static final String KEY_PEM = "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n";

    @TempDir
    Path dir;
    Path ca;
    Path cert;
    Path key;

    @BeforeEach
    void files() throws IOException {
        ca = Files.writeString(dir.resolve("ca.crt"), CERT_PEM);
        cert = Files.writeString(dir.resolve("client.crt"), CERT_PEM);
        key = Files.writeString(dir.resolve("client.key"), KEY_PEM);
    }

    private String etcd3(String extra) {
        return validWith(ETCD, "etcd3:\n  hosts: 10.0.0.1:2379,10.0.0.2:2379\n  protocol: https\n" + extra);
    }

    private static java.util.List<ConfigProblem> etcdWarnings(ConfigResult result) {
        return result.warnings().stream().filter(w -> w.toString().startsWith("etcd")).toList();
    }

    @Test
    void fileKeysBecomePaths() {
        EtcdConfig etcd = valid(etcd3("  cacert: " + ca + "\n  cert: " + cert + "\n  key: " + key
                + "\n  username: root\n  password: pw\n")).etcd();
        assertThat(etcd.endpoints()).containsExactly("https://10.0.0.1:2379", "https://10.0.0.2:2379");
        assertThat(etcd.tls()).isTrue();
        assertThat(etcd).isEqualTo(new EtcdConfig(etcd.endpoints(), "root", "pw", ca, cert, key));
    }

    @Test
    void httpsWithoutCacertUsesDefaultTrust() {
        ConfigResult result = load(etcd3(""));
        assertThat(result.errors()).isEmpty();
        assertThat(etcdWarnings(result)).isEmpty();
        assertThat(result.config().etcd().cacert()).isNull();
        assertThat(result.config().etcd().tls()).isTrue();
    }

    @Test
    void environmentSetsTheFilesForEitherFlavour() {
        ConfigResult etcd3 = load(validWith(ETCD, "etcd3:\n  host: 10.0.0.1:2379\n"), Map.of(
                "PATRONI_ETCD3_PROTOCOL", "https", "PATRONI_ETCD3_CACERT", ca.toString(),
                "PATRONI_ETCD3_CERT", cert.toString(), "PATRONI_ETCD3_KEY", key.toString()));
        assertThat(etcd3.errors()).isEmpty();
        assertThat(etcd3.config().etcd()).isEqualTo(new EtcdConfig(java.util.List.of("https://10.0.0.1:2379"),
                null, null, ca, cert, key));
        ConfigResult etcd = load(ConfigFixtures.VALID, Map.of("PATRONI_ETCD_URL", "https://10.0.0.9:2379",
                "PATRONI_ETCD_CACERT", ca.toString()));
        assertThat(etcd.errors()).isEmpty();
        assertThat(etcd.config().etcd().endpoints()).containsExactly("https://10.0.0.9:2379");
        assertThat(etcd.config().etcd().cacert()).isEqualTo(ca);
    }

    @Test
    void keyWithoutCertIsAnError() {
        assertThat(load(etcd3("  key: " + key + "\n")).errors()).containsExactly(new ConfigProblem("etcd3.key",
                "is set without etcd3.cert; set cert to the client certificate of this key"));
    }

    @Test
    void certAloneMustBeACombinedPem() throws IOException {
        assertThat(load(etcd3("  cert: " + cert + "\n")).errors()).containsExactly(new ConfigProblem("etcd3.cert",
                cert + " holds no private key; set etcd3.key to the key file (a cert without key must be a"
                        + " combined PEM)"));
        Path combined = Files.writeString(dir.resolve("combined.pem"), CERT_PEM + KEY_PEM);
        ConfigResult ok = load(etcd3("  cert: " + combined + "\n"));
        assertThat(ok.errors()).isEmpty();
        assertThat(ok.config().etcd().cert()).isEqualTo(combined);
        assertThat(ok.config().etcd().key()).isNull();
    }

    @Test
    void unreadableFilesAreWarningsNotErrors() {
        Path missing = dir.resolve("elsewhere/ca.crt");
        ConfigResult result = load(etcd3("  cacert: " + missing + "\n"));
        assertThat(result.errors()).isEmpty();
        assertThat(etcdWarnings(result)).containsExactly(new ConfigProblem("etcd3.cacert",
                missing + " is not a readable file here; the agent will not start without it"));
    }

    @Test
    void aFileThatIsNotPemIsAnError() throws IOException {
        Path der = Files.write(dir.resolve("ca.der"), new byte[] {0x30, (byte) 0x82, 0x01});
        assertThat(load(etcd3("  cacert: " + der + "\n")).errors()).containsExactly(new ConfigProblem(
                "etcd3.cacert", der + " is not PEM with a CERTIFICATE block"));
        assertThat(load(etcd3("  cert: " + cert + "\n  key: " + cert + "\n")).errors()).containsExactly(
                new ConfigProblem("etcd3.key", cert + " is not PEM with a PRIVATE KEY block"));
    }

    @Test
    void tlsFilesWithHttpEndpointsWarnAndMixedProtocolsFail() {
        ConfigResult plain = load(validWith(ETCD, "etcd3:\n  host: 10.0.0.1:2379\n  cacert: " + ca + "\n"));
        assertThat(plain.errors()).isEmpty();
        assertThat(etcdWarnings(plain)).containsExactly(new ConfigProblem("etcd3",
                "cacert, cert and key are unused with http:// endpoints; set protocol: https"));
        assertThat(load(validWith(ETCD, "etcd3:\n  urls: [http://a:1, https://b:2]\n")).errors()).containsExactly(
                new ConfigProblem("etcd3", "mixes http:// and https:// endpoints; use one protocol for all"));
    }
}
