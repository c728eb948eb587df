package io.bulwark.config;

import java.util.ArrayList;
import java.util.List;

/** Collects errors and warnings while a tree is mapped; parsing goes on after an error so all are reported. */
final class Problems {
    private final List<ConfigProblem> errors = new ArrayList<>();
    private final List<ConfigProblem> warnings = new ArrayList<>();
    /** {@code bulwark.allow_unsupported}: see {@link #unsupported}. */
    private boolean allowUnsupported;

    void allowUnsupported(boolean allow) {
        this.allowUnsupported = allow;
    }

    /**
     * A Patroni setting Bulwark does not implement and whose absence changes durability or safety: an error, or
     * with {@code bulwark.allow_unsupported: true} a warning (the operator has accepted the difference).
     */
    void unsupported(String path, String message) {
        if (allowUnsupported) {
            warning(path, message + " (allowed by bulwark.allow_unsupported)");
        } else {
            error(path, message + "; remove it, or set bulwark.allow_unsupported: true to run without it");
        }
    }

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
