package io.bulwark.api;

import io.bulwark.dcs.Dcs;
import io.bulwark.dcs.DcsKeys;
import io.bulwark.dcs.InMemoryDcs;
import io.bulwark.dcs.MemberData;
import io.bulwark.ha.NodeStatus;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A RestApi with action endpoints over a shared in-memory DCS: node1 (this agent, holds the lock) and node2 (a
 * running replica) are registered; the test may add node3. {@link #onWakeUp} plays the HA loop.
 */
final class ActionServer implements AutoCloseable {
    static final DcsKeys KEYS = new DcsKeys("service", "batman");
    static final String CONFIG = "{\"ttl\":30,\"loop_wait\":10,\"retry_timeout\":10}";

    final InMemoryDcs.Store store = new InMemoryDcs.Store();
    final InMemoryDcs node1 = new InMemoryDcs(store, KEYS, "node1", 30);
    final InMemoryDcs node2 = new InMemoryDcs(store, KEYS, "node2", 30);
    final InMemoryDcs node3 = new InMemoryDcs(store, KEYS, "node3", 30);
    final RecordingAdmin admin = new RecordingAdmin();
    final AtomicInteger wakeUps = new AtomicInteger();
    final AtomicReference<Runnable> onWakeUp = new AtomicReference<>(() -> { });
    final AtomicReference<NodeStatus> status = new AtomicReference<>(Situations.leaderPrimary());
    /** Overrides of Dcs methods by name, applied to the API's view of node1's DCS. */
    final Map<String, InvocationHandler> overrides = new java.util.concurrent.ConcurrentHashMap<>();
    final RestApi api;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    ActionServer() throws Exception {
        this(RestSecurity.NONE, true);
    }

    ActionServer(RestSecurity security, boolean start) throws Exception {
        this(security, start ? AdminExposure.of("127.0.0.1", security) : null);
    }

    /** Bound to loopback, but with the unsafe endpoints served as {@code exposure} says ({@code null}: not started). */
    ActionServer(RestSecurity security, AdminExposure exposure) throws Exception {
        node1.attemptToAcquireLeader();
        node1.touchMember(member("running", "primary", Map.of()));
        node2.touchMember(member("running", "replica", Map.of()));
        node1.setConfig(CONFIG, null);
        api = exposure == null ? null : start(security, exposure);
    }

    RestApi start(RestSecurity security) throws IOException {
        return start(security, AdminExposure.of("127.0.0.1", security));
    }

    RestApi start(RestSecurity security, AdminExposure exposure) throws IOException {
        Dcs dcs = (Dcs) Proxy.newProxyInstance(Dcs.class.getClassLoader(), new Class<?>[]{Dcs.class},
                (proxy, method, args) -> {
                    InvocationHandler o = overrides.get(method.getName());
                    try {
                        return o != null ? o.invoke(proxy, method, args) : method.invoke(node1, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        ApiControls controls = new ApiControls(dcs, admin, () -> {
            wakeUps.incrementAndGet();
            onWakeUp.get().run();
        }, security, () -> 250_000_000L);
        return RestApi.start("127.0.0.1", 0, status::get, () -> Situations.NOW,
                new ApiConfigView(() -> ApiServer.DYNAMIC, () -> Situations.NOW, Clock.systemUTC(), "9.9.9-test"),
                controls, Duration.ofMillis(20), exposure);
    }

    static MemberData member(String state, String role, Map<String, Object> tags) {
        return new MemberData("postgres://127.0.0.1:5432/postgres", "http://127.0.0.1:8008/patroni", state, role,
                "4.1.4", 100L, null, null, null, 3, tags, null, null);
    }

    /** The HA loop's side of a switchover to {@code winner}: old leader releases, winner takes and clears the key. */
    void takeOver(InMemoryDcs winner) {
        try {
            node1.deleteLeader(0);
            winner.attemptToAcquireLeader();
            winner.setFailover("{}", null);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    String raw(String key) {
        return store.raw(KEYS.prefix() + key).orElse(null);
    }

    String base() {
        return "http://127.0.0.1:" + api.port();
    }

    HttpResponse<String> send(String method, String path, String body) throws IOException, InterruptedException {
        return send(method, path, body, Map.of());
    }

    HttpResponse<String> send(String method, String path, String body, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        if (body != null && headers.keySet().stream().noneMatch(k -> k.equalsIgnoreCase("Content-Type"))) {
            b.header("Content-Type", "application/json");
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Sends {@code request} verbatim (HTTP/1.0, so the server closes) and returns the whole answer. */
    String rawRequest(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", api.port())) {
            socket.setSoTimeout(15_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            in.transferTo(buf);
            return buf.toString(StandardCharsets.ISO_8859_1);
        }
    }

    @Override
    public void close() {
        if (api != null) {
            api.close();
        }
    }
}
