package io.bulwark.postgres;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;

/**
 * Writes the files PostgreSQL reads (configuration, pgpass, signal files): mode 0600, owned by the PostgreSQL OS
 * user when the agent runs as another user, and replaced atomically (temp file in the same directory, fsync,
 * rename) so a crash never leaves PostgreSQL a half-written file.
 */
final class SecureFiles {
    private final String owner;

    SecureFiles(String owner) {
        this.owner = owner;
    }

    void write(Path target, String content) throws PostgresException {
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, content, StandardCharsets.UTF_8, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.SYNC);
            chown(tmp);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw new PostgresException("cannot write " + target + ": " + e, e);
        }
    }

    /** Creates an empty 0600 file (e.g. {@code standby.signal}) unless it exists. */
    void touch(Path target) throws PostgresException {
        if (!Files.exists(target)) {
            write(target, "");
        }
    }

    /** Hands {@code path} to the PostgreSQL OS user, if the agent runs as another one. */
    void chown(Path path) throws IOException {
        if (owner != null) {
            UserPrincipal user = path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(owner);
            Files.setOwner(path, user);
        }
    }

    private static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // best effort: a stray hidden temp file is harmless
            }
        }
    }
}
