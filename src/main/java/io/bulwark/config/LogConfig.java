package io.bulwark.config;

import java.nio.file.Path;

/**
 * {@code log}: level ({@code DEBUG}, {@code INFO}, ...), {@code format} plain or json, optional {@code dir}.
 */
public record LogConfig(String level, boolean json, Path dir) {
    public static LogConfig defaults() {
        return new LogConfig("INFO", false, null);
    }
}
