package io.bulwark.postgres;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@code postmaster.log} (the server's stderr, appended to by {@code pg_ctl start -l}) bounded: once it
 * passes {@link #LIMIT_BYTES} it is copied to {@code postmaster.log.1} (replacing the previous copy) and truncated,
 * logrotate's copytruncate. The postmaster keeps its file descriptor, opened for append, so its next line lands at
 * the start of the emptied file; lines written between the copy and the truncation are lost, as with logrotate.
 * At most about twice the limit is kept. A full disk stops PostgreSQL; an unbounded server log fills it.
 */
final class ServerLog {
    private static final Logger log = LoggerFactory.getLogger(ServerLog.class);
    static final long LIMIT_BYTES = 16L * 1024 * 1024;

    private ServerLog() {
    }

    /** Rotates {@code file} when it is a regular file above {@code limit} bytes; true when it did. Never throws. */
    static boolean rotateIfOver(Path file, long limit) {
        try {
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) || Files.size(file) <= limit) {
                return false;
            }
            Path previous = file.resolveSibling(file.getFileName() + ".1");
            Files.copy(file, previous, StandardCopyOption.REPLACE_EXISTING, LinkOption.NOFOLLOW_LINKS);
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                ch.truncate(0);
            }
            log.info("server log {} passed {} MB: copied to {} and emptied", file, limit / (1024 * 1024), previous);
            return true;
        } catch (IOException | RuntimeException e) {
            log.warn("could not rotate the server log {}: {}", file, e.getMessage());
            return false;
        }
    }
}
