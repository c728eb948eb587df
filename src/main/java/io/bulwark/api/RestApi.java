package io.bulwark.api;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.bulwark.config.DynamicConfig;
import io.bulwark.dcs.Cluster;
import io.bulwark.dcs.HistoryEntry;
import io.bulwark.ha.NodeStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The agent's REST API (reference §3) on the JDK's {@code HttpServer}, one virtual thread per request, bounded by
 * {@link HttpLimits} (timeouts, a connection cap, header limits) and {@link BoundedExecutor}.
 *
 * <table>
 *   <caption>Endpoints (GET; HEAD and OPTIONS answer the same status with no body)</caption>
 *   <tr><th>path</th><th>200 when</th><th>GET body</th></tr>
 *   <tr><td>{@code /}, {@code /primary}, {@code /master}, {@code /read-write}</td>
 *       <td>we hold an unexpired lock, not a standby cluster, PostgreSQL running read-write</td><td>status</td></tr>
 *   <tr><td>{@code /leader}</td><td>we hold an unexpired lock</td><td>status</td></tr>
 *   <tr><td>{@code /standby-leader}, {@code /standby_leader}</td><td>lock holder in a standby cluster</td>
 *       <td>status</td></tr>
 *   <tr><td>{@code /replica}</td><td>running replica, no noloadbalance tag, within {@code ?lag},
 *       {@code ?replication_state}, {@code ?tag_k=v}</td><td>status</td></tr>
 *   <tr><td>{@code /read-only}</td><td>primary or standby leader (as above), else as {@code /replica}</td>
 *       <td>status</td></tr>
 *   <tr><td>{@code /sync}, {@code /quorum}, {@code /async}, {@code /read-only-sync}, ...</td>
 *       <td>as Patroni, from the {@code sync} key</td><td>status</td></tr>
 *   <tr><td>{@code /health}</td><td>PostgreSQL running</td><td>status</td></tr>
 *   <tr><td>{@code /liveness}</td><td>paused, or the last HA cycle started less than loop_wait + ttl ago
 *       (2 × ttl unless we run a primary)</td><td>none</td></tr>
 *   <tr><td>{@code /readiness}</td><td>lock holder, or streaming replica within {@code ?lag}</td><td>none</td></tr>
 *   <tr><td>{@code /patroni}</td><td>always</td><td>status</td></tr>
 *   <tr><td>{@code /cluster}, {@code /history}</td><td>always</td><td>from the last cluster snapshot</td></tr>
 *   <tr><td>{@code /config}</td><td>the {@code config} key exists (else 502)</td><td>dynamic config</td></tr>
 *   <tr><td>{@code /failsafe}</td><td>the {@code failsafe} key exists (else 502)</td><td>its members</td></tr>
 *   <tr><td>{@code /metrics}</td><td>a status was published</td><td>Prometheus text ({@link MetricsText})</td></tr>
 * </table>
 * Unknown path: 404 (Patroni: 503 with a status body). A bad query parameter: 400. Headers over
 * {@link HttpLimits#MAX_HEADER_BYTES} or {@link HttpLimits#MAX_HEADERS}: 431. Every GET, HEAD and OPTIONS is
 * unauthenticated; {@code /config} masks every password as {@code bulwarkctl show-config} does. Other methods go to
 * the unsafe endpoints of {@link ActionRouter} (refused on an unprotected reachable listener, see
 * {@link AdminExposure}; then allowlist, client certificate, Basic auth) when started with {@link ApiControls},
 * else 501. Text answers are {@code text/plain; charset=utf-8}, never HTML.
 * Rules: {@link HealthRules}; body: {@link StatusJson}. Handlers never throw: an unexpected exception becomes a
 * 503 with a one-line message, logged with its stack trace the first time it is seen.
 *
 * <p>Cost per probe: one map lookup, a few field reads, and for GET a body that is serialized once per
 * published {@link NodeStatus} and then reused. No SQL, no DCS round trip, no lock.
 */
public final class RestApi implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RestApi.class);
    private static final int MAX_DISTINCT_LOGGED_ERRORS = 100;
    private static final Set<String> STATUS_ONLY = Set.of("/liveness", "/readiness");

    private final HttpServer server;
    private final ConnectionGate gate;
    private final Supplier<NodeStatus> status;
    private final LongSupplier nanoClock;
    private final ApiConfigView cfg;
    private final long startedNanos;
    private final AtomicReference<CachedBody> cachedBody = new AtomicReference<>();
    private final Set<String> loggedErrors = ConcurrentHashMap.newKeySet();
    private final ActionRouter actions;
    private final LongSupplier lastCycleDuration;
    private final java.util.function.Supplier<io.bulwark.ha.HaMetrics> haMetrics;
    private final BackupHandler backup;

    private record CachedBody(NodeStatus status, byte[] body) {
    }

    private RestApi(HttpServer server, ConnectionGate gate, Supplier<NodeStatus> status, LongSupplier nanoClock, ApiConfigView cfg,
                    ApiControls controls, Duration pollInterval, AdminExposure exposure) {
        this.server = server;
        this.gate = gate;
        this.status = status;
        this.nanoClock = nanoClock;
        this.cfg = cfg;
        this.startedNanos = nanoClock.getAsLong();
        this.actions = controls == null ? null : new ActionRouter(controls, status, cfg, pollInterval, exposure,
                new LoginThrottle(nanoClock));
        this.lastCycleDuration = controls == null ? () -> 0L : controls.lastCycleNanos();
        this.haMetrics = controls == null ? () -> io.bulwark.ha.HaMetrics.NONE : controls.haMetrics();
        this.backup = new BackupHandler(controls == null ? null : controls.backups(), status);
    }

    /**
     * Bind and start serving. {@code port} 0 picks a free port (see {@link #port()}).
     *
     * @param status    the latest published snapshot; may return {@code null} before the first HA cycle
     * @param nanoClock the monotonic clock {@link NodeStatus#leaderUntilNanos()} is measured on
     * @throws IOException when the address cannot be bound
     */
    public static RestApi start(String host, int port, Supplier<NodeStatus> status, LongSupplier nanoClock,
                                ApiConfigView cfg) throws IOException {
        return start(host, port, status, nanoClock, cfg, null, Duration.ofSeconds(1));
    }

    /**
     * As {@link #start(String, int, Supplier, LongSupplier, ApiConfigView)}, plus the unsafe endpoints acting
     * through {@code controls}, protected by {@link ApiControls#security()}; HTTPS when it names a certfile.
     *
     * @throws IOException when the address cannot be bound or the TLS files cannot be read (message names the key)
     */
    public static RestApi start(String host, int port, Supplier<NodeStatus> status, LongSupplier nanoClock,
                                ApiConfigView cfg, ApiControls controls) throws IOException {
        return start(host, port, status, nanoClock, cfg, controls, Duration.ofSeconds(1));
    }

    /**
     * As {@link #start(String, int, Supplier, LongSupplier, ApiConfigView, ApiControls)}; a single client address
     * may hold at most {@code maxConnectionsPerClient} connections ({@code restapi.max_connections_per_client}).
     */
    public static RestApi start(String host, int port, Supplier<NodeStatus> status, LongSupplier nanoClock,
                                ApiConfigView cfg, ApiControls controls, int maxConnectionsPerClient)
            throws IOException {
        RestSecurity security = controls == null ? RestSecurity.NONE : controls.security();
        return start(host, port, status, nanoClock, cfg, controls, Duration.ofSeconds(1),
                AdminExposure.of(host, security), maxConnectionsPerClient);
    }

    /** {@code pollInterval}: pause between switchover result polls (1 s in production; tests shorten it). */
    static RestApi start(String host, int port, Supplier<NodeStatus> status, LongSupplier nanoClock,
                         ApiConfigView cfg, ApiControls controls, Duration pollInterval) throws IOException {
        RestSecurity security = controls == null ? RestSecurity.NONE : controls.security();
        return start(host, port, status, nanoClock, cfg, controls, pollInterval, AdminExposure.of(host, security));
    }

    /** {@code exposure}: as if listening where it says (tests bind to loopback but play a reachable listener). */
    static RestApi start(String host, int port, Supplier<NodeStatus> status, LongSupplier nanoClock,
                         ApiConfigView cfg, ApiControls controls, Duration pollInterval, AdminExposure exposure)
            throws IOException {
        return start(host, port, status, nanoClock, cfg, controls, pollInterval, exposure,
                HttpLimits.DEFAULT_CONNECTIONS_PER_CLIENT);
    }

    static RestApi start(String host, int port, Supplier<NodeStatus> status, LongSupplier nanoClock,
                         ApiConfigView cfg, ApiControls controls, Duration pollInterval, AdminExposure exposure,
                         int maxConnectionsPerClient) throws IOException {
        HttpLimits.applyToJdk();
        RestSecurity security = controls == null ? RestSecurity.NONE : controls.security();
        // the JDK server listens on a private loopback port; the gate owns the configured address (ConnectionGate)
        ConnectionGate gate = ConnectionGate.bind(host, port, HttpLimits.ACCEPT_BACKLOG, maxConnectionsPerClient,
                HttpLimits.MAX_CONNECTIONS);
        HttpServer server;
        try {
            String loopback = InetAddress.getLoopbackAddress().getHostAddress();
            server = security.isHttps() ? PemTls.httpsServer(loopback, 0, security)
                    : HttpServer.create(new InetSocketAddress(loopback, 0), HttpLimits.ACCEPT_BACKLOG);
        } catch (IOException | RuntimeException e) {
            gate.close();
            throw e;
        }
        RestApi api = new RestApi(server, gate, status, nanoClock, cfg, controls, pollInterval, exposure);
        server.createContext("/", api::handle);
        server.setExecutor(new BoundedExecutor(HttpLimits.MAX_CONNECTIONS, "rest-api"));
        server.start();
        gate.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getAddress().getPort()));
        log.info("REST API listening on {}://{}:{}{} (at most {} connections per client address)",
                security.isHttps() ? "https" : "http", host, gate.port(), controls == null ? " (read-only)" : "",
                maxConnectionsPerClient);
        if (controls != null) {
            if (exposure.isWarning()) {
                log.warn(exposure.describe(host));
            } else {
                log.info(exposure.describe(host));
            }
        }
        return api;
    }

    public int port() {
        return gate.port();
    }

    /** The JDK server's private loopback port behind the gate; for tests. */
    int privatePort() {
        return server.getAddress().getPort();
    }

    /** Connections open now from {@code source}, as the gate counts them; for tests. */
    int openConnectionsFrom(InetAddress source) {
        return gate.openFrom(source);
    }

    @Override
    public void close() {
        gate.close();
        server.stop(0);
    }

    private void handle(HttpExchange ex) {
        try (ex) {
            String method = ex.getRequestMethod();
            boolean statusOnly = method.equals("HEAD") || method.equals("OPTIONS");
            Reply reply;
            try {
                InetSocketAddress client = gate.clientOf(ex.getRemoteAddress());
                if (client == null) {
                    send(ex, Reply.text(403, "connect to the REST API's listen address, not to its private port")
                            .withHeader("Connection", "close"), false);
                    return;
                }
                Reply oversize = HttpLimits.oversizeHeaders(ex.getRequestHeaders());
                if (oversize != null) {
                    send(ex, oversize, false);
                    return;
                }
                if (method.equals("GET") || statusOnly) {
                    reply = route(ex.getRequestURI().getRawPath(), parseQuery(ex.getRequestURI().getRawQuery()));
                } else if (actions != null) {
                    reply = actions.handle(ex, method, ex.getRequestURI().getRawPath(), client.getAddress());
                } else {
                    reply = Reply.text(501, "Unsupported method ('" + method + "')");
                }
            } catch (ByteSize.BadRequestException e) {
                reply = Reply.text(400, e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                reply = Reply.text(503, "interrupted: the REST API is stopping");
            } catch (RuntimeException e) {
                logOnce(e);
                reply = Reply.text(503, "internal error: " + e.getClass().getSimpleName());
            }
            send(ex, reply, statusOnly);
        } catch (IOException | RuntimeException e) {
            log.debug("REST API: could not answer {} {}: {}", ex.getRequestMethod(), ex.getRequestURI(), e.toString());
        }
    }

    private static void send(HttpExchange ex, Reply reply, boolean statusOnly) throws IOException {
        if (statusOnly || reply.body() == null) {
            ex.sendResponseHeaders(reply.code(), -1);
            return;
        }
        reply.headers().forEach((k, v) -> ex.getResponseHeaders().set(k, v));
        ex.getResponseHeaders().set("Content-Type", reply.contentType());
        ex.sendResponseHeaders(reply.code(), reply.body().length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(reply.body());
        }
    }

    private Reply route(String path, Map<String, String> query) {
        NodeStatus s = status.get();
        long now = nanoClock.getAsLong();
        if (path.equals("/liveness")) {
            return Reply.statusOnly(liveness(s, now));
        }
        if (s == null) {
            return STATUS_ONLY.contains(path) ? Reply.statusOnly(503)
                    : Reply.text(503, "no status published yet: the agent is starting");
        }
        DynamicConfig dyn = cfg.dynamicConfig().get();
        HealthRules rules = new HealthRules(s, now, query, hasDcsView(s, dyn));
        if (STATUS_ONLY.contains(path)) {
            return Reply.statusOnly(rules.readiness(dyn.maximumLagOnFailover()));
        }
        Integer health = rules.statusFor(path);
        if (health != null) {
            return new Reply(health, "application/json", statusBody(s));
        }
        Cluster cluster = s.cluster() == null ? Cluster.EMPTY : s.cluster();
        return switch (path) {
            case "/patroni" -> new Reply(200, "application/json", statusBody(s));
            case "/cluster" -> {
                Map<String, Object> body = new LinkedHashMap<>(ClusterJson.of(cluster));
                body.put("scope", s.scope());
                yield Reply.json(200, body);
            }
            case "/history" -> Reply.json(200, history(cluster.history()));
            case "/metrics" -> new Reply(200, "text/plain; version=0.0.4; charset=utf-8", MetricsText.render(s, now,
                    lastCycleDuration.getAsLong(), haMetrics.get(), cfg.bulwarkVersion()).getBytes(StandardCharsets.UTF_8));
            case "/failsafe" -> cluster.failsafe() == null ? Reply.text(502, "no failsafe key in the DCS")
                    : Reply.json(200, new java.util.TreeMap<>(cluster.failsafe()));
            case "/backup" -> backup.get();
            case "/config" -> cluster.config() == null ? Reply.text(502, "no valid configuration in the DCS")
                    : Reply.json(200, cluster.config().masked());
            default -> Reply.text(404, "not found: " + path);
        };
    }

    /**
     * 200 when paused or when the HA loop started a cycle less than loop_wait + ttl ago (2 × ttl when we do not
     * run a primary: a stuck replica hurts nobody for a while). Before the first cycle the age counts from the
     * server's start, so a slow start is not killed at once.
     */
    private int liveness(NodeStatus s, long now) {
        if (s != null && s.paused()) {
            return 200;
        }
        DynamicConfig dyn = cfg.dynamicConfig().get();
        long last = cfg.lastCycleNanos().getAsLong();
        long since = last == Long.MIN_VALUE ? startedNanos : last;
        boolean primary = s != null && s.postgres() != null && s.postgres().isPrimary();
        long allowedSeconds = dyn.loopWait() + (long) dyn.ttl() * (primary ? 1 : 2);
        return now - since < allowedSeconds * 1_000_000_000L ? 200 : 503;
    }

    /** Patroni's "DCS view": the last successful DCS read is less than ttl old. */
    private boolean hasDcsView(NodeStatus s, DynamicConfig dyn) {
        long ageSeconds = cfg.wallClock().instant().getEpochSecond() - s.dcsLastSeenEpoch();
        return s.cluster() != null && s.cluster() != Cluster.EMPTY && ageSeconds < dyn.ttl();
    }

    private byte[] statusBody(NodeStatus s) {
        CachedBody c = cachedBody.get();
        if (c != null && c.status() == s) {
            return c.body();
        }
        byte[] body = JsonText.write(StatusJson.of(s, cfg.bulwarkVersion())).getBytes(StandardCharsets.UTF_8);
        cachedBody.set(new CachedBody(s, body));
        return body;
    }

    /** The {@code history} key as Patroni stores it: {@code [tl, lsn, reason, timestamp, new_leader]}. */
    private static List<List<Object>> history(List<HistoryEntry> entries) {
        List<List<Object>> out = new ArrayList<>();
        for (HistoryEntry h : entries) {
            List<Object> line = new ArrayList<>(Arrays.asList(h.timeline(), h.lsn(), h.reason(), h.timestamp(),
                    h.newLeader()));
            while (line.size() > 3 && line.get(line.size() - 1) == null) {
                line.remove(line.size() - 1);
            }
            out.add(line);
        }
        return out;
    }

    /** First value wins and blank values are dropped, as Patroni's {@code parse_qs(...)[key][0]}. */
    static Map<String, String> parseQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return Map.of();
        }
        Map<String, String> out = new HashMap<>();
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            if (eq <= 0 || eq == pair.length() - 1) {
                continue;
            }
            out.putIfAbsent(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1)));
        }
        return out;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new ByteSize.BadRequestException("malformed query string near '" + s + "'");
        }
    }

    private void logOnce(RuntimeException e) {
        String key = e.getClass().getName() + ": " + e.getMessage();
        if (loggedErrors.size() < MAX_DISTINCT_LOGGED_ERRORS && loggedErrors.add(key)) {
            log.warn("REST API handler failed (answered 503; logged once per distinct error)", e);
        } else {
            log.debug("REST API handler failed again: {}", key);
        }
    }
}
