package io.bulwark.postgres;

/**
 * The server a replica streams from: host and port as published in the leader's {@code conn_url}.
 */
public record Upstream(String host, int port) {
    public Upstream {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("upstream host: expected a host name or address, got \"" + host + "\"");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("upstream port: expected 1..65535, got " + port);
        }
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
