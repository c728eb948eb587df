package io.bulwark.api;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Writes JSON text exactly as Python's {@code json.dumps} does with its defaults: {@code ", "} and {@code ": "}
 * separators, non-ASCII escaped as {@code \\uXXXX}, maps in their iteration order.
 *
 * <p>Why not Jackson: Patroni's bodies are produced by {@code json.dumps}, and HAProxy {@code rstring} checks and
 * scripts in the wild match them byte for byte (e.g. {@code "role": "primary"} with the space). Accepts
 * {@link Map}, {@link List}, {@link CharSequence}, {@link Number}, {@link Boolean} and {@code null}; anything else
 * is written as its {@code toString()} string (Python's {@code default=str}).
 */
public final class JsonText {
    private JsonText() {
    }

    public static String write(Object value) {
        StringBuilder out = new StringBuilder(256);
        append(out, value);
        return out.toString();
    }

    private static void append(StringBuilder out, Object value) {
        switch (value) {
            case null -> out.append("null");
            case Boolean b -> out.append(b ? "true" : "false");
            case Double d -> out.append(pythonFloat(d));
            case Float f -> out.append(pythonFloat(f.doubleValue()));
            case Number n -> out.append(n);
            case Map<?, ?> map -> appendMap(out, map);
            case List<?> list -> appendList(out, list);
            default -> appendString(out, value.toString());
        }
    }

    private static void appendMap(StringBuilder out, Map<?, ?> map) {
        out.append('{');
        Iterator<? extends Map.Entry<?, ?>> it = map.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<?, ?> e = it.next();
            appendString(out, String.valueOf(e.getKey()));
            out.append(": ");
            append(out, e.getValue());
            if (it.hasNext()) {
                out.append(", ");
            }
        }
        out.append('}');
    }

    private static void appendList(StringBuilder out, List<?> list) {
        out.append('[');
        for (int i = 0; i < list.size(); i++) {
            if (i > 0) {
                out.append(", ");
            }
            append(out, list.get(i));
        }
        out.append(']');
    }

    private static String pythonFloat(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "Infinity" : "-Infinity";
        }
        return Double.toString(d);
    }

    private static void appendString(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
