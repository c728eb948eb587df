package io.bulwark.ctl;

import io.bulwark.config.BootstrapConfig;
import io.bulwark.config.DynamicConfig;
import io.bulwark.config.PostgresqlConfig;
import io.bulwark.postgres.Postgres;
import io.bulwark.postgres.PostgresException;
import io.bulwark.postgres.StopMode;
import io.bulwark.testing.PgTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code query} against a real PostgreSQL 15 found through the member key's conn_url. */
@Tag("integration")
class QueryCommandIntegrationTest {
    private static Postgres server;
    private static Path base;
    private static int port;

    @TempDir
    Path dir;

    @BeforeAll
    static void startPostgres() throws Exception {
        base = PgTestSupport.tempDir("ctl-query");
        PostgresqlConfig cfg = PgTestSupport.config(base).build();
        port = cfg.port();
        server = new Postgres(cfg, "postgresql0", PgTestSupport.runner());
        server.bootstrap(new BootstrapConfig(DynamicConfig.defaults(), List.of("encoding=UTF8"), List.of()),
                DynamicConfig.defaults());
    }

    @AfterAll
    static void stopPostgres() {
        try {
            server.stop(StopMode.IMMEDIATE, Duration.ofSeconds(20));
        } catch (PostgresException e) {
            System.err.println("teardown: " + e.getMessage());
        }
        server.close();
        PgTestSupport.deleteQuietly(base);
    }

    private CtlWorld world() throws Exception {
        CtlWorld w = new CtlWorld(dir);
        w.member("postgresql0", port, "primary", Map.of());
        w.member("postgresql1", port, "replica", Map.of());
        return w;
    }

    private static Map<String, String> env() {
        return Map.of("PGPASSWORD", PgTestSupport.SUPERUSER.password(), "PGUSER", "postgres");
    }

    @Test
    void runsOnTheLeaderAndPrintsTsv() throws Exception {
        try (CtlWorld w = world()) {
            Clusters.Run r = w.runRaw("", env(), "-c", w.configFile.toString(), "query", "-d", "postgres",
                    "-c", "SELECT 1 AS one, 'x y' AS two, NULL AS three, true AS four");
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(r.out()).isEqualTo("one\ttwo\tthree\tfour\n1\tx y\tNone\tTrue\n");

            Clusters.Run json = w.runRaw("", env(), "-c", w.configFile.toString(), "query", "-d", "postgres",
                    "-m", "postgresql0", "--format", "json", "-c", "SELECT 2 AS n");
            assertThat(json.out()).isEqualTo("[{\"n\": 2}]\n");
        }
    }

    @Test
    void promptedPasswordRoleCheckAndSqlErrors() throws Exception {
        try (CtlWorld w = world()) {
            Clusters.Run prompted = w.runRaw(PgTestSupport.SUPERUSER.password() + "\n", Map.of(), "-c",
                    w.configFile.toString(), "query", "-U", "postgres", "-d", "postgres", "--password",
                    "-c", "SELECT current_user");
            assertThat(prompted.exitCode()).as(prompted.err() + prompted.out()).isZero();
            assertThat(prompted.out()).isEqualTo("Password: current_user\npostgres\n");

            Clusters.Run replica = w.runRaw("", env(), "-c", w.configFile.toString(), "query", "-d", "postgres",
                    "-r", "replica", "-c", "SELECT 1");
            assertThat(replica.exitCode()).isEqualTo(1);
            assertThat(replica.out()).contains("No connection to role replica is available");

            Clusters.Run bad = w.runRaw("", env(), "-c", w.configFile.toString(), "query", "-d", "postgres",
                    "-c", "SELEC 1");
            assertThat(bad.exitCode()).isEqualTo(1);
            assertThat(bad.out()).containsPattern("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\tERROR, SQLSTATE: 42601");

            Clusters.Run none = w.runRaw("", env(), "-c", w.configFile.toString(), "query", "-d", "postgres");
            assertThat(none.exitCode()).isEqualTo(2);
            assertThat(none.err()).contains("--command").contains("--file");
        }
    }
}
