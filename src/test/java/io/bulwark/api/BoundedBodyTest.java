package io.bulwark.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Answers from peers are read up to 1 MiB; more is an error, never a heap full of one answer. */
class BoundedBodyTest {
    private static final String STATUS = "{\"role\":\"primary\",\"state\":\"running\",\"xlog\":{\"location\":5}}";

    /** Serves one canned answer per connection: with Content-Length, or close-delimited when {@code declare} is false. */
    private static final class OneAnswer implements AutoCloseable {
        final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        final Thread thread;

        OneAnswer(byte[] body, boolean declare) throws IOException {
            thread = Thread.ofVirtual().start(() -> {
                while (!server.isClosed()) {
                    try (Socket s = server.accept()) {
                        s.getInputStream().read(new byte[8192]);
                        OutputStream out = s.getOutputStream();
                        out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                + (declare ? "Content-Length: " + body.length + "\r\n" : "Connection: close\r\n")
                                + "\r\n").getBytes(StandardCharsets.US_ASCII));
                        out.write(body);
                    } catch (IOException e) {
                        // the client hung up after refusing the answer, or the test is over
                    }
                }
            });
        }

        String url() {
            return "http://127.0.0.1:" + server.getLocalPort() + "/patroni";
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    private static byte[] huge() {
        // a valid status padded past the cap: a parser that read it all would accept it
        String padding = " ".repeat(BoundedBody.PEER_MAX_BYTES + 1);
        return (STATUS.substring(0, STATUS.length() - 1) + ",\"pad\":\"" + padding + "\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Test
    @Timeout(60)
    void aPeerAnsweringMoreThanOneMebibyteCountsAsUnreachable() throws Exception {
        PeerClient client = new PeerClient();
        for (boolean declare : new boolean[]{true, false}) {
            try (OneAnswer small = new OneAnswer(STATUS.getBytes(StandardCharsets.UTF_8), declare);
                 OneAnswer big = new OneAnswer(huge(), declare)) {
                assertThat(client.fetch(small.url(), Duration.ofSeconds(10))).as("declared " + declare).isPresent();
                assertThat(client.fetch(big.url(), Duration.ofSeconds(10))).as("declared " + declare).isEmpty();
            }
        }
    }

    @Test
    @Timeout(60)
    void theHandlerFailsWithTooLarge() throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        for (boolean declare : new boolean[]{true, false}) {
            try (OneAnswer big = new OneAnswer(huge(), declare)) {
                HttpRequest req = HttpRequest.newBuilder(URI.create(big.url())).timeout(Duration.ofSeconds(10)).build();
                assertThatThrownBy(() -> http.send(req, BoundedBody.utf8(BoundedBody.PEER_MAX_BYTES)))
                        .as("declared " + declare).isInstanceOf(IOException.class)
                        .hasMessageContaining(Integer.toString(BoundedBody.PEER_MAX_BYTES))
                        .satisfies(e -> assertThat(BoundedBody.isTooLarge(e)).isTrue());
            }
        }
    }
}
