package io.bulwark.api;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PlainHttpTest {

    private static HttpServer server(String body) throws Exception {
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        s.createContext("/", ex -> {
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        s.start();
        return s;
    }

    @Test
    void aClientWithoutTlsFetchesHttpAndRefusesHttps() throws Exception {
        HttpServer s = server("hello");
        try {
            HttpClient c = PlainHttp.withoutTls(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))).build();
            String url = "http://127.0.0.1:" + s.getAddress().getPort() + "/x";
            assertThat(c.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
                    .body()).isEqualTo("hello");
            String https = "https://127.0.0.1:" + s.getAddress().getPort() + "/x";
            assertThatThrownBy(() -> c.send(HttpRequest.newBuilder(URI.create(https)).build(),
                    HttpResponse.BodyHandlers.ofString())).hasStackTraceContaining("TLS is not available");
        } finally {
            s.stop(0);
        }
    }

    @Test
    void isHttpsLooksAtTheSchemeOnly() {
        assertThat(PlainHttp.isHttps("https://a:1/patroni")).isTrue();
        assertThat(PlainHttp.isHttps("HTTPS://a:1/patroni")).isTrue();
        assertThat(PlainHttp.isHttps("http://https:1/patroni")).isFalse();
        assertThat(PlainHttp.isHttps("not a url")).isFalse();
    }

    @Test
    void peerClientBuildsItsTlsClientOnlyForTheFirstHttpsPeer() throws Exception {
        HttpServer s = server("{\"role\": \"primary\", \"state\": \"running\", \"xlog\": {\"location\": 5}}");
        try {
            HttpClient plain = PlainHttp.withoutTls(HttpClient.newBuilder()).build();
            AtomicInteger built = new AtomicInteger();
            PeerClient peers = new PeerClient(plain, () -> {
                built.incrementAndGet();
                return plain; // refuses https: the peer then counts as unreachable
            });
            int port = s.getAddress().getPort();
            assertThat(peers.fetch("http://127.0.0.1:" + port + "/patroni", Duration.ofSeconds(5)))
                    .hasValueSatisfying(p -> assertThat(p.walPosition()).isEqualTo(5));
            assertThat(built).hasValue(0);
            assertThat(peers.fetch("https://127.0.0.1:" + port + "/patroni", Duration.ofSeconds(5))).isEmpty();
            assertThat(peers.fetch("https://127.0.0.1:" + port + "/patroni", Duration.ofSeconds(5))).isEmpty();
            assertThat(built).hasValue(1);
        } finally {
            s.stop(0);
        }
    }
}
