package io.bulwark.postgres;

import static io.bulwark.testing.PgTestSupport.eventually;
import static io.bulwark.testing.PgTestSupport.patience;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
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

    private final PgServers pg = new PgServers();

    @AfterEach
    void tearDown() {
        pg.close();
    }

    @Test
    void aStandbyStillReplayingReturnsFromStartAndIsObservedAsStartingUntilItAnswers() throws Exception {
        PostgresqlConfig cfgA = PgTestSupport.config(pg.dir("st-a")).build();
        PostgresqlConfig cfgB = PgTestSupport.config(pg.dir("st-b")).build();
        Postgres a = pg.server(cfgA, "st-a");
        Postgres b = pg.server(cfgB, "st-b");
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
        PostgresqlConfig cfgA = PgTestSupport.config(pg.dir("sl-a")).build();
        PostgresqlConfig cfgB = PgTestSupport.config(pg.dir("sl-b")).build();
        Postgres a = pg.server(cfgA, "sl-a");
        Postgres b = pg.server(cfgB, "sl-b");
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
        assertThat(PgServers.slots(cfgA.port())).doesNotContainKey("sl_b");

        a.syncSlots(Set.of("sl_b"));
        assertThat(b.follow(upstream, DYN)).isTrue();
        eventually(patience(30), () -> {
            PostgresState s = b.probe();
            assertThat(s.slotName()).isEqualTo("sl_b");
            assertThat(s.streamsWithoutSlot()).isFalse();
            assertThat(PgServers.slots(cfgA.port())).containsEntry("sl_b", true);
        });
    }
}
