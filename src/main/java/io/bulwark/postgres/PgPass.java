package io.bulwark.postgres;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.bulwark.config.Credentials;

/**
 * The pgpass file through which pg_basebackup, pg_rewind and the WAL receiver ({@code passfile=} in
 * {@code primary_conninfo}) get their passwords, so no password is ever on a command line, in a conninfo
 * string or in the environment. Lines match any host, port and database; {@code :} and {@code \} are escaped.
 * Unless {@code postgresql.pgpass} names the file, it lives in the agent's private {@link RuntimeDir}.
 */
final class PgPass {
    private final Path path;
    private final List<Credentials> credentials;
    /** The private directory the file lives in, created or checked before each write; null for a configured path. */
    private final RuntimeDir runtimeDir;

    PgPass(Path path, List<Credentials> credentials, RuntimeDir runtimeDir) {
        this.path = path;
        this.credentials = List.copyOf(credentials);
        this.runtimeDir = runtimeDir;
    }

    Path path() {
        return path;
    }

    void write(SecureFiles files) throws PostgresException {
        if (runtimeDir != null) {
            try {
                runtimeDir.ensure();
            } catch (IOException e) {
                throw new PostgresException("cannot write the pgpass file: " + e.getMessage(), e);
            }
        }
        files.write(path, render(credentials));
    }

    static String render(List<Credentials> credentials) {
        List<String> lines = new ArrayList<>();
        Set<String> seenUsers = new LinkedHashSet<>();
        for (Credentials c : credentials) {
            // the first entry for a user wins in libpq, so a later duplicate would be dead weight
            if (c != null && c.username() != null && c.password() != null && seenUsers.add(c.username())) {
                lines.add("*:*:*:" + escape(c.username()) + ":" + escape(c.password()));
            }
        }
        return lines.isEmpty() ? "" : String.join("\n", lines) + "\n";
    }

    static String escape(String s) {
        return s.replace("\\", "\\\\").replace(":", "\\:");
    }
}
