package io.bulwark.dcs;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code config} key: dynamic configuration as a JSON object.
 *
 * @param version  modification revision, for compare-and-set
 * @param data     the decoded JSON object (nested maps, lists, strings, numbers, booleans); empty when unreadable
 * @param readable false when the stored value is not a JSON object: {@code data} is then no configuration at
 *                 all, and must not be applied as "all defaults"
 */
public record ClusterConfig(long version, Map<String, Object> data, boolean readable) {
    /** What a masked password reads as. */
    public static final String MASK = "******";

    public ClusterConfig {
        data = data == null ? Map.of() : data;
    }

    public ClusterConfig(long version, Map<String, Object> data) {
        this(version, data, true);
    }

    /** The key exists at {@code version} but holds no JSON object. */
    public static ClusterConfig unreadable(long version) {
        return new ClusterConfig(version, Map.of(), false);
    }

    /** {@link #data()} for display: see {@link #masked(Object)}. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> masked() {
        return (Map<String, Object>) masked(data);
    }

    /**
     * A copy of a configuration tree for display (the REST API's {@code GET /config}, {@code bulwarkctl show-config}
     * and {@code edit-config}'s diff): every non-null value under a key whose name contains "password" (any case,
     * at any depth, lists included) becomes {@link #MASK}. The one masking rule, so the API and the CLI agree.
     */
    public static Object masked(Object value) {
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(String.valueOf(k),
                    String.valueOf(k).toLowerCase(Locale.ROOT).contains("password") && x != null ? MASK : masked(x)));
            return out;
        }
        if (value instanceof List<?> l) {
            return l.stream().map(ClusterConfig::masked).toList();
        }
        return value;
    }
}
