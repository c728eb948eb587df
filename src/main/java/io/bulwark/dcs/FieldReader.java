package io.bulwark.dcs;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Lenient typed access to one JSON object written by someone else: a field of the wrong type reads as null
 * (and is warned about once), so one bad field never voids the rest of the value.
 */
final class FieldReader {
    private final String key;
    private final JsonNode node;
    private boolean clean = true;

    FieldReader(String key, JsonNode node) {
        this.key = key;
        this.node = node;
    }

    /** False once a field had the wrong type. */
    boolean clean() {
        return clean;
    }

    private void wrong(String problem, String value) {
        clean = false;
        Warnings.once(key, problem, value);
    }

    String text(String field) {
        JsonNode n = node.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (n.isValueNode()) {
            return n.asText();
        }
        wrong(field + " should be a string", n.toString());
        return null;
    }

    Long number(String field) {
        JsonNode n = node.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (n.isIntegralNumber()) {
            return n.asLong();
        }
        if (n.isTextual() && n.asText().strip().matches("-?\\d{1,18}")) {
            return Long.parseLong(n.asText().strip());
        }
        wrong(field + " should be an integer", n.toString());
        return null;
    }

    Integer integer(String field) {
        Long v = number(field);
        if (v != null && (v > Integer.MAX_VALUE || v < Integer.MIN_VALUE)) {
            wrong(field + " is out of range", v.toString());
            return null;
        }
        return v == null ? null : v.intValue();
    }

    /** A JSON object as a map; entries with null values are dropped (the model's maps cannot hold null). */
    Map<String, Object> map(String field) {
        JsonNode n = node.get(field);
        if (n == null || n.isNull()) {
            return Map.of();
        }
        if (!n.isObject()) {
            wrong(field + " should be a JSON object", n.toString());
            return Map.of();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        n.fields().forEachRemaining(e -> {
            if (!e.getValue().isNull()) {
                out.put(e.getKey(), DcsCodec.JSON.convertValue(e.getValue(), Object.class));
            }
        });
        return out;
    }
}
