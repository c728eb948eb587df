package io.bulwark.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The one place where {@code PATRONI_*} environment variables are applied to the configuration tree, following
 * Patroni's {@code _build_environment_configuration} (reference §4.10). Environment wins over the file. Values
 * that look like YAML lists or mappings ({@code [a, b]}, {@code {k: v}}) are parsed as such; everything else
 * stays a string and is typed later by the mapper, so an env value gets the same validation as a file value.
 * Only list- or mapping-valued keys ({@code HOSTS}, {@code URLS}, {@code ALLOWLIST}, ...) are parsed that way.
 *
 * <p>Bulwark-specific rules: when the environment names etcd endpoints ({@code HOST}, {@code HOSTS},
 * {@code URL}, {@code URLS}, {@code SRV}, {@code PROXY}), the endpoints of the file are dropped instead of merged,
 * and a file section of the other etcd flavour ({@code etcd} vs {@code etcd3}) is removed. Unrecognised
 * {@code PATRONI_*} variables produce a warning. Values are never echoed (they may be passwords).
 */
final class EnvOverrides {
    private static final List<String> SECTION_SUFFIXES = List.of("HOST", "HOSTS", "PORT", "USE_PROXIES",
            "PROTOCOL", "SRV", "SRV_SUFFIX", "URL", "URLS", "PROXY", "CACERT", "CERT", "KEY", "USERNAME", "PASSWORD");
    private static final Set<String> ENDPOINT_KEYS = Set.of("host", "hosts", "url", "urls", "srv", "proxy");
    private static final List<String> LOG_SUFFIXES = List.of("TYPE", "LEVEL", "TRACEBACK_LEVEL", "FORMAT",
            "DATEFORMAT", "STATIC_FIELDS", "MAX_QUEUE_SIZE", "DIR", "MODE", "FILE_SIZE", "FILE_NUM", "LOGGERS",
            "DEDUPLICATE_HEARTBEAT_LOGS");
    private static final List<String> RESTAPI_SUFFIXES = List.of("LISTEN", "CONNECT_ADDRESS", "CERTFILE",
            "KEYFILE", "KEYFILE_PASSWORD", "CAFILE", "CIPHERS", "VERIFY_CLIENT", "HTTP_EXTRA_HEADERS",
            "HTTPS_EXTRA_HEADERS", "ALLOWLIST", "ALLOWLIST_INCLUDE_MEMBERS", "REQUEST_QUEUE_SIZE", "SERVER_TOKENS",
            "ALLOW_UNAUTHENTICATED_ADMIN");
    private static final List<String> CTL_SUFFIXES = List.of("INSECURE", "CACERT", "CERTFILE", "KEYFILE",
            "KEYFILE_PASSWORD");
    private static final List<String> POSTGRESQL_SUFFIXES = List.of("LISTEN", "CONNECT_ADDRESS", "PROXY_ADDRESS",
            "CONFIG_DIR", "DATA_DIR", "PGPASS", "BIN_DIR");
    private static final List<String> USER_SUFFIXES = List.of("USERNAME", "PASSWORD", "SSLMODE", "SSLKEY",
            "SSLPASSWORD", "SSLCERT", "SSLROOTCERT", "SSLCRL", "SSLCRLDIR", "SSLNEGOTIATION", "GSSENCMODE",
            "CHANNEL_BINDING");
    private static final Set<String> STRUCTURED = Set.of("hosts", "urls", "allowlist", "http_extra_headers",
            "https_extra_headers", "static_fields", "loggers");
    private static final Map<String, String> LEGACY = Map.of("PATRONI_LOGLEVEL", "PATRONI_LOG_LEVEL",
            "PATRONI_LOGFORMAT", "PATRONI_LOG_FORMAT", "PATRONI_LOG_DATEFMT", "PATRONI_LOG_DATEFORMAT");

    private EnvOverrides() {
    }

    /** Applies {@code env} to {@code tree} (mutable, see {@link Scalars#thaw}) and returns it. */
    static Map<String, Object> apply(Map<String, Object> tree, Map<String, String> env, Problems problems) {
        Map<String, String> vars = new TreeMap<>();
        env.forEach((k, v) -> {
            if (k.startsWith("PATRONI_") && v != null && !v.isEmpty() && !k.equals("PATRONI_CONFIGURATION")) {
                vars.put(k, v);
            }
        });
        LEGACY.forEach((old, current) -> {
            String value = vars.remove(old);
            if (value != null) {
                vars.putIfAbsent(current, value);
            }
        });
        for (String flavour : List.of("etcd", "etcd3")) {
            dropFileEndpoints(tree, flavour, vars, problems);
        }
        vars.forEach((name, value) -> {
            List<String> keyPath = keyPath(name.substring("PATRONI_".length()));
            if (keyPath == null) {
                problems.warning(name, "environment variable not recognised; ignored");
            } else {
                put(tree, keyPath, parse(name, keyPath.getLast(), value, problems), problems);
            }
        });
        return tree;
    }

    /** The tree path a variable sets, without the {@code PATRONI_} prefix; null if it is not one of Patroni's. */
    static List<String> keyPath(String rest) {
        switch (rest) {
            case "NAME", "SCOPE", "NAMESPACE", "THREAD_POOL_SIZE", "THREAD_STACK_SIZE" -> {
                return List.of(lower(rest));
            }
            case "RESTAPI_USERNAME", "RESTAPI_PASSWORD", "CTL_USERNAME", "CTL_PASSWORD" -> {
                int cut = rest.indexOf('_');
                return List.of(lower(rest.substring(0, cut)), "authentication", lower(rest.substring(cut + 1)));
            }
            default -> {
                // handled below
            }
        }
        List<String> found = suffixed(rest, "LOG_", LOG_SUFFIXES, List.of("log"));
        found = found != null ? found : suffixed(rest, "RESTAPI_", RESTAPI_SUFFIXES, List.of("restapi"));
        found = found != null ? found : suffixed(rest, "CTL_", CTL_SUFFIXES, List.of("ctl"));
        found = found != null ? found : suffixed(rest, "POSTGRESQL_", POSTGRESQL_SUFFIXES, List.of("postgresql"));
        found = found != null ? found : suffixed(rest, "ETCD_", SECTION_SUFFIXES, List.of("etcd"));
        found = found != null ? found : suffixed(rest, "ETCD3_", SECTION_SUFFIXES, List.of("etcd3"));
        for (String user : List.of("SUPERUSER", "REPLICATION", "REWIND")) {
            found = found != null ? found : suffixed(rest, user + "_", USER_SUFFIXES,
                    List.of("postgresql", "authentication", lower(user)));
        }
        if (found == null && rest.startsWith("POSTGRESQL_BIN_") && rest.length() > "POSTGRESQL_BIN_".length()) {
            found = List.of("postgresql", "bin_name", lower(rest.substring("POSTGRESQL_BIN_".length())));
        }
        return found;
    }

    private static List<String> suffixed(String rest, String prefix, List<String> suffixes, List<String> base) {
        if (!rest.startsWith(prefix) || !suffixes.contains(rest.substring(prefix.length()))) {
            return null;
        }
        List<String> path = new ArrayList<>(base);
        path.add(lower(rest.substring(prefix.length())));
        return path;
    }

    private static Object parse(String name, String leaf, String value, Problems problems) {
        String trimmed = value.trim();
        // Only keys that hold lists or mappings: a password such as "{x}" must stay a string.
        if (!STRUCTURED.contains(leaf) || !(trimmed.startsWith("[") || trimmed.startsWith("{"))) {
            return value;
        }
        try {
            return Scalars.thaw(new YAMLMapper().readValue(trimmed, Object.class));
        } catch (JsonProcessingException e) {
            problems.error(name, "looks like a YAML list or mapping but does not parse (line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
            return value;
        }
    }

    @SuppressWarnings("unchecked")
    private static void put(Map<String, Object> tree, List<String> keyPath, Object value, Problems problems) {
        Map<String, Object> node = tree;
        String path = "";
        for (String key : keyPath.subList(0, keyPath.size() - 1)) {
            path = Section.join(path, key);
            Object child = node.get(key);
            if (!(child instanceof Map<?, ?>)) {
                if (child != null) {
                    problems.warning(path, "replaced by a mapping from the environment");
                }
                child = new LinkedHashMap<String, Object>();
                node.put(key, child);
            }
            node = (Map<String, Object>) child;
        }
        node.put(keyPath.getLast(), value);
    }

    /** Environment endpoints replace the file's endpoints, and the file's section of the other flavour. */
    private static void dropFileEndpoints(Map<String, Object> tree, String flavour, Map<String, String> vars,
                                          Problems problems) {
        String prefix = "PATRONI_" + flavour.toUpperCase(Locale.ROOT) + "_";
        boolean envHasEndpoints = ENDPOINT_KEYS.stream()
                .anyMatch(k -> vars.containsKey(prefix + k.toUpperCase(Locale.ROOT)));
        if (!envHasEndpoints) {
            return;
        }
        if (tree.get(flavour) instanceof Map<?, ?> section) {
            section.keySet().removeIf(ENDPOINT_KEYS::contains);
        }
        String other = flavour.equals("etcd") ? "etcd3" : "etcd";
        if (tree.remove(other) != null) {
            problems.warning(other, "replaced by the " + prefix + "* environment variables");
        }
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
