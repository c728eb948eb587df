package io.bulwark.ctl;

import java.net.URI;

/**
 * A member key's {@code conn_url} ({@code postgres://host:port/dbname}) as patronictl's {@code conn_kwargs}
 * reads it: host, port (default 5432) and database.
 */
record ConnUrl(String host, int port, String dbname) {
    static ConnUrl parse(String member, String connUrl) {
        if (connUrl == null || connUrl.isBlank()) {
            throw new CtlException("member " + member + " publishes no conn_url");
        }
        try {
            URI u = URI.create(connUrl.strip());
            if (u.getHost() == null) {
                throw new IllegalArgumentException("no host");
            }
            String path = u.getPath() == null ? "" : u.getPath().replaceFirst("^/", "");
            return new ConnUrl(u.getHost(), u.getPort() < 0 ? 5432 : u.getPort(), path.isEmpty() ? null : path);
        } catch (IllegalArgumentException e) {
            throw new CtlException("member " + member + ": conn_url '" + connUrl
                    + "' is not postgres://host:port/dbname", e);
        }
    }

    String dsn() {
        return "host=" + host + " port=" + port;
    }
}
