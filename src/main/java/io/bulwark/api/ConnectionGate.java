package io.bulwark.api;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The REST API's listening socket. It accepts every connection itself and admits one only while its source
 * address holds fewer than {@code perClient} connections (and all sources together fewer than {@code total});
 * an admitted connection is relayed, byte for byte (TLS included), to the JDK server listening on a private
 * loopback port. A refused connection is closed at once.
 *
 * <p>Why: the JDK server refuses every new connection once {@link HttpLimits#MAX_CONNECTIONS} are open, whoever
 * holds them. One client opening slow connections faster than the request timeout ends them could hold them all,
 * and HAProxy's health checks and the peers' {@code GET /patroni} during a leader race were then refused: HAProxy
 * took the leader out of service. The JDK server cannot tell a connection's source before it has read the request
 * headers (which a slow client never finishes), hence the gate in front of it.
 *
 * <p>The JDK server sees every connection coming from loopback; {@link #clientOf} gives the real source for the
 * allowlist, the login throttle and the logs. A connection to the private port that did not come through the gate
 * has no source there, and the REST API refuses it.
 *
 * <p>Cost per admitted connection: one more loopback socket, two virtual threads and two {@link #BUFFER_BYTES}
 * buffers (16 KB, 12 MB at {@link HttpLimits#MAX_CONNECTIONS}).
 */
final class ConnectionGate implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ConnectionGate.class);
    static final int BUFFER_BYTES = 8 * 1024;
    private static final long REFUSAL_LOG_INTERVAL_NANOS = 10_000_000_000L;
    /** Bounds the refusal summary (and its memory) when many addresses are refused at once. */
    private static final int MAX_REFUSAL_SOURCES_LOGGED = 16;

    private final ServerSocketChannel listener;
    private final int perClient;
    private final int total;
    private final Map<InetAddress, AtomicInteger> perSource = new ConcurrentHashMap<>();
    private final AtomicInteger open = new AtomicInteger();
    /** The gate's end of each relayed connection, by its local port: whom the JDK server is talking to. */
    private final Map<Integer, InetSocketAddress> clients = new ConcurrentHashMap<>();
    private final ThreadFactory relays = Thread.ofVirtual().name("rest-api-relay-", 0).factory();
    /** Refusals since the last log line, by source (only the acceptor thread touches it). */
    private final Map<InetAddress, AtomicInteger> refusedFrom = new java.util.HashMap<>();
    private volatile long lastRefusalLogNanos = System.nanoTime() - REFUSAL_LOG_INTERVAL_NANOS;
    private volatile InetSocketAddress inner;
    private volatile boolean closed;

    private ConnectionGate(ServerSocketChannel listener, int perClient, int total) {
        this.listener = listener;
        this.perClient = perClient;
        this.total = total;
    }

    /** Binds {@code host:port} (0: any free port); connections are accepted once {@link #start} names the server. */
    static ConnectionGate bind(String host, int port, int backlog, int perClient, int total) throws IOException {
        if (perClient < 1 || total < 1) {
            throw new IllegalArgumentException("connection limits must be at least 1, got " + perClient
                    + " per client and " + total + " in all");
        }
        ServerSocketChannel channel = ServerSocketChannel.open();
        try {
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            channel.bind(new InetSocketAddress(host, port), backlog);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        return new ConnectionGate(channel, perClient, total);
    }

    /** Starts accepting; admitted connections are relayed to {@code server}. */
    void start(InetSocketAddress server) {
        this.inner = server;
        Thread.ofPlatform().name("rest-api-gate").daemon().start(this::acceptLoop);
    }

    int port() {
        try {
            return ((InetSocketAddress) listener.getLocalAddress()).getPort();
        } catch (IOException e) {
            throw new IllegalStateException("REST API listener is closed", e);
        }
    }

    /** The real client behind the JDK server's view of a connection, or {@code null} if it bypassed the gate. */
    InetSocketAddress clientOf(InetSocketAddress seenByServer) {
        if (seenByServer == null || !seenByServer.getAddress().isLoopbackAddress()) {
            return null;
        }
        return clients.get(seenByServer.getPort());
    }

    /** Connections open now from {@code source} (for tests and metrics). */
    int openFrom(InetAddress source) {
        AtomicInteger n = perSource.get(source);
        return n == null ? 0 : n.get();
    }

    int openInAll() {
        return open.get();
    }

    private void acceptLoop() {
        while (!closed) {
            SocketChannel client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                if (!closed) {
                    log.warn("REST API: accept failed: {}", e.toString());
                    pauseAfterFailedAccept(); // out of file descriptors, say: do not spin
                }
                continue;
            }
            try {
                admit(client);
            } catch (RuntimeException e) {
                log.warn("REST API: could not admit a connection: {}", e.toString());
                closeQuietly(client);
            }
        }
    }

    private static void pauseAfterFailedAccept() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void admit(SocketChannel client) {
        InetSocketAddress from;
        try {
            from = (InetSocketAddress) client.getRemoteAddress();
        } catch (IOException e) {
            closeQuietly(client);
            return;
        }
        InetAddress source = from.getAddress();
        AtomicInteger mine = perSource.computeIfAbsent(source, a -> new AtomicInteger());
        if (mine.incrementAndGet() > perClient) {
            release(source, mine, false);
            refuse(client, source);
            return;
        }
        if (open.incrementAndGet() > total) {
            release(source, mine, true);
            refuse(client, source);
            return;
        }
        relays.newThread(() -> relay(client, from, mine)).start();
    }

    private void refuse(SocketChannel client, InetAddress source) {
        closeQuietly(client);
        if (refusedFrom.size() < MAX_REFUSAL_SOURCES_LOGGED || refusedFrom.containsKey(source)) {
            refusedFrom.computeIfAbsent(source, a -> new AtomicInteger()).incrementAndGet();
        }
        long now = System.nanoTime();
        if (now - lastRefusalLogNanos >= REFUSAL_LOG_INTERVAL_NANOS) {
            lastRefusalLogNanos = now;
            StringBuilder counts = new StringBuilder();
            refusedFrom.forEach((address, n) -> counts.append(counts.isEmpty() ? "" : ", ")
                    .append(address.getHostAddress()).append(": ").append(n.get()).append(" (")
                    .append(openFrom(address)).append(" open)"));
            refusedFrom.clear();
            log.warn("REST API: refused connections in the last {} s, by client address: {}; at most {} per client"
                    + " address (restapi.max_connections_per_client), {} open in all (at most {})",
                    REFUSAL_LOG_INTERVAL_NANOS / 1_000_000_000L, counts, perClient, open.get(), total);
        }
    }

    private void release(InetAddress source, AtomicInteger mine, boolean countedInAll) {
        if (countedInAll) {
            open.decrementAndGet();
        }
        if (mine.decrementAndGet() == 0) {
            perSource.remove(source, mine);
            // a connection admitted right now may have taken this counter after the removal: it counts on the
            // orphan for its lifetime, which can only let that source hold one more connection, never fewer
        }
    }

    /** Relays one admitted connection until either side closes it; the server closing ends it at once. */
    private void relay(SocketChannel client, InetSocketAddress from, AtomicInteger mine) {
        SocketChannel server = null;
        Integer localPort = null;
        try {
            server = SocketChannel.open();
            server.setOption(StandardSocketOptions.TCP_NODELAY, true);
            client.setOption(StandardSocketOptions.TCP_NODELAY, true);
            server.bind(new InetSocketAddress(inner.getAddress(), 0));
            localPort = ((InetSocketAddress) server.getLocalAddress()).getPort();
            clients.put(localPort, from); // before any byte reaches the server, so its handler finds it
            server.connect(inner);
            SocketChannel toServer = server;
            Thread upstream = relays.newThread(() -> pump(client, toServer, true));
            upstream.start();
            pump(server, client, false);
        } catch (IOException e) {
            log.debug("REST API: relay for {} ended: {}", from, e.toString());
        } finally {
            closeQuietly(client);
            if (server != null) {
                closeQuietly(server);
            }
            if (localPort != null) {
                clients.remove(localPort);
            }
            release(from.getAddress(), mine, true);
        }
    }

    /**
     * Copies {@code from} to {@code to} until end of stream. Client to server ({@code halfClose}): the client's end
     * of stream is passed on as a half-close, the answer may still come. Server to client: returns, and the
     * caller closes both (the server ended the exchange, or cut a slow client off).
     */
    private static void pump(SocketChannel from, SocketChannel to, boolean halfClose) {
        ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES);
        try {
            while (from.read(buffer) >= 0) {
                buffer.flip();
                while (buffer.hasRemaining()) {
                    to.write(buffer);
                }
                buffer.clear();
            }
            if (halfClose) {
                to.shutdownOutput();
            }
        } catch (IOException e) {
            if (halfClose) {
                closeQuietly(to); // the client is gone: end the server's side too, which ends the other pump
            }
        }
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // nothing to do: it is closed or broken either way
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException e) {
            log.debug("REST API: closing the listener: {}", e.toString());
        }
    }
}
