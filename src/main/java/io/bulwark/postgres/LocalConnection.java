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
 */
final class LocalConnection implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LocalConnection.class);
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(10);
    private static final Executor DIRECT = Runnable::run;

    /** A unit of work on the connection. */
    interface Work<T> {
        T apply(Connection c) throws SQLException;
    }

    private final String url;
    private final Credentials superuser;
    private Connection connection;

    LocalConnection(String host, int port, Credentials superuser) {
        String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        this.url = "jdbc:postgresql://" + h + ":" + port + "/postgres";
        this.superuser = superuser;
    }

    /** Runs {@code work} with the default socket timeout. */
    <T> T call(Work<T> work) throws SQLException {
        return call(SOCKET_TIMEOUT, work);
    }

    /** Runs {@code work}, allowing each network read up to {@code socketTimeout} (e.g. for a CHECKPOINT). */
    synchronized <T> T call(Duration socketTimeout, Work<T> work) throws SQLException {
        Connection c = open();
        try {
            c.setNetworkTimeout(DIRECT, (int) Math.min(Integer.MAX_VALUE, socketTimeout.toMillis()));
            T result = work.apply(c);
            c.setNetworkTimeout(DIRECT, (int) SOCKET_TIMEOUT.toMillis());
            return result;
        } catch (SQLException e) {
            if (isConnectionError(e) || c.isClosed()) {
                close();
            }
            throw e;
        }
    }

    private Connection open() throws SQLException {
        if (connection != null && !connection.isClosed() && connection.isValid((int) CONNECT_TIMEOUT.toSeconds())) {
            return connection;
        }
        close();
        Properties props = new Properties();
        props.setProperty("user", superuser.username());
        if (superuser.password() != null) {
            props.setProperty("password", superuser.password());
        }
        props.setProperty("connectTimeout", Long.toString(CONNECT_TIMEOUT.toSeconds()));
        props.setProperty("loginTimeout", Long.toString(CONNECT_TIMEOUT.toSeconds() * 2));
        props.setProperty("socketTimeout", Long.toString(SOCKET_TIMEOUT.toSeconds()));
        props.setProperty("ApplicationName", "bulwark");
        props.setProperty("tcpKeepAlive", "true");
        Connection c = new org.postgresql.Driver().connect(url, props);
        if (c == null) {
            throw new SQLException("pgjdbc rejected URL " + url);
        }
        c.setAutoCommit(true);
        connection = c;
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
