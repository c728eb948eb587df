package io.bulwark.dcs.etcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The etcd endpoints of the configuration ({@code host:port} or {@code http://host:port}) and the client
 * settings we use with them.
 */
record EtcdEndpoints(List<URI> uris) {

    static EtcdEndpoints parse(List<String> endpoints) {
        if (endpoints == null || endpoints.isEmpty()) {
            throw new IllegalArgumentException("etcd hosts: expected at least one host:port, got none");
        }
        List<URI> uris = new ArrayList<>();
        for (String raw : endpoints) {
            String s = raw == null ? "" : raw.strip();
            String url = s.contains("://") ? s : "http://" + s;
            try {
                URI uri = new URI(url);
                if (uri.getHost() == null || uri.getPort() <= 0) {
                    throw new URISyntaxException(url, "no host:port");
                }
                if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())) {
                    throw new URISyntaxException(url, "scheme is not http or https");
                }
                uris.add(uri);
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("etcd hosts: expected host:port or http(s)://host:port, got \""
                        + raw + "\"", e);
            }
        }
        return new EtcdEndpoints(List.copyOf(uris));
    }

    /**
     * True when the endpoints are {@code https://}; mixing http and https is refused (one gRPC channel serves
     * all endpoints, with or without TLS).
     */
    boolean secure() {
        long https = uris.stream().filter(u -> "https".equalsIgnoreCase(u.getScheme())).count();
        if (https != 0 && https != uris.size()) {
            throw new IllegalArgumentException("etcd hosts: all endpoints must use the same protocol, got "
                    + display());
        }
        return https != 0;
    }

    String display() {
        return String.join(",", uris.stream().map(URI::toString).toList());
    }

    /**
     * gRPC keepalive pings every 10 s with a 5 s timeout notice a stalled or vanished etcd on an idle watch
     * (etcd's default minimum ping interval is 5 s). {@code waitForReady(true)} lets a call ride out gRPC's
     * reconnect back-off after an etcd blip (without it, calls fail at once until the back-off, up to 2 min
     * after a long outage, has passed); the deadline interceptor still bounds it by the retry budget.
     * {@code hasleader} makes a member that lost its cluster refuse to answer rather than serve stale data.
     * With {@code https://} endpoints the channel uses TLS with {@code tls} ({@link EtcdTls#SYSTEM_TRUST} when
     * null); each endpoint's certificate is checked against its own host (jetcd sets the per-address authority).
     * {@code tls} is ignored for {@code http://} endpoints, as Patroni does.
     */
    ClientBuilder clientBuilder(String user, String password, EtcdTls tls) {
        ClientBuilder builder = Client.builder()
                .endpoints(uris.toArray(URI[]::new))
                .keepaliveTime(Duration.ofSeconds(10))
                .keepaliveTimeout(Duration.ofSeconds(5))
                .keepaliveWithoutCalls(false)
                .connectTimeout(Duration.ofSeconds(3))
                .waitForReady(true)
                .header("hasleader", "true");
        if (secure()) {
            builder.sslContext((tls == null ? EtcdTls.SYSTEM_TRUST : tls).sslContext());
        }
        if (user != null && !user.isBlank()) {
            builder.user(ByteSequence.from(user, StandardCharsets.UTF_8))
                    .password(ByteSequence.from(password == null ? "" : password, StandardCharsets.UTF_8));
        }
        return builder;
    }
}
