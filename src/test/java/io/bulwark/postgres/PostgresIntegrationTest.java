package io.bulwark.postgres;

import static io.bulwark.testing.PgTestSupport.eventually;
import static io.bulwark.testing.PgTestSupport.patience;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.bulwark.config.BootstrapConfig;
import io.bulwark.config.Credentials;
import io.bulwark.config.DynamicConfig;
import io.bulwark.config.PostgresqlConfig;
import io.bulwark.postgres.PostgresState.DataDirState;
import io.bulwark.testing.PgTestSupport;

/** Real PostgreSQL 15 servers on loopback, run as the postgres OS user. */
@Tag("integration")
class PostgresIntegrationTest {
    private static final DynamicConfig DYN = DynamicConfig.defaults();
    private static final BootstrapConfig CHECKSUMS = new BootstrapConfig(DYN, List.of("encoding=UTF8",
            "data-checksums"), List.of());
    private static final Duration START = patience(60);

    private final PgServers pg = new PgServers();

    @AfterEach
    void tearDown() {
        pg.close();
    }

    @Test
    void bootstrapCloneFailoverAndRejoinWithRewind() throws Exception {
        PostgresqlConfig cfgA = PgTestSupport.config(pg.dir("pg-a")).build();
        PostgresqlConfig cfgB = PgTestSupport.config(pg.dir("pg-b")).build();
        Postgres a = pg.server(cfgA, "node-a");
        Postgres b = pg.server(cfgB, "node-b");

        a.bootstrap(CHECKSUMS, DYN);
        PostgresState sa = a.probe();
        assertThat(sa.isPrimary()).isTrue();
        assertThat(sa.processState()).isEqualTo("running");
        assertThat(sa.dataDir()).isEqualTo(DataDirState.INITIALIZED);
        assertThat(sa.timeline()).isEqualTo(1);
        assertThat(sa.writeLsn()).isPositive();
        assertThat(sa.systemId()).matches("\\d{19}");
        assertThat(sa.serverVersion()).isBetween(150000, 159999);
        assertThat(sa.postmasterStart()).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{6}[+-]\\d\\d:\\d\\d");
        assertThat(Files.getPosixFilePermissions(cfgA.pgpass())).hasSize(2);
        assertRolesWork(cfgA.port());
        String serverLog = Files.readString(cfgA.dataDir().resolve("postmaster.log"));
        for (Credentials c : List.of(PgTestSupport.SUPERUSER, PgTestSupport.REPLICATION, PgTestSupport.REWIND)) {
            assertThat(serverLog).doesNotContain(c.password());
        }

        b.cloneFrom("127.0.0.1", cfgA.port(), DYN);
        PostgresState sb = b.probe();
        assertThat(sb.dataDir()).isEqualTo(DataDirState.INITIALIZED);
        assertThat(sb.running()).isFalse();
        assertThat(sb.processState()).isEqualTo("stopped");
        assertThat(sb.systemId()).isEqualTo(sa.systemId());

        a.syncSlots(Set.of(Postgres.slotNameFor("node-b")));
        b.start(new Upstream("127.0.0.1", cfgA.port()), DYN, START);
        execute(cfgA.port(), "CREATE TABLE t (v text)", "INSERT INTO t VALUES ('before failover')");
        eventually(patience(30), () -> assertThat(values(cfgB.port())).containsExactly("before failover"));
        eventually(patience(30), () -> {
            PostgresState s = b.probe();
            assertThat(s.inRecovery()).isTrue();
            assertThat(s.replicationState()).isEqualTo("streaming");
            assertThat(s.upstream()).isEqualTo("127.0.0.1:" + cfgA.port());
            assertThat(s.timeline()).isEqualTo(1);
            assertThat(s.receiveLsn()).isPositive();
        });
        eventually(patience(30), () -> assertThat(PgServers.slots(cfgA.port())).containsEntry("node_b", true));

        // slots: create the wanted, drop the unwanted inactive, never drop an active one
        a.syncSlots(Set.of("node_b", "node_c"));
        assertThat(PgServers.slots(cfgA.port())).containsOnlyKeys("node_b", "node_c");
        a.syncSlots(Set.of());
        assertThat(PgServers.slots(cfgA.port())).containsOnlyKeys("node_b");

        // diverge: the replica stops, the primary writes on, then crashes
        b.stop(StopMode.FAST, patience(30));
        assertThat(b.probe().processState()).isEqualTo("stopped");
        execute(cfgA.port(), "INSERT INTO t VALUES ('lost on the old primary')");
        a.stop(StopMode.IMMEDIATE, patience(30));

        // failover: the replica comes up without its primary and is promoted onto timeline 2
        b.start(new Upstream("127.0.0.1", cfgA.port()), DYN, START);
        b.promote(patience(30));
        b.checkpoint();
        PostgresState promoted = b.probe();
        assertThat(promoted.isPrimary()).isTrue();
        assertThat(promoted.timeline()).isEqualTo(2);
        execute(cfgB.port(), "INSERT INTO t VALUES ('after failover')");
        b.syncSlots(Set.of(Postgres.slotNameFor("node-a")));

        // rejoin: the crashed old primary is rewound and follows the new one
        assertThat(a.probe().isPrimary()).isFalse();
        assertThat(a.rewind("127.0.0.1", cfgB.port())).isTrue();
        a.start(new Upstream("127.0.0.1", cfgB.port()), DYN, START);
        eventually(patience(30), () -> {
            PostgresState s = a.probe();
            assertThat(s.inRecovery()).isTrue();
            assertThat(s.replicationState()).isEqualTo("streaming");
            assertThat(s.timeline()).isEqualTo(2);
            assertThat(s.upstream()).isEqualTo("127.0.0.1:" + cfgB.port());
        });
        eventually(patience(30), () -> assertThat(values(cfgA.port()))
                .containsExactlyInAnyOrder("before failover", "after failover"));
        assertThat(a.probe().systemId()).isEqualTo(sa.systemId());
    }

    @Test
    void aReloadByARestartedAgentKeepsTheSynchronousStandbyNamesInEffect() throws Exception {
        PostgresqlConfig cfg = PgTestSupport.config(pg.dir("pg-ssn")).build();
        Postgres a = pg.server(cfg, "node-a");
        a.useTtl(40); // 10 s per connection step: a loaded machine must not fail the bootstrap
        a.bootstrap(CHECKSUMS, DYN);
        DynamicConfig quorum = io.bulwark.config.DynamicConfigParser.parse(Map.of("synchronous_mode", "quorum"), "")
                .config();
        a.synchronousStandbyNames("ANY 1 (node2)", quorum);
        eventually(patience(30), () -> assertThat(setting(cfg.port(), "synchronous_standby_names"))
                .isEqualTo("ANY 1 (node2)")); // a reload is applied asynchronously
        String loaded = setting(cfg.port(), "pg_conf_load_time");

        Postgres restarted = new Postgres(cfg, "node-a", PgTestSupport.runner()); // a new agent, the same server
        restarted.useTtl(40);
        restarted.reloadConfig(quorum);

        eventually(patience(30), () -> assertThat(setting(cfg.port(), "pg_conf_load_time")).isNotEqualTo(loaded));
        assertThat(setting(cfg.port(), "synchronous_standby_names")).isEqualTo("ANY 1 (node2)");
    }

    /** A setting (or pg_conf_load_time) as a new session sees it, i.e. after the postmaster processed a reload. */
    private static String setting(int port, String name) throws SQLException {
        String sql = name.equals("pg_conf_load_time") ? "SELECT pg_catalog.pg_conf_load_time()::text"
                : "SELECT pg_catalog.current_setting('" + name + "')";
        try (Connection c = PgTestSupport.connect(port, PgTestSupport.SUPERUSER); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void followRepointsARunningReplica() throws Exception {
        PostgresqlConfig cfgA = PgTestSupport.config(pg.dir("pg-fa")).build();
        PostgresqlConfig cfgB = PgTestSupport.config(pg.dir("pg-fb")).build();
        Postgres a = pg.server(cfgA, "fa");
        Postgres b = pg.server(cfgB, "fb");
        a.bootstrap(CHECKSUMS, DYN);
        b.cloneFrom("127.0.0.1", cfgA.port(), DYN);
        DynamicConfig noSlots = new DynamicConfig(4, 1, 1, 1 << 20, 300, true, false, false, Map.of(), List.of(),
                Map.of());
        b.start(new Upstream("127.0.0.1", PgTestSupport.freePort()), noSlots, START); // nobody listens there
        assertThat(b.probe().replicationState()).isEqualTo("in archive recovery");

        b.follow(new Upstream("127.0.0.1", cfgA.port()), noSlots);
        eventually(patience(30), () -> {
            PostgresState s = b.probe();
            assertThat(s.replicationState()).isEqualTo("streaming");
            assertThat(s.upstream()).isEqualTo("127.0.0.1:" + cfgA.port());
        });
        assertThatThrownBy(() -> a.follow(new Upstream("127.0.0.1", cfgB.port()), noSlots))
                .isInstanceOf(PostgresException.class).hasMessageContaining("runs as primary");
    }

    @Test
    void withoutChecksumsOrWalLogHintsRewindIsImpossible() throws Exception {
        PostgresqlConfig cfg = PgTestSupport.config(pg.dir("pg-c")).rewind(null).build();
        Postgres c = pg.server(cfg, "node-c");
        Map<String, Object> params = new HashMap<>();
        params.put("wal_log_hints", false);
        DynamicConfig noHints = new DynamicConfig(4, 1, 1, 1 << 20, 300, true, true, false, params, List.of(),
                Map.of());
        c.bootstrap(new BootstrapConfig(noHints, List.of(), List.of()), noHints);
        assertThat(c.probe().processState()).isEqualTo("running");

        // a postmaster killed -9 leaves its pid file: crashed
        ProcessHandle.of(postmasterPid(cfg)).orElseThrow().destroyForcibly();
        eventually(patience(10), () -> assertThat(c.probe().processState()).isEqualTo("crashed"));
        assertThat(c.probe().running()).isFalse();

        assertThat(c.rewind("127.0.0.1", cfg.port())).isFalse();

        Map<String, Object> bad = new HashMap<>(params);
        bad.put("shared_buffers", "not-a-size");
        DynamicConfig badDyn = new DynamicConfig(4, 1, 1, 1 << 20, 300, true, true, false, bad, List.of(), Map.of());
        assertThatThrownBy(() -> c.start(null, badDyn, patience(20)))
                .isInstanceOf(PostgresException.class).hasMessageContaining("shared_buffers");
        assertThat(c.probe().processState()).isEqualTo("start failed");
        c.stop(StopMode.FAST, patience(10));

        Path aside = c.moveDataDirAside();
        assertThat(aside.getFileName().toString()).startsWith("data.failed-");
        assertThat(aside.resolve("PG_VERSION")).exists();
        assertThat(c.probe().dataDir()).isEqualTo(DataDirState.MISSING);
        assertThat(c.probe().systemId()).isNull();
    }

    @Test
    void shutdownCheckpointIsWhatPgControldataReportsAfterACleanStopOnly() throws Exception {
        PostgresqlConfig cfg = PgTestSupport.config(pg.dir("pg-e")).build();
        Postgres e = pg.server(cfg, "node-e");
        e.bootstrap(CHECKSUMS, DYN);
        assertThat(e.shutdownCheckpoint()).as("while running").isZero();
        execute(cfg.port(), "CREATE TABLE t (v text)", "INSERT INTO t VALUES ('before the stop')");
        long written = e.probe().writeLsn();

        e.stop(StopMode.FAST, patience(30));
        long checkpoint = e.shutdownCheckpoint();
        ControlData cd = ControlData.read(PgTestSupport.runner(), new Binaries(cfg.binDir(), PgTestSupport.runner()),
                cfg.dataDir());
        assertThat(cd.clusterState()).isEqualTo("shut down");
        assertThat(String.format("%X/%X", checkpoint >>> 32, checkpoint & 0xFFFFFFFFL))
                .isEqualTo(cd.fields().get("Latest checkpoint location"));
        assertThat(checkpoint).as("the shutdown checkpoint follows every write").isGreaterThanOrEqualTo(written);

        e.start(null, DYN, START);
        e.stop(StopMode.IMMEDIATE, patience(30));
        assertThat(e.shutdownCheckpoint()).as("after a crash-like stop").isZero();
    }

    @Test
    void failedCloneLeavesNoPartialDataDirectory() throws Exception {
        PostgresqlConfig cfg = PgTestSupport.config(pg.dir("pg-d")).build();
        Postgres d = new Postgres(cfg, "node-d", PgTestSupport.runner(), Duration.ofMillis(50));
        pg.add(d);
        int nobody = PgTestSupport.freePort();
        assertThatThrownBy(() -> d.cloneFrom("127.0.0.1", nobody, DYN))
                .isInstanceOf(PostgresException.class)
                .hasMessageContaining("after 3 attempts")
                .hasMessageContaining("pg_basebackup")
                .hasMessageNotContaining(PgTestSupport.REPLICATION.password());
        assertThat(d.probe().dataDir()).isEqualTo(DataDirState.MISSING);
        assertThat(d.probe().processState()).isEqualTo("stopped");
    }

    private void assertRolesWork(int port) throws SQLException {
        try (Connection su = PgTestSupport.connect(port, PgTestSupport.SUPERUSER);
             Statement st = su.createStatement();
             ResultSet rs = st.executeQuery("SELECT rolreplication, rolcanlogin FROM pg_roles"
                     + " WHERE rolname = 'replicator'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getBoolean(1)).isTrue();
            assertThat(rs.getBoolean(2)).isTrue();
        }
        for (Credentials user : List.of(PgTestSupport.REPLICATION, PgTestSupport.REWIND)) {
            try (Connection c = PgTestSupport.connect(port, user); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT current_user")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo(user.username());
            }
        }
        assertThatThrownBy(() -> PgTestSupport.connect(port, new Credentials("replicator", "wrong")).close())
                .isInstanceOf(SQLException.class);
    }

    private static long postmasterPid(PostgresqlConfig cfg) throws Exception {
        return Long.parseLong(Files.readAllLines(cfg.dataDir().resolve("postmaster.pid")).get(0).trim());
    }

    private static void execute(int port, String... sql) throws SQLException {
        try (Connection c = PgTestSupport.connect(port, PgTestSupport.SUPERUSER); Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        }
    }

    private static List<String> values(int port) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = PgTestSupport.connect(port, PgTestSupport.SUPERUSER); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT v FROM t ORDER BY v")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

}
