package io.bulwark.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Command-line options written Patroni's way (reference §4.7): a list of flag strings and single-key mappings
 * ({@code - data-checksums}, {@code - encoding: UTF8}), or one mapping. Result entries are {@code flag} or
 * {@code name=value}, without leading dashes.
 */
final class Options {
    private Options() {
    }

    /**
     * @param forbidden options the agent sets itself (e.g. initdb's {@code pgdata}); each is an error
     */
    static List<String> parse(Section section, String key, Set<String> forbidden) {
        return parse(section, key, forbidden, null);
    }

    /**
     * @param allowed when not {@code null}, the only option names accepted (besides {@code forbidden}, each an
     *                error that says why); any other is an error listing them
     */
    static List<String> parse(Section section, String key, Set<String> forbidden, Set<String> allowed) {
        Object raw = section.value(key);
        String path = section.path(key);
        List<String> out = new ArrayList<>();
        if (raw == null) {
            return out;
        }
        if (raw instanceof Map<?, ?> map) {
            map.forEach((name, value) -> add(out, String.valueOf(name), value, path + "." + name, forbidden,
                    allowed, section.problems()));
        } else if (raw instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                String itemPath = path + "[" + i + "]";
                Object item = list.get(i);
                if (item instanceof Map<?, ?> one && one.size() == 1) {
                    Map.Entry<?, ?> entry = one.entrySet().iterator().next();
                    add(out, String.valueOf(entry.getKey()), entry.getValue(), itemPath, forbidden, allowed,
                            section.problems());
                } else if (item instanceof String flag && !flag.isBlank()) {
                    add(out, flag, null, itemPath, forbidden, allowed, section.problems());
                } else {
                    section.problems().error(itemPath, "must be an option name or a single-key mapping "
                            + "(e.g. '- data-checksums' or '- encoding: UTF8'), got " + Scalars.describe(item));
                }
            }
        } else {
            section.problems().error(path, "must be a list of options, got " + Scalars.describe(raw));
        }
        return out;
    }

    private static void add(List<String> out, String name, Object value, String path, Set<String> forbidden,
                            Set<String> allowed, Problems problems) {
        String bare = name.trim().replaceFirst("^--?", "");
        if (forbidden.contains(bare)) {
            problems.error(path, "option '" + bare + "' is not allowed (the agent sets it)");
            return;
        }
        if (allowed != null && !allowed.contains(bare)) {
            problems.error(path, "option '" + bare + "' is not supported; expected one of "
                    + String.join(", ", new java.util.TreeSet<>(allowed)) + " (long names)");
            return;
        }
        if (value == null) {
            out.add(bare);
            return;
        }
        String text = Scalars.asText(value);
        if (text == null) {
            problems.error(path, "option value must be a single value, got " + Scalars.describe(value));
            return;
        }
        out.add(bare + "=" + text);
    }
}
