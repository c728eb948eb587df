package io.bulwark.api;

import com.sun.net.httpserver.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Bounds on what HTTP clients can make the REST server hold, so that no unauthenticated client can exhaust the
 * agent's 64 MB heap ({@code bin/_common.sh}; the JVM exits on OutOfMemoryError, and then the fence stops the
 * leader's PostgreSQL).
 *
 * <p>The JDK's {@code HttpServer} reads its limits from system properties once, when its first server is created
 * in the JVM ({@code sun.net.httpserver.ServerConfig}'s static initializer), so {@link #applyToJdk()} must run
 * before that; {@link RestApi} calls it first thing. Properties a user already set are kept. Checked in the
 * JDK 21 and 25 sources: {@code maxReqTime}, {@code maxRspTime}, {@code idleInterval},
 * {@code maxIdleConnections}, {@code maxReqHeaders} and {@code jdk.httpserver.maxConnections} exist in both;
 * {@code maxReqHeaderSize} only from JDK 23 and the 21.0.x updates that backported it (older updates read
 * headers without any size limit). Where a property is missing, or was applied too late, the limits are
 * enforced here too: {@link #oversizeHeaders} answers 431, and {@link BoundedExecutor} caps the exchanges in
 * flight at {@link #MAX_CONNECTIONS}.
 *
 * <p>Memory per connection while its headers are being read (JDK 25): an 8 KB input buffer, a 4 KB line
 * buffer, and the header text itself (at most {@link #MAX_HEADER_BYTES}, transiently twice that while a long
 * line's buffer grows): about 45 KB at worst, so {@link #MAX_CONNECTIONS} connections stay under 35 MB. A slow
 * client is cut off after {@link #REQUEST_TIMEOUT}; the cap must stay well above the number of slow clients an
 * attacker can hold open within that time, or health checks would be refused at accept (bench/slow-clients).
 */
final class HttpLimits {
    private static final Logger log = LoggerFactory.getLogger(HttpLimits.class);

    static final int MAX_CONNECTIONS = io.bulwark.config.RestApiConfig.MAX_CONNECTIONS;
    /** Default of {@code restapi.max_connections_per_client} (see {@link ConnectionGate}). */
    static final int DEFAULT_CONNECTIONS_PER_CLIENT = io.bulwark.config.RestApiConfig.DEFAULT_MAX_CONNECTIONS_PER_CLIENT;
    static final int MAX_HEADER_BYTES = 16 * 1024;
    static final int MAX_HEADERS = 64;
    /** From the first byte of a request to its last: a slowloris client holds a connection at most this long. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /**
     * From the end of a request to the end of its answer. {@code POST /switchover} waits up to
     * 2 × max(10, loop_wait) s for the result before it answers, so this must exceed that (loop_wait up to 70 s).
     */
    static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(150);
    /** A kept-alive connection with no request is closed after this long (HAProxy checks open a new one anyway). */
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(15);
    static final int MAX_IDLE_CONNECTIONS = 64;
    /**
     * The listen socket's accept queue. With 64, a burst of reconnecting clients filled it and the kernel dropped
     * health checks' SYNs, which cost them a 1 s retransmit (bench/slow-clients p99 1.09 s); the kernel caps it at
     * {@code net.core.somaxconn} (4096 by default).
     */
    static final int ACCEPT_BACKLOG = 1024;
    /** Unsafe requests (switchover, restart, config ...) handled at once; more are answered 503. */
    static final int MAX_CONCURRENT_ACTIONS = 4;

    private static boolean applied;

    private HttpLimits() {
    }

    /** The JDK properties and their values, in the order they are set. */
    static Map<String, String> jdkProperties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("sun.net.httpserver.maxReqTime", Long.toString(REQUEST_TIMEOUT.toSeconds()));
        p.put("sun.net.httpserver.maxRspTime", Long.toString(RESPONSE_TIMEOUT.toSeconds()));
        p.put("sun.net.httpserver.idleInterval", Long.toString(IDLE_TIMEOUT.toSeconds()));
        p.put("sun.net.httpserver.maxIdleConnections", Integer.toString(MAX_IDLE_CONNECTIONS));
        p.put("jdk.httpserver.maxConnections", Integer.toString(MAX_CONNECTIONS));
        p.put("sun.net.httpserver.maxReqHeaders", Integer.toString(MAX_HEADERS));
        p.put("sun.net.httpserver.maxReqHeaderSize", Integer.toString(MAX_HEADER_BYTES));
        return p;
    }

    /** Sets the JDK server's properties unless already set; call before the first {@code HttpServer.create}. */
    static synchronized void applyToJdk() {
        if (applied) {
            return;
        }
        applied = true;
        jdkProperties().forEach((key, value) -> {
            String current = System.getProperty(key);
            if (current == null) {
                System.setProperty(key, value);
            } else if (!current.equals(value)) {
                log.info("REST API: keeping {}={} set on the command line (Bulwark's default: {})", key, current,
                        value);
            }
        });
    }

    /**
     * 431 when the request's headers exceed {@link #MAX_HEADERS} fields or {@link #MAX_HEADER_BYTES} (names plus
     * values plus 32 bytes per field, the JDK's own measure); {@code null} when they are within bounds.
     */
    static Reply oversizeHeaders(Headers headers) {
        long bytes = 0;
        int fields = 0;
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
            for (String value : e.getValue()) {
                fields++;
                bytes += e.getKey().length() + (value == null ? 0 : value.length()) + 32;
            }
        }
        if (fields > MAX_HEADERS || bytes > MAX_HEADER_BYTES) {
            return Reply.text(431, "Request Header Fields Too Large: at most " + MAX_HEADERS + " fields and "
                    + MAX_HEADER_BYTES + " bytes of headers").withHeader("Connection", "close");
        }
        return null;
    }
}
