package io.bulwark.postgres;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * libpq {@code key=value} connection strings. Values are single-quoted with backslash escapes when they hold
 * spaces, quotes or backslashes. Passwords never go here: libpq reads them from the pgpass file.
 */
final class Conninfo {
    private Conninfo() {
    }

    static String render(Map<String, String> params) {
        return params.entrySet().stream()
                .filter(e -> e.getValue() != null)
                .map(e -> e.getKey() + "=" + quote(e.getValue()))
                .collect(Collectors.joining(" "));
    }

    static String quote(String value) {
        if (!value.isEmpty() && value.chars().noneMatch(c -> c == ' ' || c == '\'' || c == '\\'
                || Character.isWhitespace(c))) {
            return value;
        }
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    /** Parses {@code host} and {@code port} out of a conninfo string; {@code null} if it names no host. */
    static String hostPort(String conninfo) {
        if (conninfo == null || conninfo.isBlank()) {
            return null;
        }
        Map<String, String> parsed = parse(conninfo);
        String host = parsed.get("host");
        if (host == null) {
            host = parsed.get("hostaddr");
        }
        if (host == null) {
            return null;
        }
        return host + ":" + parsed.getOrDefault("port", "5432");
    }

    static Map<String, String> parse(String conninfo) {
        Map<String, String> out = new LinkedHashMap<>();
        int i = 0;
        int n = conninfo.length();
        while (i < n) {
            while (i < n && Character.isWhitespace(conninfo.charAt(i))) {
                i++;
            }
            int eq = conninfo.indexOf('=', i);
            if (i >= n || eq < 0) {
                break;
            }
            String key = conninfo.substring(i, eq).trim();
            i = eq + 1;
            while (i < n && Character.isWhitespace(conninfo.charAt(i))) {
                i++;
            }
            StringBuilder value = new StringBuilder();
            if (i < n && conninfo.charAt(i) == '\'') {
                i++;
                while (i < n && conninfo.charAt(i) != '\'') {
                    if (conninfo.charAt(i) == '\\' && i + 1 < n) {
                        i++;
                    }
                    value.append(conninfo.charAt(i++));
                }
                i++;
            } else {
                while (i < n && !Character.isWhitespace(conninfo.charAt(i))) {
                    if (conninfo.charAt(i) == '\\' && i + 1 < n) {
                        i++;
                    }
                    value.append(conninfo.charAt(i++));
                }
            }
            out.put(key, value.toString());
        }
        return out;
    }
}
