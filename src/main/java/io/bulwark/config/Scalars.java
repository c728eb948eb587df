package io.bulwark.config;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Conversions of YAML/JSON tree values. The tree comes from Jackson ({@code Map}, {@code List}, {@code String},
 * {@code Integer}, {@code Long}, {@code BigInteger}, {@code Double}, {@code Boolean}) or from strings of
 * environment variables, so numbers may arrive as whole doubles or as digit strings.
 */
final class Scalars {
    private Scalars() {
    }

    /** The value as a whole number, or {@code null} if it is not one (e.g. {@code 1.5}, {@code "abc"}, a list). */
    static Long asLong(Object value) {
        return switch (value) {
            case Integer i -> (long) i;
            case Long l -> l;
            case Short s -> (long) s;
            case BigInteger b -> b.bitLength() < 64 ? b.longValue() : null;
            case Double d -> isWhole(d) ? d.longValue() : null;
            case Float f -> isWhole(f) ? f.longValue() : null;
            case BigDecimal b -> wholeDecimal(b);
            case String s -> parseLong(s.trim());
            case null, default -> null;
        };
    }

    /** The value as a boolean (also {@code "on"}, {@code "yes"}, {@code "1"} and their opposites), or null. */
    static Boolean asBoolean(Object value) {
        if (value instanceof Boolean b) {
            return b;
        }
        if (value instanceof String s) {
            return switch (s.trim().toLowerCase(Locale.ROOT)) {
                case "true", "on", "yes", "1" -> true;
                case "false", "off", "no", "0" -> false;
                default -> null;
            };
        }
        return null;
    }

    /** A scalar as text (numbers without a trailing {@code .0}), or null for maps, lists and null. */
    static String asText(Object value) {
        return switch (value) {
            case String s -> s;
            case Boolean b -> b.toString();
            case Number n -> asLong(n) != null ? Long.toString(asLong(n)) : n.toString();
            case null, default -> null;
        };
    }

    /** A PostgreSQL setting value as text, the way Patroni writes it: booleans become {@code on}/{@code off}. */
    static String asSetting(Object value) {
        return value instanceof Boolean b ? (b ? "on" : "off") : asText(value);
    }

    /** How a value is shown in a message: strings quoted, containers by kind. */
    static String describe(Object value) {
        return switch (value) {
            case null -> "nothing";
            case String s -> "'" + s + "'";
            case Map<?, ?> m -> "a mapping";
            case List<?> l -> "a list";
            default -> String.valueOf(value);
        };
    }

    /** A deep, order-preserving copy whose maps and lists are unmodifiable (null values allowed). */
    static Object freeze(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(String.valueOf(k), freeze(v)));
            return Collections.unmodifiableMap(copy);
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>();
            list.forEach(v -> copy.add(freeze(v)));
            return Collections.unmodifiableList(copy);
        }
        return value;
    }

    /** A deep, order-preserving, mutable copy (for trees that are about to be patched). */
    static Object thaw(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(String.valueOf(k), thaw(v)));
            return copy;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>();
            list.forEach(v -> copy.add(thaw(v)));
            return copy;
        }
        return value;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> freezeMap(Map<String, Object> map) {
        return (Map<String, Object>) freeze(map);
    }

    private static boolean isWhole(double d) {
        return !Double.isInfinite(d) && d == Math.rint(d) && Math.abs(d) < 0x1p63;
    }

    private static Long wholeDecimal(BigDecimal b) {
        try {
            return b.longValueExact();
        } catch (ArithmeticException e) {
            return null;
        }
    }

    private static Long parseLong(String s) {
        if (!s.matches("[-+]?[0-9]{1,18}")) {
            return null;
        }
        return Long.parseLong(s);
    }
}
