package io.bulwark.dcs.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bulwark.dcs.DcsException;
import io.bulwark.dcs.DcsKeys;
import io.bulwark.testing.EtcdServer;
import io.bulwark.testing.TlsFiles;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** EtcdDcs against an etcd that serves clients over TLS and requires client certificates. */
@Tag("integration")
@Timeout(120)
class EtcdTlsTest {
    private static final DcsKeys KEYS = new DcsKeys("/service/", "tls");
    /** For connections that must be refused: they fail within it. */
    private static final Duration BUDGET = Duration.ofSeconds(3);
    /** For connections that must work: a TLS handshake on a loaded 2-core CI machine took over 3 s. */
    private static final Duration WORKING_BUDGET = Duration.ofSeconds(20);

    @TempDir
    static Path dir;
    private static EtcdServer etcd;
    private static TlsFiles files;

    @BeforeAll
    static void startEtcd() {
        etcd = EtcdServer.startTls(dir.resolve("certs"));
        files = etcd.tls();
    }

    @AfterAll
    static void stopEtcd() {
        if (etcd != null) {
            etcd.close();
        }
    }

    private static EtcdDcs connect(EtcdTls tls, String name) {
        return EtcdDcs.connect(List.of(etcd.endpoint()), null, null, tls, KEYS, name, 30, WORKING_BUDGET, false);
    }

    @Test
    void clientCertificateAuthWorksForReadsAndTheLeaderRace() throws Exception {
        EtcdTls tls = new EtcdTls(files.caCert(), files.clientCert(), files.clientKey());
        try (EtcdDcs a = connect(tls, "a"); EtcdDcs b = connect(tls, "b")) {
            assertThat(a.cluster().leader()).isNull();
            assertThat(a.attemptToAcquireLeader()).isTrue();
            assertThat(b.attemptToAcquireLeader()).isFalse();
            assertThat(b.cluster().leader().name()).isEqualTo("a");
            a.deleteLeader(0);
            assertThat(b.attemptToAcquireLeader()).isTrue();
            b.deleteLeader(0);
        }
    }

    @Test
    void pkcs1Sec1AndCombinedKeyFilesWork() throws Exception {
        for (EtcdTls tls : List.of(new EtcdTls(files.caCert(), files.clientCert(), files.clientKeyPkcs1()),
                new EtcdTls(files.caCert(), files.clientEcCert(), files.clientEcKey()),
                new EtcdTls(files.caCert(), files.clientCombined(), null))) {
            try (EtcdDcs dcs = connect(tls, "k")) {
                assertThat(dcs.cluster()).as(tls.toString()).isNotNull();
            }
        }
    }

    @Test
    void withoutAClientCertificateTheCallFailsSayingSo() {
        try (EtcdDcs dcs = connect(new EtcdTls(files.caCert(), null, null), "a")) {
            org.assertj.core.api.Assertions.assertThat(failureMessage(dcs, "requires a client certificate: set cert and key"))
                    .contains(etcd.endpoint()).contains("requires a client certificate: set cert and key");
        }
    }

    @Test
    void aServerCertificateFromAnotherCaFailsSayingSo() {
        try (EtcdDcs dcs = connect(new EtcdTls(files.otherCaCert(), files.clientCert(), files.clientKey()), "a")) {
            org.assertj.core.api.Assertions.assertThat(failureMessage(dcs, "is not signed by a CA"))
                    .contains("is not signed by a CA in cacert " + files.otherCaCert());
        }
    }

    @Test
    void plainHttpAgainstTheTlsPortFails() {
        String plain = etcd.endpoint().replace("https://", "http://");
        try (EtcdDcs dcs = EtcdDcs.connect(List.of(plain), null, null, null, KEYS, "a", 30, BUDGET, false)) {
            assertThatThrownBy(dcs::cluster).isInstanceOf(DcsException.class).hasMessageContaining(plain);
        }
    }

    @Test
    void httpsAgainstAPlainEtcdSuggestsProtocolHttp() {
        try (EtcdServer plainEtcd = EtcdServer.start()) {
            String https = plainEtcd.endpoint().replace("http://", "https://");
            try (EtcdDcs dcs = EtcdDcs.connect(List.of(https), null, null, new EtcdTls(files.caCert(), null, null),
                    KEYS, "a", 30, BUDGET, false)) {
                // the diagnosis comes from a background handshake probe: a call may finish before it does, so
                // ask again (each call still fails; only the message gets better)
                String hint = "closed the connection during the TLS handshake; if it serves plain http, use protocol http";
                String message = "";
                for (int attempt = 0; attempt < 5 && !message.contains(hint); attempt++) {
                    try {
                        dcs.cluster();
                        throw new AssertionError("a TLS call against a plain etcd succeeded");
                    } catch (DcsException e) {
                        message = e.getMessage();
                    }
                }
                org.assertj.core.api.Assertions.assertThat(message).contains(hint);
            }
        }
    }

    @Test
    void missingFilesFailAtConnectNamingTheFile() {
        Path missing = dir.resolve("nope.crt");
        assertThatThrownBy(() -> connect(new EtcdTls(missing, null, null), "a"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("etcd cacert " + missing + ": cannot read the file");
        assertThatThrownBy(() -> connect(new EtcdTls(files.caCert(), files.clientCert(), files.clientCert()), "a"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("etcd key " + files.clientCert() + ": no PEM private key");
    }

    /**
     * The message of a failing call once the background TLS probe has diagnosed it: a call can time out before
     * the probe finishes, so ask up to five times (every call must fail).
     */
    private static String failureMessage(EtcdDcs dcs, String expected) {
        String message = "";
        for (int attempt = 0; attempt < 5 && !message.contains(expected); attempt++) {
            try {
                dcs.cluster();
                throw new AssertionError("the call succeeded");
            } catch (io.bulwark.dcs.DcsException e) {
                message = e.getMessage();
            }
        }
        return message;
    }
}
