package io.bulwark.postgres;

import static io.bulwark.testing.PgTestSupport.eventually;
import static io.bulwark.testing.PgTestSupport.patience;
import static org.assertj.core.api.Assertions.assertThat;

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
import io.bulwark.config.DynamicConfig;
import io.bulwark.config.PostgresqlConfig;
import io.bulwark.testing.PgTestSupport;

/**
 * Starting a replica against real PostgreSQL 15 servers (issue 12): a start that is not done within its short wait
 * returns and goes on in the background, and a replica whose slot does not exist on the upstream yet streams
 * without it, then switches to it.
 */
@Tag("integration")
class ReplicaStartTest {
    private static final DynamicConfig DYN = DynamicConfig.defaults();
    private static final BootstrapConfig CHECKSUMS = new BootstrapConfig(DYN, List.of("encoding=UTF8",
            "data-checksums"), List.of());

    private final List<Postgres> servers = new ArrayList<>();
    private final List<Path> dirs = new ArrayList<>();

    @AfterEach
    void tearDown() {
        for (Postgres pg : servers) {
            try {
                pg.stop(StopMode.IMMEDIATE, Duration.ofSeconds(20));
            } catch (PostgresException e) {
                System.err.println("teardown: " + e.getMessage());
            }
            pg.close();
        }
        dirs.forEach(PgTestSupport::deleteQuietly);
    }

    @Test
    void aStandbyStillReplayingReturnsFromStartAndIsObservedAsStartingUntilItAnswers() throws Exception {
        PostgresqlConfig cfgA = PgTestSupport.config(dir("st-a")).build();
        PostgresqlConfig cfgB = PgTestSupport.config(dir("st-b")).build();
        Postgres a = server(cfgA, "st-a");
        Postgres b = server(cfgB, "st-b");
        a.bootstrap(CHECKSUMS, DYN);
        b.cloneFrom("127.0.0.1", cfgA.port(), DYN);
        // every WAL segment the standby replays first asks restore_command, which takes 3 s: its start cannot
        // finish within a one-second wait, but it does finish
        DynamicConfig slowRestore = new DynamicConfig(DYN.ttl(), DYN.loopWait(), DYN.retryTimeout(),
                DYN.maximumLagOnFailover(), DYN.primaryStartTimeout(), DYN.usePgRewind(), false,
                DYN.removeDataDirectoryOnRewindFailure(), Map.of("restore_command", "sleep 3; false"), List.of(),
                Map.of());

        long before = System.nanoTime();
        boolean ready = b.start(new Upstream("127.0.0.1", cfgA.port()), slowRestore, Duration.ofSeconds(1));
        long tookMillis = (System.nanoTime() - before) / 1_000_000;

        assertThat(ready).as("start reported the standby ready after %d ms", tookMillis).isFalse();
        PostgresState starting = b.probe();
        assertThat(starting.processState()).isEqualTo("starting");
        assertThat(starting.starting()).isTrue();
        assertThat(starting.inRecovery()).as("starting with standby.signal").isTrue();
        eventually(patience(60), () -> assertThat(b.probe().processState()).isEqualTo("running"));
        assertThat(b.probe().inRecovery()).isTrue();
    }

    @Test
    void aReplicaWhoseSlotIsMissingUpstreamStreamsWithoutItThenSwitchesToIt() throws Exception {
        PostgresqlConfig cfgA = PgTestSupport.config(dir("sl-a")).build();
        PostgresqlConfig cfgB = PgTestSupport.config(dir("sl-b")).build();
        Postgres a = server(cfgA, "sl-a");
        Postgres b = server(cfgB, "sl-b");
        a.bootstrap(CHECKSUMS, DYN);
        b.cloneFrom("127.0.0.1", cfgA.port(), DYN);
        Upstream upstream = new Upstream("127.0.0.1", cfgA.port());

        b.start(upstream, DYN, patience(60));
        eventually(patience(30), () -> {
            PostgresState s = b.probe();
            assertThat(s.replicationState()).isEqualTo("streaming");
            assertThat(s.streamsWithoutSlot()).isTrue();
        });
        assertThat(b.follow(upstream, DYN)).as("the slot still does not exist upstream").isFalse();
        assertThat(slots(cfgA.port())).doesNotContainKey("sl_b");

        a.syncSlots(Set.of("sl_b"));
        assertThat(b.follow(upstream, DYN)).isTrue();
        eventually(patience(30), () -> {
            PostgresState s = b.probe();
            assertThat(s.slotName()).isEqualTo("sl_b");
            assertThat(s.streamsWithoutSlot()).isFalse();
            assertThat(slots(cfgA.port())).containsEntry("sl_b", true);
        });
    }

    private Postgres server(PostgresqlConfig cfg, String name) {
        Postgres pg = new Postgres(cfg, name, PgTestSupport.runner());
        servers.add(pg);
        return pg;
    }

    private Path dir(String prefix) throws Exception {
        Path d = PgTestSupport.tempDir(prefix);
        dirs.add(d);
        return d;
    }

    private static Map<String, Boolean> slots(int port) throws SQLException {
        Map<String, Boolean> out = new HashMap<>();
        try (Connection c = PgTestSupport.connect(port, PgTestSupport.SUPERUSER); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT slot_name, active FROM pg_replication_slots")) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getBoolean(2));
            }
        }
        return out;
    }
}
