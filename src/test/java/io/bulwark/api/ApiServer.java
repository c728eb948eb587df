package io.bulwark.api;

import io.bulwark.config.DynamicConfig;
import io.bulwark.ha.NodeStatus;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/** A RestApi on a free loopback port whose status, clock and last cycle time the test sets. */
final class ApiServer implements AutoCloseable {
    static final DynamicConfig DYNAMIC = new DynamicConfig(30, 10, 10, 1_048_576L, 300, true, true, false,
            Map.of(), List.of(), Map.of());

    final AtomicReference<NodeStatus> status = new AtomicReference<>();
    final AtomicReference<Supplier<NodeStatus>> override = new AtomicReference<>();
    final AtomicLong clock = new AtomicLong(Situations.NOW);
    final AtomicLong lastCycle = new AtomicLong(Situations.NOW);
    final RestApi api;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    ApiServer() throws IOException {
        api = RestApi.start("127.0.0.1", 0, () -> override.get() != null ? override.get().get() : status.get(),
                clock::get, new ApiConfigView(() -> DYNAMIC, lastCycle::get, Clock.systemUTC(), "9.9.9-test"));
    }

    String base() {
        return "http://127.0.0.1:" + api.port();
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send("GET", path);
    }

    HttpResponse<String> send(String method, String path) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        return http.send(req, HttpResponse.BodyHandlers.ofString());
    }

    /** The raw bytes the server sends for a request line, read until it closes the connection (HTTP/1.0). */
    String raw(String method, String path) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", api.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write((method + " " + path + " HTTP/1.0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            in.transferTo(buf);
            return buf.toString(StandardCharsets.ISO_8859_1);
        }
    }

    @Override
    public void close() {
        api.close();
    }
}
