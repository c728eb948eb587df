package io.bulwark.postgres;

/**
 * The server a replica streams from: host and port as published in the leader's {@code conn_url}.
 *
 * @param withSlot whether to stream through this member's replication slot there (when {@code use_slots} is on);
 *                 false while the upstream does not have the slot yet, so the replica streams without one
 *                 instead of failing to connect until the slot appears
 */
public record Upstream(String host, int port, boolean withSlot) {
    public Upstream {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("upstream host: expected a host name or address, got \"" + host + "\"");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("upstream port: expected 1..65535, got " + port);
        }
    }

    /** Streams through our slot (the usual case). */
    public Upstream(String host, int port) {
        this(host, port, true);
    }

    public Upstream withoutSlot() {
        return new Upstream(host, port, false);
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
