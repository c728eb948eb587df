package io.bulwark.postgres;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Set;

/**
 * The agent's private runtime directory (mode 0700): the pgpass file (unless {@code postgresql.pgpass} names
 * one) and the fence's script, state and pid files. The one place that decides where they live.
 *
 * <p>Where: {@code $XDG_RUNTIME_DIR/bulwark-<name>-<hash>/} when that variable is set, else
 * {@code <parent of data_dir>/.bulwark-run-<name>-<hash>/}, where {@code <hash>} is 8 hex digits of the data
 * directory's absolute path. Both are tied to the data directory, so a restarted agent finds the fence its
 * predecessor left for the same data directory, and two agents on a host never share one, even with the same
 * member name and data directories side by side ({@code /srv/a/data}, {@code /srv/a/data2}: two clusters'
 * {@code node1}, as in tests, once kept renewing each other's fence).
 *
 * <p>Why it is checked and never trusted: these files once lived at predictable paths in {@code /tmp}
 * ({@code /tmp/pgpass-<name>}), where another local user could create the file or a symlink first and read the
 * passwords or redirect the agent's writes. An existing directory is used only if it is a real directory (not a
 * symlink), owned by the agent's OS user (or the PostgreSQL OS user the agent writes files for), with no group or
 * other permission bits; otherwise the agent refuses to start, naming the problem.
 */
public final class RuntimeDir {
    private static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rwx------");

    private final Path path;
    /** The PostgreSQL OS user, when the agent writes files for another user than itself; else {@code null}. */
    private final String postgresOwner;

    RuntimeDir(Path path, String postgresOwner) {
        this.path = path.toAbsolutePath().normalize();
        this.postgresOwner = postgresOwner;
    }

    /** The runtime directory of member {@code memberName} serving {@code dataDir}, honouring XDG_RUNTIME_DIR. */
    public static RuntimeDir forMember(Path dataDir, String memberName, String postgresOwner) {
        return forMember(dataDir, memberName, System.getenv("XDG_RUNTIME_DIR"), postgresOwner);
    }

    /** As {@link #forMember(Path, String, String)} with {@code XDG_RUNTIME_DIR} given ({@code null}: unset). */
    public static RuntimeDir forMember(Path dataDir, String memberName, String xdgRuntimeDir, String postgresOwner) {
        Path data = dataDir.toAbsolutePath().normalize();
        String name = memberName.replaceAll("[^A-Za-z0-9_.-]", "_") + "-" + shortHash(data);
        if (xdgRuntimeDir != null && !xdgRuntimeDir.isBlank()) {
            return new RuntimeDir(Path.of(xdgRuntimeDir).resolve("bulwark-" + name), postgresOwner);
        }
        Path parent = data.getParent() == null ? data : data.getParent();
        return new RuntimeDir(parent.resolve(".bulwark-run-" + name), postgresOwner);
    }

    public Path path() {
        return path;
    }

    public Path pgpass() {
        return path.resolve("pgpass");
    }

    public Path fenceScript() {
        return path.resolve("fence.sh");
    }

    public Path fenceState() {
        return path.resolve("fence.state");
    }

    public Path fencePid() {
        return path.resolve("fence.pid");
    }

    /**
     * Creates the directory (0700, handed to the PostgreSQL OS user when the agent writes files for another
     * user), or checks that an existing one is private; returns its path. Safe to call repeatedly.
     *
     * @throws IOException naming the directory and what is wrong with it
     */
    public Path ensure() throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(path.getParent());
            try {
                Files.createDirectory(path, PosixFilePermissions.asFileAttribute(PRIVATE));
                Files.setPosixFilePermissions(path, PRIVATE);
                if (postgresOwner != null && isOwnedByUs(path)) {
                    Files.setOwner(path, path.getFileSystem().getUserPrincipalLookupService()
                            .lookupPrincipalByName(postgresOwner));
                }
            } catch (FileAlreadyExistsException e) {
                // created by someone else in the meantime: checked below like any existing directory
            }
        }
        check();
        return path;
    }

    private void check() throws IOException {
        PosixFileAttributes attrs = Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        String where = "runtime directory " + path;
        if (attrs.isSymbolicLink()) {
            throw new IOException(where + " is a symbolic link; expected a private directory (remove it)");
        }
        if (!attrs.isDirectory()) {
            throw new IOException(where + " is not a directory; expected a private directory (remove it)");
        }
        String owner = attrs.owner().getName();
        if (!isOwnedByUs(path) && !owner.equals(postgresOwner)) {
            throw new IOException(where + " is owned by " + owner + "; expected the agent's OS user"
                    + (postgresOwner == null ? "" : " or " + postgresOwner));
        }
        Set<PosixFilePermission> loose = EnumSet.copyOf(attrs.permissions());
        loose.removeAll(EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.OWNER_EXECUTE));
        if (!loose.isEmpty()) {
            throw new IOException(where + " has mode " + PosixFilePermissions.toString(attrs.permissions())
                    + "; expected rwx------ (0700): chmod 700 it or remove it");
        }
    }

    /** Owned by this process's OS user ({@code /proc/self} belongs to the process's effective uid). */
    private static boolean isOwnedByUs(Path p) throws IOException {
        Object mine = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        return mine.equals(Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS));
    }

    private static String shortHash(Path dataDir) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(dataDir.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
