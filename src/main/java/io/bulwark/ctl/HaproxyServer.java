package io.bulwark.ctl;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code server} line of {@link HaproxyConfig}: PostgreSQL at {@code host:pgPort}, health-checked on the agent's
 * REST API at {@code apiHost:apiPort}. Built from a member key (the DCS path) or from a {@code --server} value
 * ({@link #parse}); {@link #line} is the only place a {@code server} line is written.
 *
 * @param name    HAProxy server name (letters, digits, '-', '_', '.', ':')
 * @param host    PostgreSQL host name or address, IPv6 without brackets
 * @param pgPort  PostgreSQL port
 * @param apiHost REST API host; a different one from {@code host} is checked through {@code addr}
 * @param apiPort REST API port, checked with {@code check port}
 * @param apiTls  the REST API speaks HTTPS (the member's {@code api_url} says so; see {@link HaproxyCheckTls})
 */
record HaproxyServer(String name, String host, int pgPort, String apiHost, int apiPort, boolean apiTls) {
    static final int DEFAULT_PG_PORT = 5432;
    static final int DEFAULT_API_PORT = 8008;
    static final String FORMAT = "NAME=HOST[:PGPORT][/APIPORT]";

    private static final String NAME_CHARS = "A-Za-z0-9_.:-";
    private static final Pattern NAME = Pattern.compile("[" + NAME_CHARS + "]+");
    /** A host name or IPv4 address; anything else (whitespace, '#', quotes) would change the meaning of the line. */
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._-]+");
    private static final Pattern IPV6 = Pattern.compile("\\[([0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*)\\]");
    private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");
    /** NAME=, then a bracketed or plain host, then optional :PGPORT and /APIPORT (ports checked separately). */
    private static final Pattern SERVER = Pattern.compile("([^=]*)=(\\[[^\\]]*\\]|[^:/]*)(?::([^/]*))?(?:/(.*))?");

    /**
     * A {@code --server} value such as {@code node1=node1:5432/8008} or {@code node3=[fd00::3]}: PGPORT defaults to
     * 5432 and APIPORT to 8008, and the REST API is plain HTTP on the same host. A name HAProxy would not accept is
     * rejected, not rewritten as {@link #serverName} does for member keys: the caller chose it, and a silently
     * different name would not match the stats page or a {@code set server} command.
     *
     * @throws IllegalArgumentException saying what was expected and what {@code value} holds instead
     */
    static HaproxyServer parse(String value) {
        Matcher m = SERVER.matcher(value);
        if (!m.matches()) {
            throw new IllegalArgumentException("expected " + FORMAT + ", got '" + value + "'");
        }
        String name = m.group(1);
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("expected NAME of letters, digits, '-', '_', '.' or ':' (an HAProxy"
                    + " server name) in " + FORMAT + ", got '" + name + "' in '" + value + "'");
        }
        // Two colons outside brackets (fd00::3, host:1:2) are no HOST:PGPORT: say what HOST may be.
        boolean colons = m.group(3) != null && m.group(3).contains(":");
        String host = host(colons ? m.group(2) + ":" + m.group(3) : m.group(2), value);
        int pgPort = m.group(3) == null ? DEFAULT_PG_PORT : port("PGPORT", m.group(3), value);
        int apiPort = m.group(4) == null ? DEFAULT_API_PORT : port("APIPORT", m.group(4), value);
        return new HaproxyServer(name, host, pgPort, host, apiPort, false);
    }

    private static String host(String host, String value) {
        Matcher ipv6 = IPV6.matcher(host);
        if (ipv6.matches()) {
            return ipv6.group(1);
        }
        if (!HOST.matcher(host).matches()) {
            throw new IllegalArgumentException("expected HOST as a host name, an IPv4 address or an IPv6 address in"
                    + " brackets in " + FORMAT + ", got '" + host + "' in '" + value + "'");
        }
        return host;
    }

    private static int port(String what, String port, String value) {
        int n = PORT.matcher(port).matches() ? Integer.parseInt(port) : 0;
        if (n < 1 || n > 65535) {
            throw new IllegalArgumentException("expected " + what + " 1-65535 in " + FORMAT + ", got '" + port
                    + "' in '" + value + "'");
        }
        return n;
    }

    /** The indented {@code server} line, newline included, for both listeners. */
    String line(int maxconn, HaproxyCheckTls checkTls) {
        String addr = apiHost.equals(host) ? "" : " addr " + address(apiHost);
        String ssl = checkTls.keywords(apiTls, apiHost);
        return "    server %s %s:%d maxconn %d check port %d%s%s\n".formatted(name, address(host), pgPort, maxconn,
                apiPort, addr, ssl);
    }

    /** A member name as an HAProxy server name: every character HAProxy does not allow becomes '_'. */
    static String serverName(String memberName) {
        return memberName.replaceAll("[^" + NAME_CHARS + "]", "_");
    }

    private static String address(String host) {
        return host.contains(":") ? "[" + host + "]" : host;
    }
}
