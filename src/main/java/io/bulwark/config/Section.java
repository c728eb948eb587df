package io.bulwark.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One mapping of the configuration tree at a dotted path, with typed getters that record a problem (with the
 * full path) and return {@code null} or the default instead of throwing, so that one pass reports every error.
 * An absent or {@code null} key counts as "not set".
 */
final class Section {
    private final Map<String, Object> map;
    private final String path;
    private final Problems problems;
    /** The value at this path was not a mapping (already reported): no "is required" errors beneath it. */
    private final boolean invalid;

    Section(Map<String, Object> map, String path, Problems problems) {
        this(map, path, problems, false);
    }

    private Section(Map<String, Object> map, String path, Problems problems, boolean invalid) {
        this.map = map;
        this.path = path;
        this.problems = problems;
        this.invalid = invalid;
    }

    static String join(String prefix, String key) {
        return prefix == null || prefix.isEmpty() ? key : prefix + "." + key;
    }

    String path() {
        return path;
    }

    String path(String key) {
        return join(path, key);
    }

    Problems problems() {
        return problems;
    }

    Map<String, Object> map() {
        return map;
    }

    boolean has(String key) {
        return map.get(key) != null;
    }

    Object value(String key) {
        return map.get(key);
    }

    /** The nested mapping; an empty one if absent, and an error if the value is not a mapping. */
    Section section(String key) {
        Object value = map.get(key);
        if (value instanceof Map<?, ?> nested) {
            Map<String, Object> copy = new LinkedHashMap<>();
            nested.forEach((k, v) -> copy.put(String.valueOf(k), v));
            return new Section(copy, path(key), problems);
        }
        if (value != null) {
            problems.error(path(key), "must be a mapping, got " + Scalars.describe(value));
        }
        return new Section(Map.of(), path(key), problems, invalid || value != null);
    }

    String string(String key) {
        Object value = map.get(key);
        String text = Scalars.asText(value);
        if (value != null && text == null) {
            problems.error(path(key), "must be a string, got " + Scalars.describe(value));
        }
        return text;
    }

    String string(String key, String defaultValue) {
        String text = string(key);
        return text == null ? defaultValue : text;
    }

    String requiredString(String key) {
        String text = string(key);
        if (text == null && !has(key) || text != null && text.isBlank()) {
            if (!invalid) {
                problems.error(path(key), "is required");
            }
            return null;
        }
        return text;
    }

    Integer integer(String key, Integer defaultValue, long min) {
        Long value = longValue(key, null, min);
        if (value == null) {
            return has(key) ? null : defaultValue;
        }
        if (value > Integer.MAX_VALUE) {
            problems.error(path(key), "must be at most " + Integer.MAX_VALUE + ", got " + value);
            return null;
        }
        return value.intValue();
    }

    /** A whole number {@code >= min}; the default when absent, {@code null} after an error. */
    Long longValue(String key, Long defaultValue, long min) {
        Object raw = map.get(key);
        if (raw == null) {
            return defaultValue;
        }
        Long value = Scalars.asLong(raw);
        if (value == null) {
            problems.error(path(key), "must be an integer, got " + Scalars.describe(raw));
            return null;
        }
        if (value < min) {
            String rule = min == 0 ? "must be a non-negative integer" : "must be >= " + min;
            problems.error(path(key), rule + ", got " + value);
            return null;
        }
        return value;
    }

    boolean bool(String key, boolean defaultValue) {
        Object raw = map.get(key);
        if (raw == null) {
            return defaultValue;
        }
        Boolean value = Scalars.asBoolean(raw);
        if (value == null) {
            problems.error(path(key), "must be a boolean (true or false), got " + Scalars.describe(raw));
            return defaultValue;
        }
        return value;
    }

    /** A list of scalars, or a comma-separated string; empty when absent or after an error. */
    List<String> stringList(String key) {
        Object raw = map.get(key);
        List<String> out = new ArrayList<>();
        if (raw == null) {
            return out;
        }
        if (raw instanceof String s) {
            for (String part : s.split(",")) {
                if (!part.isBlank()) {
                    out.add(part.trim());
                }
            }
            return out;
        }
        if (!(raw instanceof List<?> list)) {
            problems.error(path(key), "must be a list of strings, got " + Scalars.describe(raw));
            return out;
        }
        for (int i = 0; i < list.size(); i++) {
            String text = Scalars.asText(list.get(i));
            if (text == null) {
                problems.error(path(key) + "[" + i + "]", "must be a string, got " + Scalars.describe(list.get(i)));
            } else {
                out.add(text);
            }
        }
        return out;
    }

    /**
     * Warns about keys Bulwark does not read: {@code ignored} are Patroni settings Bulwark does not implement,
     * anything else outside {@code supported} is unknown (probably a typo).
     */
    void checkKeys(Set<String> supported, Set<String> ignored) {
        for (String key : map.keySet()) {
            if (ignored.contains(key)) {
                problems.warning(path(key), "is a Patroni setting Bulwark does not support; ignored");
            } else if (!supported.contains(key)) {
                problems.warning(path(key), "unknown key");
            }
        }
    }

    /**
     * As {@link #checkKeys}, but a key that is neither supported nor a known Patroni setting is an error: in
     * sections that guard access (a misspelled {@code authentication:} would otherwise leave the API open, a
     * misspelled {@code password} would connect without one).
     */
    void requireKnownKeys(Set<String> supported, Set<String> ignored) {
        for (String key : map.keySet()) {
            if (ignored.contains(key)) {
                problems.warning(path(key), "is a Patroni setting Bulwark does not support; ignored");
            } else if (!supported.contains(key)) {
                problems.error(path(key), "unknown key in " + (path.isEmpty() ? "the top level" : path)
                        + "; expected one of " + String.join(", ", new java.util.TreeSet<>(supported)));
            }
        }
    }
}
