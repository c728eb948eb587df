package io.bulwark.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A user-defined way to create a data directory, Patroni's way (reference §4.7, §4.8): a replica creation method
 * ({@code postgresql.<name>} for an entry of {@code create_replica_methods}) or a custom bootstrap method
 * ({@code bootstrap.<name>} for {@code bootstrap.method}). The section holds {@code command}, optional flags, and
 * any other scalar key, which is passed to the command as {@code --key=value}.
 *
 * <p>Patroni appends its own parameters ({@code --scope=..}, {@code --datadir=..}, for a replica also
 * {@code --role=replica} and {@code --connstring=..}) unless {@code no_params} is true; see {@link #argv}.
 *
 * @param name     the method's name (the key of its section)
 * @param command  the command, split into words ({@code command}; default: the method's name)
 * @param noParams {@code no_params}: pass neither Patroni's parameters nor the extra options
 * @param flags    the boolean flags the caller asked for that are set ({@code keep_data}, {@code no_leader},
 *                 {@code keep_existing_recovery_conf}, ...), by name
 * @param options  the other scalar keys of the section, in order, passed as {@code --key=value}
 */
public record ExternalMethod(String name, List<String> command, boolean noParams, Set<String> flags,
                             Map<String, String> options) {

    public ExternalMethod {
        command = List.copyOf(command);
        flags = Set.copyOf(flags);
        options = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }

    /** Whether the boolean {@code flag} (one of those given to {@link #parse}) is true in the section. */
    public boolean flag(String flag) {
        return flags.contains(flag);
    }

    /**
     * The argv to run: the command, then (unless {@code no_params}) the {@code defaults} the agent supplies and
     * the section's own options, each as {@code --key=value}. A section option of the same name as a default
     * replaces it, as in Patroni (the user's value wins).
     */
    public List<String> argv(Map<String, String> defaults) {
        List<String> out = new ArrayList<>(command);
        if (noParams) {
            return out;
        }
        Map<String, String> params = new LinkedHashMap<>(defaults);
        params.putAll(options);
        params.forEach((k, v) -> out.add("--" + k + "=" + v));
        return out;
    }

    /**
     * Parses the method section {@code parent.<name>} (absent: the command is the method's name and there are no
     * options). {@code flagNames} are the boolean keys this kind of method knows; {@code reserved} are keys the
     * caller reads itself (not passed as options, e.g. a bootstrap method's {@code recovery_conf}). A nested
     * mapping or list under any other key is an error naming it. Null after an error (recorded).
     */
    static ExternalMethod parse(Section parent, String name, Set<String> flagNames, Set<String> reserved) {
        Problems problems = parent.problems();
        int errorsBefore = problems.errors().size();
        Section section = parent.section(name);
        String text = section.string("command", name);
        List<String> command = List.of();
        try {
            command = ShellWords.split(text);
            if (command.isEmpty()) {
                problems.error(section.path("command"), "must not be empty");
            }
        } catch (IllegalArgumentException e) {
            problems.error(section.path("command"), "is not a valid command line: " + e.getMessage());
        }
        boolean noParams = section.bool("no_params", false);
        Set<String> flags = new java.util.TreeSet<>();
        for (String flag : flagNames) {
            if (section.bool(flag, false)) {
                flags.add(flag);
            }
        }
        Map<String, String> options = new LinkedHashMap<>();
        for (Map.Entry<String, Object> entry : section.map().entrySet()) {
            String key = entry.getKey();
            if (key.equals("command") || key.equals("no_params") || flagNames.contains(key) || reserved.contains(key)) {
                continue;
            }
            String value = Scalars.asText(entry.getValue());
            if (value == null) {
                problems.error(section.path(key), "must be a scalar (passed to the command as --" + key
                        + "=VALUE), got " + Scalars.describe(entry.getValue()));
            } else {
                options.put(key, value);
            }
        }
        if (problems.errors().size() > errorsBefore) {
            return null;
        }
        return new ExternalMethod(name, command, noParams, flags, options);
    }
}
