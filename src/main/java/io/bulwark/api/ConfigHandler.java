package io.bulwark.api;

import io.bulwark.config.ConfigProblem;
import io.bulwark.config.DynamicConfigParser;
import io.bulwark.dcs.Cluster;
import io.bulwark.dcs.Dcs;
import io.bulwark.dcs.DcsCodec;
import io.bulwark.dcs.DcsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code PATCH /config} and {@code PUT /config} (reference §3.3). PATCH applies Patroni's merge patch
 * ({@code null} deletes a key, nested objects merge, other values replace) to the stored config and writes it
 * back with compare-and-set on the key's version: a concurrent change gives 409 and nothing is written. PUT
 * replaces the value unconditionally.
 *
 * <p>Better than Patroni: the resulting configuration is validated with {@link DynamicConfigParser} before it is
 * written; an invalid one is answered 400 naming each bad field, and the running cluster keeps its config.
 */
final class ConfigHandler {
    private static final Logger log = LoggerFactory.getLogger(ConfigHandler.class);

    private final Dcs dcs;
    private final Runnable wakeUp;

    ConfigHandler(Dcs dcs, Runnable wakeUp) {
        this.dcs = dcs;
        this.wakeUp = wakeUp;
    }

    Reply patch(Map<String, Object> body) {
        Cluster cluster;
        try {
            cluster = dcs.cluster();
        } catch (DcsException e) {
            return Reply.message(503, "failed to read the configuration from DCS: " + e.getMessage());
        }
        if (cluster.config() == null || cluster.config().version() == 0) {
            return Reply.message(503, "Service Unavailable: no configuration in the DCS");
        }
        Map<String, Object> data = deepCopy(cluster.config().data());
        if (merge(data, body)) {
            Reply invalid = validate(data);
            if (invalid != null) {
                return invalid;
            }
            try {
                if (!dcs.setConfig(DcsCodec.encodeConfig(data), cluster.config().version())) {
                    return Reply.message(409, "Conflict: the configuration changed meanwhile; read it and retry");
                }
            } catch (DcsException e) {
                return Reply.message(503, "failed to write the configuration into DCS: " + e.getMessage());
            }
            log.info("dynamic configuration changed through PATCH /config: keys {}", body.keySet());
        }
        wakeUp.run();
        return Reply.json(200, data);
    }

    Reply put(Map<String, Object> body) {
        Reply invalid = validate(body);
        if (invalid != null) {
            return invalid;
        }
        try {
            Cluster cluster = dcs.cluster();
            if (cluster.config() == null || !cluster.config().data().equals(body)) {
                if (!dcs.setConfig(DcsCodec.encodeConfig(body), null)) {
                    return Reply.message(502, "failed to write the configuration into DCS");
                }
                log.info("dynamic configuration replaced through PUT /config");
            }
        } catch (DcsException e) {
            return Reply.message(502, "failed to write the configuration into DCS: " + e.getMessage());
        }
        wakeUp.run();
        return Reply.json(200, body);
    }

    private static Reply validate(Map<String, Object> config) {
        DynamicConfigParser.Result result = DynamicConfigParser.parse(config, "");
        if (result.ok()) {
            return null;
        }
        String problems = result.errors().stream().map(ConfigProblem::toString).collect(Collectors.joining("; "));
        return Reply.message(400, "invalid configuration, nothing changed: " + problems);
    }

    /** Patroni's {@code patch_config}: returns whether {@code config} changed. */
    static boolean merge(Map<String, Object> config, Map<String, Object> patch) {
        boolean changed = false;
        for (Map.Entry<String, Object> e : patch.entrySet()) {
            String name = e.getKey();
            Object value = e.getValue();
            if (value == null) {
                if (config.remove(name) != null) {
                    changed = true;
                }
            } else if (config.containsKey(name)) {
                Object current = config.get(name);
                if (value instanceof Map<?, ?> && current instanceof Map<?, ?>) {
                    changed |= merge(castMap(current), castMap(value));
                } else if (value instanceof Map<?, ?> || !String.valueOf(current).equals(String.valueOf(value))) {
                    config.put(name, deepCopyValue(value));
                    changed = true;
                }
            } else {
                config.put(name, deepCopyValue(value));
                changed = true;
            }
        }
        return changed;
    }

    static Map<String, Object> deepCopy(Map<String, Object> map) {
        Map<String, Object> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put(k, deepCopyValue(v)));
        return out;
    }

    private static Object deepCopyValue(Object v) {
        if (v instanceof Map<?, ?>) {
            return deepCopy(castMap(v));
        }
        if (v instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            list.forEach(x -> out.add(deepCopyValue(x)));
            return out;
        }
        return v;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Object o) {
        return (Map<String, Object>) o;
    }
}
