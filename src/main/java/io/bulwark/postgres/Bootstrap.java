package io.bulwark.postgres;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.bulwark.config.BootstrapConfig;
import io.bulwark.config.Credentials;
import io.bulwark.config.PostgresqlConfig;

/**
 * The two halves of creating a new cluster: {@code initdb} (superuser password through a 0600 temp file,
 * deleted afterwards) and, once the server runs, the roles replicas and pg_rewind log in as.
 *
 * <p>Role passwords are hashed client-side (SCRAM) by pgjdbc, so they are never sent in clear text, and the
 * role statements run with statement logging off, so nothing password-like reaches the server log.
 */
final class Bootstrap {
    private static final Logger log = LoggerFactory.getLogger(Bootstrap.class);
    static final Duration INITDB_TIMEOUT = Duration.ofMinutes(10);
    /** initdb options Bulwark sets itself (reference §4.7 lists what Patroni forbids). */
    private static final Set<String> FORBIDDEN = Set.of("pgdata", "D", "nosync", "N", "pwfile", "pwprompt", "W",
            "sync-only", "S", "version", "V", "username", "U");
    /** Functions a non-superuser rewind role must be able to call (PostgreSQL's pg_rewind docs). */
    private static final List<String> REWIND_FUNCTIONS = List.of(
            "pg_catalog.pg_ls_dir(text, boolean, boolean)",
            "pg_catalog.pg_stat_file(text, boolean)",
            "pg_catalog.pg_read_binary_file(text)",
            "pg_catalog.pg_read_binary_file(text, bigint, bigint, boolean)");

    private final PostgresqlConfig cfg;
    private final CommandRunner runner;
    private final Binaries binaries;
    private final SecureFiles files;

    Bootstrap(PostgresqlConfig cfg, CommandRunner runner, Binaries binaries, SecureFiles files) {
        this.cfg = cfg;
        this.runner = runner;
        this.binaries = binaries;
        this.files = files;
    }

    void initdb(BootstrapConfig bootstrap) throws PostgresException {
        List<String> userArgs = bootstrap.initdbArgs();
        for (String arg : userArgs) {
            String name = arg.replaceFirst("^--?", "").split("=", 2)[0];
            if (FORBIDDEN.contains(name)) {
                throw new PostgresException("bootstrap.initdb: option \"" + name + "\" is set by Bulwark itself");
            }
        }
        Path pwfile = null;
        try {
            List<String> argv = new ArrayList<>(binaries.argv("initdb", "-D", cfg.dataDir().toAbsolutePath().toString(),
                    "--username=" + cfg.superuser().username()));
            if (cfg.superuser().password() != null) {
                pwfile = Files.createTempFile("bulwark-pw-", ".tmp",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(pwfile, cfg.superuser().password() + "\n", StandardCharsets.UTF_8);
                files.chown(pwfile);
                argv.add("--pwfile=" + pwfile);
            }
            if (userArgs.stream().noneMatch(a -> a.startsWith("--auth"))) {
                argv.add("--auth-local=peer");
                argv.add("--auth-host=scram-sha-256");
            }
            argv.addAll(userArgs);
            log.info("initializing a new cluster in {}", cfg.dataDir());
            CommandRunner.Result r = runner.run(argv, Map.of(), INITDB_TIMEOUT);
            if (!r.succeeded()) {
                throw PostgresException.commandFailed("initdb failed", r, 10);
            }
        } catch (IOException e) {
            throw new PostgresException("cannot write initdb's password file: " + e, e);
        } finally {
            if (pwfile != null) {
                try {
                    Files.deleteIfExists(pwfile);
                } catch (IOException e) {
                    log.warn("cannot delete initdb's password file {}: {}", pwfile, e.toString());
                }
            }
        }
    }

    /** Creates (or updates) the replication role and, if it differs from the superuser, the rewind role. */
    void createRoles(LocalConnection connection) throws PostgresException {
        try {
            connection.call(c -> {
                withQuietLogging(c);
                try {
                    ensureRoles(c);
                } finally {
                    try (Statement st = c.createStatement()) {
                        st.execute("RESET ALL");
                    }
                }
                return null;
            });
        } catch (SQLException e) {
            throw new PostgresException("creating roles failed: " + e.getMessage(), e);
        }
    }

    private void ensureRoles(Connection c) throws SQLException {
        ensureRole(c, cfg.replication(), "REPLICATION LOGIN");
        Credentials rewind = cfg.rewind();
        if (rewind != null && !rewind.username().equals(cfg.superuser().username())) {
            ensureRole(c, rewind, "LOGIN");
            String role = c.unwrap(PGConnection.class).escapeIdentifier(rewind.username());
            try (Statement st = c.createStatement()) {
                for (String fn : REWIND_FUNCTIONS) {
                    st.execute("GRANT EXECUTE ON FUNCTION " + fn + " TO " + role);
                }
            }
        }
    }

    /** Keeps role DDL out of the server log and off synchronous replicas that do not exist yet. */
    private static void withQuietLogging(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("SET log_statement TO 'none'");
            st.execute("SET log_min_duration_statement TO -1");
            st.execute("SET log_min_error_statement TO 'panic'");
            st.execute("SET synchronous_commit TO 'local'");
        }
    }

    private static void ensureRole(Connection c, Credentials creds, String attributes) throws SQLException {
        PGConnection pg = c.unwrap(PGConnection.class);
        String role = pg.escapeIdentifier(creds.username());
        boolean exists;
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = ?")) {
            ps.setString(1, creds.username());
            try (ResultSet rs = ps.executeQuery()) {
                exists = rs.next();
            }
        }
        try (Statement st = c.createStatement()) {
            st.execute((exists ? "ALTER ROLE " : "CREATE ROLE ") + role + " WITH " + attributes);
        }
        if (creds.password() != null) {
            pg.alterUserPassword(creds.username(), creds.password().toCharArray(), "scram-sha-256");
        }
    }
}
