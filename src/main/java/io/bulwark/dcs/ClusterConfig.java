package io.bulwark.dcs;

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
}
