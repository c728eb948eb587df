package io.bulwark.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.Executor;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.bulwark.config.Credentials;

/**
 * The agent's one superuser connection to its local server, over TCP (pg_hba's {@code host} lines, SCRAM), reused
 * across probes and actions and reopened when it breaks. Statements are never retried blindly: a broken
 * connection fails the call and the next call reconnects. Thread-safe (one caller at a time).
 *
 * <p>Timeouts follow the leader lease: each network wait (connect, login, a read) is bounded by
 * {@link #timeoutFor ttl/4, clamped to 1..10 s}, so a hung server (SIGSTOPped, stuck on I/O, or a listener that
 * accepts and never answers) costs one probe at most {@link #callBound three such waits} and cannot hold the HA
 * loop past its lease. (They were fixed at 3 s connect, 6 s login and 10 s per read: a hung local server held the
 * loop for up to 19 s with a 4 s lease.) Only a caller that asks for it, such as CHECKPOINT, waits longer.
 */
final class LocalConnection implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LocalConnection.class);
    static final Duration MIN_TIMEOUT = Duration.ofSeconds(1);
    static final Duration MAX_TIMEOUT = Duration.ofSeconds(10);
    private static final Executor DIRECT = Runnable::run;

    /** A unit of work on the connection. */
    interface Work<T> {
        T apply(Connection c) throws SQLException;
    }

    private final String url;
    private final Credentials superuser;
    private volatile Duration timeout;
    private Connection connection;

    LocalConnection(String host, int port, Credentials superuser, int ttlSeconds) {
        String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        this.url = "jdbc:postgresql://" + h + ":" + port + "/postgres";
        this.superuser = superuser;
        this.timeout = timeoutFor(ttlSeconds);
    }

    private LocalConnection(String url, Credentials superuser, Duration timeout) {
        this.url = url;
        this.superuser = superuser;
        this.timeout = timeout;
    }

    /**
     * A second, separate connection to the same server with the same timeouts: for a long statement (CHECKPOINT)
     * that must not hold this one, which the HA loop's probes use, for its whole duration.
     */
    LocalConnection sibling() {
        return new LocalConnection(url, superuser, timeout);
    }

    /** The bound on one network wait for a lease of {@code ttlSeconds}: ttl/4, at least 1 s and at most 10 s. */
    static Duration timeoutFor(int ttlSeconds) {
        Duration quarter = Duration.ofMillis(ttlSeconds * 1000L / 4);
        return quarter.compareTo(MIN_TIMEOUT) < 0 ? MIN_TIMEOUT
                : quarter.compareTo(MAX_TIMEOUT) > 0 ? MAX_TIMEOUT : quarter;
    }

    /** The ttl in force changed (dynamic configuration); applies to the next connection and the next call. */
    void useTtl(int ttlSeconds) {
        Duration next = timeoutFor(ttlSeconds);
        if (!next.equals(timeout)) {
            timeout = next;
            close(); // pgjdbc's connect and login timeouts are fixed per connection
        }
    }

    /**
     * The longest a {@link #call(Work)} can take against a hung server: a validity check of the kept connection,
     * a new connection's login, and the statement's read, each bounded by the timeout.
     */
    Duration callBound() {
        return timeout.multipliedBy(3);
    }

    /** Runs {@code work} with the default (ttl-derived) read timeout. */
    <T> T call(Work<T> work) throws SQLException {
        return call(timeout, work);
    }

    /** Runs {@code work}, allowing each network read up to {@code socketTimeout} (e.g. for a CHECKPOINT). */
    synchronized <T> T call(Duration socketTimeout, Work<T> work) throws SQLException {
        Connection c = open();
        try {
            c.setNetworkTimeout(DIRECT, (int) Math.min(Integer.MAX_VALUE, socketTimeout.toMillis()));
            T result = work.apply(c);
            c.setNetworkTimeout(DIRECT, (int) timeout.toMillis());
            return result;
        } catch (SQLException e) {
            if (isConnectionError(e) || c.isClosed()) {
                close();
            }
            throw e;
        }
    }

    private Connection open() throws SQLException {
        long seconds = Math.max(1, timeout.toSeconds()); // pgjdbc takes whole seconds
        if (connection != null && !connection.isClosed() && connection.isValid((int) seconds)) {
            return connection;
        }
        close();
        Connection c = connect(url, seconds);
        connection = c;
        return c;
    }

    /**
     * A new connection of its own to {@code database} on the same server, with the same timeouts, which the caller
     * closes (logical replication slots are created in the database they decode).
     */
    Connection openSeparate(String database) throws SQLException {
        String base = url.substring(0, url.lastIndexOf('/') + 1);
        return connect(base + java.net.URLEncoder.encode(database, java.nio.charset.StandardCharsets.UTF_8)
                .replace("+", "%20"), Math.max(1, timeout.toSeconds()));
    }

    private Connection connect(String url, long seconds) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", superuser.username());
        if (superuser.password() != null) {
            props.setProperty("password", superuser.password());
        }
        props.setProperty("connectTimeout", Long.toString(seconds));
        props.setProperty("loginTimeout", Long.toString(seconds));
        props.setProperty("socketTimeout", Long.toString(seconds));
        props.setProperty("ApplicationName", "bulwark");
        props.setProperty("tcpKeepAlive", "true");
        Connection c = new org.postgresql.Driver().connect(url, props);
        if (c == null) {
            throw new SQLException("pgjdbc rejected URL " + url);
        }
        c.setAutoCommit(true);
        return c;
    }

    /** Closes the connection (e.g. before a stop, so a smart shutdown is not held up by us). */
    @Override
    public synchronized void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                log.debug("closing the local connection failed: {}", e.toString());
            }
            connection = null;
        }
    }

    static boolean isConnectionError(SQLException e) {
        String state = e.getSQLState();
        return state == null || state.startsWith("08") || state.startsWith("57P");
    }

    /** Where the agent connects: the first listen address, or loopback when listening on all of them. */
    static String localHost(String listenHost) {
        String first = listenHost == null ? "" : listenHost.split(",")[0].trim();
        return switch (first) {
            case "", "*", "0.0.0.0", "::", "localhost" -> "127.0.0.1";
            default -> first;
        };
    }
}
