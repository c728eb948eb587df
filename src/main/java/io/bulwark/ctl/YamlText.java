package io.bulwark.ctl;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * YAML text as patronictl prints it ({@code yaml.safe_dump(data, default_flow_style=..., allow_unicode=True)}):
 * keys sorted, sequences in a mapping not indented, scalars plain unless PyYAML would read them back as another
 * type or they hold indicator characters, then single-quoted. Multi-line strings are double-quoted with escapes
 * (PyYAML folds them instead; only {@code Pending restart reason} can hit this).
 */
final class YamlText {
    private static final Pattern BOOL = Pattern.compile(
            "yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF");
    private static final Pattern NULL = Pattern.compile("~|null|Null|NULL");
    private static final Pattern INT = Pattern.compile("[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)"
            + "|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+");
    private static final Pattern FLOAT = Pattern.compile("[-+]?(?:[0-9][0-9_]*)\\.[0-9_]*(?:[eE][-+][0-9]+)?"
            + "|\\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\\.[0-9_]*"
            + "|[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN)");
    private static final Pattern TIMESTAMP = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}"
            + "|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \\t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\\.[0-9]*)?"
            + "(?:[ \\t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?");

    private YamlText() {
    }

    /** Block style document, ending in a newline. */
    static String block(Object value) {
        StringBuilder out = new StringBuilder();
        if (value instanceof Map<?, ?> m && !m.isEmpty()) {
            blockMap(out, m, 0);
        } else if (value instanceof List<?> l && !l.isEmpty()) {
            blockList(out, l, 0);
        } else {
            out.append(flowValue(value)).append('\n');
        }
        return out.toString();
    }

    /** Flow style ({@code {a: 1, b: x}}), one line, no trailing newline. */
    static String flow(Object value) {
        return flowValue(value);
    }

    private static void blockMap(StringBuilder out, Map<?, ?> map, int indent) {
        boolean first = true;
        for (Map.Entry<String, Object> e : sorted(map).entrySet()) {
            if (!first || indent > 0) {
                out.append(" ".repeat(indent));
            }
            first = false;
            out.append(scalar(e.getKey(), false)).append(':');
            writeBlockValue(out, e.getValue(), indent, false);
        }
    }

    private static void blockList(StringBuilder out, List<?> list, int indent) {
        boolean first = true;
        for (Object item : list) {
            if (!first || indent > 0) {
                out.append(" ".repeat(indent));
            }
            first = false;
            out.append('-');
            writeBlockValue(out, item, indent, true);
        }
    }

    private static void writeBlockValue(StringBuilder out, Object v, int indent, boolean inList) {
        if (v instanceof Map<?, ?> m && !m.isEmpty()) {
            if (inList) {
                out.append(' ');
                StringBuilder nested = new StringBuilder();
                blockMap(nested, m, indent + 2);
                out.append(nested.substring(indent + 2));
            } else {
                out.append('\n');
                blockMap(out, m, indent + 2);
            }
        } else if (v instanceof List<?> l && !l.isEmpty()) {
            if (inList) {
                out.append(' ');
                StringBuilder nested = new StringBuilder();
                blockList(nested, l, indent + 2);
                out.append(nested.substring(indent + 2));
            } else {
                out.append('\n');
                blockList(out, l, indent);
            }
        } else {
            out.append(' ').append(v instanceof Map || v instanceof List ? flowValue(v) : scalar(v, false))
                    .append('\n');
        }
    }

    private static String flowValue(Object v) {
        if (v instanceof Map<?, ?> m) {
            StringBuilder s = new StringBuilder("{");
            Iterator<Map.Entry<String, Object>> it = sorted(m).entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<String, Object> e = it.next();
                s.append(scalar(e.getKey(), true)).append(": ").append(flowValue(e.getValue()));
                s.append(it.hasNext() ? ", " : "");
            }
            return s.append('}').toString();
        }
        if (v instanceof List<?> l) {
            StringBuilder s = new StringBuilder("[");
            for (int i = 0; i < l.size(); i++) {
                s.append(i > 0 ? ", " : "").append(flowValue(l.get(i)));
            }
            return s.append(']').toString();
        }
        return scalar(v, true);
    }

    private static Map<String, Object> sorted(Map<?, ?> map) {
        Map<String, Object> out = new TreeMap<>();
        map.forEach((k, v) -> out.put(String.valueOf(k), v));
        return out;
    }

    static String scalar(Object v, boolean flowContext) {
        if (v == null) {
            return "null";
        }
        if (v instanceof Boolean b) {
            return b ? "true" : "false";
        }
        if (v instanceof Number) {
            return v.toString();
        }
        String s = v.toString();
        if (s.indexOf('\n') >= 0 || s.chars().anyMatch(c -> c < 0x20 && c != '\t')) {
            return doubleQuoted(s);
        }
        return isPlain(s, flowContext) ? s : "'" + s.replace("'", "''") + "'";
    }

    private static boolean isPlain(String s, boolean flowContext) {
        if (s.isEmpty() || BOOL.matcher(s).matches() || NULL.matcher(s).matches() || INT.matcher(s).matches()
                || FLOAT.matcher(s).matches() || TIMESTAMP.matcher(s).matches() || s.equals("<<")
                || s.equals("=")) {
            return false;
        }
        if (s.startsWith(" ") || s.endsWith(" ") || s.startsWith("---") || s.startsWith("...")) {
            return false;
        }
        char first = s.charAt(0);
        if ("#,[]{}&*!|>'\"%@`".indexOf(first) >= 0) {
            return false;
        }
        boolean firstFollowedBySpace = s.length() == 1 || s.charAt(1) == ' ';
        if ((first == '?' || first == ':') && (flowContext || firstFollowedBySpace)) {
            return false;
        }
        if (first == '-' && firstFollowedBySpace) {
            return false;
        }
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean followedBySpace = i + 1 == s.length() || s.charAt(i + 1) == ' ';
            if (flowContext && ",?[]{}".indexOf(c) >= 0) {
                return false;
            }
            if (c == ':' && (flowContext || followedBySpace)) {
                return false;
            }
            if (c == '#' && s.charAt(i - 1) == ' ') {
                return false;
            }
        }
        return true;
    }

    private static String doubleQuoted(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                default -> out.append(c < 0x20 ? String.format("\\x%02X", (int) c) : String.valueOf(c));
            }
        }
        return out.append('"').toString();
    }
}
