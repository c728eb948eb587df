package io.bulwark.ctl;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * One HTTP server on a free loopback port standing in for every member's REST API: member {@code X} has
 * {@code api_url = <base>/X/patroni}, so requests arrive as {@code /X/switchover}. Answers are scripted per
 * {@code "METHOD /X/endpoint"} with Patroni's §3.4 status and text; every request is recorded.
 */
final class FakePatroni implements AutoCloseable {
    record Request(String method, String path, String body, String authorization, String contentType) {
    }

    record Reply(int status, String body) {
    }

    final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, Reply> replies = new ConcurrentHashMap<>();
    private final Map<String, Consumer<Request>> hooks = new ConcurrentHashMap<>();
    private final HttpServer server;

    FakePatroni() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    String apiUrl(String member) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + member + "/patroni";
    }

    FakePatroni reply(String methodAndPath, int status, String body) {
        replies.put(methodAndPath, new Reply(status, body));
        return this;
    }

    /** Run {@code hook} when the request arrives, before answering (e.g. to change the DCS as an agent would). */
    FakePatroni onRequest(String methodAndPath, Consumer<Request> hook) {
        hooks.put(methodAndPath, hook);
        return this;
    }

    List<Request> requests(String methodAndPath) {
        return requests.stream().filter(r -> (r.method() + " " + r.path()).equals(methodAndPath)).toList();
    }

    private void handle(HttpExchange ex) throws IOException {
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Request r = new Request(ex.getRequestMethod(), ex.getRequestURI().getPath(), body,
                ex.getRequestHeaders().getFirst("Authorization"), ex.getRequestHeaders().getFirst("Content-Type"));
        requests.add(r);
        String key = r.method() + " " + r.path();
        Consumer<Request> hook = hooks.get(key);
        if (hook != null) {
            hook.accept(r);
        }
        Reply reply = replies.getOrDefault(key, new Reply(404, "not scripted: " + key));
        byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", reply.body().startsWith("{") ? "application/json" : "text/html");
        ex.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
