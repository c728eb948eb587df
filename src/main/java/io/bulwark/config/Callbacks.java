package io.bulwark.config;

import java.util.List;
import java.util.Map;

/**
 * {@code postgresql.callbacks} and {@code postgresql.pre_promote}, each already split into argv as Patroni splits
 * them ({@link ShellWords}). Patroni appends {@code action role cluster_name} to a callback's argv; nothing to
 * {@code pre_promote}'s.
 *
 * @param commands   action ({@code on_start}, {@code on_stop}, {@code on_restart}, {@code on_reload},
 *                   {@code on_role_change}) to argv; actions without a command are absent
 * @param prePromote argv of {@code pre_promote}, or empty when unset
 */
public record Callbacks(Map<String, List<String>> commands, List<String> prePromote) {
    public static final List<String> ACTIONS = List.of("on_start", "on_stop", "on_restart", "on_reload",
            "on_role_change");
    public static final Callbacks NONE = new Callbacks(Map.of(), List.of());

    public Callbacks {
        commands = Map.copyOf(commands);
        prePromote = List.copyOf(prePromote);
    }

    /** The argv for {@code action} with Patroni's three arguments appended, or empty when none is configured. */
    public List<String> argv(String action, String role, String clusterName) {
        List<String> command = commands.get(action);
        if (command == null) {
            return List.of();
        }
        List<String> argv = new java.util.ArrayList<>(command);
        argv.add(action);
        argv.add(role);
        argv.add(clusterName);
        return List.copyOf(argv);
    }
}
