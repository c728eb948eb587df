package io.bulwark.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import io.bulwark.config.Credentials;
import io.bulwark.config.PostgresqlConfig;
import io.bulwark.postgres.CommandRunner;

/**
 * Fixture for tests that run real PostgreSQL 15 servers: the agent (the test JVM) runs as root, so PostgreSQL
 * programs run as the {@code postgres} OS user through {@code runuser}, in temp directories handed to that user,
 * on free loopback ports. Passwords deliberately contain characters that need escaping ({@code : \ '}).
 */
public final class PgTestSupport {
    public static final String OS_USER = "postgres";
    public static final Credentials SUPERUSER = new Credentials("postgres", "su:pa\\ss'1");
    public static final Credentials REPLICATION = new Credentials("replicator", "rep:l\\pw'2");
    public static final Credentials REWIND = new Credentials("rewinder", "re:wind\\3");

    private PgTestSupport() {
    }

    /** Runs PostgreSQL programs as {@value #OS_USER} and hands written files to it. */
    public static CommandRunner runner() {
        return CommandRunner.asOsUser(OS_USER);
    }

    /** A fresh 0700 temp directory owned by {@value #OS_USER}. */
    public static Path tempDir(String prefix) throws IOException {
        Path dir = Files.createTempDirectory(prefix,
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.setOwner(dir, dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(OS_USER));
        return dir;
    }

    /** Recursive delete that ignores errors (test cleanup only). */
    public static void deleteQuietly(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException ignored) {
            // leftovers in /tmp are harmless
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    /** A JDBC connection to a test server over TCP. */
    public static Connection connect(int port, Credentials user) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user.username());
        p.setProperty("password", user.password());
        p.setProperty("connectTimeout", "5");
        p.setProperty("socketTimeout", "30");
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", p);
    }

    /** Retries {@code check} until it passes or {@code timeout} ends, then rethrows its last failure. */
    public static void eventually(Duration timeout, Check check) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                check.run();
                return;
            } catch (Exception | AssertionError e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }

    /** A check for {@link #eventually}. */
    @FunctionalInterface
    public interface Check {
        void run() throws Exception;
    }

    public static ConfigBuilder config(Path base) throws IOException {
        return new ConfigBuilder(base);
    }

    /** {@link PostgresqlConfig} for a server living in {@code base}: data in {@code base/data}, free port. */
    public static final class ConfigBuilder {
        private final Path base;
        private int port;
        private Credentials rewind = REWIND;
        private final Map<String, String> parameters = new LinkedHashMap<>();
        private List<String> pgHba = List.of();

        private ConfigBuilder(Path base) throws IOException {
            this.base = base;
            this.port = freePort();
            parameters.put("unix_socket_directories", base.toString());
        }

        public ConfigBuilder port(int p) {
            this.port = p;
            return this;
        }

        public ConfigBuilder rewind(Credentials c) {
            this.rewind = c;
            return this;
        }

        public ConfigBuilder parameter(String name, String value) {
            parameters.put(name, value);
            return this;
        }

        public ConfigBuilder pgHba(List<String> lines) {
            this.pgHba = lines;
            return this;
        }

        public PostgresqlConfig build() {
            return new PostgresqlConfig("127.0.0.1", port, "127.0.0.1:" + port, base.resolve("data"), null,
                    base.resolve("pgpass"), SUPERUSER, REPLICATION, rewind, parameters, pgHba,
                    List.of("basebackup"), List.of(), PostgresqlConfig.DEFAULT_PG_CTL_TIMEOUT, PostgresqlConfig.DEFAULT_KEEP_FAILED_DATA_DIRS);
        }
    }

    /** Generous default for waits; scaled by {@code BULWARK_TEST_TIME_SCALE} on slow machines. */
    public static Duration patience(int seconds) {
        String scale = System.getenv("BULWARK_TEST_TIME_SCALE");
        double f = scale == null ? 1.0 : Double.parseDouble(scale);
        return Duration.ofMillis((long) (seconds * 1000 * f));
    }
}
