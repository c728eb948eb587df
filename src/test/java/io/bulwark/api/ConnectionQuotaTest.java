package io.bulwark.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.config.RestApiConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One client address may hold at most {@code restapi.max_connections_per_client} of the REST API's connections, so
 * a flood of slow connections from one address cannot take the whole connection cap and shut out HAProxy's
 * health checks (real sockets on 127.0.0.0/8; every address there is loopback on Linux).
 */
class ConnectionQuotaTest {
    private static final InetAddress FLOOD = address("127.0.0.2");
    private static final InetAddress OTHER = address("127.0.0.3");

    @Test
    @Timeout(180)
    void aFloodBeyondTheConnectionCapFromOneAddressLeavesHealthChecksFromAnotherServed() throws Exception {
        List<Socket> flood = new ArrayList<>();
        try (ApiServer s = new ApiServer()) {
            s.status.set(Situations.leaderPrimary());
            for (int i = 0; i < RestApiConfig.MAX_CONNECTIONS + 32; i++) {
                flood.add(slowClient(s.api.port(), FLOOD));
            }
            Eventually.until("the gate to settle the flood", () -> s.api.openConnectionsFrom(FLOOD)
                    == RestApiConfig.DEFAULT_MAX_CONNECTIONS_PER_CLIENT);
            for (int round = 0; round < 3; round++) {
                assertThat(s.get("/health").statusCode()).as("round " + round).isEqualTo(200);
                assertThat(s.get("/primary").statusCode()).as("round " + round).isEqualTo(200);
            }
            assertThat(s.api.openConnectionsFrom(FLOOD)).isEqualTo(RestApiConfig.DEFAULT_MAX_CONNECTIONS_PER_CLIENT);
        } finally {
            for (Socket socket : flood) {
                socket.close();
            }
        }
    }

    @Test
    @Timeout(120)
    void theQuotaCountsPerAddressAndFreesWhenAConnectionCloses() throws Exception {
        AtomicLong clock = new AtomicLong(Situations.NOW);
        try (RestApi api = RestApi.start("127.0.0.1", 0, Situations::leaderPrimary, clock::get,
                new ApiConfigView(() -> ApiServer.DYNAMIC, clock::get, Clock.systemUTC(), "9.9.9-test"), null,
                Duration.ofSeconds(1), AdminExposure.LOOPBACK_ONLY, 3)) {
            List<Socket> held = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                held.add(slowClient(api.port(), FLOOD));
            }
            Eventually.until("three connections from " + FLOOD, () -> api.openConnectionsFrom(FLOOD) == 3);
            try (Socket fourth = slowClient(api.port(), FLOOD)) {
                assertThat(closedByServer(fourth)).as("a fourth connection from the same address").isTrue();
            }
            assertThat(answer(api.port(), OTHER)).as("another address").startsWith("HTTP/1.1 200");
            held.remove(0).close();
            Eventually.until("the closed connection to be released", () -> api.openConnectionsFrom(FLOOD) == 2);
            assertThat(answer(api.port(), FLOOD)).as("the same address once it holds fewer")
                    .startsWith("HTTP/1.1 200");
            for (Socket socket : held) {
                socket.close();
            }
        }
    }

    @Test
    @Timeout(60)
    void aConnectionThatBypassesTheGateIsRefused() throws Exception {
        try (ApiServer s = new ApiServer()) {
            s.status.set(Situations.leaderPrimary());
            assertThat(answer(s.api.privatePort(), InetAddress.getLoopbackAddress())).startsWith("HTTP/1.1 403");
            assertThat(answer(s.api.port(), InetAddress.getLoopbackAddress())).startsWith("HTTP/1.1 200");
        }
    }

    /** A client that sent half a request line and waits (a slowloris connection). */
    private static Socket slowClient(int port, InetAddress from) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port, from, 0);
        try {
            socket.getOutputStream().write("GET /health HT".getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            // refused and closed already
        }
        return socket;
    }

    private static boolean closedByServer(Socket socket) throws IOException {
        socket.setSoTimeout(5_000);
        try {
            return socket.getInputStream().read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }

    private static String answer(int port, InetAddress from) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port, from, 0)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("GET /health HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Polls a condition that the server reaches asynchronously (generous: the machine may be loaded). */
    private static final class Eventually {
        static void until(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!condition.getAsBoolean()) {
                if (System.nanoTime() - deadline > 0) {
                    throw new AssertionError("timed out waiting for " + what);
                }
                Thread.sleep(20);
            }
        }
    }
}
