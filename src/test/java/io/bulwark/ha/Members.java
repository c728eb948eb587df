package io.bulwark.ha;

import io.bulwark.dcs.MemberData;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code members/<name>} values as Patroni publishes them. Member {@code nodeN} listens on
 * {@code 127.0.0.1:543N} (PostgreSQL) and {@code 127.0.0.1:800N} (REST API).
 */
final class Members {
    private Members() {
    }

    static MemberData runningPrimary(String name) {
        return member(name, "running", "primary", 0L, Map.of());
    }

    static MemberData runningReplica(String name) {
        return member(name, "running", "replica", 0L, Map.of());
    }

    /** A running replica with tags given as alternating key, value: {@code ("clonefrom", true)}. */
    static MemberData runningReplica(String name, Object... tags) {
        return member(name, "running", "replica", 0L, tagMap(tags));
    }

    static MemberData stoppedReplica(String name) {
        return member(name, "stopped", "replica", 0L, Map.of());
    }

    static MemberData member(String name, String state, String role, long xlog, Map<String, Object> tags) {
        return new MemberData("postgres://" + hostPort(name) + "/postgres",
                "http://127.0.0.1:" + (8000 + index(name)) + "/patroni", state, role, "4.0.4", xlog,
                "replica".equals(role) ? xlog : null, "replica".equals(role) ? xlog : null,
                "replica".equals(role) ? "streaming" : null, 1, tags, "0.1.0", Map.of());
    }

    /** {@code 127.0.0.1:543N} for {@code nodeN}: what a replica's {@code primary_conninfo} names. */
    static String hostPort(String name) {
        return "127.0.0.1:" + (5430 + index(name));
    }

    static Map<String, Object> tagMap(Object... keyValues) {
        if (keyValues.length % 2 != 0) {
            throw new IllegalArgumentException("tags: expected key, value pairs, got " + keyValues.length
                    + " arguments");
        }
        Map<String, Object> tags = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            tags.put((String) keyValues[i], keyValues[i + 1]);
        }
        return tags;
    }

    private static int index(String name) {
        if (!name.matches("node\\d")) {
            throw new IllegalArgumentException("member name: expected node1..node9, got " + name);
        }
        return name.charAt(4) - '0';
    }
}
