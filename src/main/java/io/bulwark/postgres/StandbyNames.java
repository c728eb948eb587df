package io.bulwark.postgres;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code synchronous_standby_names} value, parsed the way PostgreSQL's grammar reads it ({@code name [, ...]},
 * {@code [FIRST] n (name [, ...])}, {@code ANY n (name [, ...])}) and written the way Patroni writes it (names
 * sorted, double-quoted only when they are not plain identifiers).
 *
 * <p>The leader reads the value in effect from the server each cycle instead of trusting what it last wrote: after
 * an agent restart, or a crash between writing the file and updating the {@code sync} key, the server's value is
 * the only truth about which standbys an acknowledged commit waited for.
 *
 * @param method {@code OFF} (empty), {@code FIRST} (priority) or {@code ANY} (quorum)
 * @param num    how many of {@code names} must confirm a commit (0 when off)
 * @param names  the standby names (sorted, compared case-insensitively as PostgreSQL does); {@code *} stays a name
 */
public record StandbyNames(Method method, int num, Set<String> names) {
    /** Named when synchronous_mode_strict has no standby to wait for: no such standby exists, so commits wait. */
    public static final String STRICT_PLACEHOLDER = "__patroni_strict_sync_replica_placeholder__";
    public static final StandbyNames OFF = new StandbyNames(Method.OFF, 0, Set.of());

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z_][A-Za-z_0-9$]*");
    private static final Pattern TOKEN = Pattern.compile(
            "\\s*(?:(?<num>\\d+)|(?<ident>[A-Za-z_][A-Za-z_0-9$]*)|(?<quoted>\"(?:[^\"]|\"\")*\")|(?<star>\\*)"
                    + "|(?<punct>[,()]))");

    public enum Method { OFF, FIRST, ANY }

    public StandbyNames {
        TreeSet<String> sorted = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        sorted.addAll(names);
        names = Collections.unmodifiableSet(sorted);
    }

    /** {@code ANY num (names)}; with no names or num 0, {@link #OFF}. */
    public static StandbyNames any(int num, Collection<String> names) {
        return num <= 0 || names.isEmpty() ? OFF : new StandbyNames(Method.ANY, num, Set.copyOf(names));
    }

    /**
     * Parses a value as PostgreSQL would accept it.
     *
     * @throws IllegalArgumentException naming the value and the position of the first token that does not fit
     */
    public static StandbyNames parse(String value) {
        List<String> tokens = tokens(value == null ? "" : value);
        if (tokens.isEmpty()) {
            return OFF;
        }
        Method method = Method.FIRST;
        int num = 1;
        List<String> list = tokens;
        String head = tokens.get(0).toLowerCase(Locale.ROOT);
        boolean keyword = (head.equals("any") || head.equals("first")) && tokens.size() > 2
                && tokens.get(1).matches("\\d+") && tokens.get(2).equals("(");
        if (keyword || tokens.get(0).matches("\\d+") && tokens.size() > 1 && tokens.get(1).equals("(")) {
            int at = keyword ? 1 : 0;
            if (!tokens.get(tokens.size() - 1).equals(")")) {
                throw bad(value, "expected ')' at the end");
            }
            method = head.equals("any") ? Method.ANY : Method.FIRST;
            num = Integer.parseInt(tokens.get(at));
            list = tokens.subList(at + 2, tokens.size() - 1);
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String t = list.get(i);
            if (i % 2 == 1) {
                if (!t.equals(",") || i == list.size() - 1) {
                    throw bad(value, "expected a standby name after each ',' and ',' between names, got '" + t + "'");
                }
            } else if (t.startsWith("\"")) {
                names.add(t.substring(1, t.length() - 1).replace("\"\"", "\""));
            } else if (t.equals("*") || PLAIN.matcher(t).matches()) {
                names.add(t);
            } else {
                throw bad(value, "expected a standby name, got '" + t + "'");
            }
        }
        if (names.isEmpty()) {
            throw bad(value, "no standby names");
        }
        return new StandbyNames(method, num, Set.copyOf(names));
    }

    /** The names without the strict placeholder (a standby that never connects). */
    public Set<String> realNames() {
        TreeSet<String> out = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        out.addAll(names);
        out.remove(STRICT_PLACEHOLDER);
        return out;
    }

    /** The value to write: empty when off, else {@code ANY 2 (a,"b-c")} or {@code FIRST 1 (a)}. */
    public String format() {
        if (method == Method.OFF) {
            return "";
        }
        List<String> quoted = names.stream().map(StandbyNames::quote).toList();
        return method.name() + " " + num + " (" + String.join(",", quoted) + ")";
    }

    @Override
    public String toString() {
        return format();
    }

    private static String quote(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (PLAIN.matcher(name).matches() && !lower.equals("any") && !lower.equals("first")) {
            return name;
        }
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    private static List<String> tokens(String value) {
        List<String> out = new ArrayList<>();
        Matcher m = TOKEN.matcher(value);
        int at = 0;
        while (at < value.length()) {
            if (value.substring(at).isBlank()) {
                break;
            }
            if (!m.find(at) || m.start() != at) {
                throw bad(value, "unexpected character at position " + at);
            }
            out.add(m.group().strip());
            at = m.end();
        }
        return out;
    }

    private static IllegalArgumentException bad(String value, String why) {
        return new IllegalArgumentException("synchronous_standby_names '" + value + "' cannot be parsed: " + why);
    }
}
