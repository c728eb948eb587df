package io.bulwark.postgres;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.stream.Stream;

import io.bulwark.postgres.PostgresState.DataDirState;

/** Classifying and clearing data directories. Clearing is only ever applied to a partial clone of ours. */
final class DataDirs {
    private DataDirs() {
    }

    /** INITIALIZED as soon as the directory holds anything: a non-empty unknown directory is never ours to use. */
    static DataDirState classify(Path dir) {
        if (!Files.isDirectory(dir)) {
            return Files.exists(dir) ? DataDirState.INITIALIZED : DataDirState.MISSING;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isPresent() ? DataDirState.INITIALIZED : DataDirState.EMPTY;
        } catch (IOException e) {
            return DataDirState.INITIALIZED;
        }
    }

    /** Deletes everything below {@code dir} (not following symlinks), and {@code dir} too unless {@code keep}. */
    static void clear(Path dir, boolean keep) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                if (exc != null) {
                    throw exc;
                }
                if (!keep || !d.equals(dir)) {
                    Files.delete(d);
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** Renames {@code dir} to {@code <dir>.failed-<stamp>} (plus {@code -N} if taken); returns the new path. */
    static Path moveAside(Path dir, String stamp) throws PostgresException {
        String base = dir.getFileName() + ".failed-" + stamp;
        Path target = dir.resolveSibling(base);
        for (int i = 1; Files.exists(target); i++) {
            target = dir.resolveSibling(base + "-" + i);
        }
        try {
            Files.move(dir, target);
        } catch (IOException e) {
            throw new PostgresException("cannot move " + dir + " to " + target + ": " + e, e);
        }
        return target;
    }
}
