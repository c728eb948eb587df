package io.bulwark.ha;

import java.net.URI;

/** Parsing of Patroni's {@code conn_url} values ({@code postgres://host:port/postgres}). */
public final class ConnUrls {
    private ConnUrls() {
    }

    /** {@code host:port} of a {@code postgres://} URL, or {@code null} if it cannot be parsed. */
    public static String hostPort(String connUrl) {
        URI uri = parse(connUrl);
        if (uri == null || uri.getHost() == null) {
            return null;
        }
        return uri.getHost() + ":" + (uri.getPort() < 0 ? 5432 : uri.getPort());
    }

    public static String host(String connUrl) {
        URI uri = parse(connUrl);
        return uri == null ? null : uri.getHost();
    }

    public static int port(String connUrl) {
        URI uri = parse(connUrl);
        return uri == null || uri.getPort() < 0 ? 5432 : uri.getPort();
    }

    private static URI parse(String connUrl) {
        if (connUrl == null) {
            return null;
        }
        try {
            return URI.create(connUrl.trim());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
