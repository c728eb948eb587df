package io.bulwark;

import com.sun.net.httpserver.HttpServer;
import io.bulwark.config.RestClientConfig;
import io.bulwark.ha.FailsafeCall;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The leader's {@code POST /failsafe} round: sent to every member at once with the REST credentials, a member
 * counts only on 200 {@code Accepted}, and a member that never answers does not hold the round past its timeout.
 */
class FailsafeCallsTest {
    private static final FailsafeCall ME = new FailsafeCall("node1", "postgres://127.0.0.1:5432/postgres",
            "http://127.0.0.1:8008/patroni");

    @Test
    void onlyMembersAnsweringAcceptedCountAndAHungMemberIsNotWaitedFor() throws Exception {
        Map<String, String> seen = new ConcurrentHashMap<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            String who = ex.getRequestURI().getPath();
            seen.put(who, ex.getRequestHeaders().getFirst("Authorization") + " "
                    + new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] body = (who.startsWith("/ok") ? "Accepted" : "Running as a leader").getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(who.startsWith("/ok") ? 200 : 500, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        try (ServerSocket hung = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            FailsafeCalls calls = new FailsafeCalls(new RestClientConfig("admin", "s3cret", false, null, null, null,
                    null));
            Set<String> accepted = calls.ask(Map.of(
                    "node2", base + "/ok2/patroni",
                    "node3", base + "/primary3/patroni",
                    "node4", "http://127.0.0.1:" + hung.getLocalPort() + "/patroni"), ME, Duration.ofMillis(1500));

            assertThat(accepted).containsExactly("node2");
            assertThat(seen.get("/ok2/failsafe")).isEqualTo("Basic " + Base64.getEncoder().encodeToString(
                    "admin:s3cret".getBytes(StandardCharsets.UTF_8)) + " {\"name\":\"node1\",\"conn_url\":"
                    + "\"postgres://127.0.0.1:5432/postgres\",\"api_url\":\"http://127.0.0.1:8008/patroni\"}");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void theFailsafeUrlIsTheApiUrlsBase() {
        assertThat(FailsafeCalls.failsafeUrl("http://10.0.0.2:8008/patroni")).isEqualTo("http://10.0.0.2:8008/failsafe");
        assertThat(FailsafeCalls.failsafeUrl("https://h:8008/")).isEqualTo("https://h:8008/failsafe");
    }
}
