package io.bulwark.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bulwark.config.RestClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;

/**
 * Asks peers for their {@code GET /patroni} status, as the leader race does (reference §2.3: one try, 2 s in
 * Patroni). An empty result means "unreachable": no answer in time, not JSON, or a non-primary without
 * {@code xlog} (Patroni's rule: such a peer cannot be compared, so it does not count).
 *
 * <p>Thread-safe; holds one {@link HttpClient} for {@code http://} peers that never touches TLS
 * ({@link PlainHttp}) and, built on the first {@code https://} peer (or at once with {@code preloadTls}), one that
 * trusts the CA file it was given (as Patroni's peer calls trust {@code ctl.cacert}, else {@code restapi.cafile}),
 * or the JVM's default {@code SSLContext} without one. Never throws for network or peer errors. An answer over
 * {@link BoundedBody#PEER_MAX_BYTES} counts as unreachable.
 */
public final class PeerClient {
    private static final Logger log = LoggerFactory.getLogger(PeerClient.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient plain;
    private final Supplier<HttpClient> tlsFactory;
    private volatile HttpClient tls;

    public PeerClient() {
        this(false);
    }

    /**
     * {@code preloadTls}: build the {@code https://} client now rather than on the first https peer (our own REST
     * API is https, so the peers' likely are too: a leader race then does not wait for TLS to start up).
     */
    public PeerClient(boolean preloadTls) {
        this(preloadTls, (Path) null);
    }

    /**
     * {@code cafile}: PEM CA certificates that peers' HTTPS certificates must chain to ({@code null}: the JVM's
     * default trust store, where a private CA is not).
     *
     * @throws UncheckedIOException with {@code preloadTls}, when {@code cafile} cannot be read or holds no
     *                              certificate (the message names it)
     */
    public PeerClient(boolean preloadTls, Path cafile) {
        this(preloadTls, new RestClientConfig(null, null, false, cafile, null, null, null));
    }

    /**
     * {@code peers}: the CA ({@code cacert}) and the client certificate ({@code certfile}, {@code keyfile},
     * {@code keyfilePassword}) of the agent's peer calls ({@code BulwarkConfig#peers}); the certificate is
     * presented to peers that ask for one ({@code verify_client}).
     *
     * @throws UncheckedIOException with {@code preloadTls}, when a file cannot be read (the message names it)
     */
    public PeerClient(boolean preloadTls, RestClientConfig peers) {
        this(PlainHttp.withoutTls(builder()).build(), () -> tlsBuilder(peers).build());
        if (preloadTls) {
            tlsClient();
        }
    }

    private static HttpClient.Builder tlsBuilder(RestClientConfig peers) {
        try {
            SSLContext ctx = PemTls.peerContext(peers.cacert(), peers.certfile(), peers.keyfile(),
                    peers.keyfilePassword());
            return ctx == null ? builder() : builder().sslContext(ctx);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    /** One client for every URL (tests). */
    public PeerClient(HttpClient http) {
        this(http, () -> http);
    }

    /** {@code plain} for http:// URLs, {@code tlsFactory} called once, on the first https:// URL. */
    PeerClient(HttpClient plain, Supplier<HttpClient> tlsFactory) {
        this.plain = plain;
        this.tlsFactory = tlsFactory;
    }

    private static HttpClient.Builder builder() {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2))
                .followRedirects(HttpClient.Redirect.NEVER);
    }

    private HttpClient tlsClient() {
        HttpClient c = tls;
        if (c == null) {
            synchronized (this) {
                c = tls;
                if (c == null) {
                    c = tlsFactory.get();
                    tls = c;
                }
            }
        }
        return c;
    }

    /** {@code GET apiUrl} (a member's {@code api_url}, which already ends in {@code /patroni}). */
    public Optional<PeerStatus> fetch(String apiUrl, Duration timeout) {
        CompletableFuture<Optional<PeerStatus>> f = fetchAsync(apiUrl, timeout);
        try {
            return f.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | ExecutionException e) {
            f.cancel(true);
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            f.cancel(true);
            return Optional.empty();
        }
    }

    /**
     * Fetch every peer at once; returns after all answered or after {@code timeout}, whichever comes first. Peers
     * that did not answer in time map to an empty result. Iteration order follows {@code nameToApiUrl}.
     */
    public Map<String, Optional<PeerStatus>> fetchAll(Map<String, String> nameToApiUrl, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, CompletableFuture<Optional<PeerStatus>>> pending = new LinkedHashMap<>();
        nameToApiUrl.forEach((name, url) -> pending.put(name, fetchAsync(url, timeout)));
        Map<String, Optional<PeerStatus>> out = new LinkedHashMap<>();
        boolean interrupted = false;
        for (Map.Entry<String, CompletableFuture<Optional<PeerStatus>>> e : pending.entrySet()) {
            Optional<PeerStatus> result = Optional.empty();
            if (!interrupted) {
                try {
                    result = e.getValue().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (TimeoutException | ExecutionException ex) {
                    e.getValue().cancel(true);
                } catch (InterruptedException ex) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                e.getValue().cancel(true);
            }
            out.put(e.getKey(), result);
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return out;
    }

    private CompletableFuture<Optional<PeerStatus>> fetchAsync(String apiUrl, Duration timeout) {
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(apiUrl)).timeout(timeout).GET()
                    .header("User-Agent", "Bulwark/" + Versions.BULWARK).build();
        } catch (IllegalArgumentException e) {
            log.debug("peer api_url {} is not a URL: {}", apiUrl, e.getMessage());
            return CompletableFuture.completedFuture(Optional.empty());
        }
        HttpClient http;
        try {
            http = PlainHttp.isHttps(apiUrl) ? tlsClient() : plain;
        } catch (RuntimeException e) {
            log.warn("cannot set up TLS to ask peer {}: {}", apiUrl, e.toString());
            return CompletableFuture.completedFuture(Optional.empty());
        }
        return http.sendAsync(request, BoundedBody.utf8(BoundedBody.PEER_MAX_BYTES))
                .thenApply(r -> parse(r.body()))
                .exceptionally(e -> {
                    if (BoundedBody.isTooLarge(e)) {
                        log.warn("peer {} counts as unreachable: its answer is larger than {} bytes", apiUrl,
                                BoundedBody.PEER_MAX_BYTES);
                    } else if (hasCause(e, javax.net.ssl.SSLException.class)) {
                        // a certificate the CA file does not vouch for is a setup error, not a peer that is down
                        log.warn("peer {}: TLS failed: {}", apiUrl, e.toString());
                    } else {
                        log.debug("peer {} unreachable: {}", apiUrl, e.toString());
                    }
                    return Optional.empty();
                });
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /** Parse a {@code /patroni} body the way Patroni's {@code _MemberStatus.from_api_response} does. */
    static Optional<PeerStatus> parse(String body) {
        JsonNode json;
        try {
            json = JSON.readTree(body);
        } catch (Exception e) {
            return Optional.empty();
        }
        if (json == null || !json.isObject()) {
            return Optional.empty();
        }
        String role = json.path("role").asText(null);
        if ("master".equals(role)) {
            role = "primary";
        }
        boolean primary = "primary".equals(role);
        JsonNode xlog = json.get("xlog");
        long wal;
        if (primary) {
            wal = xlog == null ? 0 : xlog.path("location").asLong(0);
        } else if (xlog == null || !xlog.isObject()) {
            return Optional.empty();
        } else {
            wal = Math.max(xlog.path("received_location").asLong(0), xlog.path("replayed_location").asLong(0));
        }
        JsonNode tags = json.path("tags");
        @SuppressWarnings("unchecked")
        int priority = io.bulwark.dcs.MemberData.failoverPriority(tags.isObject()
                ? JSON.convertValue(tags, Map.class) : Map.of());
        boolean nofailover = priority == 0;
        String state = json.path("state").asText(null);
        String version = json.path("patroni").path("version").asText(null);
        return Optional.of(new PeerStatus(role, state, wal, json.path("timeline").asInt(0), nofailover,
                "running".equals(state), version, priority));
    }
}
