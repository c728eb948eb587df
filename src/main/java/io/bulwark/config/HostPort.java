package io.bulwark.config;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A {@code host:port} value as written in Patroni configs ({@code 10.0.0.3:2379}, {@code :8008},
 * {@code [::1]:5432}, {@code h1,h2:5432} for {@code postgresql.listen}). Parsing reports problems with the
 * field's path instead of throwing.
 */
record HostPort(String host, int port) {
    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9_.\\-]+");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+(%[A-Za-z0-9_.\\-]+)?");
    private static final Pattern IPV4 = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
    private static final Set<String> WILDCARDS = Set.of("", "0.0.0.0", "::", "*");

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    /**
     * Parses {@code value}; with {@code defaultPort} null the port is required.
     *
     * @param allowEmptyHost {@code :port} accepted (a listen address meaning all interfaces)
     * @param allowHostList  host part may be a comma-separated list ({@code postgresql.listen})
     * @return the address, or {@code null} after recording an error at {@code path}
     */
    static HostPort parse(String value, String path, Integer defaultPort, boolean allowEmptyHost,
                          boolean allowHostList, Problems problems) {
        String text = value.trim();
        String host;
        String portText;
        int bracketEnd = text.startsWith("[") ? text.indexOf(']') : -1;
        int colon = text.lastIndexOf(':');
        if (bracketEnd > 0 && colon < bracketEnd) {
            colon = -1;
        }
        if (colon < 0) {
            if (defaultPort == null) {
                problems.error(path, "expected host:port, got '" + value + "'");
                return null;
            }
            host = text;
            portText = null;
        } else {
            host = text.substring(0, colon);
            portText = text.substring(colon + 1).trim();
        }
        Integer port = portText == null ? defaultPort : port(portText, path, problems);
        if (bracketEnd > 0) {
            host = host.substring(1, host.length() - 1);
        }
        boolean hostOk = checkHosts(host.trim(), value, path, allowEmptyHost, allowHostList, problems);
        return port == null || !hostOk ? null : new HostPort(host.trim(), port);
    }

    /** A port number in 1..65535, or null after recording an error. */
    static Integer port(String text, String path, Problems problems) {
        if (!text.matches("[0-9]{1,9}")) {
            problems.error(path, "port must be a number, got '" + text + "'");
            return null;
        }
        int port = Integer.parseInt(text);
        if (port < 1 || port > 65535) {
            problems.error(path, "port must be in 1..65535, got " + port);
            return null;
        }
        return port;
    }

    private static boolean checkHosts(String host, String value, String path, boolean allowEmptyHost,
                                      boolean allowHostList, Problems problems) {
        if (host.isEmpty()) {
            if (!allowEmptyHost) {
                problems.error(path, "host is missing in '" + value + "'");
            }
            return allowEmptyHost;
        }
        String[] hosts = allowHostList ? host.split(",") : new String[] {host};
        for (String h : hosts) {
            String one = h.trim();
            if (!HOST_NAME.matcher(one).matches() && !(one.contains(":") && IPV6.matcher(one).matches())
                    && !one.equals("*")) {
                problems.error(path, "invalid host '" + one + "' in '" + value + "'");
                return false;
            }
        }
        return true;
    }

    /** {@code 0.0.0.0}, {@code ::}, {@code *} or empty: listen on every interface. */
    static boolean isWildcard(String host) {
        return WILDCARDS.contains(host.trim());
    }

    private static boolean isIpv4Literal(String h) {
        if (!IPV4.matcher(h).matches()) {
            return false;
        }
        for (String octet : h.split("\\.")) {
            if (Integer.parseInt(octet) > 255) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether a literal IP address belongs to this machine. Host names are not resolved (a validation run must
     * not wait for DNS) and count as local; so do wildcards.
     */
    static boolean isLocal(String host) {
        String h = host.trim();
        if (isWildcard(h) || !(isIpv4Literal(h) || h.contains(":"))) {
            return true;
        }
        try {
            InetAddress address = InetAddress.getByName(h);
            return address.isLoopbackAddress() || NetworkInterface.getByInetAddress(address) != null;
        } catch (UnknownHostException | SocketException e) {
            return true;
        }
    }

    /**
     * A required {@code listen} value of {@code section}: {@code host:port} or {@code :port} (all interfaces,
     * normalised to {@code 0.0.0.0}). Warns when a literal IP address is not one of this machine's, which is
     * legal for a config written for another host but fatal if the agent starts here.
     */
    static HostPort listen(Section section, String key, boolean allowHostList) {
        String text = section.requiredString(key);
        if (text == null) {
            return null;
        }
        HostPort parsed = parse(text, section.path(key), null, true, allowHostList, section.problems());
        if (parsed == null) {
            return null;
        }
        String host = parsed.host().isEmpty() ? "0.0.0.0" : parsed.host();
        for (String one : host.split(",")) {
            if (!isLocal(one)) {
                section.problems().warning(section.path(key), one.trim() + " is not an address of this host");
            }
        }
        return new HostPort(host, parsed.port());
    }

    /**
     * {@code connect_address} as {@code host:port}; when absent, the first listen host, or {@code 127.0.0.1}
     * (with a warning: peers cannot reach it) when listening on every interface. Null after an error or when
     * {@code listen} itself was invalid.
     */
    static String connectAddress(Section section, String key, HostPort listen) {
        String text = section.string(key);
        if (text != null) {
            HostPort parsed = parse(text, section.path(key), null, false, false, section.problems());
            return parsed == null ? null : parsed.toString();
        }
        if (listen == null) {
            return null;
        }
        String first = listen.host().split(",")[0].trim();
        if (isWildcard(first)) {
            String fallback = new HostPort("127.0.0.1", listen.port()).toString();
            section.problems().warning(section.path(key), "not set and listen is on all interfaces; using "
                    + fallback + ", which members on other hosts cannot reach");
            return fallback;
        }
        return new HostPort(first, listen.port()).toString();
    }
}
