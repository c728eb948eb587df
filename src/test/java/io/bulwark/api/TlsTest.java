package io.bulwark.api;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** HTTPS with certificates made by {@code openssl} for this run: a CA, an EC server key, an RSA (PKCS#1) client. */
class TlsTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void certificates() throws Exception {
        Files.writeString(dir.resolve("server.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "2",
                "-subj", "/CN=bulwark-test-ca");
        openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "server.key");
        openssl("req", "-new", "-key", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1");
        openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", "server.crt", "-days", "2", "-extfile", "server.ext");
        openssl("pkcs8", "-topk8", "-in", "server.key", "-out", "server-enc.key", "-passout", "pass:kpass",
                "-v2", "aes-256-cbc");
        openssl("genrsa", "-traditional", "-out", "client.key", "2048");
        openssl("req", "-new", "-key", "client.key", "-out", "client.csr", "-subj", "/CN=bulwarkctl");
        openssl("x509", "-req", "-in", "client.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", "client.crt", "-days", "2");
    }

    private static void openssl(String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of("openssl"));
        argv.addAll(List.of(args));
        Process p = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("openssl.log").toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", argv) + ": " + Files.readString(dir.resolve("openssl.log")))
                .isZero();
    }

    private static RestSecurity security(String keyfile, String password, String verifyClient) {
        return new RestSecurity(null, null, List.of(), false, dir.resolve("server.crt"), dir.resolve(keyfile),
                password, "none".equals(verifyClient) ? null : dir.resolve("ca.crt"), verifyClient);
    }

    private static HttpClient client(boolean withClientCert) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", PemTls.certificates(dir.resolve("ca.crt"), "ca").get(0));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        KeyManagerFactory kmf = null;
        if (withClientCert) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            List<Certificate> chain = PemTls.certificates(dir.resolve("client.crt"), "client");
            keys.setKeyEntry("client", PemTls.privateKey(dir.resolve("client.key"), null), "x".toCharArray(),
                    chain.toArray(Certificate[]::new));
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, "x".toCharArray());
        }
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(ctx).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    private static int call(HttpClient client, ActionServer s, String method, String path) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + s.api.port() + path))
                .timeout(Duration.ofSeconds(15)).method(method, HttpRequest.BodyPublishers.noBody()).build();
        return client.send(req, HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    @Test
    void verifyClientNoneServesEverythingOverHttps() throws Exception {
        try (ActionServer s = new ActionServer(security("server.key", null, "none"), true)) {
            HttpClient c = client(false);
            assertThat(call(c, s, "GET", "/patroni")).isEqualTo(200);
            assertThat(call(c, s, "POST", "/reload")).isEqualTo(202);
        }
    }

    @Test
    void verifyClientOptionalDemandsACertificateOnlyForUnsafeEndpoints() throws Exception {
        try (ActionServer s = new ActionServer(security("server.key", null, "optional"), true)) {
            HttpClient anonymous = client(false);
            assertThat(call(anonymous, s, "GET", "/patroni")).isEqualTo(200);
            HttpResponse<String> refused = anonymous.send(HttpRequest.newBuilder(
                    URI.create("https://127.0.0.1:" + s.api.port() + "/reload")).timeout(Duration.ofSeconds(15))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(refused.body()).isEqualTo("client certificate required");
            assertThat(s.admin.calls).isEmpty();
            assertThat(call(client(true), s, "POST", "/reload")).isEqualTo(202);
            assertThat(s.admin.calls).containsExactly("reload");
        }
    }

    @Test
    void verifyClientRequiredRefusesTheHandshakeWithoutACertificate() throws Exception {
        try (ActionServer s = new ActionServer(security("server.key", null, "required"), true)) {
            assertThatThrownBy(() -> call(client(false), s, "GET", "/patroni")).isInstanceOf(IOException.class);
            HttpClient trusted = client(true);
            assertThat(call(trusted, s, "GET", "/patroni")).isEqualTo(200);
            assertThat(call(trusted, s, "POST", "/reload")).isEqualTo(202);
        }
    }

    @Test
    void peerCallsPresentTheClientCertificateToAPeerThatRequiresOne() throws Exception {
        try (ActionServer s = new ActionServer(security("server.key", null, "required"), true)) {
            String url = "https://127.0.0.1:" + s.api.port() + "/patroni";
            PeerClient anonymous = new PeerClient(true, dir.resolve("ca.crt"));
            assertThat(anonymous.fetch(url, Duration.ofSeconds(10))).as("no certificate: handshake refused").isEmpty();
            PeerClient withCert = new PeerClient(true, new io.bulwark.config.RestClientConfig(null, null, false,
                    dir.resolve("ca.crt"), dir.resolve("client.crt"), dir.resolve("client.key"), null));
            assertThat(withCert.fetch(url, Duration.ofSeconds(10))).isPresent();
        }
    }

    @Test
    void encryptedKeyNeedsItsPassword() throws Exception {
        try (ActionServer s = new ActionServer(security("server-enc.key", "kpass", "none"), true)) {
            assertThat(call(client(false), s, "GET", "/patroni")).isEqualTo(200);
        }
        try (ActionServer s = new ActionServer(RestSecurity.NONE, false)) {
            assertThatThrownBy(() -> s.start(security("server-enc.key", null, "none")))
                    .isInstanceOf(IOException.class).hasMessageContaining("restapi.keyfile_password");
            assertThatThrownBy(() -> s.start(security("server-enc.key", "wrong", "none")))
                    .isInstanceOf(IOException.class).hasMessageContaining("cannot decrypt")
                    .hasMessageNotContaining("wrong");
            assertThatThrownBy(() -> s.start(security("missing.key", null, "none")))
                    .isInstanceOf(IOException.class).hasMessageContaining("restapi.keyfile");
        }
    }

    /** Peers' certificates are signed by a private CA: the agent asks them with restapi.cafile (or ctl.cacert). */
    @Test
    void peerClientTrustsTheCaFileItIsGivenAndNotTheDefaultStoreAlone() throws Exception {
        try (ActionServer s = new ActionServer(security("server.key", null, "none"), true)) {
            String url = "https://127.0.0.1:" + s.api.port() + "/patroni";
            assertThat(new PeerClient(true, dir.resolve("ca.crt")).fetch(url, Duration.ofSeconds(15)))
                    .hasValueSatisfying(p -> assertThat(p.role()).isEqualTo("primary"));
            assertThat(new PeerClient(true).fetch(url, Duration.ofSeconds(15))).isEmpty();
        }
    }

    @Test
    void peerClientNamesACaFileItCannotRead() {
        assertThatThrownBy(() -> new PeerClient(true, dir.resolve("missing-ca.crt")))
                .isInstanceOf(java.io.UncheckedIOException.class).hasMessageContaining("missing-ca.crt");
    }
}
