package io.bulwark.config;

import java.util.List;

/**
 * Outcome of loading a configuration: either a config and possibly warnings, or every error found.
 *
 * @param config   the validated configuration, or {@code null} when {@code errors} is not empty
 * @param errors   every broken rule, in document order as far as possible; the agent must not start if any
 * @param warnings things that are legal but probably not what the user meant, or not usable on this host
 */
public record ConfigResult(BulwarkConfig config, List<ConfigProblem> errors, List<ConfigProblem> warnings) {
    public ConfigResult {
        errors = List.copyOf(errors);
        warnings = List.copyOf(warnings);
    }

    public boolean ok() {
        return errors.isEmpty();
    }
}
