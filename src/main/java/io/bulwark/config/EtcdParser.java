package io.bulwark.config;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps an {@code etcd} or {@code etcd3} section (reference §4.6) to {@link EtcdConfig}: every endpoint given
 * through {@code host}, {@code hosts}, {@code url} or {@code urls} becomes a full client URL such as
 * {@code http://10.0.0.3:2379} ({@code protocol} applied to host forms, port 2379 unless {@code port} says
 * otherwise). Patroni takes one of these keys; Bulwark uses the union if several are given. {@code cacert},
 * {@code cert} and {@code key} are checked by {@link EtcdTlsFiles}.
 */
final class EtcdParser {
    static final int DEFAULT_PORT = 2379;
    private static final Set<String> SUPPORTED = Set.of("host", "hosts", "url", "urls", "protocol", "port",
            "username", "password", "cacert", "cert", "key");
    private static final Set<String> IGNORED = Set.of("srv", "srv_suffix", "proxy", "use_proxies", "retry_timeout");
    private static final Pattern URL = Pattern.compile("(?i)(https?)://([^/?#]+)/?");

    private EtcdParser() {
    }

    /** Null when the section has errors (they are recorded). */
    static EtcdConfig parse(Section etcd) {
        Problems problems = etcd.problems();
        int errorsBefore = problems.errors().size();
        etcd.requireKnownKeys(SUPPORTED, IGNORED);
        String protocol = etcd.string("protocol", "http").toLowerCase(Locale.ROOT);
        if (!protocol.equals("http") && !protocol.equals("https")) {
            problems.error(etcd.path("protocol"), "must be http or https, got '" + protocol + "'");
        }
        Integer defaultPort = DEFAULT_PORT;
        String portText = etcd.string("port");
        if (portText != null) {
            defaultPort = HostPort.port(portText.trim(), etcd.path("port"), problems);
        }
        Set<String> endpoints = new LinkedHashSet<>();
        String host = etcd.string("host");
        if (host != null) {
            addHost(endpoints, protocol, host, etcd.path("host"), defaultPort, problems);
        }
        List<String> hosts = etcd.stringList("hosts");
        for (int i = 0; i < hosts.size(); i++) {
            String path = etcd.value("hosts") instanceof List<?> ? etcd.path("hosts") + "[" + i + "]" : etcd.path("hosts");
            addHost(endpoints, protocol, hosts.get(i), path, defaultPort, problems);
        }
        List<String> urls = new ArrayList<>(etcd.stringList("urls"));
        String url = etcd.string("url");
        if (url != null) {
            addUrl(endpoints, url, etcd.path("url"), problems);
        }
        for (int i = 0; i < urls.size(); i++) {
            String path = etcd.value("urls") instanceof List<?> ? etcd.path("urls") + "[" + i + "]" : etcd.path("urls");
            addUrl(endpoints, urls.get(i), path, problems);
        }
        if (endpoints.isEmpty() && problems.errors().size() == errorsBefore) {
            String hint = etcd.has("srv") || etcd.has("proxy") ? " (srv and proxy are not supported by Bulwark)" : "";
            problems.error(etcd.path(), "needs one of host, hosts, url, urls" + hint);
        }
        Credentials credentials = RestApiParser.usernameAndPassword(etcd);
        EtcdTlsFiles tls = EtcdTlsFiles.parse(etcd, endpoints.stream().anyMatch(e -> e.startsWith("https://")));
        if (endpoints.stream().anyMatch(e -> e.startsWith("https://"))
                && endpoints.stream().anyMatch(e -> e.startsWith("http://"))) {
            problems.error(etcd.path(), "mixes http:// and https:// endpoints; use one protocol for all");
        }
        if (problems.errors().size() > errorsBefore) {
            return null;
        }
        return new EtcdConfig(List.copyOf(endpoints), credentials == null ? null : credentials.username(),
                credentials == null ? null : credentials.password(), tls.cacert(), tls.cert(), tls.key());
    }

    private static void addHost(Set<String> endpoints, String protocol, String value, String path,
                                Integer defaultPort, Problems problems) {
        if (defaultPort == null) {
            return; // the port key itself was invalid and is reported
        }
        HostPort hostPort = HostPort.parse(value, path, defaultPort, false, false, problems);
        if (hostPort != null) {
            endpoints.add(protocol + "://" + hostPort);
        }
    }

    private static void addUrl(Set<String> endpoints, String value, String path, Problems problems) {
        Matcher m = URL.matcher(value.trim());
        if (!m.matches()) {
            problems.error(path, "expected a URL like http://10.0.0.3:2379, got '" + value + "'");
            return;
        }
        HostPort hostPort = HostPort.parse(m.group(2), path, DEFAULT_PORT, false, false, problems);
        if (hostPort != null) {
            endpoints.add(m.group(1).toLowerCase(Locale.ROOT) + "://" + hostPort);
        }
    }
}
