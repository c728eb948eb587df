package io.bulwark.postgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds PostgreSQL's programs: {@code postgresql.bin_dir} if configured, else the newest
 * {@code /usr/lib/postgresql/<major>/bin}, else {@code PATH}. It is the only way to obtain a PostgreSQL program,
 * and it refuses to hand one out when the agent runs as root without a user switch: PostgreSQL itself refuses
 * root, and a half-initialised data directory owned by root is worse than a clear error.
 */
final class Binaries {
    static final String ROOT_REFUSAL = "refusing to run PostgreSQL as root; run the agent as the postgres OS user";
    private static final Path DEBIAN_ROOT = Path.of("/usr/lib/postgresql");

    private final Path configuredDir;
    private final boolean refuse;

    Binaries(Path configuredDir, CommandRunner runner) {
        this.configuredDir = configuredDir;
        this.refuse = RunningUser.isRoot() && !runner.switchesUser();
    }

    /** Absolute path of {@code tool} (e.g. {@code pg_ctl}). */
    String path(String tool) throws PostgresException {
        if (refuse) {
            throw new PostgresException(ROOT_REFUSAL);
        }
        return locate(configuredDir, tool).toString();
    }

    /** Where {@code tool} is, with {@code postgresql.bin_dir} = {@code configuredDir} (null: search). */
    static Path locate(Path configuredDir, String tool) throws PostgresException {
        if (configuredDir != null) {
            Path p = configuredDir.resolve(tool);
            if (!Files.isExecutable(p)) {
                throw new PostgresException("postgresql.bin_dir: " + tool + " not found or not executable in "
                        + configuredDir);
            }
            return p;
        }
        return newestDebianBin().map(d -> d.resolve(tool)).filter(Files::isExecutable)
                .or(() -> onPath(tool))
                .orElseThrow(() -> new PostgresException(tool + " not found in postgresql.bin_dir (unset), "
                        + DEBIAN_ROOT + "/<version>/bin or PATH; set postgresql.bin_dir"));
    }

    /** argv for {@code tool} followed by {@code args}. */
    List<String> argv(String tool, String... args) throws PostgresException {
        return Stream.concat(Stream.of(path(tool)), Stream.of(args)).toList();
    }

    private static Optional<Path> newestDebianBin() {
        if (!Files.isDirectory(DEBIAN_ROOT)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(DEBIAN_ROOT)) {
            return versions.filter(p -> p.getFileName().toString().matches("\\d+(\\.\\d+)?"))
                    .filter(p -> Files.isDirectory(p.resolve("bin")))
                    .max(Comparator.comparingDouble(p -> Double.parseDouble(p.getFileName().toString())))
                    .map(p -> p.resolve("bin"));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Optional<Path> onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        return Stream.of(path.split(":")).filter(s -> !s.isEmpty())
                .map(dir -> Path.of(dir, tool)).filter(Files::isExecutable).findFirst();
    }
}
