package io.bulwark.config;

import java.util.ArrayList;
import java.util.List;

/** Collects errors and warnings while a tree is mapped; parsing goes on after an error so all are reported. */
final class Problems {
    private final List<ConfigProblem> errors = new ArrayList<>();
    private final List<ConfigProblem> warnings = new ArrayList<>();

    void error(String path, String message) {
        errors.add(new ConfigProblem(path, message));
    }

    void warning(String path, String message) {
        warnings.add(new ConfigProblem(path, message));
    }

    boolean hasErrors() {
        return !errors.isEmpty();
    }

    List<ConfigProblem> errors() {
        return List.copyOf(errors);
    }

    List<ConfigProblem> warnings() {
        return List.copyOf(warnings);
    }
}
