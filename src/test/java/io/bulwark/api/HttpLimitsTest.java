package io.bulwark.api;

import com.sun.net.httpserver.Headers;
import io.bulwark.ha.NodeStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HttpLimitsTest {

    @Test
    void headersOver16KbOr64FieldsAre431() {
        Headers small = new Headers();
        small.add("Host", "x");
        small.add("User-Agent", "HAProxy");
        assertThat(HttpLimits.oversizeHeaders(small)).isNull();

        Headers big = new Headers();
        big.add("X-Padding", "a".repeat(HttpLimits.MAX_HEADER_BYTES));
        Reply r = HttpLimits.oversizeHeaders(big);
        assertThat(r).isNotNull();
        assertThat(r.code()).isEqualTo(431);
        assertThat(r.contentType()).isEqualTo("text/plain; charset=utf-8");

        Headers many = new Headers();
        for (int i = 0; i <= HttpLimits.MAX_HEADERS; i++) {
            many.add("X-Field-" + i, "v");
        }
        assertThat(HttpLimits.oversizeHeaders(many).code()).isEqualTo(431);
    }

    @Test
    void jdkPropertiesCoverEveryBound() {
        assertThat(HttpLimits.jdkProperties()).containsEntry("sun.net.httpserver.maxReqTime", "10")
                .containsEntry("sun.net.httpserver.maxReqHeaderSize", "16384")
                .containsEntry("sun.net.httpserver.maxReqHeaders", "64")
                .containsEntry("jdk.httpserver.maxConnections", Integer.toString(HttpLimits.MAX_CONNECTIONS))
                .containsKeys("sun.net.httpserver.maxRspTime", "sun.net.httpserver.idleInterval",
                        "sun.net.httpserver.maxIdleConnections");
    }

    @Test
    @Timeout(60)
    void aRequestWithOversizeHeadersIsNeverServed() throws Exception {
        try (ApiServer s = new ApiServer()) {
            s.status.set(Situations.leaderPrimary());
            String answer = rawAnswer(s.api.port(), "GET /health HTTP/1.1\r\nHost: x\r\nX-Padding: "
                    + "a".repeat(20 * 1024) + "\r\nConnection: close\r\n\r\n");
            // the JDK closes the connection when its own limit applies, else our check answers 431
            assertThat(answer).satisfiesAnyOf(a -> assertThat(a).isEmpty(),
                    a -> assertThat(a).startsWith("HTTP/1.1 431 "));
            assertThat(s.get("/health").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void theExecutorRejectsBeyondItsCapAndFreesPermits() throws Exception {
        BoundedExecutor executor = new BoundedExecutor(2, "test");
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch ran = new CountDownLatch(3);
        Runnable blocked = () -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ran.countDown();
        };
        executor.execute(blocked);
        executor.execute(blocked);
        assertThatThrownBy(() -> executor.execute(blocked)).isInstanceOf(RejectedExecutionException.class);
        release.countDown();
        for (int i = 0; i < 100 && executor.inFlight() > 0; i++) {
            Thread.sleep(50);
        }
        executor.execute(ran::countDown);
        assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
    }

    /**
     * 300 clients that send a request line and then dribble header bytes (slowloris) must not keep a health check
     * from being answered: each holds a parked virtual thread, none holds a worker the checks need.
     */
    @Test
    @Timeout(120)
    void threeHundredSlowClientsDoNotStopHealthChecks() throws Exception {
        List<Socket> slow = new ArrayList<>();
        try (ApiServer s = new ApiServer()) {
            s.status.set(Situations.leaderPrimary());
            for (int i = 0; i < 300; i++) {
                // from ten addresses, 30 each: within the per-client quota, so all 300 are held
                Socket socket = new Socket(InetAddress.getLoopbackAddress(), s.api.port(),
                        InetAddress.getByName("127.0.0." + (2 + i % 10)), 0);
                slow.add(socket);
                socket.getOutputStream().write("GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: a".getBytes(
                        StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
            }
            for (int round = 0; round < 3; round++) {
                for (Socket socket : slow) {
                    if (!socket.isClosed()) {
                        try {
                            socket.getOutputStream().write('a');
                        } catch (IOException e) {
                            socket.close(); // cut off by the server's request timeout: fine
                        }
                    }
                }
                NodeStatus current = s.status.get();
                assertThat(current).isNotNull();
                assertThat(s.get("/health").statusCode()).as("round " + round).isEqualTo(200);
                assertThat(s.get("/primary").statusCode()).as("round " + round).isEqualTo(200);
            }
        } finally {
            for (Socket socket : slow) {
                socket.close();
            }
        }
    }

    private static String rawAnswer(int port, String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            } catch (IOException e) {
                return ""; // closed while we were still sending
            }
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            try {
                in.transferTo(buf);
            } catch (IOException e) {
                // reset by the server after refusing: what it sent before, if anything, is the answer
            }
            return buf.toString(StandardCharsets.ISO_8859_1);
        }
    }
}
