package io.bulwark.config;

import java.util.List;

/**
 * Outcome of {@link ClientConfigLoader}: a config and possibly warnings, or every error found.
 *
 * @param config   {@code null} when {@code errors} is not empty
 * @param source   the file name, or {@code environment} when no file was read; prefixes printed problems
 */
public record ClientConfigResult(ClientConfig config, String source, List<ConfigProblem> errors,
                                 List<ConfigProblem> warnings) {
    public ClientConfigResult {
        errors = List.copyOf(errors);
        warnings = List.copyOf(warnings);
    }

    public boolean ok() {
        return errors.isEmpty();
    }
}
