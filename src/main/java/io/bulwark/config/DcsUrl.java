package io.bulwark.config;

import java.util.List;
import java.util.Map;

/**
 * {@code bulwarkctl --dcs-url etcd3://host:port/namespace} (or {@code DCS_URL}), as patronictl's
 * {@code parse_dcs}: host defaults to localhost, port to 2379, scheme to etcd. It replaces every DCS section of
 * the file (so it always means plain {@code http://} and no credentials) and, when it has a path, the namespace.
 */
final class DcsUrl {
    private static final List<String> DCS_SECTIONS = List.of("etcd", "etcd3", "consul", "zookeeper", "exhibitor",
            "kubernetes", "raft");

    private DcsUrl() {
    }

    /** Rewrites {@code tree}; a malformed URL is an error at {@code label} and leaves the tree alone. */
    static void apply(Map<String, Object> tree, String url, String label, Problems problems) {
        int sep = url.indexOf("//");
        String scheme = sep <= 0 ? "etcd" : url.substring(0, sep).replaceAll(":$", "");
        if (DCS_SECTIONS.contains(scheme) && !scheme.startsWith("etcd")) {
            problems.error(label, "DCS '" + scheme + "' is not supported; Bulwark uses etcd3://");
            return;
        }
        if (!scheme.equals("etcd") && !scheme.equals("etcd3")) {
            problems.error(label, "Unknown dcs scheme: " + scheme);
            return;
        }
        String rest = sep < 0 ? url : url.substring(sep + 2);
        int slash = rest.indexOf('/');
        String authority = slash < 0 ? rest : rest.substring(0, slash);
        String path = slash < 0 ? "" : rest.substring(slash).strip();
        int colon = authority.lastIndexOf(':');
        boolean hasPort = colon >= 0 && !authority.endsWith("]");
        String host = hasPort ? authority.substring(0, colon) : authority;
        String port = hasPort ? authority.substring(colon + 1) : String.valueOf(EtcdParser.DEFAULT_PORT);
        if (!port.matches("\\d{1,5}") || Integer.parseInt(port) > 65535) {
            problems.error(label, "expected etcd3://host:port[/namespace], got '" + url + "'");
            return;
        }
        DCS_SECTIONS.forEach(tree::remove);
        tree.put(scheme, new java.util.LinkedHashMap<>(Map.of("host", (host.isEmpty() ? "localhost" : host) + ":"
                + port)));
        if (!path.isEmpty() && !path.equals("/")) {
            tree.put("namespace", path);
        }
    }
}
