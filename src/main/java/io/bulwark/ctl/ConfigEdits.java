package io.bulwark.ctl;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The edits of {@code edit-config}, as patronictl makes them: {@code --set a.b=VALUE} with VALUE read as YAML
 * (empty or {@code null} deletes; under {@code postgresql.parameters} the rest of the path is one GUC name, dots
 * and all), {@code --apply} as Patroni's {@code patch_config} merge ({@code null} deletes), {@code --replace} as a
 * fresh tree. (Passwords are masked for display by {@code ClusterConfig.masked}.)
 */
final class ConfigEdits {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private ConfigEdits() {
    }

    /** A deep, mutable copy. */
    static Map<String, Object> copy(Map<?, ?> map) {
        Map<String, Object> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put(String.valueOf(k), deepCopy(v)));
        return out;
    }

    private static Object deepCopy(Object v) {
        if (v instanceof Map<?, ?> m) {
            return copy(m);
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(e -> out.add(deepCopy(e)));
            return out;
        }
        return v;
    }

    /** {@code key.path=value}; throws "Invalid parameter setting" for anything without '='. */
    static void set(Map<String, Object> config, String pair) {
        if (pair == null || !pair.contains("=")) {
            throw new CtlException("Invalid parameter setting " + pair);
        }
        int eq = pair.indexOf('=');
        List<String> path = List.of(pair.substring(0, eq).strip().split("\\.", -1));
        setPath(config, path, parseYaml(pair.substring(eq + 1), "--set " + pair), List.of());
    }

    private static void setPath(Map<String, Object> config, List<String> path, Object value, List<String> prefix) {
        if (prefix.equals(List.of("postgresql", "parameters"))) {
            path = List.of(String.join(".", path));
        }
        String key = path.getFirst();
        if (path.size() == 1) {
            if (value == null) {
                config.remove(key);
            } else {
                config.put(key, value);
            }
            return;
        }
        if (!(config.get(key) instanceof Map)) {
            config.put(key, new LinkedHashMap<String, Object>());
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> child = (Map<String, Object>) config.get(key);
        List<String> next = new ArrayList<>(prefix);
        next.add(key);
        setPath(child, path.subList(1, path.size()), value, next);
        if (child.isEmpty()) {
            config.remove(key);
        }
    }

    /** Patroni's {@code patch_config}: nested maps merge, {@code null} removes, anything else replaces. */
    @SuppressWarnings("unchecked")
    static void patch(Map<String, Object> config, Map<?, ?> data) {
        data.forEach((k, value) -> {
            String name = String.valueOf(k);
            if (value == null) {
                config.remove(name);
            } else if (config.containsKey(name) && value instanceof Map<?, ?> m
                    && config.get(name) instanceof Map<?, ?>) {
                patch((Map<String, Object>) config.get(name), m);
            } else {
                config.put(name, deepCopy(value));
            }
        });
    }

    /** A YAML document that must be a mapping (or empty); {@code source} names it in errors. */
    static Map<String, Object> parseMapping(String text, String source) {
        Object tree = parseYaml(text, source);
        if (tree == null) {
            return new LinkedHashMap<>();
        }
        if (!(tree instanceof Map<?, ?> m)) {
            throw new CtlException(source + ": expected a YAML mapping, got " + YamlText.flow(tree));
        }
        return copy(m);
    }

    static Object parseYaml(String text, String source) {
        if (text.isBlank()) {
            return null;
        }
        try {
            return YAML.readValue(text, Object.class);
        } catch (IOException e) {
            throw new CtlException(source + ": not valid YAML: " + e.getMessage().lines().findFirst().orElse(""), e);
        }
    }
}
