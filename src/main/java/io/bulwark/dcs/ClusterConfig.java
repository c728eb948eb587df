package io.bulwark.dcs;

import java.util.Map;

/**
 * The {@code config} key: dynamic configuration as a JSON object.
 *
 * @param version modification revision, for compare-and-set
 * @param data    the decoded JSON object (nested maps, lists, strings, numbers, booleans)
 */
public record ClusterConfig(long version, Map<String, Object> data) {
    public ClusterConfig {
        data = data == null ? Map.of() : data;
    }
}
