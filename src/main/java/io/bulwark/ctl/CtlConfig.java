package io.bulwark.ctl;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.bulwark.dcs.etcd.EtcdTls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The part of a node's YAML that {@code bulwarkctl} needs: {@code scope}, {@code namespace}, the {@code etcd3} or
 * {@code etcd} section, and the {@code ctl}/{@code restapi} settings for REST calls ({@link #restClient()}), with {@code PATRONI_*} overrides and {@code --dcs-url}
 * (reference §4.6, §4.10, §5). The etcd section's {@code protocol: https}, {@code cacert}, {@code cert} and
 * {@code key} reach a TLS etcd as the agent does; {@code --dcs-url} replaces the whole section (as patronictl's
 * {@code load_config} does), so it always means plain {@code http://}.
 *
 * <p>Stand-in: this reads the YAML itself so the CLI works on its own. When {@code io.bulwark.config.ConfigLoader}
 * lands, {@link #load} should delegate to it (only this class reads configuration files for the CLI).
 */
final class CtlConfig {
    static final String DEFAULT_NAMESPACE = "/service";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final List<String> OTHER_DCS = List.of("consul", "zookeeper", "exhibitor", "kubernetes", "raft");

    private final String scope;
    private final String namespace;
    private final Map<String, Object> etcd;
    private final String etcdSection;
    private final boolean insecure;
    private final RestClientSettings restClient;

    private CtlConfig(String scope, String namespace, Map<String, Object> etcd, String etcdSection, boolean insecure,
                      RestClientSettings restClient) {
        this.scope = scope;
        this.namespace = namespace;
        this.etcd = etcd;
        this.etcdSection = etcdSection;
        this.insecure = insecure;
        this.restClient = restClient;
    }

    /**
     * @param file     YAML file, or {@code null}
     * @param explicit the user named {@code file} ({@code -c} or {@code PATRONICTL_CONFIG_FILE}): it must exist
     * @param dcsUrl   {@code --dcs-url}, or {@code null}
     */
    static CtlConfig load(Path file, boolean explicit, String dcsUrl, boolean insecureFlag, Map<String, String> env) {
        Map<String, Object> root = new LinkedHashMap<>();
        if (file != null && Files.isReadable(file) && Files.isRegularFile(file)) {
            root = readYaml(file);
        } else if (file != null && explicit) {
            throw new CtlException("Provided config file " + file
                    + " not existing or no read rights. Check the -c/--config-file parameter");
        }
        String scope = text(root.get("scope"));
        String namespace = text(root.get("namespace"));
        String section = root.get("etcd3") instanceof Map ? "etcd3" : root.get("etcd") instanceof Map ? "etcd" : null;
        Map<String, Object> etcd = section == null ? new LinkedHashMap<>() : new LinkedHashMap<>(map(root, section));
        if (section == null) {
            for (String other : OTHER_DCS) {
                if (root.containsKey(other)) {
                    throw new CtlException(file + ": DCS section '" + other + "' is not supported; Bulwark uses etcd"
                            + " (an 'etcd3' or 'etcd' section)");
                }
            }
        }
        scope = env.getOrDefault("PATRONI_SCOPE", scope);
        namespace = env.getOrDefault("PATRONI_NAMESPACE", namespace);
        for (String prefix : List.of("PATRONI_ETCD_", "PATRONI_ETCD3_")) {
            for (String key : List.of("host", "hosts", "url", "protocol", "username", "password", "cacert", "cert",
                    "key")) {
                String v = env.get(prefix + key.toUpperCase(Locale.ROOT));
                if (v != null) {
                    etcd.put(key, v);
                    section = section == null ? prefix.equals("PATRONI_ETCD_") ? "etcd" : "etcd3" : section;
                }
            }
        }
        if (dcsUrl != null) {
            DcsUrl parsed = DcsUrl.parse(dcsUrl);
            etcd = new LinkedHashMap<>(Map.of("host", parsed.hostPort()));
            section = parsed.scheme();
            namespace = parsed.namespace() != null ? parsed.namespace() : namespace;
        }
        boolean insecure = insecureFlag || root.get("ctl") instanceof Map<?, ?> ctl && isTrue(ctl.get("insecure"))
                || isTrue(env.get("PATRONI_CTL_INSECURE"));
        return new CtlConfig(scope, namespace == null ? DEFAULT_NAMESPACE : namespace, etcd, section, insecure,
                restClient(root, insecure, env));
    }

    /** How to call members' REST APIs; reference §3.5 "Outgoing calls". */
    RestClientSettings restClient() {
        return restClient;
    }

    private static RestClientSettings restClient(Map<String, Object> root, boolean insecure, Map<String, String> env) {
        Map<String, Object> ctl = root.get("ctl") instanceof Map ? new LinkedHashMap<>(map(root, "ctl"))
                : new LinkedHashMap<>();
        Map<String, Object> restapi = root.get("restapi") instanceof Map ? new LinkedHashMap<>(map(root, "restapi"))
                : new LinkedHashMap<>();
        Map<String, Object> ctlAuth = ctl.get("authentication") instanceof Map<?, ?> m ? copy(m) : new LinkedHashMap<>();
        Map<String, Object> apiAuth = restapi.get("authentication") instanceof Map<?, ?> m ? copy(m)
                : new LinkedHashMap<>();
        overlay(ctlAuth, env, "PATRONI_CTL_", "username", "password");
        overlay(apiAuth, env, "PATRONI_RESTAPI_", "username", "password");
        overlay(ctl, env, "PATRONI_CTL_", "cacert", "certfile", "keyfile", "keyfile_password");
        overlay(restapi, env, "PATRONI_RESTAPI_", "cafile");
        Map<String, Object> auth = ctlAuth.get("username") != null ? ctlAuth : apiAuth;
        Object ca = ctl.get("cacert") != null ? ctl.get("cacert") : restapi.get("cafile");
        return new RestClientSettings(text(auth.get("username")), text(auth.get("password")), insecure, path(ca),
                path(ctl.get("certfile")), path(ctl.get("keyfile")), text(ctl.get("keyfile_password")));
    }

    private static void overlay(Map<String, Object> section, Map<String, String> env, String prefix, String... keys) {
        for (String key : keys) {
            String v = env.get(prefix + key.toUpperCase(Locale.ROOT));
            if (v != null) {
                section.put(key, v);
            }
        }
    }

    private static Map<String, Object> copy(Map<?, ?> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(String.valueOf(k), v));
        return out;
    }

    private static Path path(Object o) {
        return o == null || o.toString().isBlank() ? null : Path.of(o.toString());
    }

    /** {@code scope} from the file or {@code PATRONI_SCOPE}, or {@code null}. */
    String scope() {
        return scope;
    }

    /** The target for cluster {@code clusterName} (or {@link #scope()} when null). */
    CtlTarget target(String clusterName) {
        String name = clusterName != null ? clusterName : scope;
        if (name == null || name.isBlank()) {
            throw new CtlException("no cluster name: pass CLUSTER or set 'scope' in the configuration file");
        }
        if (etcdSection == null) {
            throw new CtlException("Can not find suitable configuration of distributed configuration store:"
                    + " pass --dcs-url etcd3://host:2379 or -c FILE with an 'etcd3' section");
        }
        String user = text(etcd.get("username"));
        String password = text(etcd.get("password"));
        return new CtlTarget(name, namespace, endpoints(), user, password, insecure, etcdTls());
    }

    /** {@code cacert}, {@code cert}, {@code key} of the etcd section; null when none is set (default trust). */
    private EtcdTls etcdTls() {
        Path cacert = path(etcd.get("cacert"));
        Path cert = path(etcd.get("cert"));
        Path key = path(etcd.get("key"));
        if (key != null && cert == null) {
            throw new CtlException(etcdSection + ".key is set without " + etcdSection + ".cert; set cert to the"
                    + " client certificate of " + key);
        }
        return cacert == null && cert == null ? null : new EtcdTls(cacert, cert, key);
    }

    private List<String> endpoints() {
        String protocol = etcd.get("protocol") == null ? "http" : text(etcd.get("protocol"));
        List<String> out = new ArrayList<>();
        for (String key : List.of("srv", "proxy")) {
            if (etcd.get(key) != null) {
                throw new CtlException(etcdSection + "." + key + " is not supported by bulwarkctl;"
                        + " use host, hosts or url");
            }
        }
        if (etcd.get("url") != null) {
            out.add(text(etcd.get("url")).replaceAll("/+$", ""));
        } else if (etcd.get("hosts") != null) {
            Object hosts = etcd.get("hosts");
            List<?> list = hosts instanceof List<?> l ? l : List.of(text(hosts).split(","));
            for (Object h : list) {
                if (!text(h).isBlank()) {
                    out.add(protocol + "://" + hostPort(etcdSection + ".hosts", text(h).trim()));
                }
            }
        } else if (etcd.get("host") != null) {
            out.add(protocol + "://" + hostPort(etcdSection + ".host", text(etcd.get("host")).trim()));
        }
        if (out.isEmpty()) {
            throw new CtlException(etcdSection + ": one of host, hosts or url is required");
        }
        return out;
    }

    private static String hostPort(String field, String value) {
        int colon = value.lastIndexOf(':');
        if (colon < 0 || value.endsWith("]")) {
            return value + ":2379";
        }
        String port = value.substring(colon + 1);
        if (!port.matches("\\d{1,5}") || Integer.parseInt(port) > 65535 || colon == 0) {
            throw new CtlException(field + ": expected host:port, got '" + value + "'");
        }
        return value;
    }

    private static Map<String, Object> readYaml(Path file) {
        try {
            Object tree = YAML.readValue(file.toFile(), Object.class);
            if (tree == null) {
                return new LinkedHashMap<>();
            }
            if (!(tree instanceof Map<?, ?> m)) {
                throw new CtlException(file + ": expected a YAML mapping at the top level");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> map = (Map<String, Object>) m;
            return map;
        } catch (IOException e) {
            throw new CtlException(file + ": not valid YAML: " + e.getMessage().lines().findFirst().orElse(""), e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> root, String key) {
        return (Map<String, Object>) root.get(key);
    }

    private static String text(Object o) {
        return o == null ? null : o.toString();
    }

    private static boolean isTrue(Object o) {
        return o != null && List.of("on", "true", "yes", "1").contains(o.toString().toLowerCase(Locale.ROOT));
    }

    /** {@code etcd3://host:port/namespace} as patronictl's {@code parse_dcs}: defaults localhost, 2379, etcd. */
    record DcsUrl(String scheme, String hostPort, String namespace) {
        static DcsUrl parse(String url) {
            int sep = url.indexOf("//");
            String scheme = sep <= 0 ? "etcd" : url.substring(0, sep).replaceAll(":$", "");
            if (OTHER_DCS.contains(scheme)) {
                throw new CtlException("--dcs-url: DCS '" + scheme + "' is not supported; Bulwark uses etcd3://");
            }
            if (!scheme.equals("etcd") && !scheme.equals("etcd3")) {
                throw new CtlException("Unknown dcs scheme: " + scheme);
            }
            String rest = sep < 0 ? url : url.substring(sep + 2);
            int slash = rest.indexOf('/');
            String authority = slash < 0 ? rest : rest.substring(0, slash);
            String path = slash < 0 ? "" : rest.substring(slash).strip();
            int colon = authority.lastIndexOf(':');
            boolean hasPort = colon >= 0 && !authority.endsWith("]");
            String host = hasPort ? authority.substring(0, colon) : authority;
            String port = hasPort ? authority.substring(colon + 1) : "2379";
            if (!port.matches("\\d{1,5}") || Integer.parseInt(port) > 65535) {
                throw new CtlException("--dcs-url: expected etcd3://host:port[/namespace], got '" + url + "'");
            }
            host = host.isEmpty() ? "localhost" : host;
            return new DcsUrl(scheme, host + ":" + port, path.isEmpty() || path.equals("/") ? null : path);
        }
    }
}
