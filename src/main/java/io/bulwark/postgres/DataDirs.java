package io.bulwark.postgres;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.LinkOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.bulwark.postgres.PostgresState.DataDirState;

/**
 * Classifying, clearing and moving aside data directories. Clearing is only ever applied to a partial clone of
 * ours, and pruning only to directories we moved aside ({@code <data_dir>.failed-<yyyyMMdd-HHmmss>[-N]}).
 */
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

    /**
     * Removes all but the newest {@code keep} directories that {@link #moveAside} made of {@code dir}; returns the
     * removed ones. Only real directories whose name matches the pattern exactly are touched (never a symlink).
     */
    static List<Path> pruneAside(Path dir, int keep) throws IOException {
        Pattern aside = Pattern.compile(Pattern.quote(dir.getFileName() + ".failed-") + "(\\d{8}-\\d{6})(?:-(\\d+))?");
        List<Path> found = new ArrayList<>();
        Path parent = dir.toAbsolutePath().getParent();
        try (Stream<Path> siblings = Files.list(parent)) {
            siblings.filter(p -> aside.matcher(p.getFileName().toString()).matches())
                    .filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
                    .forEach(found::add);
        }
        Comparator<Path> oldestFirst = Comparator.comparing((Path p) -> group(aside, p, 1))
                .thenComparingLong(p -> {
                    String n = group(aside, p, 2);
                    return n == null ? 0 : Long.parseLong(n);
                });
        found.sort(oldestFirst);
        List<Path> removed = new ArrayList<>();
        for (int i = 0; i < found.size() - keep; i++) {
            clear(found.get(i), false);
            removed.add(found.get(i));
        }
        return removed;
    }

    private static String group(Pattern pattern, Path p, int group) {
        Matcher m = pattern.matcher(p.getFileName().toString());
        return m.matches() ? m.group(group) : null;
    }
}
